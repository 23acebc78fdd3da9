"""Checking a backup before it may replace the database: an intact SQLite file with a schema this app knows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from renewaltracker.i18n import _
from renewaltracker.storage.database import (
    SQLITE_HEADER,
    _known_revisions,
    alembic_config,
    current_revisions,
    make_engine,
)
from renewaltracker.storage.errors import StorageError


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
