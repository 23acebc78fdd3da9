"""A plan's price over time: the amount in force on each date, as a sorted list of (effective date, amount)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from renewaltracker.domain.subscription import Subscription


@dataclass(frozen=True, slots=True)
class PriceStep:
    """From `effective` on (until the next step), the plan costs `amount`."""

    effective: date
    amount: Decimal


class PriceHistory:
    """The base price plus dated steps; past changes and (later) planned ones fit the same list."""

    def __init__(self, base: Decimal, steps: Iterable[PriceStep] = ()) -> None:
        self.base = base
        # One step per date: the last one given for a date wins, as an edit replaces what was there.
        by_day = {step.effective: step for step in steps}
        self.steps = sorted(by_day.values(), key=lambda step: step.effective)
        self._days = [step.effective for step in self.steps]

    def price_on(self, day: date) -> Decimal:
        """The amount in force on `day`: the latest step on or before it, else the base price."""
        index = bisect_right(self._days, day)
        return self.steps[index - 1].amount if index else self.base

    def __bool__(self) -> bool:
        return bool(self.steps)

    def step_ups(self, first: date, last: date) -> list[tuple[date, Decimal, Decimal]]:
        """(date, old, new) of each step within [first, last] that raises the price."""
        rises = []
        for step in self.steps:
            if first <= step.effective <= last:
                old = self.price_on(step.effective - timedelta(days=1))
                if step.amount > old:
                    rises.append((step.effective, old, step.amount))
        return rises

    def next_step_up(self, after: date) -> tuple[date, Decimal, Decimal] | None:
        """The first planned rise after `after`, as (date, price then in force, new price)."""
        rises = self.step_ups(after + timedelta(days=1), date.max)
        return rises[0] if rises else None


# Each subscription's price history by id; a subscription missing from it costs its `amount` on every date.
PriceHistories = Mapping[int, PriceHistory]


def amount_on(subscription: Subscription, day: date, prices: PriceHistories | None = None) -> Decimal:
    """The plan's price in force on `day`: the one helper every projection, total and event reads."""
    history = prices.get(subscription.id) if prices and subscription.id is not None else None
    return history.price_on(day) if history else subscription.amount


def histories(
    subscriptions: Iterable[Subscription], steps: Mapping[int, Iterable[PriceStep]]
) -> dict[int, PriceHistory]:
    """Price histories of the subscriptions that have any steps."""
    return {s.id: PriceHistory(s.amount, steps[s.id]) for s in subscriptions if s.id is not None and steps.get(s.id)}
