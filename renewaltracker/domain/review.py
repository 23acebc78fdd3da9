"""The periodic review: when it falls due, what it lists, and which subscriptions lie unused in between."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from renewaltracker.domain.costs import is_running, yearly_cost
from renewaltracker.domain.money import quantize
from renewaltracker.domain.prices import PriceHistories, amount_on
from renewaltracker.domain.schedule import month_length
from renewaltracker.domain.subscription import Subscription

# The rule lives with the table's rows (they need it, and not the rest of this module); named here for the review.
from renewaltracker.domain.unused import UNUSED_DAYS as UNUSED_DAYS
from renewaltracker.domain.unused import days_unused as days_unused
from renewaltracker.domain.unused import is_unused as is_unused
from renewaltracker.i18n import N_, _

# The review is no subscription's event; its reminders use this id, which no saved subscription has.
REVIEW_ID = 0


class Decision(StrEnum):
    KEEP = "keep"
    CANCEL = "cancel"  # leads to the cancel letter
    DOWNGRADE = "downgrade"  # leads to the edit dialog

    @property
    def label(self) -> str:
        """The decision as a button says it, in the interface language."""
        return _(_DECISION_LABELS[self])


_DECISION_LABELS = {Decision.KEEP: N_("Keep"), Decision.CANCEL: N_("Cancel it"), Decision.DOWNGRADE: N_("Downgrade")}


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One line of the review: the subscription, its yearly cost in its own currency, and its last use."""

    subscription: Subscription
    yearly: Decimal
    days_unused: int | None
    unused: bool


def review_items(
    subscriptions: Iterable[Subscription], today: date, prices: PriceHistories | None = None
) -> list[ReviewItem]:
    """Every running subscription, unused ones first, then by yearly cost at today's price (highest first, within
    a currency)."""
    items = [
        ReviewItem(
            s,
            quantize(yearly_cost(s, price=amount_on(s, today, prices)), s.currency),
            days_unused(s, today),
            is_unused(s, today),
        )
        for s in subscriptions
        if is_running(s, today)
    ]
    items.sort(key=lambda item: (not item.unused, item.subscription.currency, -item.yearly, item.subscription.name))
    return items


def next_review(months: int, last_review: date | None, first_added: date | None) -> date | None:
    """When the next review falls due: `months` after the last one (or after the first subscription was added), on
    the same day of the month or that month's last; None when reviews are off or there is nothing to review."""
    since = last_review or first_added
    if months <= 0 or since is None:
        return None
    year, month = divmod(since.year * 12 + since.month - 1 + months, 12)
    return date(year, month + 1, min(since.day, month_length(year, month + 1)))
