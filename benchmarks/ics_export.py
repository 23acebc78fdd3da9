"""Measure exporting 10,000 subscriptions to .ics (time and file size), and the expanded mode on a tenth of them.

Run: python benchmarks/ics_export.py [COUNT]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.subscription import Subscription
from renewaltracker.services.ics_export import CalendarExporter, ExportOptions, Scope
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import open_database
from renewaltracker.storage.repositories import SubscriptionRepository

CYCLES = (
    [Interval(1, Unit.MONTH)] * 6 + [Interval(1, Unit.YEAR)] * 3 + [Interval(3, Unit.MONTH), Interval(1, Unit.WEEK)]
)


def fill(service: SubscriptionService, count: int) -> None:
    rng = random.Random(42)
    now = service.clock.now()
    with service.transaction() as session:
        repository = SubscriptionRepository(session)
        for number in range(count):
            repository.add(
                Subscription(
                    name=f"Subscription {number}",
                    amount=Decimal(rng.randint(100, 20000)) / 100,
                    currency=rng.choice(["USD", "EUR", "GBP"]),
                    interval=rng.choice(CYCLES),
                    anchor=date(2024, 1, 1) + timedelta(days=rng.randint(0, 900)),
                    notice_days=rng.choice([None, None, 7, 30]),
                    cancel_url="https://example.com/cancel",
                    notes="Family plan",
                ),
                now,
            )


def measure(exporter: CalendarExporter, options: ExportOptions) -> tuple[float, int]:
    started = time.perf_counter()
    data = exporter.to_ics(options)
    return time.perf_counter() - started, len(data)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    clock = FixedClock(datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Europe/Berlin")))
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(Path(folder) / "bench.sqlite3")
        service = SubscriptionService(database, clock)
        fill(service, count)
        exporter = CalendarExporter(service)
        seconds, size = measure(exporter, ExportOptions())
        print(f"{count} subscriptions, recurring events: {seconds:.1f} s, {size / 1_000_000:.1f} MB")
        # Expanded mode writes one event per charge, about twenty times as many: measured on a tenth.
        tenth = ExportOptions(scope=Scope.SELECTED, ids=tuple(range(1, count // 10 + 1)), expanded=True)
        seconds, size = measure(exporter, tenth)
        print(f"{count // 10} subscriptions, expanded (24 months): {seconds:.1f} s, {size / 1_000_000:.1f} MB")
        database.close()


if __name__ == "__main__":
    main()
