"""Charge history: price changes between recorded charges and scheduled charges not yet recorded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from renewaltracker.domain.subscription import Charge, ChargeStatus, Subscription

# How far back the "record the last charge" offer looks; older gaps are history, not a to-do.
LOOKBACK_DAYS = 400


class PriceChange(NamedTuple):
    """The amount of a charge compared with the charge made before it."""

    charge: Charge
    previous: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        if self.previous is None or self.charge.status is not ChargeStatus.CHARGED:
            return None
        return self.charge.amount - self.previous


def price_changes(charges: Sequence[Charge]) -> list[PriceChange]:
    """Each charge, oldest first, with the amount of the last charge actually made before it."""
    result: list[PriceChange] = []
    previous: Decimal | None = None
    for charge in sorted(charges, key=lambda c: (c.date, c.id or 0)):
        result.append(PriceChange(charge, previous))
        if charge.status is ChargeStatus.CHARGED:
            previous = charge.amount
    return result


def unrecorded_charges(subscription: Subscription, charges: Sequence[Charge], today: date) -> list[date]:
    """Scheduled charges up to today after the last one recorded, newest first (older gaps are history)."""
    recorded = {charge.date for charge in charges}
    start = max(subscription.anchor_date, today - timedelta(days=LOOKBACK_DAYS))
    if recorded:
        start = max(start, max(recorded) + timedelta(days=1))
    due = [day for day in subscription.schedule.charges_between(start, today) if day not in recorded]
    return sorted(due, reverse=True)


def open_refund_window(subscription: Subscription, today: date) -> tuple[date, date] | None:
    """The latest charge whose refund window is still open, and the last day of that window."""
    if not subscription.refund_days:
        return None
    lag = timedelta(days=subscription.refund_days)
    recent = list(subscription.schedule.charges_between(today - lag, today))
    if not recent:
        return None
    return recent[-1], recent[-1] + lag
