"""Background threads reading SQLite hand the GIL over now and then, so the GUI thread is never starved of it."""

from __future__ import annotations

import sqlite3
import threading
import time

# sqlite3 releases the GIL around every step and takes it back microseconds later. CPython asks the holder to
# drop the GIL only when a waiter saw no switch for a whole switch interval, and each of those re-takes counts as
# a switch, so the GUI thread could wait out a worker's whole read (measured 50-290 ms, benchmarks/gui_stalls.py)
# and sys.setswitchinterval cannot help. A short sleep lets a waiting thread wake up and take the GIL.
HANDOVER_EVERY = 0.004  # seconds of a background thread's SQLite work between hand-overs
HANDOVER_PAUSE = 0.0002  # long enough for a waiting thread to wake and take the GIL
PROGRESS_OPS = 200  # SQLite virtual-machine steps between two calls of the handler

_MAIN = threading.main_thread().ident
_last = threading.local()


def hand_over() -> int:
    """SQLite's progress handler: off the main thread, sleep briefly when due; 0 lets the statement go on."""
    if threading.get_ident() == _MAIN:
        return 0
    now = time.perf_counter()
    if now - getattr(_last, "time", 0.0) >= HANDOVER_EVERY:
        time.sleep(HANDOVER_PAUSE)
        _last.time = time.perf_counter()
    return 0


def install_handover(connection: sqlite3.Connection, *, any_thread: bool = False) -> None:
    """Make `connection`'s statements hand the GIL over when run on a background thread: a connection made on one,
    or one any thread may use (`any_thread`)."""
    # A connection only the main thread uses (the CLI's) gets no handler: it would never pause, and only cost a
    # call into Python every PROGRESS_OPS steps (`remind --dry-run` at 10,000: 0.48 s against 0.50 s with it).
    if any_thread or threading.get_ident() != _MAIN:
        connection.set_progress_handler(hand_over, PROGRESS_OPS)
