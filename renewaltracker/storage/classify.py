"""The one place that turns SQLite and SQLAlchemy errors into the project's own errors (environment vs bug)."""

from __future__ import annotations

import logging
import sqlite3
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from renewaltracker.i18n import _
from renewaltracker.storage.errors import (
    BUSY_MESSAGE,
    DamagedDatabaseError,
    DatabaseBusyError,
    DiskFullError,
    ReadOnlyError,
    StorageError,
)

log = logging.getLogger(__name__)
PACKAGE_DIR = str(Path(__file__).resolve().parents[1])


def _primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None  # extended codes keep the primary one in the low byte


def classify(error: BaseException, path: Path | None) -> StorageError | None:
    """The environment's fault as a StorageError, or None when the error is a bug (constraint, bad SQL)."""
    original = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's exception in .orig
    if not isinstance(original, sqlite3.Error):
        return None
    where = _("the database {path}").format(path=path) if path is not None else _("the database")
    code = _primary_code(original)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return DatabaseBusyError(_(BUSY_MESSAGE))
    if code == sqlite3.SQLITE_FULL:
        return DiskFullError(
            _("the disk is full: {where} cannot grow; free some space and try again").format(where=where)
        )
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        return ReadOnlyError(_("{where} cannot be written (read-only file, folder or disk)").format(where=where))
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return DamagedDatabaseError(
            _("{where} is damaged or not a database; restore it from a backup").format(where=where)
        )
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_AUTH):
        return StorageError(
            _("cannot use {where}: {problem}").format(where=where, problem=original.args[0] if original.args else code)
        )
    return None


def _place(error: BaseException) -> str:
    """Where in our own code the error arose (module:function:line), for the log instead of the SQL and its data."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(PACKAGE_DIR)]
    if not frames:
        return "unknown"
    frame = frames[-1]
    return f"{Path(frame.filename).stem}:{frame.name}:{frame.lineno}"


@contextmanager
def translated(path: Path | None) -> Iterator[None]:
    """Re-raise SQLite errors that are the environment's fault as StorageError; bugs pass through unchanged."""
    try:
        yield
    except StorageError:
        raise
    except Exception as error:
        storage_error = classify(error, path)
        if storage_error is None:
            raise
        # The kind and place only: the statement's parameters would carry the user's data.
        code = getattr(getattr(error, "orig", error), "sqlite_errorname", "?")
        log.warning("%s at %s (sqlite code %s)", type(storage_error).__name__, _place(error), code)
        raise storage_error from error
