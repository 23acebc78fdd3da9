"""The plain-sqlite3 read path gives exactly what the ORM path gives, and steps aside for any database that is
not ours and current (missing, older, newer, foreign, not SQLite), so the normal opening handles it."""

from __future__ import annotations

import io
import itertools
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewaltracker.cli import run
from renewaltracker.cli.reads import ServiceReader
from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.household import Member
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.prices import PriceHistory, PriceStep
from renewaltracker.domain.subscription import Subscription
from renewaltracker.services.household import HouseholdService
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage import quick_read
from renewaltracker.storage.database import open_database
from renewaltracker.storage.models import SubscriptionRow
from renewaltracker.storage.quick_read import QuickReader, open_quick_reader
from renewaltracker.storage.repositories import SubscriptionRepository
from renewaltracker.storage.subscription_rows import RAW_DECODERS
from renewaltracker.storage.types import DecimalText, UTCDateTime
from tests.test_field_round_trip import every_field_set

CLOCK = FixedClock(datetime(2026, 3, 10, 9, 30, tzinfo=UTC))
FUNCTION_FIXTURES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_numbers = itertools.count()
ONE = Subscription(
    name="Paper", amount=Decimal("5.00"), currency="EUR", interval=Interval(1, Unit.MONTH), anchor=date(2026, 1, 2)
)

# A collection: subscriptions with every field set, some price steps, household members and who pays/uses.
collections = st.tuples(
    st.lists(every_field_set(), min_size=1, max_size=5),
    st.lists(st.tuples(st.integers(0, 4), st.integers(1, 2000), st.integers(100, 99_999)), max_size=6),
    st.lists(st.sampled_from(["Ann", "bob", "Cleo", "Dev"]), unique=True, max_size=3),
    st.lists(st.tuples(st.integers(0, 4), st.booleans(), st.integers(0, 3)), max_size=4),
    st.sampled_from(["", "de", "fr"]),
)


@pytest.fixture
def fresh_db(migrated_template: Path, tmp_path: Path) -> Iterator[Any]:
    """A function making a new current database file per hypothesis example."""

    def make() -> Path:
        path = tmp_path / f"db{next(_numbers)}.sqlite3"
        shutil.copyfile(migrated_template, path)
        return path

    yield make


def _fill(path: Path, drawn: tuple[Any, ...]) -> list[int]:
    """Writes the drawn collection through the services (the repositories), as the app does."""
    subscriptions, steps, names, assignments, language = drawn
    database = open_database(path)
    try:
        service = SubscriptionService(database, CLOCK)
        ids = []
        # Through the repository: a stored row may hold what the service now refuses to set (a last use to come,
        # written by an older version), and the readers must read it alike.
        with service.transaction() as session:
            repository = SubscriptionRepository(session)
            for subscription in subscriptions:
                ids.append(repository.add(replace(subscription, id=None), CLOCK.now()).id)
        for which, days, cents in steps:
            subscription = service.get(ids[which % len(ids)])
            # A rise: a drop below a fixed share would be refused, which is another test's business.
            price, effective = subscription.amount + Decimal(cents) / 100, subscription.anchor_date + timedelta(days)
            service.change_price(ids[which % len(ids)], price, effective)
        household = HouseholdService(service)
        for name in names:
            household.add_member(name)
        for which, pays, users in assignments:
            chosen = names[:users]
            household.assign(ids[which % len(ids)], (names[0] if pays and names else ""), chosen)
        if language:
            service.set_setting("language", language)
    finally:
        database.close()
    return ids


def _plain(histories: dict[int, PriceHistory]) -> dict[int, tuple[Decimal, list[PriceStep]]]:
    """PriceHistory has no equality of its own: its base and steps."""
    return {key: (history.base, history.steps) for key, history in histories.items()}


@FUNCTION_FIXTURES
@given(drawn=collections)
def test_both_paths_read_the_same_domain_objects(fresh_db: Any, drawn: tuple[Any, ...]) -> None:
    path = fresh_db()
    ids = _fill(path, drawn)
    quick = open_quick_reader(path)
    assert isinstance(quick, QuickReader)
    database = open_database(path)
    try:
        orm = ServiceReader(SubscriptionService(database, CLOCK))
        assert quick.all() == orm.all()
        assert _plain(quick.price_histories()) == _plain(orm.price_histories())
        assert quick.members() == orm.members()
        assert quick.setting("language") == orm.setting("language")
        assert quick.setting("reminder_days") == orm.setting("reminder_days")
        for subscription_id in [*ids, max(ids) + 1]:
            assert quick.assignment(subscription_id) == orm.assignment(subscription_id)
        for subscription_id in ids:
            assert quick.get(subscription_id) == orm.get(subscription_id)
            assert _plain({0: quick.prices(subscription_id)}) == _plain({0: orm.prices(subscription_id)})
    finally:
        quick.close()
        database.close()


def _cli(path: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(path), *args], clock=CLOCK, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


READ_COMMANDS = (
    ("list",),
    ("list", "--json"),
    ("list", "--sort", "next"),
    ("upcoming", "--days", "400"),
    ("upcoming", "--days", "400", "--json"),
    ("upcoming", "--from", "2026-03-10", "--until", "2026-03-01"),
)


@FUNCTION_FIXTURES
@given(drawn=collections)
def test_list_show_and_upcoming_print_the_same_on_both_paths(
    fresh_db: Any, drawn: tuple[Any, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fresh_db()
    ids = _fill(path, drawn)
    commands = [*READ_COMMANDS, *(("show", str(i)) for i in ids), ("show", str(ids[0]), "--json"), ("show", "99999")]
    quick = [_cli(path, *command) for command in commands]
    with monkeypatch.context() as patched:
        patched.setattr(quick_read, "open_quick_reader", lambda path: None)
        normal = [_cli(path, *command) for command in commands]
    for command, fast, slow in zip(commands, quick, normal, strict=True):
        assert fast == slow, command


def test_the_quick_path_is_taken_and_imports_no_sqlalchemy(db_path: Path) -> None:
    """In a fresh interpreter: `list` on a current database never imports SQLAlchemy (the point of the path)."""
    import subprocess

    _fill(db_path, ([ONE], [], [], [], ""))
    probe = (
        "import io, sys\nfrom renewaltracker.cli import run\n"
        "assert run(['--db', sys.argv[1], 'list'], out=io.StringIO()) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic'))))"
    )
    result = subprocess.run([sys.executable, "-c", probe, str(db_path)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _set(path: Path, sql: str) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute(sql)
        connection.commit()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "spoil",
    [
        "UPDATE alembic_version SET version_num = '0009_older'",  # needs a migration
        "UPDATE alembic_version SET version_num = '9999_from_the_future'",  # newer: refused by the normal path
        "DELETE FROM alembic_version",
        "DROP TABLE alembic_version",
        "PRAGMA application_id = 0",  # from before the mark: the normal opening adds it
        "PRAGMA application_id = 1234",  # another program's
    ],
)
def test_a_database_that_is_not_current_is_left_to_the_normal_opening(db_path: Path, spoil: str) -> None:
    assert open_quick_reader(db_path) is not None
    _set(db_path, spoil)
    assert open_quick_reader(db_path) is None


def test_a_missing_empty_or_foreign_file_is_left_to_the_normal_opening(tmp_path: Path) -> None:
    assert open_quick_reader(tmp_path / "missing.sqlite3") is None
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    assert open_quick_reader(tmp_path / "empty.sqlite3") is None
    (tmp_path / "text.sqlite3").write_text("not a database at all, just some words " * 100)
    assert open_quick_reader(tmp_path / "text.sqlite3") is None
    assert open_quick_reader(tmp_path) is None  # a folder


def test_the_normal_opening_still_speaks_for_those(tmp_path: Path) -> None:
    """The fallback keeps each one's message: a foreign file is refused, a missing one created."""
    text = tmp_path / "text.sqlite3"
    text.write_text("not a database")
    code, _, err = _cli(text, "list")
    assert code == 2 and "not a Renewal Tracker database" in err
    code, out, _ = _cli(tmp_path / "new.sqlite3", "list")
    assert code == 0 and "No subscriptions yet" in out


def test_the_column_decoders_follow_the_orm_column_types() -> None:
    """Every subscription column with a converting type has the decoder of that type, and no other column has one."""
    expected = {}
    for column in SubscriptionRow.__table__.columns:
        kind = type(column.type)
        if kind is DecimalText:
            expected[column.name] = "decode_decimal"
        elif kind is UTCDateTime:
            expected[column.name] = "decode_utc"
        elif column.type.python_type in (date, bool):
            expected[column.name] = {date: "fromisoformat", bool: "decode_bool"}[column.type.python_type]
    assert {name: decode.__name__ for name, decode in RAW_DECODERS.items()} == expected


def test_a_write_then_a_read_in_one_command_reads_through_the_services(db_path: Path) -> None:
    """`add` prints what it wrote: once the database is open for writing, reads no longer use the snapshot."""
    code, out, _ = _cli(
        db_path, "add", "--name", "Paper", "--amount", "5", "--every", "1 month", "--start", "2026-01-02"
    )
    assert code == 0 and '"name": "Paper"' in out
    code, out, _ = _cli(db_path, "list")
    assert code == 0 and "Paper" in out


def test_members_are_sorted_as_the_orm_sorts_them(db_path: Path) -> None:
    _fill(db_path, ([ONE], [], ["bob", "Ann", "Cleo"], [], ""))
    quick = open_quick_reader(db_path)
    assert quick is not None
    try:
        assert [m.name for m in quick.members()] == ["Ann", "bob", "Cleo"]
        assert all(isinstance(m, Member) for m in quick.members())
    finally:
        quick.close()
