"""A writer killed mid-stream (kill -9) leaves a sound database with every acknowledged commit."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from renewaltracker.storage.database import open_database
from renewaltracker.storage.repositories import SubscriptionRepository

ROOT = Path(__file__).resolve().parents[2]
WRITER = """
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from renewaltracker.domain.interval import parse_interval
from renewaltracker.domain.subscription import Subscription
from renewaltracker.storage.database import open_database
from renewaltracker.storage.repositories import SubscriptionRepository

database = open_database(__import__("pathlib").Path(sys.argv[1]))
for number in range(100000):
    with database.sessions.begin() as session:
        saved = SubscriptionRepository(session).add(
            Subscription(name=f"n{number}", amount=Decimal("1.00"), currency="EUR",
                         interval=parse_interval("1 month"), anchor=date(2026, 1, 1)),
            datetime.now(UTC),
        )
    print(saved.id, flush=True)
"""


def test_killed_writer_loses_no_acknowledged_commit(db_path: Path) -> None:
    open_database(db_path).close()
    acknowledged: list[int] = []
    command = [sys.executable, "-c", WRITER, str(db_path)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT) as writer:
        assert writer.stdout is not None
        for line in writer.stdout:
            acknowledged.append(int(line))
            if len(acknowledged) == 40:
                os.kill(writer.pid, signal.SIGKILL)
                break
        writer.wait()
        acknowledged.extend(int(line) for line in writer.stdout.read().split())
    assert writer.returncode == -signal.SIGKILL and len(acknowledged) >= 40
    with closing(sqlite3.connect(db_path)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    database = open_database(db_path)
    try:
        with database.sessions.begin() as session:
            stored = {s.id for s in SubscriptionRepository(session).all()}
    finally:
        database.close()
    assert set(acknowledged) <= stored
