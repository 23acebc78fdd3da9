"""The app as started at login into the tray, idling: its CPU time, GUI-thread wake-ups and resident memory over
60 s, next to the resident memory of a bare PySide6 QMainWindow process on the same display.

Both run as separate processes under Xvfb (`QT_QPA_PLATFORM=xcb`) on a private D-Bus session bus that has a system
tray (benchmarks/tray_host.py: a StatusNotifierWatcher, the D-Bus tray protocol) and, with `--notifications`,
dunst as the notification service. The app is `python -m renewaltracker --db FILE` with the login entry's
variable set, over a database filled beforehand by another process, in a temporary home. At the end a second start
asks the running one for its window (as a second click on the launcher does), and the script reports the memory
once the window is built.

Run from the repository root (needs the Debian packages xvfb and dbus; dunst for `--notifications`):
`.venv/bin/python benchmarks/idle_tray.py [--seconds 60] [--subscriptions 1000] [--notifications]`.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BARE_WINDOW = (
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\nw = QMainWindow()\nw.resize(800, 600)\nw.show()\n"
    "def done():\n"
    "    print([line for line in open('/proc/self/status') if line.startswith('VmRSS')][0].split()[1])\n"
    "    app.quit()\n"
    "QTimer.singleShot(1500, done)\napp.exec()\n"
)
# Native parts of what the window's features load: SQLAlchemy's and MarkupSafe's (Jinja2's) compiled modules, Qt's
# chart and SVG libraries. Pure-Python modules leave no trace in /proc/PID/maps.
FEATURE_LIBRARIES = ("sqlalchemy", "markupsafe", "QtCharts", "QtSvg")
SETTLE_SECONDS = 5.0  # after the icon registered: the first check, the menu's entries, deferred deletes


def populate(path: Path, count: int) -> None:
    from renewaltracker.domain.clock import SystemClock
    from renewaltracker.domain.interval import parse_interval
    from renewaltracker.domain.subscription import Subscription
    from renewaltracker.services.subscriptions import SubscriptionService
    from renewaltracker.storage.database import open_database

    database = open_database(path)
    service = SubscriptionService(database, SystemClock())
    today = date.today()
    cycles = ["1 month", "1 year", "3 months", "1 week"]
    for number in range(count):
        # Start far enough ahead that nothing falls due during the measurement.
        service.add(
            Subscription(
                name=f"Service {number}",
                amount=Decimal("9.99"),
                currency="EUR",
                interval=parse_interval(cycles[number % len(cycles)]),
                anchor=today + timedelta(days=30 + number % 300),
                notice_days=number % 3 or None,
            )
        )
    database.close()


def status(pid: int, field: str, task: int | None = None) -> int:
    """A number from /proc/PID/status (of one thread with `task`): VmRSS in kB, voluntary_ctxt_switches, ..."""
    where = f"/proc/{pid}/task/{task}/status" if task is not None else f"/proc/{pid}/status"
    with open(where) as lines:
        return int(next(line for line in lines if line.startswith(field + ":")).split()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the whole process (every thread), from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Desktop:
    """Xvfb, a private session bus, the tray host and (optionally) dunst, stopped in reverse order."""

    def __init__(self, notifications: bool) -> None:
        for tool in ("Xvfb", "dbus-daemon") + (("dunst",) if notifications else ()):
            if shutil.which(tool) is None:
                raise SystemExit(f"{tool} is missing; see the module docstring")
        self.processes: list[subprocess.Popen[str]] = []
        read_end, write_end = os.pipe()
        # -displayfd: Xvfb picks a free display and writes its number, so parallel runs never collide.
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24"],
            stderr=subprocess.DEVNULL,
            pass_fds=(write_end,),
            text=True,
        )
        self.processes.append(xvfb)
        os.close(write_end)
        with os.fdopen(read_end) as numbers:
            display = numbers.readline().strip()
        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.processes.append(bus)
        assert bus.stdout is not None
        self.env = dict(
            os.environ,
            DISPLAY=f":{display}",
            QT_QPA_PLATFORM="xcb",
            DBUS_SESSION_BUS_ADDRESS=bus.stdout.readline().strip(),
        )
        host = subprocess.Popen(
            [sys.executable, str(ROOT / "benchmarks" / "tray_host.py")], stdout=subprocess.PIPE, env=self.env, text=True
        )
        self.processes.append(host)
        assert host.stdout is not None
        if host.stdout.readline().strip() != "ready":
            raise SystemExit("the tray host did not start")
        if notifications:
            dunst = subprocess.Popen(["dunst"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env)
            self.processes.append(dunst)
            time.sleep(0.5)

    def close(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            process.wait(10)


def bare_window_rss_mb(env: dict[str, str]) -> float:
    """Resident memory of a bare QMainWindow process 1.5 s after it showed, in MB."""
    result = subprocess.run(
        [sys.executable, "-c", BARE_WINDOW], capture_output=True, text=True, check=True, env=env, timeout=60
    )
    return int(result.stdout.split()[-1]) / 1024


def loaded(pid: int, names: tuple[str, ...]) -> list[str]:
    """Which of these shared libraries or packages the process has mapped (a cheap look at what it imported)."""
    with open(f"/proc/{pid}/maps") as maps:
        text = maps.read()
    return [name for name in names if name in text]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument("--notifications", action="store_true", help="run dunst as the notification service")
    parser.add_argument("--fill", type=Path, help=argparse.SUPPRESS)  # the child process that writes the rows
    args = parser.parse_args()
    if args.fill:
        populate(args.fill, args.subscriptions)
        return
    compileall.compile_dir(ROOT / "renewaltracker", quiet=1)  # as an installed package has it
    desktop = Desktop(args.notifications)
    try:
        with tempfile.TemporaryDirectory() as folder:
            home = Path(folder)
            env = dict(
                desktop.env,
                HOME=str(home),
                XDG_CONFIG_HOME=str(home / "config"),
                XDG_DATA_HOME=str(home / "data"),
                XDG_STATE_HOME=str(home / "state"),
                XDG_CACHE_HOME=str(home / "cache"),
                XDG_RUNTIME_DIR=str(home),
                RENEWALTRACKER_IN_TRAY="1",
            )
            db = home / "idle.sqlite3"
            subprocess.run(
                [sys.executable, __file__, "--fill", str(db), "--subscriptions", str(args.subscriptions)],
                check=True,
                env=env,
            )
            command = [sys.executable, "-m", "renewaltracker", "--db", str(db)]
            app = subprocess.Popen(command, env=env, cwd=home, text=True)
            try:
                measure(app, args, env, command, home)
            finally:
                app.terminate()
                app.wait(30)
    finally:
        desktop.close()


def measure(
    app: subprocess.Popen[str], args: argparse.Namespace, env: dict[str, str], command: list[str], home: Path
) -> None:
    time.sleep(SETTLE_SECONDS)
    if app.poll() is not None:
        raise SystemExit(f"the app ended early with {app.returncode}")
    pid = app.pid
    # A wake-up of the GUI thread is a voluntary context switch of the main thread (it slept in poll() and was
    # woken: a timer, a socket, a file notice); the CPU time counts every thread, in clock ticks (10 ms).
    cpu, wall, wakes = cpu_seconds(pid), time.monotonic(), status(pid, "voluntary_ctxt_switches", pid)
    time.sleep(args.seconds)
    cpu, wall = cpu_seconds(pid) - cpu, time.monotonic() - wall
    wakes = status(pid, "voluntary_ctxt_switches", pid) - wakes
    idle_rss = status(pid, "VmRSS") / 1024
    heavy = loaded(pid, FEATURE_LIBRARIES)
    bare_rss = bare_window_rss_mb(env)
    print(f"platform xcb under Xvfb, tray host, {args.subscriptions} subscriptions, in the tray since login")
    print(f"idle {wall:.1f} s: CPU {cpu:.3f} s ({100 * cpu / wall:.3f} %), GUI-thread wake-ups {wakes}")
    print(
        f"resident memory in the tray: {idle_rss:.0f} MB; bare QMainWindow process: {bare_rss:.0f} MB "
        f"({idle_rss / bare_rss:.2f}×)"
    )
    print(f"  native libraries of the window's features mapped: {', '.join(heavy) or 'none'}")
    # A second start hands over to the running one, which builds its window now.
    began = time.monotonic()
    subprocess.run(command, env=env, cwd=home, check=True, timeout=60)
    deadline = began + 30
    while not loaded(pid, ("sqlalchemy",)) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(3)  # the rows, the features, the first reminder check on the ORM
    print(
        f"after a second start asked for the window: {status(pid, 'VmRSS') / 1024:.0f} MB "
        f"(mapped: {', '.join(loaded(pid, FEATURE_LIBRARIES)) or 'none'})"
    )


if __name__ == "__main__":
    main()
