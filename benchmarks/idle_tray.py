"""The app idling in the tray: CPU time, event-loop wake-ups and resident memory over 60 s, next to the resident
memory of a bare PySide6 QMainWindow process on the same platform.

Run from the repository root: `.venv/bin/python benchmarks/idle_tray.py [--seconds 60] [--subscriptions 300]`.
Offscreen by default; under Xvfb with `QT_QPA_PLATFORM=xcb` it measures the real window system too.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QAbstractEventDispatcher, QEventLoop, QTimer  # noqa: E402

from renewaltracker.domain.clock import SystemClock  # noqa: E402
from renewaltracker.domain.interval import parse_interval  # noqa: E402
from renewaltracker.domain.subscription import Subscription  # noqa: E402
from renewaltracker.services.subscriptions import SubscriptionService  # noqa: E402
from renewaltracker.storage.database import open_database  # noqa: E402
from renewaltracker.ui.app import create_application  # noqa: E402
from renewaltracker.ui.composition import Collaborators, build_main_window  # noqa: E402
from renewaltracker.ui.context import AppContext  # noqa: E402

BARE_WINDOW = (
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\nw = QMainWindow()\nw.resize(800, 600)\nw.show()\n"
    "def done():\n"
    "    print([line for line in open('/proc/self/status') if line.startswith('VmRSS')][0].split()[1])\n"
    "    app.quit()\n"
    "QTimer.singleShot(1500, done)\napp.exec()\n"
)


def rss_mb() -> float:
    """This process's resident memory (Linux /proc), in MB."""
    with open("/proc/self/status") as status:
        kilobytes = next(line for line in status if line.startswith("VmRSS")).split()[1]
    return int(kilobytes) / 1024


def bare_window_rss_mb() -> float:
    """Resident memory of a bare QMainWindow process 1.5 s after it showed, in MB."""
    result = subprocess.run([sys.executable, "-c", BARE_WINDOW], capture_output=True, text=True, check=True)
    return int(result.stdout.split()[-1]) / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def populate(service: SubscriptionService, count: int) -> None:
    today = date.today()
    cycles = ["1 month", "1 year", "3 months", "1 week"]
    for number in range(count):
        # Start far enough ahead that nothing falls due during the measurement.
        anchor = today + timedelta(days=30 + number % 300)
        service.add(
            Subscription(
                name=f"Service {number}",
                amount=Decimal("9.99"),
                currency="EUR",
                interval=parse_interval(cycles[number % len(cycles)]),
                anchor=anchor,
                notice_days=number % 3 or None,
            )
        )


def fill(path: Path, count: int) -> None:
    """Creates and fills the database in a child process (`--fill`): the tray's process then opens an existing,
    current file (no migration, no thousand writes' garbage in its heap), as it does for a user."""
    subprocess.run([sys.executable, __file__, "--fill", str(path), "--subscriptions", str(count)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--subscriptions", type=int, default=300)
    parser.add_argument("--fill", type=Path, help=argparse.SUPPRESS)  # the child process that writes the rows
    args = parser.parse_args()
    if args.fill:
        filled = open_database(args.fill)
        populate(SubscriptionService(filled, SystemClock()), args.subscriptions)
        filled.close()
        return
    app = create_application()
    with tempfile.TemporaryDirectory() as folder:
        fill(Path(folder) / "idle.sqlite3", args.subscriptions)
        database = open_database(Path(folder) / "idle.sqlite3")
        context = AppContext.create(database, SystemClock())
        context.signals.watch(Path(folder) / "idle.sqlite3")  # as the app does: commits by other processes show
        features = build_main_window(context, Collaborators.system())
        window, tray = features.window, features.tray
        tray.start()
        window.show()  # as a user would: the window opens, shows its rows, and is closed to the tray
        window.load()
        app.processEvents()
        window.hide()  # in the tray
        wakes = 0
        marks: dict[str, float] = {}

        counting = False

        def count_wake() -> None:
            nonlocal wakes
            wakes += counting

        dispatcher = QAbstractEventDispatcher.instance()
        assert dispatcher is not None

        def begin() -> None:
            nonlocal counting
            marks.update(cpu=cpu_seconds(), wall=time.monotonic(), checks=tray.scheduler.wakeups)
            counting = True
            QTimer.singleShot(int(args.seconds * 1000), end)

        def end() -> None:
            nonlocal counting
            counting = False
            marks.update(cpu=cpu_seconds() - marks["cpu"], wall=time.monotonic() - marks["wall"])
            app.quit()

        dispatcher.awake.connect(count_wake)
        # Start-up settles for a second (first plan, deferred deletes) before the measurement begins.
        # (PySide6 6.12 crashes in a tight processEvents() loop, so everything runs inside exec().)
        QTimer.singleShot(1000, begin)
        app.exec()
        cpu, wall = marks["cpu"], marks["wall"]
        idle_rss = rss_mb()
        checks = tray.scheduler.wakeups - int(marks["checks"])
        next_due = tray.scheduler.next_due
        print(f"platform {app.platformName()}, notifier {tray.notifier.name}, {args.subscriptions} subscriptions")
        print(f"idle {wall:.1f} s: CPU {cpu:.3f} s ({100 * cpu / wall:.3f} %)")
        print(f"event-loop wake-ups: {wakes} (including the one that ends the measurement)")
        print(f"reminder checks while idle: {checks}")
        print(f"single-shot timer armed for {next_due.isoformat() if next_due else 'nothing'}")
        bare_rss = bare_window_rss_mb()
        print(
            f"resident memory in the tray: {idle_rss:.0f} MB; bare QMainWindow process: {bare_rss:.0f} MB "
            f"({idle_rss / bare_rss:.2f}×)"
        )

        def check_and_wait() -> None:
            # The check runs on the scheduler's worker thread: wait for its result (the process's CPU counts both).
            loop = QEventLoop()
            tray.scheduler.checked.connect(loop.quit)
            tray.scheduler.check_now()
            loop.exec()
            tray.scheduler.checked.disconnect(loop.quit)

        began = cpu_seconds()
        for _ in range(5):
            check_and_wait()
        per_check = (cpu_seconds() - began) / 5
        began = cpu_seconds()
        for _ in range(5):
            check_and_wait()
            tray.refresh()  # what the 15-minute re-check does: check, then tooltip and menu
        per_recheck = (cpu_seconds() - began) / 5
        print(f"one reminder check (claim, plan, re-arm): {per_check * 1000:.1f} ms CPU")
        print(f"one 15-minute re-check (check, tooltip, menu): {per_recheck * 1000:.1f} ms CPU,")
        print(f"  so about {4 * per_recheck * 1000:.0f} ms CPU and 4 wake-ups an hour")
        features.close()  # stops the reminder worker before the database goes away
        database.close()


if __name__ == "__main__":
    main()
