"""The longest GUI-thread stall in a scripted session with 1,000 subscriptions (target: none over 50 ms).

Usage: python benchmarks/gui_stalls.py [--count 1000] [--profile FOLDER]
Offscreen Qt in a temporary folder. A 5 ms repeating timer on the GUI thread records the gap between its
ticks; a gap far over 5 ms is time the thread spent on something else (a stall the user would feel). Wall
gaps grow with the machine's load, so each gap's GUI-thread CPU time is recorded too (the steadier figure).
Each step of the session runs as the window would run it (on the GUI thread, through the same objects), then
the event loop runs for a moment so queued work (models refreshing, workers reporting) lands inside the step.
The longest cycle collection (on any thread: it holds the GIL) is shown per step too, and the GUI-thread CPU of
the step's own call (a selection: every slot the selection reaches, before the loop paints anything).
The window starts as the app starts it: the frame is shown first, then the features are attached to it.
With --profile, each step's GUI-thread CPU is profiled (cProfile on thread CPU time) into FOLDER/NN.prof.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.population import population  # noqa: E402
from renewaltracker.domain.clock import SystemClock  # noqa: E402
from renewaltracker.domain.drafts import DraftKind  # noqa: E402
from renewaltracker.storage.database import GUI_BUSY_TIMEOUT, open_database  # noqa: E402
from renewaltracker.ui.app import create_application  # noqa: E402
from renewaltracker.ui.background import freeze_startup_heap  # noqa: E402
from renewaltracker.ui.composition import Collaborators, build_main_window  # noqa: E402
from renewaltracker.ui.context import AppContext  # noqa: E402
from renewaltracker.ui.draft_dialog import DraftDialog  # noqa: E402
from renewaltracker.ui.main_window import MainWindow  # noqa: E402
from tests.ui.fakes import FakeNotifier, NoKeyringStore  # noqa: E402


class Watchdog:
    """Measures the gaps between ticks of a fast timer on the GUI thread."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.longest = 0.0
        self.step_longest = 0.0
        self.step_cpu = 0.0  # the most GUI-thread CPU time spent between two ticks in this step
        self.cpu_mark = time.thread_time()

        self.step_gc = 0.0  # the longest cycle collection in this step (any thread), a stall nobody called
        self._gc_began = 0.0
        gc.callbacks.append(self._collection)

    def _collection(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_began = time.perf_counter()
        else:
            self.step_gc = max(self.step_gc, time.perf_counter() - self._gc_began)

    def start(self) -> None:
        self.clock.start()
        self.timer.start()

    def restart(self) -> None:
        self.step_longest = self.step_cpu = self.step_gc = 0.0
        self.clock.restart()
        self.cpu_mark = time.thread_time()

    def _tick(self) -> None:
        gap = self.clock.restart() / 1000
        cpu, self.cpu_mark = time.thread_time() - self.cpu_mark, time.thread_time()
        self.longest = max(self.longest, gap)
        self.step_longest = max(self.step_longest, gap)
        self.step_cpu = max(self.step_cpu, cpu)


def settle(app: QApplication, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.001)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000)
    parser.add_argument("--profile", type=Path, help="write each step's GUI-thread profile to FOLDER/NN.prof")
    options = parser.parse_args()
    if options.profile:
        options.profile.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(HOME=folder, XDG_CONFIG_HOME=folder, XDG_DATA_HOME=folder, RENEWALTRACKER_LOG_DIR=folder)
        database = open_database(Path(folder) / "bench.sqlite3", busy_timeout=GUI_BUSY_TIMEOUT)
        app = create_application()
        context = AppContext.create(database, SystemClock())
        with context.service.transaction():
            pass
        for subscription in population(options.count):
            context.service.add(replace(subscription, id=None))
        # One plan with four years of charges: its detail pane lays out a long charge history.
        long_history = context.service.add(
            replace(population(1)[0], id=None, name="Benchmark long history", anchor=date(2022, 1, 5))
        )
        for month in range(48):
            day = date(2022 + month // 12, month % 12 + 1, 5)
            context.service.record_charge(long_history.id, day, reference=f"INV-{month:04d}", force=True)
        context.signals.watch(Path(folder) / "bench.sqlite3")  # as the app does: other processes' commits show
        watchdog = Watchdog()
        watchdog.start()
        results: list[tuple[str, float, float, float, float]] = []

        def step(name: str, action: Callable[[], object], wait: float = 1.0) -> None:
            settle(app, 0.1)
            profile = cProfile.Profile(time.thread_time) if options.profile else None
            watchdog.restart()
            if profile is not None:
                profile.enable()
            began = time.thread_time()
            action()
            call = time.thread_time() - began  # the step's own call: what it does before returning to the loop
            settle(app, wait)
            if profile is not None:
                profile.disable()
                profile.dump_stats(options.profile / f"{len(results):02d}.prof")
            results.append((name, watchdog.step_longest, watchdog.step_cpu, call, watchdog.step_gc))

        collaborators = Collaborators(secrets=NoKeyringStore(), notifier=FakeNotifier().factory, tray_available=True)
        holder: dict[str, object] = {}

        def start() -> None:
            # As `ui/app.py` does it: the frame first, then (after its first paint) every feature attached to it.
            frame = MainWindow()
            frame.show()
            settle(app, 0.05)
            features = build_main_window(context, collaborators, frame)
            holder["features"] = features
            features.window.model.read_finished.connect(freeze_startup_heap)  # as `ui/app.py` does
            features.start(watch_sleep=False)
            features.window.show()

        step("start: frame, attach, read 1,000 rows, first reminder check", start, wait=3.0)
        features = holder["features"]
        window = features.window  # type: ignore[attr-defined]
        added = {}
        step(
            "add a subscription",
            lambda: added.setdefault(
                "s", context.service.add(replace(population(1)[0], id=None, name="Benchmark added"))
            ),
        )
        subscription_id = added["s"].id
        step("edit it", lambda: context.service.edit(subscription_id, name="Benchmark edited", anchor=date(2026, 1, 5)))
        step("select it (details pane)", lambda: window.open_subscription(subscription_id))
        for index in range(window.views.count()):
            title = window.views.tabText(index)
            step(f"switch to the {title} tab", lambda index=index: window.views.setCurrentIndex(index))
        for index in range(window.detail_tabs.count()):
            title = window.detail_tabs.tabText(index)
            step(f"switch to the {title} detail tab", lambda index=index: window.detail_tabs.setCurrentIndex(index))
        step("record a charge", lambda: window.details.record_charge())
        other = window.model.subscription(0).id if window.model.subscription(0).id != subscription_id else None
        step("select another subscription", lambda: window.open_subscription(other or window.model.subscription(1).id))
        step("select the edited one again", lambda: window.open_subscription(subscription_id))
        # The steps above ran with the last detail tab (Requests) in front; the hidden tabs' share shows here.
        titles = [window.detail_tabs.tabText(index) for index in range(window.detail_tabs.count())]
        for title in ("Contacts", "Details"):
            index = titles.index(title)
            step(
                f"bring the {title} detail tab to the front",
                lambda index=index: window.detail_tabs.setCurrentIndex(index),
            )
            step(
                f"select another ({title} in front)",
                lambda: window.open_subscription(other or window.model.subscription(1).id),
            )
            step(f"select the edited one again ({title} in front)", lambda: window.open_subscription(subscription_id))
        step("select one with 48 charges (Details in front)", lambda: window.open_subscription(long_history.id))
        letters = features.letters  # type: ignore[attr-defined]

        def draft() -> None:
            dialog = DraftDialog(context, letters.drafts, NoKeyringStore(), subscription_id, DraftKind.CANCEL, window)
            dialog.show()
            holder["dialog"] = dialog

        step("draft a cancellation letter", draft)
        holder["dialog"].close()  # type: ignore[attr-defined]
        features.close()  # type: ignore[attr-defined]
        database.close()
    print(
        f"| Step ({options.count:,} subscriptions, offscreen) | Longest GUI-thread stall | Its CPU (most) "
        "| The step's call, CPU | Longest cycle collection |"
    )
    print("| --- | --- | --- | --- | --- |")
    for name, longest, cpu, call, collection in results:
        print(
            f"| {name} | {longest * 1000:.0f} ms | {cpu * 1000:.0f} ms | {call * 1000:.1f} ms "
            f"| {collection * 1000:.0f} ms |"
        )
    worst = max(result[1] for result in results[1:])
    worst_cpu = max(result[2] for result in results[1:])
    print(
        f"longest stall after start-up: {worst * 1000:.0f} ms wall, {worst_cpu * 1000:.0f} ms GUI-thread CPU; "
        f"during start-up: {results[0][1] * 1000:.0f} ms wall, {results[0][2] * 1000:.0f} ms CPU"
    )
    print(f"load average: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
