"""Time-to-window with 10,000 subscriptions next to a bare PySide6 window, plus table sort and scroll timings.

Usage: python benchmarks/window_open.py [--count 10000] [--runs 3]
Starts its own Xvfb (needs xvfb and xdotool) and works in a temporary folder; your data is not touched.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from renewaltracker.domain.interval import Interval, Unit  # noqa: E402
from renewaltracker.domain.subscription import Subscription  # noqa: E402
from renewaltracker.storage.database import open_database  # noqa: E402
from renewaltracker.storage.repositories import SubscriptionRepository  # noqa: E402

# Writes the marks once the watched widget's first paint is done (a zero timer from its paint event, as the app's
# `_FirstPaint` does), so that every window is timed the same way.
PAINTED = """
class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, lambda: os.write(2, b"renewaltracker: visible\\nrenewaltracker: populated\\n"))
        return False
"""
# A bare window, timed as the app's table is, by its own paint: xdotool's 20 ms polling, used for it before, saw it
# about 15 ms after its paint and made every ratio look smaller than it is.
BARE_WINDOW = (
    """
import os
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
"""
    + PAINTED
    + """app = QApplication([])
window = QMainWindow()
window.resize(800, 600)
painted = Painted()
window.installEventFilter(painted)
window.show()
app.exec()
"""
)
# The smallest window with a table (what any PySide6 table costs beyond a bare window: the `Qt` namespace, a
# Python model, a header, a table view painting its cells): a menu bar, a tab and a 400 × 8 table of short texts,
# writing the "populated" mark once its table's first paint is done, as the bare window and the app do.
TABLE_FLOOR = (
    """
import os
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView, QTabWidget
class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 400
    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 8
    def data(self, index, role=0):
        return f"cell {index.row()} {index.column()}" if role == 0 else None
    def headerData(self, section, orientation, role=0):
        return f"Header {section}" if role == 0 else None
"""
    + PAINTED
    + """app = QApplication([])
window = QMainWindow()
window.menuBar().addMenu("File")
tabs = QTabWidget()
table = QTableView()
table.setModel(Model())
tabs.addTab(table, "Renewals")
window.setCentralWidget(tabs)
window.resize(1280, 780)
painted = Painted()
table.viewport().installEventFilter(painted)
window.show()
app.exec()
"""
)
UNITS = (Unit.MONTH, Unit.MONTH, Unit.YEAR, Unit.WEEK)
CURRENCIES = ("USD", "EUR", "GBP", "JPY")


def varied_subscription(n: int) -> Subscription:
    """The `n`th of the varied subscriptions the benchmarks use: four currencies, intervals and units, 300 vendors."""
    return Subscription(
        name=f"Subscription {n:05d}",
        amount=Decimal(100 + (n * 37) % 5000) / (1 if n % 4 == 3 else 100),
        currency=CURRENCIES[n % 4],
        interval=Interval(1 + n % 3, UNITS[n % 4]),
        anchor=date(2024, 1, 1) + timedelta(days=n % 700),
        vendor=f"Vendor {n % 300}",
        category=f"Category {n % 12}",
        notice_days=(n % 5) * 7 or None,
        refund_days=14 if n % 3 == 0 else None,
    )


def fill(path: Path, count: int) -> None:
    """`count` varied subscriptions written in one transaction (a bulk import, not 10,000 user actions)."""
    database = open_database(path)
    now = datetime.now(UTC)
    with database.sessions.begin() as session:
        repository = SubscriptionRepository(session)
        for n in range(count):
            repository.add(varied_subscription(n), now)
    database.close()


def start_xvfb(wanted: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Our own X server. Without a number Xvfb picks a free display itself (-displayfd): choosing one by its socket
    raced with other benchmarks starting theirs, and then the windows went to a server that was going away."""
    if wanted is not None:
        server = subprocess.Popen(["Xvfb", f":{wanted}", "-screen", "0", "1366x850x24"], stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{wanted}").exists():
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"Xvfb did not start on :{wanted}")
            time.sleep(0.02)
        return server, f":{wanted}"
    reader, writer = os.pipe()
    command = ["Xvfb", "-displayfd", str(writer), "-screen", "0", "1366x850x24"]
    server = subprocess.Popen(command, pass_fds=(writer,), stderr=subprocess.DEVNULL)
    os.close(writer)
    with os.fdopen(reader) as announced:
        number = announced.readline().strip()  # written once the server listens; empty if it exited
    if not number.isdigit():
        server.kill()
        raise RuntimeError("Xvfb did not start")
    return server, f":{number}"


def process_cpu(pid: int) -> float:
    """User + system CPU seconds the process has used so far (Linux /proc), in 10 ms ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_marked(command: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """`command` started with the start-up marks on (read from its stderr, line by line)."""
    return subprocess.Popen(
        command,
        env=dict(env, RENEWALTRACKER_STARTUP_MARKS="1"),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def time_to_window(command: list[str], env: dict[str, str]) -> tuple[float, float, float, float]:
    """Seconds from launch until xdotool sees a visible window of the process (polled every 20 ms), and until
    the process reports its table populated (it writes "renewaltracker: populated" to stderr when its table, or
    a bare window, first paints); then the process's CPU seconds at its "visible" and "populated" marks. CPU holds
    still on a busy machine where wall times do not."""
    started = time.monotonic()
    populated: list[float] = []
    cpu: dict[str, float] = {}
    process = start_marked(command, env)

    def watch_marks() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            mark = line.strip().removeprefix("renewaltracker: ")
            if mark in ("visible", "populated") and mark not in cpu:
                cpu[mark] = process_cpu(process.pid)
            if mark == "populated" and not populated:
                populated.append(time.monotonic() - started)

    reader = threading.Thread(target=watch_marks, daemon=True)
    reader.start()
    try:
        visible = None
        while time.monotonic() - started < 60:
            found = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--pid", str(process.pid)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if found.stdout.strip():
                visible = time.monotonic() - started
                cpu.setdefault("seen", process_cpu(process.pid))
                break
            time.sleep(0.02)
        if visible is None:
            raise RuntimeError(f"no window from {command}")
        while not populated and time.monotonic() - started < 120:
            time.sleep(0.01)
        if not populated:
            raise RuntimeError(f"no populated table from {command}")
        return visible, populated[0], cpu.get("visible", cpu["seen"]), cpu["populated"]
    finally:
        process.terminate()
        process.wait(10)


def warm_up(command: list[str], env: dict[str, str]) -> None:
    """One start run until every feature is attached and a moment more, as a user's first start: it leaves the
    caches later starts read (the format shapes, services/format_cache.py)."""
    process = start_marked(command, env)
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if line.strip() == "renewaltracker: ready":
                time.sleep(2)  # the shapes are written by a worker after "ready"
                break
    finally:
        process.terminate()
        process.wait(10)


def in_process_timings(path: Path, env: dict[str, str]) -> str:
    """Sort and scroll timings measured inside a child process that shows the real window."""
    code = f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from renewaltracker.domain.clock import SystemClock
from renewaltracker.storage.database import open_database
from renewaltracker.ui.app import build_main_window, create_application
from renewaltracker.ui.composition import Collaborators
from renewaltracker.ui.context import AppContext
app = create_application()
from pathlib import Path
database = open_database(Path({str(path)!r}))
t0 = time.perf_counter()
context = AppContext.create(database, SystemClock())
window = build_main_window(context, Collaborators.system()).window
window.show()
while not window.model.loaded:
    app.processEvents()
build = time.perf_counter() - t0
table = window.subscriptions.table
sorts = []
for column in range(window.model.columnCount()):
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        t = time.perf_counter()
        table.sortByColumn(column, order)
        table.viewport().repaint()
        sorts.append(time.perf_counter() - t)
bar = table.verticalScrollBar()
steps = []
for step in range(200):
    t = time.perf_counter()
    bar.setValue(bar.maximum() * step // 199)
    table.viewport().repaint()
    steps.append(time.perf_counter() - t)
t = time.perf_counter()
window.subscriptions.search.setText("Vendor 12")
app.processEvents()
search = time.perf_counter() - t
steps.sort()
# Two floors for the same scroll: a plain C++ model, and the smallest possible Python model.
from PySide6.QtCore import QAbstractTableModel, QModelIndex
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QTableView

class Minimal(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 10000
    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 8
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return "cell" if role == Qt.ItemDataRole.DisplayRole else None

plain = QStandardItemModel(2000, 8)
for r in range(2000):
    for c in range(8):
        plain.setData(plain.index(r, c), f"cell {{r}} {{c}}")
floors = []
for model in (plain, Minimal()):
    bare = QTableView()
    bare.setModel(model)
    bare.resize(table.size())
    bare.show()
    app.processEvents()
    bare_bar = bare.verticalScrollBar()
    bare_steps = []
    for step in range(200):
        t = time.perf_counter()
        bare_bar.setValue(bare_bar.maximum() * step // 199)
        bare.viewport().repaint()
        bare_steps.append(time.perf_counter() - t)
    bare_steps.sort()
    floors.append(bare_steps[100] * 1000)
print(f"{{floors[0]:.1f}} {{floors[1]:.1f}} {{build:.3f}} {{max(sorts):.3f}} {{sum(sorts) / len(sorts):.3f}}",
      f"{{steps[len(steps) // 2] * 1000:.1f}} {{steps[-1] * 1000:.1f}} {{search:.3f}}")
"""
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return result.stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--display", type=int, help="the X display number to start Xvfb on (default: a free one)")
    parser.add_argument("--quick", action="store_true", help="time the window only (no sort, scroll or search)")
    parser.add_argument("--cold", action="store_true", help="no warm-up start: the first start's caches are absent")
    options = parser.parse_args()
    if not shutil.which("Xvfb") or not shutil.which("xdotool"):
        sys.stderr.write("window_open: needs Xvfb and xdotool (Debian: apt install xvfb xdotool)\n")
        return 2
    # An installed package has its bytecode compiled; a checkout run with PYTHONDONTWRITEBYTECODE=1 would
    # otherwise compile every module of the app from source at every start (about 0.2 s of CPU in the window).
    compileall.compile_dir(ROOT / "renewaltracker", quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        t = time.perf_counter()
        fill(path, options.count)
        print(f"filled {options.count} subscriptions in {time.perf_counter() - t:.1f} s")
        server, display = start_xvfb(options.display)
        env = dict(
            os.environ,
            DISPLAY=display,
            QT_QPA_PLATFORM="xcb",
            HOME=folder,
            XDG_CONFIG_HOME=folder,
            XDG_DATA_HOME=folder,
            PYTHONPATH=str(ROOT),
        )
        try:
            bare_runs = [time_to_window([sys.executable, "-c", BARE_WINDOW], env) for _ in range(options.runs)]
            bare = [run[1] for run in bare_runs]
            bare_seen = [run[0] for run in bare_runs]
            bare_cpu = [run[3] for run in bare_runs]
            print("bare window, painted:", " ".join(f"{seconds:.2f}" for seconds in bare))
            print("bare window, seen by xdotool:", " ".join(f"{seconds:.2f}" for seconds in bare_seen))
            floor_runs = [time_to_window([sys.executable, "-c", TABLE_FLOOR], env) for _ in range(options.runs)]
            floor = [run[1] for run in floor_runs]
            floor_cpu = [run[3] for run in floor_runs]
            print("smallest table window:", " ".join(f"{seconds:.2f}" for seconds in floor))
            if not options.cold:
                warm_up([sys.executable, "-m", "renewaltracker", "--db", str(path)], env)
            cached = any(Path(folder, ".cache").rglob("format-shapes.json"))
            print("format shapes cached:", "yes" if cached else "no")
            runs = [
                time_to_window([sys.executable, "-m", "renewaltracker", "--db", str(path)], env)
                for _ in range(options.runs)
            ]
            app = [run[0] for run in runs]
            filled = [run[1] for run in runs]
            app_cpu = [run[2] for run in runs]
            filled_cpu = [run[3] for run in runs]
            print("renewal tracker, visible:", " ".join(f"{seconds:.2f}" for seconds in app))
            print("renewal tracker, populated:", " ".join(f"{seconds:.2f}" for seconds in filled))
            timings = ["-"] * 8 if options.quick else in_process_timings(path, env).split()
            bare_scroll, python_scroll, build, sort_max, sort_mean, scroll_median, scroll_max, search = timings
        finally:
            server.terminate()
            server.wait(10)
    print(f"| Measurement ({options.count:,} subscriptions, Xvfb) | Time |")
    print("| --- | --- |")
    print(
        f"| Bare PySide6 QMainWindow, time to its first paint (median of {options.runs}) | "
        f"{statistics.median(bare):.2f} s (xdotool sees it at {statistics.median(bare_seen):.2f} s) |"
    )
    bare_median, visible_median, filled_median = (statistics.median(x) for x in (bare, app, filled))
    floor_median, floor_cpu_median = statistics.median(floor), statistics.median(floor_cpu)
    print(
        f"| Smallest PySide6 table window (menu, tab, 400 × 8 Python model), time to its painted table "
        f"(median of {options.runs}) | {floor_median:.2f} s, {floor_median / bare_median:.2f}× the bare window "
        f"(CPU {floor_cpu_median:.2f} s, {floor_cpu_median / statistics.median(bare_cpu):.2f}×) |"
    )
    print(
        f"| Renewal Tracker, time to window (median of {options.runs}) | {visible_median:.2f} s, "
        f"{visible_median / bare_median:.2f}× the bare window |"
    )
    print(
        f"| Renewal Tracker, time to populated table (median of {options.runs}) | {filled_median:.2f} s, "
        f"{filled_median / bare_median:.2f}× the bare window |"
    )
    cpu_bare, cpu_visible, cpu_filled = (statistics.median(x) for x in (bare_cpu, app_cpu, filled_cpu))
    print(
        f"| CPU to the window / to the populated table (medians) | {cpu_visible:.2f} s, "
        f"{cpu_visible / cpu_bare:.2f}× / {cpu_filled:.2f} s, {cpu_filled / cpu_bare:.2f}× the bare window's "
        f"{cpu_bare:.2f} s |"
    )
    print(f"| Build the window and load all rows, in process (the table fills after the window shows) | {build} s |")
    print(f"| Sort by a column and repaint (mean / worst of 16) | {sort_mean} s / {sort_max} s |")
    print(f"| Scroll one step and repaint (median / worst of 200) | {scroll_median} ms / {scroll_max} ms |")
    print(f"| Same scroll step, plain C++ model (QStandardItemModel), median | {bare_scroll} ms |")
    print(f"| Same scroll step, smallest possible Python model (constant text), median | {python_scroll} ms |")
    print(f"| Search box filter to a vendor | {search} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
