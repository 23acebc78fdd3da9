"""An open database migrated by another version of the app: its writes are refused with one sentence that says
so and write nothing, whichever way the new schema would have refused them; reads it allows and writes at the
schema it was opened at go on."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from renewaltracker.domain.clock import FixedClock
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import Database, open_database
from renewaltracker.storage.errors import SchemaChangedError
from tests.factories import make_subscription


def newer_version_migrates(path: Path, *statements: str) -> None:
    """What a newer version's migration does: its own statements, then its revision, from another connection."""
    with sqlite3.connect(path) as connection:
        for statement in statements:
            connection.execute(statement)
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.close()


def row_count(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        count: int = connection.execute("SELECT count(*) FROM subscriptions").fetchone()[0]
    connection.close()
    return count


ADD = make_subscription(name="Paper", amount=Decimal("5.00"), anchor=date(2026, 1, 2))
# A column this version does not know: the ORM's statements still run, only the check can tell.
COMPATIBLE = ("ALTER TABLE subscriptions ADD COLUMN colour TEXT",)
# A column this version writes is renamed: the ORM's INSERT fails, as a bug would, before any check.
INCOMPATIBLE = ("ALTER TABLE subscriptions RENAME COLUMN notes TO remarks",)


@pytest.mark.parametrize("migration", [COMPATIBLE, INCOMPATIBLE, ()], ids=["new column", "renamed column", "bare"])
@pytest.mark.parametrize(
    "write",
    [
        lambda service, saved: service.add(ADD),
        lambda service, saved: service.set_setting("upcoming_days", "45"),
        lambda service, saved: service.record_charge(saved, date(2026, 1, 2)),
    ],
    ids=["add", "setting", "charge"],
)
def test_a_write_after_a_newer_version_migrated_the_file_is_refused_and_writes_nothing(
    database: Database,
    db_path: Path,
    clock: FixedClock,
    migration: tuple[str, ...],
    write: Callable[[SubscriptionService, int], object],
) -> None:
    service = SubscriptionService(database, clock)
    saved = service.add(make_subscription(name="Gym", amount=Decimal("30"), anchor=date(2026, 1, 5))).id
    assert saved is not None
    newer_version_migrates(db_path, *migration)
    before = sqlite3.connect(db_path)
    dump = list(before.iterdump())
    before.close()
    with pytest.raises(SchemaChangedError) as refused:
        write(service, saved)
    assert str(refused.value) == (
        f"the database {db_path} was migrated by another version of Renewal Tracker while it was open here; "
        "nothing more is saved (start the app again to open it)"
    )
    after = sqlite3.connect(db_path)
    assert list(after.iterdump()) == dump
    after.close()
    if migration is INCOMPATIBLE:  # a read the new schema refuses says the same, rather than crash
        with pytest.raises(SchemaChangedError):
            service.all()
    else:
        assert [s.name for s in service.all()] == ["Gym"]  # reading goes on


def test_writes_go_on_while_the_schema_is_the_one_it_was_opened_at(
    database: Database, db_path: Path, clock: FixedClock
) -> None:
    service = SubscriptionService(database, clock)
    other = open_database(db_path)  # another process of this version writing meanwhile changes nothing
    try:
        SubscriptionService(other, clock).add(make_subscription(name="Elsewhere"))
    finally:
        other.close()
    service.add(ADD)
    service.set_setting("upcoming_days", "45")
    assert row_count(db_path) == 2


def test_a_database_opened_without_migrating_is_not_held_to_the_newest_schema(db_path: Path, clock: FixedClock) -> None:
    newer_version_migrates(db_path)
    database = open_database(db_path, migrate_schema=False)
    try:
        SubscriptionService(database, clock).add(ADD)
    finally:
        database.close()
    assert row_count(db_path) == 1
