"""Opening, migrating, refusing and backing up the SQLite database."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from renewaltracker.storage.backup import backup_database
from renewaltracker.storage.database import (
    SCHEMA_HEADS,
    Database,
    _head_revisions,
    alembic_config,
    current_revisions,
    make_engine,
    open_database,
)
from renewaltracker.storage.errors import StorageError
from renewaltracker.storage.repositories import SubscriptionRepository
from tests.factories import make_subscription


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pragmas_make_commits_durable(database: Database) -> None:
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_new_database_is_at_every_head(database: Database) -> None:
    assert current_revisions(database.engine) == _head_revisions(alembic_config())


def test_schema_heads_constant_matches_the_migration_scripts() -> None:
    assert _head_revisions(alembic_config()) == SCHEMA_HEADS


def test_database_from_a_newer_version_is_refused_and_left_alone(db_path: Path) -> None:
    open_database(db_path).close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = digest(db_path)
    with pytest.raises(StorageError, match="newer version"):
        open_database(db_path)
    assert digest(db_path) == before


def test_a_file_that_is_not_a_database_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my precious notes\n")
    with pytest.raises(StorageError, match="not an SQLite file"):
        open_database(path)
    assert path.read_text() == "my precious notes\n"


def write_first_version(path: Path) -> None:
    """A database as the first version left it: its schema, one yearly plan and its charge."""
    engine = make_engine(path)
    command.upgrade(alembic_config(engine), "0001_initial")
    stamp = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO subscriptions (id, name, vendor, category, notes, amount, currency, interval_count,"
                " interval_unit, anchor, keep_clipped_day, status, payment_method, account, order_number,"
                " support_email, cancel_url, created_at, updated_at, revision) VALUES (1, 'Old magazine', '', '',"
                " '', '39.99', 'USD', 1, 'year', '2025-12-05', 0, 'active', 'Visa ending 4242', '', 'A-1', '', '',"
                " :stamp, :stamp, 0)"
            ),
            {"stamp": stamp},
        )
        connection.execute(
            text(
                "INSERT INTO charges (subscription_id, date, amount, currency, reference, source, status, note)"
                " VALUES (1, '2025-12-05', '39.99', 'USD', 'INV-7', 'manual', 'charged', '')"
            )
        )
    engine.dispose()


def test_upgrade_from_the_first_migration_keeps_rows_and_backs_up_first(empty_db_path: Path) -> None:
    write_first_version(empty_db_path)
    heads = _head_revisions(alembic_config())
    database = open_database(empty_db_path)
    try:
        assert current_revisions(database.engine) == heads
        with database.sessions.begin() as session:
            kept = SubscriptionRepository(session).get(1)
        assert (kept.name, kept.amount, kept.order_number) == ("Old magazine", Decimal("39.99"), "A-1")
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT reference FROM charges")).scalar() == "INV-7"
    finally:
        database.close()
    backups = list(empty_db_path.parent.glob("*.before-migration-*"))
    assert bool(backups) == (heads != {"0001_initial"})
    for backup in backups:
        with sqlite3.connect(backup) as connection:
            assert connection.execute("SELECT name FROM subscriptions").fetchone() == ("Old magazine",)


def test_backup_is_consistent_while_another_connection_writes(database: Database, tmp_path: Path) -> None:
    assert database.path is not None
    stop = threading.Event()
    written = 0

    def writer() -> None:
        nonlocal written
        connection = sqlite3.connect(database.path, timeout=30)
        while not stop.is_set():
            connection.execute(
                "INSERT INTO settings (key, value) VALUES (?, 'x') ON CONFLICT(key) DO UPDATE SET value = 'y'",
                (f"k{written % 50}",),
            )
            connection.commit()
            written += 1
        connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    deadline = time.monotonic() + 10
    while written < 20 and time.monotonic() < deadline:
        time.sleep(0.001)  # waits for the writer to be under way, not for a result
    try:
        copy = backup_database(database.path, tmp_path / "copy.sqlite3")
    finally:
        stop.set()
        thread.join()
    assert written >= 20
    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM settings").fetchone()[0] > 0


def test_backup_refuses_to_overwrite_the_database_itself(database: Database) -> None:
    assert database.path is not None
    with pytest.raises(StorageError, match="another file"):
        backup_database(database.path, database.path)


def test_decimal_amounts_survive_exactly(database: Database) -> None:
    amount = Decimal("12345678901234.57")
    with database.sessions.begin() as session:
        saved = SubscriptionRepository(session).add(
            make_subscription(amount=amount, anchor=date(2026, 1, 1)), datetime(2026, 1, 1, tzinfo=UTC)
        )
    with database.sessions.begin() as session:
        assert SubscriptionRepository(session).get(saved.id or 0).amount == amount
