"""Whether another connection committed to the database: `sqlite3` alone, so the window can start watching before
SQLAlchemy is imported (the rows it shows first are read without it)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from renewaltracker.storage.file_identity import FileIdentity, file_identity


class ChangeProbe:
    """Tells whether another connection committed since the last look: SQLite's `PRAGMA data_version`.

    It holds its own read-only connection, because the number only moves for commits by *other* connections.
    """

    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self._seen = self.version()
        self.path = path
        self.identity = file_identity(path)  # the file it watches, which another program may replace at the path

    @classmethod
    def of_existing(cls, path: Path) -> ChangeProbe | None:
        """A probe of the file at `path`, or None when there is none yet or it cannot be opened."""
        if not path.is_file():
            return None
        try:
            return cls(path)
        except sqlite3.Error:
            return None

    def file_at_path(self) -> FileIdentity | None:
        """The file now at the probe's path (`file_identity`): `identity` until another is put there."""
        return file_identity(self.path)

    def version(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """True once per batch of outside commits; a locked or vanished file counts as unchanged."""
        try:
            current = self.version()
        except sqlite3.Error:
            return False
        if current == self._seen:
            return False
        self._seen = current
        return True

    def revisions(self) -> frozenset[str] | None:
        """The schema's revisions as committed now; None when they cannot be read (locked, not ours)."""
        try:
            return frozenset(row[0] for row in self._connection.execute("SELECT version_num FROM alembic_version"))
        except sqlite3.Error:
            return None

    def close(self) -> None:
        self._connection.close()
