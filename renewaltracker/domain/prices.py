"""A plan's price over time: the amount in force on each date, as a sorted list of (effective date, amount)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


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
