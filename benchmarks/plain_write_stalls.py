"""How long the main (GUI) thread waits for the interpreter while a worker runs the light tray's reminder check on
plain sqlite3 (storage/quick_reminders.py over storage/quick_write.py), with the GIL hand-over and without it.

Usage: python benchmarks/plain_write_stalls.py [--count 10000] [--rounds 6]
Each round is one first check (every subscription read, planned, the due ones claimed) on a worker thread, as the
tray at login runs it; the main thread meanwhile sleeps 5 ms at a time and records how late it wakes, which is the
time it waited for the GIL (the GUI thread's event loop wakes the same way). Rounds alternate between the hand-over
on and off (off: the connection without the progress handler, as before), so both see the same machine load.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.population import population  # noqa: E402
from renewaltracker.domain.clock import SystemClock  # noqa: E402
from renewaltracker.services.reminders import ReminderService  # noqa: E402
from renewaltracker.storage import gil_handover  # noqa: E402
from renewaltracker.storage.database import open_database  # noqa: E402
from renewaltracker.storage.quick_reminders import PlainReminderStore  # noqa: E402
from renewaltracker.storage.quick_write import open_quick_writer  # noqa: E402
from renewaltracker.storage.repositories import SubscriptionRepository  # noqa: E402
from renewaltracker.storage.schema import GUI_BUSY_TIMEOUT  # noqa: E402

TICK = 0.005


def one_round(path: Path, handover: bool) -> tuple[float, float, float]:
    """The main thread's latest wake-up (s), the worker's CPU time and wall time for one first check."""
    writer = open_quick_writer(path, GUI_BUSY_TIMEOUT, shared=True)
    assert writer is not None
    if not handover:
        writer.connection.set_progress_handler(None, gil_handover.PROGRESS_OPS)  # as before it was installed
    store = PlainReminderStore(writer)
    clock = SystemClock()
    reminders = ReminderService(None, None, clock, store=store)
    done = threading.Event()
    cpu: list[float] = []

    def check() -> None:
        began = time.thread_time()
        reminders.check(clock.now())
        cpu.append(time.thread_time() - began)
        done.set()

    worker = threading.Thread(target=check)
    latest = 0.0
    started = time.perf_counter()
    worker.start()
    while not done.is_set():
        before = time.perf_counter()
        time.sleep(TICK)
        latest = max(latest, time.perf_counter() - before - TICK)
    wall = time.perf_counter() - started
    worker.join()
    writer.close()
    return latest, cpu[0], wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=6)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        database = open_database(path)
        with database.sessions.begin() as session:
            repository = SubscriptionRepository(session)
            for item in population(options.count):
                repository.add(item, datetime.now(UTC))
        database.close()
        one_round(path, True)  # warm the file cache and the imports
        # As the app does once started (ui/background.py's freeze_startup_heap): a full cycle collection of
        # everything imported would hold the GIL for 0.1-0.3 s in whichever round it fell, with or without SQLite.
        gc.collect()
        gc.freeze()
        results: dict[bool, list[tuple[float, float, float]]] = {True: [], False: []}
        for number in range(2 * options.rounds):
            handover = number % 2 == 0
            gc.collect()  # the last round's garbage, so no round pays for another's full collection
            results[handover].append(one_round(path, handover))
    print(f"| First reminder check of the light tray, {options.count:,} subscriptions, {options.rounds} rounds each |"
          " main thread's longest wait, median (max) | worker CPU, median | worker wall, median |")  # fmt: skip
    print("| --- | --- | --- | --- |")
    for handover in (False, True):
        rows = results[handover]
        waits = [row[0] * 1000 for row in rows]
        cpu = statistics.median(row[1] for row in rows)
        wall = statistics.median(row[2] for row in rows)
        print(
            f"| GIL hand-over {'on' if handover else 'off'} | {statistics.median(waits):.1f} ms ({max(waits):.1f} ms)"
            f" | {cpu:.3f} s | {wall:.3f} s |"
        )
    for handover in (False, True):
        waits = ", ".join(f"{row[0] * 1000:.0f}" for row in results[handover])
        print(f"each round, hand-over {'on' if handover else 'off'}: {waits} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
