"""Spending figures for the overview: months ahead, the most expensive, running totals."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from renewaltracker.domain.costs import is_running, yearly_cost
from renewaltracker.domain.events import Event, EventKind
from renewaltracker.domain.money import quantize
from renewaltracker.domain.prices import PriceHistories, amount_on
from renewaltracker.domain.schedule import month_length
from renewaltracker.domain.subscription import Subscription


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after the month of `day`."""
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def year_ahead_end(today: date) -> date:
    """The last day of the twelve months from `today`: the day before the same date next year (29 February
    looks ahead to 28 February)."""
    year = today.year + 1
    if today.day > month_length(year, today.month):
        return date(year, today.month, month_length(year, today.month))
    return date(year, today.month, today.day) - timedelta(days=1)


def month_end(day: date) -> date:
    return date(day.year, day.month, month_length(day.year, day.month))


def charges_by_month(
    subscriptions: Iterable[Subscription], start: date, months: int = 12, prices: PriceHistories | None = None
) -> list[dict[str, Decimal]]:
    """The user's share of the charges scheduled in each of `months` calendar months from `start`'s month, each
    at the price in force on its date."""
    first = add_months(start, 0)
    last = month_end(add_months(start, months - 1))
    buckets: list[dict[str, Decimal]] = [defaultdict(Decimal) for _ in range(months)]
    for subscription in subscriptions:
        for day in subscription.schedule.charges_between(max(first, start), last):
            index = (day.year - first.year) * 12 + day.month - first.month
            buckets[index][subscription.currency] += subscription.share_of(amount_on(subscription, day, prices))
    return [dict(sorted(bucket.items())) for bucket in buckets]


def months_start(subscriptions: Iterable[Subscription], today: date) -> date:
    """Where "the next 12 months" begin: this month while a charge remains in it, else next month.

    On the last day of a month with nothing left to charge, the first bar would always be empty.
    """
    rest = month_end(today)
    if any(next(iter(s.schedule.charges_between(today, rest)), None) for s in subscriptions):
        return today
    return add_months(today, 1)


def nice_axis(largest: float, ticks: int = 5) -> tuple[float, int]:
    """A round axis maximum and its number of tick marks: 0/50/100/150/200, never 0/53/107/160/214."""
    if largest <= 0:
        return 1.0, 2
    raw = largest / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if step < 1:
        step = 1.0  # whole amounts on the labels
    top = math.ceil(largest / step) * step
    return float(top), round(top / step) + 1


@dataclass(frozen=True, slots=True)
class Ranked:
    """A running subscription with its normalized yearly cost (the user's share)."""

    subscription: Subscription
    per_year: Decimal


def most_expensive(
    subscriptions: Iterable[Subscription], today: date, limit: int = 5, prices: PriceHistories | None = None
) -> list[Ranked]:
    """The costliest running subscriptions per currency (amounts in different currencies do not compare)."""
    by_currency: dict[str, list[Ranked]] = defaultdict(list)
    for subscription in subscriptions:
        if is_running(subscription, today):
            price = amount_on(subscription, today, prices)
            cost = quantize(yearly_cost(subscription, price=price), subscription.currency)
            by_currency[subscription.currency].append(Ranked(subscription, cost))
    result: list[Ranked] = []
    for currency in sorted(by_currency, key=lambda code: -len(by_currency[code])):
        ranked = sorted(by_currency[currency], key=lambda r: (-r.per_year, r.subscription.name.casefold()))
        result.extend(ranked[:limit])
    return result


@dataclass(frozen=True, slots=True)
class Renewals:
    """The charges one subscription will make in a period, and what they cost the user."""

    subscription: Subscription
    dates: tuple[date, ...]
    total: Decimal


def renewals_between(
    subscriptions: Iterable[Subscription], start: date, end: date, prices: PriceHistories | None = None
) -> list[Renewals]:
    """Subscriptions that charge within [start, end], soonest first, each charge at the price of its date."""
    found: list[Renewals] = []
    for subscription in subscriptions:
        dates = tuple(subscription.schedule.charges_between(start, end))
        if dates:
            total = sum((subscription.share_of(amount_on(subscription, d, prices)) for d in dates), Decimal(0))
            found.append(Renewals(subscription, dates, total))
    found.sort(key=lambda r: (r.dates[0], r.subscription.name.casefold()))
    return found


def running_totals(events: Sequence[Event]) -> list[Decimal | None]:
    """For each event, the sum of the charges so far in its currency (None for non-charge events)."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    result: list[Decimal | None] = []
    for event in events:
        if event.kind is EventKind.CHARGE:
            sums[event.currency] += event.amount
            result.append(sums[event.currency])
        else:
            result.append(None)
    return result


def charge_totals(events: Iterable[Event]) -> dict[str, Decimal]:
    """The sum of the charge events per currency."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for event in events:
        if event.kind is EventKind.CHARGE:
            sums[event.currency] += event.amount
    return dict(sorted(sums.items()))
