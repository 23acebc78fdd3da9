"""Exactly once with both paths at once: a `remind` on plain sqlite3 and the window's ORM claiming together never
show a reminder twice, and together show what one process alone shows."""

from __future__ import annotations

import multiprocessing
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from renewaltracker.domain.clock import FixedClock
from renewaltracker.services.reminder_store import ReminderStore
from renewaltracker.services.reminders import ReminderService
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.backup import backup_database
from renewaltracker.storage.database import open_database
from tests.factories import make_subscription

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 3, 1, 0, 30, tzinfo=BERLIN)


def _claim_all(
    store: ReminderStore | None, service: SubscriptionService | None, moments: list[str], barrier: object
) -> list[str]:
    reminders = ReminderService(None, service, FixedClock(START), plan_ahead=timedelta(0), store=store)
    won: list[str] = []
    for text in moments:
        if barrier is not None:
            barrier.wait(timeout=60)  # type: ignore[attr-defined]
        batch = reminders.claim_due(datetime.fromisoformat(text))
        reminders.confirm(batch)
        won.extend(r.key.text() for r in batch)
    return won


def _claim_in_process(
    path: str, plain: bool, moments: list[str], barrier: object, out: multiprocessing.Queue[list[str]]
) -> None:
    if plain:
        from renewaltracker.storage.quick_reminders import PlainReminderStore
        from renewaltracker.storage.quick_write import open_quick_writer

        writer = open_quick_writer(Path(path))
        assert writer is not None
        try:
            out.put(_claim_all(PlainReminderStore(writer), None, moments, barrier))
        finally:
            writer.close()
        return
    database = open_database(Path(path))
    try:
        out.put(_claim_all(None, SubscriptionService(database, FixedClock(START)), moments, barrier))
    finally:
        database.close()


def test_plain_and_orm_processes_claiming_at_the_same_moments_deliver_each_reminder_once(db_path: Path) -> None:
    database = open_database(db_path)
    setup = SubscriptionService(database, FixedClock(START))
    for number in range(12):
        setup.add(make_subscription(name=f"S{number}", anchor=date(2026, 3, 2 + number * 2), notice_days=2))
    sequential_copy = db_path.with_name("sequential.sqlite3")
    backup_database(db_path, sequential_copy)
    database.close()
    moments = [(START + timedelta(hours=9 * step)).isoformat() for step in range(40)]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)
    queue: multiprocessing.Queue[list[str]] = context.Queue()
    workers = [
        context.Process(target=_claim_in_process, args=(str(db_path), plain, moments, barrier, queue))
        for plain in (True, False, True)
    ]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=240) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    every = [key for result in results for key in result]
    assert len(every) == len(set(every)), "two processes delivered the same reminder"
    # Together they delivered exactly what one process alone delivers: nothing lost in the race.
    alone = open_database(sequential_copy)
    try:
        service = SubscriptionService(alone, FixedClock(START))
        assert sorted(every) == sorted(_claim_all(None, service, moments, None))
    finally:
        alone.close()
    assert len(every) >= 24
