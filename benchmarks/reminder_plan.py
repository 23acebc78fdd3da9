"""Times reminder planning for 10,000 subscriptions: a full plan, and a re-plan after one change.

Usage: python benchmarks/reminder_plan.py [--count 10000]
A full plan is what the first check after start-up does (the window's scheduler runs it on its worker
thread); after that a change re-plans only the subscription it touched.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.population import population  # noqa: E402
from renewaltracker.domain.clock import SystemClock  # noqa: E402
from renewaltracker.domain.reminders import reminder_entries, reminders_between  # noqa: E402
from renewaltracker.services.reminders import LOOKAHEAD, ReminderService  # noqa: E402
from renewaltracker.services.subscriptions import SubscriptionService  # noqa: E402
from renewaltracker.storage.database import open_database  # noqa: E402
from renewaltracker.storage.repositories import SubscriptionRepository  # noqa: E402


def cpu(action: object, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        began = time.process_time()
        action()  # type: ignore[operator]
        times.append(time.process_time() - began)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(Path(folder) / "bench.sqlite3")
        with database.sessions.begin() as session:
            repository = SubscriptionRepository(session)
            for item in population(options.count):
                repository.add(item, datetime.now(UTC))
        clock = SystemClock()
        service = SubscriptionService(database, clock)
        subscriptions = service.all()
        now = clock.now()
        zone = now.tzinfo
        assert zone is not None
        defaults = (7, 1)
        window = (now - timedelta(days=33), now + LOOKAHEAD)
        # What the kept plan (services/reminder_plan.py) computes: plain tuples, unsorted.
        plan_only = cpu(
            lambda: reminder_entries(
                subscriptions, *window, default_lead_days=defaults, time_of_day=now.time(), zone=zone
            )
        )
        # The same, each built as a Reminder and sorted (what a caller of the domain function gets).
        built = cpu(
            lambda: reminders_between(
                subscriptions, *window, default_lead_days=defaults, time_of_day=now.time(), zone=zone
            )
        )
        first_checks = []
        for _ in range(3):
            reminders = ReminderService(database, service, clock)
            began = time.process_time()
            reminders.due(now)
            reminders.next_due_time(now)
            first_checks.append(time.process_time() - began)
        counter = iter(range(10**6))

        def change_one_and_check() -> None:
            service.edit(
                1 + next(counter) % options.count, anchor=date(2026, 1, 1) + timedelta(days=next(counter) % 28)
            )
            reminders.due(now)
            reminders.next_due_time(now)

        edit_alone = cpu(lambda: service.edit(2, name=f"Renamed {next(counter)}"))
        incremental = cpu(change_one_and_check) - edit_alone
        database.close()
    print(f"| Reminder planning ({options.count:,} subscriptions, CPU time) | Time |")
    print("| --- | --- |")
    print(
        f"| Plan every reminder in the check window (overdue days + 60 days ahead) as the kept plan does, median of 5"
        f" | {plan_only:.3f} s |"
    )
    print(f"| The same, each built as a `Reminder` and sorted (`reminders_between`), median of 5 | {built:.3f} s |")
    print(
        f"| First check: read every subscription, plan, find what is due and when next (median of 3) | "
        f"{statistics.median(first_checks):.3f} s |"
    )
    print(f"| Check after one subscription changed (re-plans that one only), median of 5 | {incremental:.3f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
