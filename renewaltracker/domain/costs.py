"""Normalized costs: what the subscriptions cost per month and per year, per currency."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.money import quantize
from renewaltracker.domain.prices import PriceHistories, amount_on
from renewaltracker.domain.subscription import Status, Subscription

# The mean Gregorian year, so that daily and weekly plans compare fairly with monthly ones.
DAYS_PER_YEAR = Decimal("365.2425")
COUNTED = frozenset({Status.ACTIVE, Status.TRIAL})


def charges_per_year(interval: Interval) -> Decimal:
    """How many charges of this interval fall in an average year."""
    if interval.unit is Unit.DAY:
        return DAYS_PER_YEAR / interval.count
    if interval.unit is Unit.WEEK:
        return DAYS_PER_YEAR / (7 * interval.count)
    if interval.unit is Unit.MONTH:
        return Decimal(12) / interval.count
    return Decimal(1) / interval.count


def yearly_cost(subscription: Subscription, *, user_share: bool = True, price: Decimal | None = None) -> Decimal:
    """Normalized cost per year, unrounded, at `price` per charge (default the plan's amount; pass the price in
    force today, `amount_on`, where a price history is known)."""
    amount = subscription.amount if price is None else price
    if user_share:
        amount = subscription.share_of(amount)
    return amount * charges_per_year(subscription.interval)


def monthly_cost(subscription: Subscription, *, user_share: bool = True, price: Decimal | None = None) -> Decimal:
    return yearly_cost(subscription, user_share=user_share, price=price) / 12


def yearly_figure(subscription: Subscription, today: date, prices: PriceHistories | None = None) -> Decimal:
    """The user's share per year at today's price, rounded to the currency's minor units: the one figure every
    total adds up, so that a total is always the sum of the figures shown beside it."""
    price = amount_on(subscription, today, prices)
    return quantize(yearly_cost(subscription, price=price), subscription.currency)


def is_running(subscription: Subscription, today: date) -> bool:
    """Counted in totals: active or in trial, and with a charge still to come."""
    return subscription.status in COUNTED and subscription.next_charge(today) is not None


def is_charging(subscription: Subscription, today: date) -> bool:
    """Running and not inside a pause today (a pause with an end keeps the stored status): what may be flagged
    as unused or as a duplicate."""
    return is_running(subscription, today) and subscription.status_on(today) is not Status.PAUSED


@dataclass(frozen=True, slots=True)
class CostTotals:
    """Per-currency totals: per year the sum of the rounded yearly figures, per month a twelfth of it, rounded."""

    per_month: dict[str, Decimal]
    per_year: dict[str, Decimal]


def totals(
    subscriptions: Iterable[Subscription],
    today: date,
    *,
    user_share: bool = True,
    prices: PriceHistories | None = None,
) -> CostTotals:
    """Sum of normalized monthly and yearly costs per currency of running subscriptions, at today's prices."""
    yearly: dict[str, Decimal] = defaultdict(Decimal)
    for subscription in subscriptions:
        if is_running(subscription, today):
            price = amount_on(subscription, today, prices)
            cost = yearly_cost(subscription, user_share=user_share, price=price)
            # Each rounded before adding, as the rows, categories and rankings show it: no cent from nowhere.
            yearly[subscription.currency] += quantize(cost, subscription.currency)
    return CostTotals(
        per_month={code: quantize(value / 12, code) for code, value in sorted(yearly.items())},
        per_year=dict(sorted(yearly.items())),
    )


def totals_by_category(
    subscriptions: Iterable[Subscription], today: date, prices: PriceHistories | None = None
) -> dict[str, dict[str, Decimal]]:
    """Yearly cost (user's share, at today's prices) per category and currency."""
    result: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for subscription in subscriptions:
        if is_running(subscription, today):
            category = subscription.category or "Uncategorized"
            result[category][subscription.currency] += yearly_figure(subscription, today, prices)
    return {category: dict(sorted(per_currency.items())) for category, per_currency in sorted(result.items())}
