"""A reproducible, realistic mix of subscriptions for the benchmarks."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.subscription import Subscription

# Monthly and yearly plans dominate real lists; weekly and daily ones are rare.
_CYCLES = [(Interval(1, Unit.MONTH), 55), (Interval(1, Unit.YEAR), 25), (Interval(3, Unit.MONTH), 8),
           (Interval(1, Unit.WEEK), 5), (Interval(2, Unit.WEEK), 4), (Interval(30, Unit.DAY), 3)]  # fmt: skip


def population(count: int, seed: int = 7) -> list[Subscription]:
    rng = random.Random(seed)
    cycles = [c for c, _ in _CYCLES]
    weights = [w for _, w in _CYCLES]
    result = []
    for i in range(count):
        anchor = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 6 * 365))
        result.append(
            Subscription(
                id=i + 1,
                name=f"Subscription {i + 1}",
                amount=Decimal(rng.randrange(99, 19999)) / 100,
                currency=rng.choice(["USD", "EUR", "GBP", "JPY"]),
                interval=rng.choices(cycles, weights)[0],
                anchor=anchor,
                notice_days=rng.choice([None, None, 3, 14, 30]),
                refund_days=rng.choice([None, None, None, 14]),
            )
        )
    return result
