"""Times CLI commands as whole processes against `python -c pass`: start-up, reads at 1,000, `remind` at 10,000."""

from __future__ import annotations

import compileall
import resource
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


def timed(*argv: str) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median(*argv: str, runs: int = RUNS) -> str:
    """Median wall and CPU time: on a shared machine the CPU time is the steadier figure."""
    results = [timed(*argv) for _ in range(runs)]
    return (
        f"{statistics.median(w for w, _ in results):.3f} s wall, {statistics.median(c for _, c in results):.3f} s CPU"
    )


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
    # An installed package has its bytecode compiled; a checkout run with PYTHONDONTWRITEBYTECODE=1 would
    # otherwise compile every module of the app from source in every process (about 0.03 s of a --help).
    compileall.compile_dir(ROOT / "renewaltracker", quiet=1)
    app = [sys.executable, "-m", "renewaltracker"]
    floor = [timed(sys.executable, "-c", "pass") for _ in range(11)]
    floor_wall, floor_cpu = statistics.median(w for w, _ in floor), statistics.median(c for _, c in floor)
    print(f"python -c pass: {floor_wall:.3f} s wall, {floor_cpu:.3f} s CPU")
    for option in ("--version", "--help"):
        runs = [timed(*app, option) for _ in range(RUNS)]
        wall, cpu = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
        print(f"renewaltracker {option}: {wall:.3f} s wall ({wall / floor_wall:.1f}x), {cpu:.3f} s CPU")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        small, large = filled(folder, 1_000), filled(folder, 10_000)
        at = [*app, "--db", str(small)]
        print(f"list (1,000): {median(*at, 'list')}")
        print(f"list --json (1,000): {median(*at, 'list', '--json')}")
        print(f"upcoming --days 30 (1,000): {median(*at, 'upcoming', '--days', '30')}")
        print(f"show 500 (1,000): {median(*at, 'show', '500')}")
        adds = [
            timed(*at, "add", "--name", f"Bench {i}", "--amount", "9.99", "--every", "1 month", "--start", "2026-01-31")
            for i in range(RUNS)
        ]
        wall, cpu = statistics.median(w for w, _ in adds), statistics.median(c for _, c in adds)
        print(f"add (1,000): {wall:.3f} s wall, {cpu:.3f} s CPU")
        print(f"remind --dry-run (10,000): {median(*app, '--db', str(large), 'remind', '--dry-run', runs=3)}")


if __name__ == "__main__":
    main()
