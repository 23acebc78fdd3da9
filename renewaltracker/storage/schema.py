"""What identifies a current Renewal Tracker database, for the ORM and the plain-sqlite3 read path alike."""

from __future__ import annotations

# The newest revisions; tests/storage/test_database.py checks this against the migration scripts. Opening a
# database already at these heads skips importing Alembic, which is most of a CLI command's start-up time.
SCHEMA_HEADS = frozenset({"0010_letter_language"})
# Marks the SQLite files this app made ("RnTr"), so that `--db` pointed at another program's database is refused
# before anything is written to it (no tables added, no switch to WAL).
APPLICATION_ID = 0x526E5472
# How long a write waits for another process's write lock. The command line (and cron) can wait; the window
# must not freeze, so it gives up soon and says "busy, try again" (GUI_BUSY_TIMEOUT).
CLI_BUSY_TIMEOUT = 10.0
GUI_BUSY_TIMEOUT = 2.0
