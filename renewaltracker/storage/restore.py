"""Checking a backup before it may replace the database (an intact SQLite file with a schema this app knows), and
keeping the database it replaces: copied aside while no other process can write to it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from renewaltracker.i18n import _
from renewaltracker.storage.backup import backup_database
from renewaltracker.storage.classify import classify
from renewaltracker.storage.database import (
    CLI_BUSY_TIMEOUT,
    SQLITE_HEADER,
    _known_revisions,
    alembic_config,
    current_revisions,
    make_engine,
)
from renewaltracker.storage.errors import DamagedDatabaseError, StorageError
from renewaltracker.storage.files import write_private


def check_backup(backup: Path) -> None:
    """Raise StorageError unless `backup` is an intact Renewal Tracker database this version can open."""
    try:
        with backup.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise StorageError(_("is not a Renewal Tracker database backup (not an SQLite file)"))
        connection = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()
        finally:
            connection.close()
    except OSError as error:
        raise StorageError(_("cannot be read: {strerror}").format(strerror=error.strerror)) from None
    except sqlite3.Error as error:
        raise StorageError(_("is damaged: {error}").format(error=error)) from None
    if not result or result[0] != "ok":
        raise StorageError(_("is damaged: {problem}").format(problem=result[0] if result else "integrity check failed"))
    engine = make_engine(backup)
    try:
        revisions = current_revisions(engine)
    finally:
        engine.dispose()
    if not revisions:
        raise StorageError(_("is not a Renewal Tracker database (no schema version)"))
    unknown = revisions - _known_revisions(alembic_config())
    if unknown:
        raise StorageError(
            _("was written by a newer version (schema {unknown})").format(unknown=", ".join(sorted(unknown)))
        )


@contextmanager
def writes_held(database: Path) -> Iterator[None]:
    """Hold the database's write lock while it is copied aside and replaced: another process's write either
    commits before (and is in the copy) or waits, then finds the file replaced and is refused; none falls between."""
    if not database.exists():
        yield
        return
    # as_uri() percent-encodes "?", "#" and "%" in the path, which a raw "file:" URI would misread.
    connection = sqlite3.connect(database.resolve().as_uri(), uri=True, timeout=CLI_BUSY_TIMEOUT, isolation_level=None)
    try:
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            problem = classify(error, database)
            if problem is None:
                raise
            if not isinstance(problem, DamagedDatabaseError):
                raise problem from error
            # Not a database any more: no one writes to it, and `copy_aside` keeps its bytes as they are.
        yield
    finally:
        connection.close()  # SQLite sees the file was moved and leaves the new database's journal files alone


def copy_aside(database: Path, aside: Path) -> None:
    """Copy the database to `aside` consistently; one SQLite cannot read (the damage a restore is for) is copied
    byte for byte, with its write-ahead log."""
    try:
        backup_database(database, aside)
    except StorageError as error:
        if not isinstance(classify(error.__cause__ or error, database), DamagedDatabaseError):
            raise
        try:
            for suffix in ("", "-wal"):
                source = database.with_name(database.name + suffix)
                if source.exists():
                    write_private(aside.with_name(aside.name + suffix), source.read_bytes())
        except OSError as failure:
            raise StorageError(
                _("could not back up {source} to {destination}: {error}").format(
                    source=database, destination=aside, error=failure.strerror
                )
            ) from failure


# This machine's records, not the user's data (an export carries none, a backup's are older): what it put on
# CalDAV servers, and which reminders it gave or was asked to give again later.
_REMINDER_RECORDS = {
    "delivered_reminders": ("due_at", "claimed_at", "confirmed_at"),
    "reminder_snoozes": ("until", "delivered_at"),
}


def carry_machine_records(current: Path, staged: Path) -> None:
    """Put the current database's records of this machine into the staged one, in place of the backup's: the next
    sync updates or deletes the events already on the server rather than leaving behind the ones the backup never
    knew, and a reminder already given is not given again. A reminder record follows a renewal only where the
    restored one is the same renewal (same id and creation time), so another database's renewal 1 keeps its own."""
    if not current.exists():
        return
    connection = sqlite3.connect(staged.resolve().as_uri(), uri=True, timeout=CLI_BUSY_TIMEOUT)
    try:
        connection.execute("ATTACH DATABASE ? AS current", (current.resolve().as_uri() + "?mode=ro",))
        with connection:
            connection.execute("DELETE FROM main.caldav_synced")
            connection.execute(
                "INSERT INTO main.caldav_synced (calendar_url, uid, href, etag, digest) "
                "SELECT calendar_url, uid, href, etag, digest FROM current.caldav_synced"
            )
            for table, columns in _REMINDER_RECORDS.items():
                names = ", ".join(("subscription_id", "kind", "event_date", "lead_days", *columns))
                picked = ", ".join(f"record.{name}" for name in names.split(", "))
                connection.execute(
                    f"INSERT OR REPLACE INTO main.{table} ({names}) SELECT {picked} FROM current.{table} AS record "
                    "JOIN current.subscriptions AS was ON was.id = record.subscription_id "
                    "JOIN main.subscriptions AS now ON now.id = was.id AND now.created_at = was.created_at"
                )
    except sqlite3.Error:
        pass  # damaged, or older than these records: the backup's own records are kept, as they came
    finally:
        connection.close()
