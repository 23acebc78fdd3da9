"""The longest GUI-thread stall in a scripted session with 1,000 subscriptions (target: none over 50 ms).

Usage: python benchmarks/gui_stalls.py [--count 1000]
Offscreen Qt in a temporary folder. A 5 ms repeating timer on the GUI thread records the gap between its
ticks; a gap far over 5 ms is time the thread spent on something else (a stall the user would feel). Each
step of the session runs as the window would run it (on the GUI thread, through the same objects), then the
event loop runs for a moment so queued work (models refreshing, workers reporting) lands inside the step.
"""

from __future__ import annotations

import argparse
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
from renewaltracker.ui.composition import Collaborators, build_main_window  # noqa: E402
from renewaltracker.ui.context import AppContext  # noqa: E402
from renewaltracker.ui.draft_dialog import DraftDialog  # noqa: E402
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

    def start(self) -> None:
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        gap = self.clock.restart() / 1000
        self.longest = max(self.longest, gap)
        self.step_longest = max(self.step_longest, gap)


def settle(app: QApplication, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.001)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(HOME=folder, XDG_CONFIG_HOME=folder, XDG_DATA_HOME=folder, RENEWALTRACKER_LOG_DIR=folder)
        database = open_database(Path(folder) / "bench.sqlite3", busy_timeout=GUI_BUSY_TIMEOUT)
        app = create_application()
        context = AppContext.create(database, SystemClock())
        with context.service.transaction():
            pass
        for subscription in population(options.count):
            context.service.add(replace(subscription, id=None))
        watchdog = Watchdog()
        watchdog.start()
        results: list[tuple[str, float]] = []

        def step(name: str, action: Callable[[], object], wait: float = 1.0) -> None:
            settle(app, 0.1)
            watchdog.step_longest = 0.0
            watchdog.clock.restart()
            action()
            settle(app, wait)
            results.append((name, watchdog.step_longest))

        collaborators = Collaborators(secrets=NoKeyringStore(), notifier=FakeNotifier().factory, tray_available=True)
        holder: dict[str, object] = {}

        def start() -> None:
            features = build_main_window(context, collaborators)
            holder["features"] = features
            features.start(watch_sleep=False)
            features.window.show()

        step("start: build, show, load 1,000 rows, first reminder check", start, wait=3.0)
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
        letters = features.letters  # type: ignore[attr-defined]

        def draft() -> None:
            dialog = DraftDialog(context, letters.drafts, NoKeyringStore(), subscription_id, DraftKind.CANCEL, window)
            dialog.show()
            holder["dialog"] = dialog

        step("draft a cancellation letter", draft)
        holder["dialog"].close()  # type: ignore[attr-defined]
        features.close()  # type: ignore[attr-defined]
        database.close()
    print(f"| Step ({options.count:,} subscriptions, offscreen) | Longest GUI-thread stall |")
    print("| --- | --- |")
    for name, longest in results:
        print(f"| {name} | {longest * 1000:.0f} ms |")
    worst = max(longest for name, longest in results[1:])
    print(f"longest stall after start-up: {worst * 1000:.0f} ms; during start-up: {results[0][1] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
