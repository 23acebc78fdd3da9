"""Writes for the command line on the standard library's sqlite3 alone, with the ORM path's rules: only a database
that is ours and at the current schema (checked again under the write lock), one transaction per change taken
with BEGIN IMMEDIATE and the CLI's busy timeout, the ORM connection's pragmas, the same row mapping and checks
(storage/subscription_rows.py) and the same bookkeeping columns. `open_quick_writer` returns None for any other
file, and the caller opens it the normal way."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.settings import canonical_setting, parse_setting, setting_spec, stored_setting
from renewaltracker.domain.subscription import Subscription
from renewaltracker.i18n import _
from renewaltracker.storage.classify import translated
from renewaltracker.storage.errors import BUSY_MESSAGE, FILE_REPLACED_MESSAGE, FileReplacedError, SchemaChangedError
from renewaltracker.storage.file_identity import file_identity, moved_away
from renewaltracker.storage.gil_handover import install_handover
from renewaltracker.storage.quick_read import is_current
from renewaltracker.storage.schema import CLI_BUSY_TIMEOUT, connection_settings
from renewaltracker.storage.subscription_rows import encode_date, encoded, subscription_columns, subscription_from_row


def _writable(path: Path) -> bool:
    """The file and its folder (the -wal and -shm files live there); otherwise the normal opening explains."""
    return os.access(path, os.R_OK | os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def open_quick_writer(
    path: Path, busy_timeout: float = CLI_BUSY_TIMEOUT, *, shared: bool = False
) -> QuickWriter | None:
    """A writer of a current database, or None when it must be opened the normal way. `shared`: usable from any
    thread (the caller makes sure only one uses it at a time)."""
    path = path.expanduser()
    try:
        if not path.is_file() or path.stat().st_size == 0 or not _writable(path):
            return None
        # mode=rw: never creates a file (a missing one is the normal opening's to create, privately).
        connection = sqlite3.connect(
            path.resolve().as_uri() + "?mode=rw",
            uri=True,
            timeout=busy_timeout,
            isolation_level=None,
            check_same_thread=not shared,
        )
    except (OSError, sqlite3.Error):
        return None
    install_handover(connection, any_thread=shared)  # the light tray's scheduler checks and claims on a worker
    try:
        connection.execute("BEGIN")
        current = is_current(connection)
        connection.execute("COMMIT")
        if current:
            for setting in connection_settings(busy_timeout):  # as on every connection the ORM's engine makes
                connection.execute(setting)
            return QuickWriter(connection, path)
    except sqlite3.Error:
        pass  # locked, damaged or not a database: the normal opening says which, in its words
    connection.close()
    return None


class QuickWriter:
    """One read-write connection; every change is one `transaction()`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path
        self.identity = file_identity(path)  # the file it opened: writes stop once another is put at the path

    @contextmanager
    def transaction(self, *, immediate: bool = True) -> Iterator[QuickWrites]:
        """Committed on success, rolled back on any error; SQLite errors become StorageError as on the ORM path.
        `immediate=False` for one that only reads: it takes no write lock, so it never waits for a writer."""
        connection = self._connection
        with translated(self.path):
            # IMMEDIATE: the write lock from the start, so the checks made inside hold until the commit.
            connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            try:
                if moved_away(self.path, self.identity):
                    # Replaced or deleted by another program: what this connection wrote would be lost with the
                    # old file; the normal opening takes the one there now.
                    raise FileReplacedError(_(FILE_REPLACED_MESSAGE).format(path=self.path))
                if not is_current(connection):
                    # Migrated by a newer version since it was opened: the next try takes the normal path.
                    raise SchemaChangedError(_(BUSY_MESSAGE))
                yield QuickWrites(connection)
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    @property
    def connection(self) -> sqlite3.Connection:
        """For the plain stores built on this writer (storage/quick_reminders.py)."""
        return self._connection

    def close(self) -> None:
        self._connection.close()


class QuickWrites:
    """What one transaction reads and writes."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def setting(self, key: str) -> Any:
        spec = setting_spec(key)
        row = self.connection.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return stored_setting(key, row[0] if row else spec.default)

    def set_setting(self, key: str, text: str) -> Any:
        """As SettingsRepository.set: checked, stored in its normalised form; returns the typed value."""
        text = canonical_setting(key, text)
        value = parse_setting(key, text)
        self.connection.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, text),
        )
        return value

    def add_subscription(self, subscription: Subscription, now: datetime) -> Subscription:
        """As SubscriptionRepository.add: the same checks and columns; an id is kept when given."""
        values = subscription_columns(subscription)
        values.update(id=subscription.id, created_at=now, updated_at=now, revision=0)
        raw = encoded(values)
        columns = ", ".join(raw)
        marks = ", ".join("?" * len(raw))
        cursor = self.connection.execute(f"INSERT INTO subscriptions ({columns}) VALUES ({marks})", tuple(raw.values()))
        values["id"] = cursor.lastrowid if subscription.id is None else subscription.id
        pauses = tuple(Pause(p.start, p.end) for p in subscription.pauses)
        self.connection.executemany(
            'INSERT INTO pauses (subscription_id, start, "end") VALUES (?, ?, ?)',
            [(values["id"], encode_date(p.start), encode_date(p.end) if p.end else None) for p in pauses],
        )
        # Built from the values written, as the repository builds it from the row it flushed.
        return subscription_from_row(values.__getitem__, pauses)
