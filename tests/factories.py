"""Builders for test data with sensible defaults."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from renewaltracker.domain.clock import Clock, SystemClock
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


def rising_statement() -> bytes:
    """Monthly charges of one payee: 9.99 from June 2025, 12.99 from November 2025 (the first at the new price)."""
    lines = ["Date,Description,Amount"]
    for month, year in [(6, 2025), (7, 2025), (8, 2025), (9, 2025), (10, 2025), (11, 2025), (12, 2025), (1, 2026)]:
        amount = "9.99" if (year, month) < (2025, 11) else "12.99"
        lines.append(f"{year}-{month:02d}-05,STREAMCO,-{amount}")
    lines.append("2026-02-05,STREAMCO,-12.99")
    return ("\n".join(lines) + "\n").encode()


def saved(path: Path, subscriptions: Iterable[Subscription], clock: Clock | None = None) -> Path:
    """A database file at `path` holding `subscriptions`, written through the service as the app writes them."""
    from renewaltracker.services.subscriptions import SubscriptionService
    from renewaltracker.storage.database import open_database

    database = open_database(path)
    try:
        service = SubscriptionService(database, clock or SystemClock())
        for subscription in subscriptions:
            service.add(subscription)
    finally:
        database.close()
    return path
