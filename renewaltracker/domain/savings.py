"""The savings ledger: money recovered from vendors and renewals avoided by cancelling in time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from renewaltracker.domain.money import quantize
from renewaltracker.domain.prices import PriceHistory, PriceStep
from renewaltracker.domain.requests import Request
from renewaltracker.domain.spending import year_ahead_end
from renewaltracker.domain.subscription import Charge, ChargeStatus, Status, Subscription
from renewaltracker.i18n import _, ngettext

# How late a bank may book a charge after its date: a charge recorded that soon after a cancellation took
# effect may be the last one due before it.
LATE_BOOKING_DAYS = 7


def plain_money(amount: Decimal, currency: str) -> str:
    """An amount as the command line and its JSON say it: "10.00 EUR"."""
    return f"{amount} {currency}"


class Wording(NamedTuple):
    """How an item's text writes amounts and dates: plainly for the command line, in the interface's language in
    the window."""

    money: Callable[[Decimal, str], str] = plain_money
    day: Callable[[date], str] = date.isoformat


PLAIN = Wording()


class SavingKind(StrEnum):
    RECOVERED = "recovered"
    AVOIDED = "avoided"


@dataclass(frozen=True, slots=True)
class Saving:
    """One line behind a savings figure: what, for which subscription, on which date, how much."""

    kind: SavingKind
    subscription_id: int
    name: str
    day: date
    amount: Decimal
    currency: str
    what: str


@dataclass(frozen=True, slots=True)
class Ledger:
    """The items, and their totals per kind and currency."""

    items: list[Saving]

    def totals(self, kind: SavingKind) -> dict[str, Decimal]:
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for item in self.items:
            if item.kind is kind:
                sums[item.currency] += item.amount
        return dict(sorted(sums.items()))


def _recovered(
    subscriptions: Mapping[int, Subscription], charges: Sequence[Charge], requests: Sequence[Request], words: Wording
) -> Iterable[Saving]:
    refunded = {c.id for c in charges if c.status is ChargeStatus.REFUNDED and c.refunded_amount}
    charged = {c.id: c.amount for c in charges}
    for charge in charges:
        subscription = subscriptions.get(charge.subscription_id)
        if subscription is None or charge.id not in refunded or charge.refunded_amount is None:
            continue
        yield _shared(
            subscription,
            Saving(
                SavingKind.RECOVERED,
                charge.subscription_id,
                subscription.name,
                charge.refunded_on or charge.date,
                charge.refunded_amount,
                charge.currency,
                _("refund of the {date} charge").format(date=words.day(charge.date)),
            ),
            _part_of(subscription, charge.refunded_amount, charge.amount, charge.currency),
            words,
        )
    for request in requests:
        subscription = subscriptions.get(request.subscription_id)
        # A request about a charge marked refunded is that refund: counted once, from the charge.
        if subscription is None or not request.recovered or request.charge_id in refunded:
            continue
        saving = Saving(
            SavingKind.RECOVERED,
            request.subscription_id,
            subscription.name,
            request.resolved_on or request.opened_on,
            request.recovered,
            request.currency,
            _("{kind} request {number} ({outcome})").format(
                kind=request.kind.label, number=request.id, outcome=request.outcome.label if request.outcome else ""
            ),
        )
        whole = charged.get(request.charge_id, subscription.amount)
        yield _shared(subscription, saving, _part_of(subscription, request.recovered, whole, request.currency), words)


def _part_of(subscription: Subscription, amount: Decimal, charged: Decimal, currency: str) -> Decimal:
    """The user's part of money back on a charge of `charged`: in the proportion of their share of that charge."""
    if charged <= 0:
        return subscription.share_of(amount)
    return quantize(amount * subscription.share_of(charged) / charged, currency)


def _shared(subscription: Subscription, saving: Saving, part: Decimal, words: Wording) -> Saving:
    """The saving counted at the user's share, as every total is; the whole amount stays named in its text."""
    if not subscription.is_shared:
        return saving
    whole = words.money(saving.amount, saving.currency)
    return replace(saving, amount=part, what=_("{what} (your share of {whole})").format(what=saving.what, whole=whole))


def _not_made(scheduled: list[date], happened: Iterable[date]) -> list[date]:
    """The scheduled dates no recorded charge stands for: one on the date itself, else the nearest one left (a
    bank books a charge a day or two late)."""
    left = list(scheduled)
    late = []
    for day in happened:
        if day in left:
            left.remove(day)
        else:
            late.append(day)
    for day in late:
        if left:
            left.remove(min(left, key=lambda scheduled_day: abs((scheduled_day - day).days)))
    return left


def _avoided(
    subscriptions: Iterable[Subscription],
    charges: Sequence[Charge],
    prices: Mapping[int, Sequence[PriceStep]],
    words: Wording,
) -> Iterable[Saving]:
    # Every recorded charge but one recorded as not made happened (a refunded one is counted as recovered).
    made: dict[int, list[date]] = defaultdict(list)
    for charge in charges:
        if charge.status is not ChargeStatus.NOT_CHARGED:
            made[charge.subscription_id].append(charge.date)
    for subscription in subscriptions:
        cancelled_on = subscription.cancelled_on
        if subscription.status is not Status.CANCELLED or cancelled_on is None or subscription.id is None:
            continue
        # The plan as it would have run had it not been cancelled, over the twelve months from the cancellation.
        running = replace(subscription, status=Status.ACTIVE, cancelled_on=None)
        horizon = year_ahead_end(cancelled_on)
        happened = (day for day in made[subscription.id] if cancelled_on <= day <= horizon)
        # The charges due in the days before it are matched too: one of them booked after the effective date
        # stands for itself, not for a charge the cancellation stopped.
        scheduled = running.schedule.charge_list(cancelled_on - timedelta(days=LATE_BOOKING_DAYS), horizon)
        missed = [day for day in _not_made(scheduled, happened) if day >= cancelled_on]
        history = PriceHistory(subscription.amount, prices.get(subscription.id, ()))
        # Each charge at the price it would have had: a rise the cancellation came before is part of what it saved.
        for price, count in _runs(history.price_on(day) for day in missed):
            saving = Saving(
                SavingKind.AVOIDED,
                subscription.id,
                subscription.name,
                cancelled_on,
                price * count,
                subscription.currency,
                ngettext(
                    "{count} charge of {price} not made after cancelling",
                    "{count} charges of {price} not made after cancelling",
                    count,
                ).format(count=count, price=words.money(price, subscription.currency)),  # the amount says its currency
            )
            yield _shared(subscription, saving, subscription.share_of(price) * count, words)


def _runs(prices: Iterable[Decimal]) -> list[tuple[Decimal, int]]:
    """Consecutive equal prices as (price, how many)."""
    runs: list[tuple[Decimal, int]] = []
    for price in prices:
        if runs and runs[-1][0] == price:
            runs[-1] = (price, runs[-1][1] + 1)
        else:
            runs.append((price, 1))
    return runs


def ledger(
    subscriptions: Sequence[Subscription],
    charges: Sequence[Charge],
    requests: Sequence[Request],
    prices: Mapping[int, Sequence[PriceStep]],
    words: Wording = PLAIN,
) -> Ledger:
    """Everything recovered and avoided, oldest first."""
    by_id = {s.id: s for s in subscriptions if s.id is not None}
    items = [*_recovered(by_id, charges, requests, words), *_avoided(subscriptions, charges, prices, words)]
    items.sort(key=lambda item: (item.day, item.kind, item.subscription_id))
    return Ledger(items)
