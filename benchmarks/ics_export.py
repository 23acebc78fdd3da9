"""Measure exporting 1,000 and 10,000 subscriptions to .ics: in process (CPU and wall), and `export-ics` as a whole
process; the expanded (Outlook) mode on a tenth.

Run: python benchmarks/ics_export.py [COUNT]   (COUNT defaults to 10,000; 1,000 is always measured too)
"""

from __future__ import annotations

import random
import resource
import subprocess
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
RUNS = 3


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


def measure(exporter: CalendarExporter, options: ExportOptions, runs: int = RUNS) -> tuple[float, float, int]:
    """Best CPU and best wall time of `runs` exports, and the size of the file."""
    cpu, wall, size = [], [], 0
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        size = len(exporter.to_ics(options))
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return min(cpu), min(wall), size


def process(database: Path, out: Path) -> tuple[float, float]:
    """CPU (user + system) and wall time of `renewaltracker export-ics --out FILE` as a whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    command = [sys.executable, "-m", "renewaltracker", "--db", str(database), "export-ics", "--out", str(out)]
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def main() -> None:
    large = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    clock = FixedClock(datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Europe/Berlin")))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for count in sorted({1_000, large}):
            path = folder / f"bench{count}.sqlite3"
            database = open_database(path)
            service = SubscriptionService(database, clock)
            fill(service, count)
            exporter = CalendarExporter(service)
            cpu, wall, size = measure(exporter, ExportOptions(), RUNS if count <= 1_000 else 1)
            print(f"{count} subscriptions, recurring: {cpu:.3f} s CPU, {wall:.3f} s wall, {size / 1e6:.1f} MB")
            if count == 1_000:
                # Expanded mode writes one event per charge for 24 months, about twenty times as many events.
                expanded = ExportOptions(scope=Scope.ALL, expanded=True)
                cpu, wall, size = measure(exporter, expanded, 1)
                print(f"{count} subscriptions, expanded: {cpu:.3f} s CPU, {wall:.3f} s wall, {size / 1e6:.1f} MB")
            database.close()
            cpu, wall = process(path, folder / "out.ics")
            print(f"{count} subscriptions, `export-ics --out` process: {cpu:.3f} s CPU, {wall:.3f} s wall")


if __name__ == "__main__":
    main()
