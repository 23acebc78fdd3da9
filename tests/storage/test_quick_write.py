"""The plain-sqlite3 write path stores exactly what the ORM path stores, prints what it prints, and steps aside
for any database that is not ours and current, and whenever the services must do more than write the row."""

from __future__ import annotations

import io
import itertools
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from renewaltracker.cli import run
from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.subscription import Subscription
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage import quick_write
from renewaltracker.storage.database import open_database
from renewaltracker.storage.errors import DatabaseBusyError
from renewaltracker.storage.quick_write import open_quick_writer
from renewaltracker.storage.repositories import SubscriptionRepository
from tests.cli_runs import dump
from tests.test_field_round_trip import every_field_set

CLOCK = FixedClock(datetime(2026, 3, 10, 9, 30, tzinfo=timezone(timedelta(hours=1))))
FUNCTION_FIXTURES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_numbers = itertools.count()
ONE = Subscription(
    name="Paper", amount=Decimal("5.00"), currency="EUR", interval=Interval(1, Unit.MONTH), anchor=date(2026, 1, 2)
)
MOMENTS = st.datetimes(
    datetime(2000, 1, 1), datetime(2040, 1, 1), timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5))])
)


@pytest.fixture
def twin_dbs(migrated_template: Path, tmp_path: Path) -> Iterator[Any]:
    """A function making two identical current databases per hypothesis example, `before` added to both."""

    def make(before: list[Subscription]) -> tuple[Path, Path]:
        paths = []
        for side in ("orm", "plain"):
            path = tmp_path / f"{side}{next(_numbers)}.sqlite3"
            shutil.copyfile(migrated_template, path)
            paths.append(path)
        for path in paths:
            database = open_database(path)
            service = SubscriptionService(database, CLOCK)
            for subscription in before:
                service.add(subscription)
            database.close()
        return paths[0], paths[1]

    yield make


def _orm_add(path: Path, subscription: Subscription, now: datetime) -> Subscription:
    database = open_database(path)
    try:
        with database.transaction() as session:
            return SubscriptionRepository(session).add(subscription, now)
    finally:
        database.close()


def _plain_add(path: Path, subscription: Subscription, now: datetime) -> Subscription:
    writer = open_quick_writer(path)
    assert writer is not None
    try:
        with writer.transaction() as writes:
            return writes.add_subscription(subscription, now)
    finally:
        writer.close()


@FUNCTION_FIXTURES
@given(
    subscription=every_field_set(),
    keep_id=st.booleans(),
    before=st.lists(st.just(ONE), max_size=2),
    now=MOMENTS,
)
def test_both_paths_store_the_same_rows_and_return_the_same_object(
    twin_dbs: Any, subscription: Subscription, keep_id: bool, before: list[Subscription], now: datetime
) -> None:
    """Every field set, an id kept (undo of a delete) or assigned, a moment in any zone: identical files."""
    # An id kept by an undo is free again (its row was deleted): not one of the rows added before.
    assume(not keep_id or subscription.id is None or subscription.id > len(before))
    orm_path, plain_path = twin_dbs(before)
    if not keep_id:
        subscription = replace(subscription, id=None)
    assert _plain_add(plain_path, subscription, now) == _orm_add(orm_path, subscription, now)
    assert dump(plain_path) == dump(orm_path)


def test_both_paths_refuse_what_the_checks_refuse_and_write_nothing(db_path: Path) -> None:
    before = dump(db_path)
    too_long = replace(ONE, notes="x" * 100_000)
    with pytest.raises(ValidationError) as orm:
        _orm_add(db_path, too_long, CLOCK.now())
    with pytest.raises(ValidationError) as plain:
        _plain_add(db_path, too_long, CLOCK.now())
    assert str(plain.value) == str(orm.value)
    assert dump(db_path) == before


def _cli(path: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(path), *args], clock=CLOCK, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _option(name: str, values: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return st.one_of(st.just([]), values.map(lambda value: [name, value]))


WORDS = st.text(st.sampled_from("abcÄß 0,;-"), min_size=0, max_size=12)
DAYS = st.dates(date(2020, 1, 1), date(2030, 12, 31)).map(date.isoformat)
# One option that makes `add` refuse (given last, it wins), or none: a refusal must be the same on both paths.
REFUSALS = [
    ["--amount", "abc"],
    ["--amount", "-3"],
    ["--every", "0 days"],
    ["--currency", "XXX"],
    ["--notice-days", "-1"],
    ["--remind", "x"],
    ["--support-email", "a@b.c, d@e.f"],
    ["--start", "2026-02-30"],
    ["--end", "2019-01-01"],
    ["--payer", "Nobody"],
]
add_arguments = st.tuples(
    WORDS.filter(str.strip).map(lambda name: ["--name", name]),
    st.sampled_from(["9.99", "9,99", "1.299,00 €", "0", "£4"]).map(lambda amount: ["--amount", amount]),
    st.sampled_from(["1 month", "2 weeks", "yearly", "30 days"]).map(lambda every: ["--every", every]),
    DAYS.map(lambda day: ["--start", day]),
    _option("--currency", st.sampled_from(["EUR", "usd", "£"])),
    _option("--trial-end", DAYS),
    _option("--end", DAYS),
    _option("--end-count", st.sampled_from(["1", "12"])),
    _option("--notice-days", st.sampled_from(["0", "3"])),
    _option("--refund-days", st.sampled_from(["14", ""])),
    _option("--remind", st.sampled_from(["7,1", "", "0"])),
    _option("--tags", WORDS),
    _option("--vendor", WORDS),
    _option("--payment-method", st.sampled_from(["Visa ending 4242", "PayPal", "4111 1111 1111 1111"])),
    _option("--support-email", st.sampled_from(["help@example.com", ""])),
    _option("--split", st.sampled_from(["2", "1"])),
    _option("--share", st.sampled_from(["1.50", ""])),
    _option("--used", DAYS),
    _option("--keep-clipped-day", st.just("")).map(lambda given_: given_[:1]),
    st.one_of(st.just([]), st.just([]), st.just([]), st.sampled_from(REFUSALS)),
).map(lambda parts: list(itertools.chain.from_iterable(parts)))


@FUNCTION_FIXTURES
@given(arguments=add_arguments, before=st.lists(st.just(ONE), max_size=2))
def test_add_prints_and_stores_the_same_on_both_paths(
    twin_dbs: Any, arguments: list[str], before: list[Subscription], monkeypatch: pytest.MonkeyPatch
) -> None:
    orm_path, plain_path = twin_dbs(before)
    taken = []
    opener = quick_write.open_quick_writer

    def spy(path: Path) -> Any:
        taken.append(path)
        return opener(path)

    with monkeypatch.context() as patched:
        patched.setattr(quick_write, "open_quick_writer", spy)
        fast = _cli(plain_path, "add", *arguments)
    with monkeypatch.context() as patched:
        patched.setattr(quick_write, "open_quick_writer", lambda path: None)
        slow = _cli(orm_path, "add", *arguments)
    assert fast == slow
    assert dump(plain_path) == dump(orm_path)
    if fast[0] == 0:
        assert taken  # a successful add went the plain way


def test_add_on_a_current_database_imports_no_sqlalchemy(db_path: Path) -> None:
    """In a fresh interpreter: the point of the path."""
    probe = (
        "import io, sys\nfrom renewaltracker.cli import run\n"
        "argv = ['--db', sys.argv[1], 'add', '--name', 'P', '--amount', '5', '--every', '1 month', '--start', "
        "'2026-01-02']\nassert run(argv, out=io.StringIO()) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic'))))"
    )
    result = subprocess.run([sys.executable, "-c", probe, str(db_path)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert "'P'" in dump(db_path)


def test_with_a_calendar_file_to_keep_current_add_goes_through_the_services(db_path: Path, tmp_path: Path) -> None:
    """The auto-export listens for changes on the services; the plain path writes nothing then."""
    target = tmp_path / "renewals.ics"
    assert _cli(db_path, "config", "auto_export_path", str(target))[0] == 0
    code, _, err = _cli(
        db_path, "add", "--name", "Paper", "--amount", "5", "--every", "1 month", "--start", "2026-01-02"
    )
    assert (code, err) == (0, "")
    assert "Paper" in target.read_text(encoding="utf-8")
    assert dump(db_path).count('INSERT INTO "subscriptions"') == 1


@pytest.mark.parametrize(
    "spoil",
    [
        "UPDATE alembic_version SET version_num = '0009_older'",
        "UPDATE alembic_version SET version_num = '9999_from_the_future'",
        "DROP TABLE alembic_version",
        "PRAGMA application_id = 0",
        "PRAGMA application_id = 1234",
    ],
)
def test_a_database_that_is_not_current_is_left_to_the_normal_opening(db_path: Path, spoil: str) -> None:
    writer = open_quick_writer(db_path)
    assert writer is not None
    writer.close()
    connection = sqlite3.connect(db_path)
    connection.execute(spoil)
    connection.commit()
    connection.close()
    assert open_quick_writer(db_path) is None


def test_a_missing_empty_foreign_or_read_only_file_is_left_to_the_normal_opening(db_path: Path, tmp_path: Path) -> None:
    assert open_quick_writer(tmp_path / "missing.sqlite3") is None
    assert not (tmp_path / "missing.sqlite3").exists()
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    assert open_quick_writer(tmp_path / "empty.sqlite3") is None
    (tmp_path / "text.sqlite3").write_text("not a database at all " * 100)
    assert open_quick_writer(tmp_path / "text.sqlite3") is None
    db_path.chmod(0o400)
    try:
        if not os.access(db_path, os.W_OK):  # root may write anyway; then the file is writable for this test
            assert open_quick_writer(db_path) is None
    finally:
        db_path.chmod(0o600)


def test_a_schema_changed_under_an_open_writer_writes_nothing(db_path: Path) -> None:
    """Checked again under the write lock: a newer version may have migrated the file meanwhile."""
    writer = open_quick_writer(db_path)
    assert writer is not None
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.close()
    before = dump(db_path)
    try:
        with pytest.raises(DatabaseBusyError), writer.transaction() as writes:
            writes.add_subscription(ONE, CLOCK.now())
    finally:
        writer.close()
    assert dump(db_path) == before


@pytest.mark.expect_log_warnings
def test_a_write_lock_held_elsewhere_is_waited_for_then_reported_busy(db_path: Path) -> None:
    writer = open_quick_writer(db_path, busy_timeout=0.1)
    assert writer is not None
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusyError), writer.transaction() as writes:
            writes.add_subscription(ONE, CLOCK.now())
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        writer.close()
    assert "Paper" not in dump(db_path)
