"""Times creating and listing subscriptions through the CLI, with 10,000 already in the database."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.population import population  # noqa: E402
from renewaltracker.storage.database import open_database  # noqa: E402
from renewaltracker.storage.repositories import SubscriptionRepository  # noqa: E402


def cli(db: Path, *args: str) -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "renewaltracker", "--db", str(db), *args], check=True,
                   stdout=subprocess.DEVNULL, cwd=ROOT)  # fmt: skip
    return time.perf_counter() - began


def main(count: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite3"
        database = open_database(db)
        began = time.perf_counter()
        now = datetime.now(UTC)
        with database.sessions.begin() as session:
            repository = SubscriptionRepository(session)
            for item in population(count):
                repository.add(item, now)
        print(f"inserted {count} subscriptions in one transaction: {time.perf_counter() - began:.2f} s")
        database.close()
        adds = [cli(db, "add", "--name", f"Bench {i}", "--amount", "9.99", "--every", "1 month",
                    "--start", "2026-01-31") for i in range(10)]  # fmt: skip
        print(f"CLI add (one process each): median {statistics.median(adds):.3f} s")
        lists = [cli(db, "list", "--json") for _ in range(3)]
        print(f"CLI list --json of {count + 10}: median {statistics.median(lists):.3f} s")
        tables = [cli(db, "list") for _ in range(3)]
        print(f"CLI list (table) of {count + 10}: median {statistics.median(tables):.3f} s")
        upcoming = [cli(db, "upcoming", "--days", "365", "--json") for _ in range(3)]
        print(f"CLI upcoming --days 365 --json: median {statistics.median(upcoming):.3f} s")


if __name__ == "__main__":
    main()
