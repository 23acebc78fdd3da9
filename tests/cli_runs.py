"""Running the CLI in-process on one database file, and reading that file back, for the hostile-input tests."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from renewaltracker.cli import run


def call(db: Path, *args: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of one command against `db`."""
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(db), *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def dump(db: Path) -> str:
    """The whole database as SQL text: equal dumps mean nothing was written."""
    connection = sqlite3.connect(db)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()
