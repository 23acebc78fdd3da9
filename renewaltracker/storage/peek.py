"""One setting read with `sqlite3` alone, for the window's first paint (before SQLAlchemy is imported)."""

from __future__ import annotations

from pathlib import Path


def peek_setting(path: Path, key: str) -> str:
    """The stored text of a setting, or "" when the file, the table or the row is missing or cannot be read.

    Read-only and forgiving: the real open that follows reports any problem with the file properly.
    """
    if not path.is_file():
        return ""
    import sqlite3  # only for a file that exists: `--help` without a database does without it

    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
    except sqlite3.Error:
        return ""
    try:
        row = connection.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    except sqlite3.Error:
        return ""
    finally:
        connection.close()
    return str(row[0]) if row is not None and row[0] is not None else ""
