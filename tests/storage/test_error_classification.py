"""Every SQLite error is classified once, in storage: the environment's fault becomes our own error, a bug stays one."""

from __future__ import annotations

import ast
import logging
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from renewaltracker.storage.classify import classify
from renewaltracker.storage.database import GUI_BUSY_TIMEOUT, Database, open_database
from renewaltracker.storage.errors import (
    BUSY_MESSAGE,
    DamagedDatabaseError,
    DatabaseBusyError,
    DiskFullError,
    ForeignDatabaseError,
    NewerSchemaError,
    ReadOnlyError,
    StorageError,
)
from renewaltracker.storage.repositories import SubscriptionRepository
from tests.factories import make_subscription

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def add_one(database: Database, **fields: str) -> None:
    with database.transaction() as session:
        SubscriptionRepository(session).add(make_subscription(**fields), NOW)


def hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another process in the middle of a write: it holds SQLite's write lock until it rolls back."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


@pytest.mark.expect_log_warnings
def test_a_write_under_another_writers_lock_is_busy_after_the_short_timeout(db_path: Path) -> None:
    open_database(db_path).close()
    database = open_database(db_path, busy_timeout=0.2)
    holder = hold_write_lock(db_path)
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseBusyError) as raised:
            add_one(database)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(raised.value) == BUSY_MESSAGE and 0.15 < waited < 1.5
    add_one(database)  # once the other writer is done, the same write works
    database.close()


@pytest.mark.expect_log_warnings
def test_the_windows_busy_timeout_is_short_enough_not_to_freeze_it(db_path: Path) -> None:
    open_database(db_path).close()
    database = open_database(db_path, busy_timeout=GUI_BUSY_TIMEOUT)
    holder = hold_write_lock(db_path)
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseBusyError):
            add_one(database)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        database.close()
    assert GUI_BUSY_TIMEOUT - 0.2 < waited < GUI_BUSY_TIMEOUT + 1.5


@pytest.mark.expect_log_warnings
def test_a_full_disk_is_disk_full_and_the_transaction_writes_nothing(database: Database) -> None:
    add_one(database, name="Kept")
    # Pages freed inside the file (a migration that copies a table leaves some) would take the row: none are left.
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM")
    with pytest.raises(DiskFullError, match="disk is full"), database.transaction() as session:
        pages = session.execute(text("PRAGMA page_count")).scalar()
        session.execute(text(f"PRAGMA max_page_count = {pages}"))  # the disk has no room for one more page
        SubscriptionRepository(session).add(make_subscription(name="Big", notes="x" * 10_000, vendor="v" * 200), NOW)
    with database.transaction() as session:
        session.execute(text("PRAGMA max_page_count = 1073741823"))
        assert [s.name for s in SubscriptionRepository(session).all()] == ["Kept"]


def test_a_database_with_damaged_pages_is_damaged(db_path: Path) -> None:
    database = open_database(db_path)
    for number in range(20):
        add_one(database, name=f"Row {number}", notes="n" * 3000)
    database.close()
    data = bytearray(db_path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xa5" * (len(data) - page)  # every page but the first (header and schema root) is garbage
    db_path.write_bytes(bytes(data))
    with pytest.raises(DamagedDatabaseError, match="damaged"):
        damaged = open_database(db_path)
        with damaged.transaction() as session:
            SubscriptionRepository(session).all()


def test_a_file_with_an_sqlite_header_and_garbage_is_damaged(db_path: Path) -> None:
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(DamagedDatabaseError):
        open_database(db_path)


def test_another_programs_file_and_a_newer_schema_have_their_own_errors(tmp_path: Path, db_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database")
    with pytest.raises(ForeignDatabaseError):
        open_database(notes)
    open_database(db_path).close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(NewerSchemaError):
        open_database(db_path)


def test_a_read_only_database_is_read_only(db_path: Path) -> None:
    open_database(db_path).close()
    connection = sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as raised:
            connection.execute("DELETE FROM settings")
    finally:
        connection.close()
    assert isinstance(classify(raised.value, db_path), ReadOnlyError)


def test_a_bug_is_not_dressed_up_as_the_environments_fault(database: Database) -> None:
    add_one(database)
    with pytest.raises(IntegrityError) as raised, database.transaction() as session:
        session.execute(text("INSERT INTO subscriptions (id, name) VALUES (1, :secret)"), {"secret": "hunter2"})
    assert not isinstance(raised.value, StorageError) and classify(raised.value, None) is None
    assert "hunter2" not in str(raised.value)  # hide_parameters: a logged bug never carries the user's data


@pytest.mark.expect_log_warnings
def test_the_log_names_the_kind_and_place_not_the_data(db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    open_database(db_path).close()
    database = open_database(db_path, busy_timeout=0.05)
    holder = hold_write_lock(db_path)
    try:
        with caplog.at_level(logging.WARNING, "renewaltracker"), pytest.raises(DatabaseBusyError):
            add_one(database, name="Secret Club", payment_method="Visa 4111 1111 1111 1111")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        database.close()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "DatabaseBusyError at " in logged and "SQLITE_BUSY" in logged
    assert "Secret Club" not in logged and "4111" not in logged


FRONT_ENDS = ("cli", "ui", "services")
BANNED_MODULES = ("sqlite3", "sqlalchemy.exc")
BANNED_NAMES = ("OperationalError", "DatabaseError", "IntegrityError")


@pytest.mark.parametrize("layer", FRONT_ENDS)
def test_no_front_end_or_service_reads_database_exceptions(layer: str) -> None:
    offences = []
    for path in sorted((ROOT / "renewaltracker" / layer).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules.append(node.module)
            if any(m == banned or m.startswith(banned + ".") for m in modules for banned in BANNED_MODULES):
                offences.append(f"{path.name} imports {modules}")
            if (
                isinstance(node, ast.Name | ast.Attribute)
                and getattr(node, "id", getattr(node, "attr", "")) in BANNED_NAMES
            ):
                offences.append(f"{path.name}:{node.lineno} uses {ast.unparse(node)}")
            if isinstance(node, ast.Constant) and node.value in ("locked", "disk", "database is locked"):
                offences.append(f"{path.name}:{node.lineno} matches error text {node.value!r}")
    assert offences == []
