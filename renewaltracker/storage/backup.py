"""Consistent copies of a live database, with SQLite's online backup API in one step."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from renewaltracker.i18n import _
from renewaltracker.storage.errors import StorageError
from renewaltracker.storage.files import create_private, private_folder
from renewaltracker.storage.paths import database_file_problem


def backup_database(source: Path, destination: Path) -> Path:
    """Copy `source` to `destination` consistently even while another connection writes."""
    destination = destination.expanduser()
    if destination.exists() and destination.is_dir():
        destination = destination / f"{source.stem}-backup.sqlite3"
    problem = database_file_problem(destination, source)
    if problem is not None:
        raise StorageError(problem)
    partial = destination.with_name(destination.name + ".partial")
    try:
        private_folder(destination.parent)
        partial.unlink(missing_ok=True)
        create_private(partial)  # SQLite keeps the mode of an existing file: the copy is 0600 from its first byte
        # as_uri() percent-encodes "?", "#" and "%" in the path, which a raw "file:" URI would misread.
        src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True, timeout=30)
        try:
            dst = sqlite3.connect(partial)
            try:
                # One step (pages=-1): a step-wise copy restarts on every concurrent write and may never finish.
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        partial.replace(destination)
    except (sqlite3.Error, OSError) as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise StorageError(
            _("could not back up {source} to {destination}: {error}").format(
                source=source, destination=destination, error=error
            )
        ) from error
    return destination
