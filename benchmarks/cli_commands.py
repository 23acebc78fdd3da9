"""Times CLI commands as whole processes against `python -c pass`: start-up, reads at 1,000, `remind` at 10,000."""

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

RUNS = 7


def timed(*argv: str) -> float:
    began = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - began


def median(*argv: str, runs: int = RUNS) -> float:
    return statistics.median(timed(*argv) for _ in range(runs))


def filled(folder: Path, count: int) -> Path:
    db = folder / f"bench{count}.sqlite3"
    database = open_database(db)
    now = datetime.now(UTC)
    with database.sessions.begin() as session:
        repository = SubscriptionRepository(session)
        for item in population(count):
            repository.add(item, now)
    database.close()
    return db


def main() -> None:
    app = [sys.executable, "-m", "renewaltracker"]
    floor = median(sys.executable, "-c", "pass", runs=11)
    print(f"python -c pass: {floor:.3f} s")
    for option in ("--version", "--help"):
        took = median(*app, option)
        print(f"renewaltracker {option}: {took:.3f} s ({took / floor:.1f}x)")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        small, large = filled(folder, 1_000), filled(folder, 10_000)
        at = [*app, "--db", str(small)]
        print(f"list (1,000): {median(*at, 'list'):.3f} s")
        print(f"list --json (1,000): {median(*at, 'list', '--json'):.3f} s")
        print(f"upcoming --days 30 (1,000): {median(*at, 'upcoming', '--days', '30'):.3f} s")
        print(f"show 500 (1,000): {median(*at, 'show', '500'):.3f} s")
        adds = [
            timed(*at, "add", "--name", f"Bench {i}", "--amount", "9.99", "--every", "1 month", "--start", "2026-01-31")
            for i in range(RUNS)
        ]
        print(f"add (1,000): {statistics.median(adds):.3f} s")
        remind = [*app, "--db", str(large), "remind", "--dry-run"]
        print(f"remind --dry-run (10,000): {median(*remind, runs=3):.3f} s")


if __name__ == "__main__":
    main()
