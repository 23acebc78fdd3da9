"""`remind` on plain sqlite3 (a current database) prints and records exactly what it does through the ORM."""

from __future__ import annotations

import io
import itertools
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewaltracker.cli import run
from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.contacts import Contact
from renewaltracker.domain.events import EventKind
from renewaltracker.domain.reminders import ReminderKey
from renewaltracker.domain.subscription import Status
from renewaltracker.services.contacts import ContactService
from renewaltracker.services.reminders import ReminderService
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage import quick_write
from renewaltracker.storage.database import open_database
from tests.cli_runs import dump
from tests.factories import make_subscription

CLOCK = FixedClock(datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
_numbers = itertools.count()

subscription_shapes = st.builds(
    lambda day, every, notice, refund, leads, trial: make_subscription(
        name=f"S{day}{every}",
        anchor=None if trial else date(2026, 3, 1) + timedelta(days=day),
        trial_end=date(2026, 3, 1) + timedelta(days=day) if trial else None,
        interval=every,
        notice_days=notice,
        refund_days=refund,
        reminder_days=leads,
        status=Status.TRIAL if trial else Status.ACTIVE,
    ),
    st.integers(-40, 60),
    st.sampled_from(["1 month", "1 week", "1 year", "3 months"]),
    st.sampled_from([None, 2, 14]),
    st.sampled_from([None, 7, 30]),
    st.sampled_from([None, (0,), (7, 1), (30,)]),
    st.booleans(),
)
collections = st.tuples(
    st.lists(subscription_shapes, min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(0, 5), st.integers(-20, 0)), max_size=3),  # charges: which, days ago
    st.lists(st.tuples(st.integers(0, 5), st.integers(-5, 20)), max_size=2),  # follow-ups: which, in days
    st.sampled_from(["", "1"]),  # review every month, or never
    st.lists(st.integers(0, 30 * 24), min_size=1, max_size=3),  # checks, hours after the clock
)


@pytest.fixture
def twin_dbs(migrated_template: Path, tmp_path: Path) -> Iterator[Any]:
    def make() -> tuple[Path, Path]:
        number = next(_numbers)
        paths = (tmp_path / f"orm{number}.sqlite3", tmp_path / f"plain{number}.sqlite3")
        for path in paths:
            shutil.copyfile(migrated_template, path)
        return paths

    yield make


def _fill(path: Path, drawn: tuple[Any, ...]) -> None:
    subscriptions, charges, follow_ups, review, _ = drawn
    database = open_database(path)
    try:
        service = SubscriptionService(database, CLOCK)
        ids = [service.add(s).id for s in subscriptions]
        for which, days in charges:
            sid = ids[which % len(ids)]
            assert sid is not None
            service.record_charge(sid, CLOCK.today() + timedelta(days=days), force=True)
        contacts = ContactService(database, CLOCK)
        for which, days in follow_ups:
            sid = ids[which % len(ids)]
            assert sid is not None
            contacts.add(
                Contact(
                    subscription_id=sid,
                    at=CLOCK.now() - timedelta(days=10),
                    channel="email",
                    follow_up=CLOCK.today() + timedelta(days),
                )
            )
        if review:
            service.set_setting("review_months", review)
        # A snoozed reminder, due again within the checks.
        first = ids[0]
        assert first is not None
        key = ReminderKey(first, EventKind.CHARGE, subscriptions[0].anchor_date, 1)
        ReminderService(database, service, CLOCK).snooze(key, CLOCK.now() + timedelta(days=2))
    finally:
        database.close()


def _cli(path: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(path), *args], clock=CLOCK, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _session(path: Path, hours: list[int]) -> list[tuple[int, str, str]]:
    """At each check: what a dry run shows, then what `remind` claims and prints (text, then JSON)."""
    printed = []
    for offset in sorted(hours):
        now = (CLOCK.now() + timedelta(hours=offset)).isoformat()
        printed.append(_cli(path, "remind", "--now", now, "--dry-run", "--json"))
        printed.append(_cli(path, "remind", "--now", now, "--dry-run"))
        printed.append(_cli(path, "remind", "--now", now, "--json" if offset % 2 else "--dry-run"))
        printed.append(_cli(path, "remind", "--now", now))
    return printed


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=collections)
def test_remind_prints_and_records_the_same_on_both_paths(
    twin_dbs: Any, drawn: tuple[Any, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    orm_path, plain_path = twin_dbs()
    _fill(orm_path, drawn)
    _fill(plain_path, drawn)
    taken: list[Path] = []
    opener = quick_write.open_quick_writer

    def spy(path: Path) -> Any:
        taken.append(path)
        return opener(path)

    with monkeypatch.context() as patched:
        patched.setattr(quick_write, "open_quick_writer", spy)
        fast = _session(plain_path, drawn[4])
    assert taken
    with monkeypatch.context() as patched:
        patched.setattr(quick_write, "open_quick_writer", lambda path: None)
        slow = _session(orm_path, drawn[4])
    assert fast == slow
    assert dump(plain_path) == dump(orm_path)  # the same claims, confirmations and snoozes delivered


def test_remind_on_a_current_database_imports_no_sqlalchemy(db_path: Path) -> None:
    import subprocess
    import sys

    database = open_database(db_path)
    SubscriptionService(database, CLOCK).add(make_subscription(anchor=date(2026, 3, 5)))
    database.close()
    probe = (
        "import io, sys\nfrom renewaltracker.cli import run\nout = io.StringIO()\n"
        "assert run(['--db', sys.argv[1], 'remind', '--now', '2026-03-04T12:00+00:00'], out=out) == 0\n"
        "assert 'The Magazine' in out.getvalue(), out.getvalue()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic'))))"
    )
    result = subprocess.run([sys.executable, "-c", probe, str(db_path)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_database_needing_migration_is_reminded_through_the_services(db_path: Path) -> None:
    import sqlite3

    database = open_database(db_path)
    SubscriptionService(database, CLOCK).add(replace(make_subscription(anchor=date(2026, 3, 5)), name="Old"))
    database.close()
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA application_id = 0")  # from before the mark: the normal opening adds it
    connection.commit()
    connection.close()
    code, out, _ = _cli(db_path, "remind", "--now", "2026-03-04T12:00+00:00")
    assert code == 0 and "Old" in out
    assert quick_write.open_quick_writer(db_path) is not None  # marked by the normal opening
