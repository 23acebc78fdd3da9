"""An open database whose file another program replaced (a sync tool's download, a backup copied over it) or
deleted: its writes would go to a file no longer at the path and be lost with it, so each is refused with one
sentence and writes nothing to the file there now. A file the app itself put there (a restore) is adopted."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from renewaltracker.domain.clock import FixedClock
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.backup import backup_database
from renewaltracker.storage.database import Database
from renewaltracker.storage.errors import FileReplacedError, SchemaChangedError
from renewaltracker.storage.file_identity import file_identity
from renewaltracker.storage.quick_reminders import PlainReminderStore
from renewaltracker.storage.quick_write import open_quick_writer
from tests.factories import make_subscription

ADD = make_subscription(name="Paper", amount=Decimal("5.00"), anchor=date(2026, 1, 2))


def dump(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def replaced_by_a_copy(path: Path) -> None:
    """What a sync tool does: a whole new file renamed over the old one (here a copy of it, so that only the file,
    not its contents, differs)."""
    staged = path.with_name("downloaded.sqlite3")
    backup_database(path, staged)
    staged.replace(path)


def deleted(path: Path) -> None:
    path.unlink()


# Writes that read nothing first: what the old connection reads once its file is gone is SQLite's undefined case.
WRITES: list[Callable[[SubscriptionService, int], object]] = [
    lambda service, saved: service.add(ADD),
    lambda service, saved: service.set_setting("upcoming_days", "45"),
]


@pytest.mark.parametrize("write", WRITES, ids=["add", "setting"])
def test_a_write_after_another_program_replaced_the_file_is_refused_and_writes_nothing(
    database: Database, db_path: Path, clock: FixedClock, write: Callable[[SubscriptionService, int], object]
) -> None:
    service = SubscriptionService(database, clock)
    saved = service.add(make_subscription(name="Gym", amount=Decimal("30"), anchor=date(2026, 1, 5))).id
    assert saved is not None
    replaced_by_a_copy(db_path)
    there = dump(db_path)
    with pytest.raises(FileReplacedError) as refused:
        write(service, saved)
    assert str(refused.value) == (
        f"the database {db_path} was replaced or deleted by another program while it was open here; nothing more "
        "is saved here (start the app again to open the file that is there now)"
    )
    assert isinstance(refused.value, SchemaChangedError)  # handled as a migration is: opening again decides
    assert dump(db_path) == there  # the file now at the path is untouched
    assert database.replaced()


def test_a_write_after_the_file_was_deleted_is_refused(database: Database, db_path: Path, clock: FixedClock) -> None:
    service = SubscriptionService(database, clock)
    service.add(ADD)
    deleted(db_path)
    with pytest.raises(FileReplacedError):
        service.add(make_subscription(name="Lost"))
    assert not db_path.exists()  # nothing created in its place either


def test_writes_to_the_file_itself_keep_it_the_same_file(database: Database, db_path: Path, clock: FixedClock) -> None:
    # Every write, a checkpoint and another connection's commits leave the path naming the same file.
    service = SubscriptionService(database, clock)
    opened = file_identity(db_path)
    for number in range(3):
        service.add(make_subscription(name=f"Plan {number}"))
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("UPDATE settings SET value = value")
    other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    other.close()
    service.add(make_subscription(name="After the checkpoint"))
    assert file_identity(db_path) == opened and not database.replaced()


def test_a_file_the_app_put_there_itself_is_adopted_and_written(
    database: Database, db_path: Path, clock: FixedClock
) -> None:
    service = SubscriptionService(database, clock)
    service.add(ADD)
    database.close()  # as a restore does: no pooled connection keeps the old file open
    replaced_by_a_copy(db_path)
    database.adopt_file()
    service.add(make_subscription(name="Restored, then added"))
    assert sorted(s.name for s in service.all()) == ["Paper", "Restored, then added"]
    assert any("Restored, then added" in line for line in dump(db_path))


def test_the_plain_writer_refuses_a_replaced_file_as_a_migrated_one(database: Database, db_path: Path) -> None:
    writer = open_quick_writer(db_path)
    assert writer is not None
    store = PlainReminderStore(writer)
    with store.transaction(write=True) as data:
        data.set_setting("upcoming_days", "40")
    replaced_by_a_copy(db_path)
    there = dump(db_path)
    with pytest.raises(FileReplacedError), store.transaction(write=True) as data:
        data.set_setting("upcoming_days", "50")
    assert dump(db_path) == there
    writer.close()
