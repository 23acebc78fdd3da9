"""Builders for test data with sensible defaults."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from renewaltracker.domain.interval import parse_interval
from renewaltracker.domain.subscription import Subscription


def make_subscription(**overrides: Any) -> Subscription:
    values: dict[str, Any] = {
        "name": "The Magazine",
        "amount": Decimal("39.99"),
        "currency": "USD",
        "interval": parse_interval("1 month"),
        "anchor": date(2026, 1, 31),
    }
    if isinstance(overrides.get("interval"), str):
        overrides["interval"] = parse_interval(overrides["interval"])
    values.update(overrides)
    return Subscription(**values)
