"""What identifies a current Renewal Tracker database, and how every connection to it is set, for the ORM and the
plain-sqlite3 paths alike."""

from __future__ import annotations

# The newest revisions; tests/storage/test_database.py checks this against the migration scripts. Opening a
# database already at these heads skips importing Alembic, which is most of a CLI command's start-up time.
SCHEMA_HEADS = frozenset({"0011_dismissed_plans"})
# Marks the SQLite files this app made ("RnTr"), so that `--db` pointed at another program's database is refused
# before anything is written to it (no tables added, no switch to WAL).
APPLICATION_ID = 0x526E5472
# How long a write waits for another process's write lock. The command line (and cron) can wait; the window
# must not freeze, so it gives up soon and says "busy, try again" (GUI_BUSY_TIMEOUT).
CLI_BUSY_TIMEOUT = 10.0
GUI_BUSY_TIMEOUT = 2.0


def connection_settings(busy_timeout: float) -> tuple[str, ...]:
    """The PRAGMAs every read-write connection runs first, whichever way it reaches the file."""
    return (
        "PRAGMA journal_mode=WAL",
        # FULL, not NORMAL: in WAL mode NORMAL can lose the last commit on a power cut.
        "PRAGMA synchronous=FULL",
        "PRAGMA foreign_keys=ON",
        f"PRAGMA busy_timeout={int(busy_timeout * 1000)}",
    )
