"""Start-up order: the frame paints before the data layers load, rows come from a worker, other tabs wait."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from renewaltracker.domain.clock import SystemClock
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import open_database
from renewaltracker.storage.errors import StorageError
from renewaltracker.storage.peek import peek_setting
from renewaltracker.ui.composition import Collaborators, build_main_window
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.main_window import MainWindow
from tests.factories import make_subscription, saved
from tests.ui.child_probe import start_window

HEAVY = ("sqlalchemy", "babel", "jinja2", "renewaltracker.ui.composition", "renewaltracker.services.subscriptions")
# Needed only once the rows are on screen: the single-instance socket and the log file's handler.
LATE = ("PySide6.QtNetwork", "logging.handlers")
# Runs the real `main` offscreen, records which heavy modules were loaded at each start-up mark (and the rows the
# table held), then quits once the rows are painted and every feature is attached.
PROBE = f"""
import gc, json, sys, threading
from PySide6.QtWidgets import QApplication
from renewaltracker.ui import app
seen = {{}}
# What start-up itself set: a worker that plans reminders pauses the (process-wide) collector for a moment too.
started = [gc.isenabled()]
def on_main(switch, state):
    def call():
        if threading.current_thread() is threading.main_thread():
            started.append(state)
        switch()
    return call
gc.enable, gc.disable = on_main(gc.enable, True), on_main(gc.disable, False)
def collecting():
    return started[-1]
def mark(what):
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "MainWindow")
    rows = window.model.rowCount() if hasattr(window, "model") else None
    modules = [name for name in {HEAVY!r} if name in sys.modules]
    late = [name for name in {LATE!r} if name in sys.modules]
    seen[what] = {{
        "modules": modules, "late": late, "rows": rows, "frozen": gc.get_freeze_count(), "collecting": collecting()
    }}
    seen.setdefault("order", []).append(what)
    if "ready" in seen and "populated" in seen:
        QApplication.instance().quit()
app._mark = mark
def start_logging():
    import logging.handlers  # what `renewaltracker.logs` brings
    seen.setdefault("order", []).append("logging")
code = app.main(sys.argv[1:], start_logging)
print(json.dumps({{"code": code, "frozen": gc.get_freeze_count(), "collecting": collecting(), **seen}}))
"""


def start_up(db_path: Path, tmp_path: Path, probe: str = PROBE) -> dict[str, Any]:
    """What the probe saw at each mark of a real start-up over `db_path`."""
    return start_window(probe, db_path, tmp_path)


def two_subscriptions(tmp_path: Path) -> Path:
    return saved(tmp_path / "start.sqlite3", [make_subscription(name=name) for name in ("Early", "Quick")])


def test_the_window_paints_once_with_its_rows_before_the_data_layers_are_imported(tmp_path: Path) -> None:
    seen = start_up(two_subscriptions(tmp_path), tmp_path)
    # The first paint has the rows, read with sqlite3 and formatted with Babel, before SQLAlchemy or any feature.
    assert (seen["visible"]["modules"], seen["visible"]["rows"]) == (["babel"], 2)
    assert (seen["populated"]["modules"], seen["populated"]["rows"]) == (["babel"], 2)
    assert seen["visible"]["frozen"] == 0 and seen["populated"]["frozen"] == 0  # frozen once start-up is done
    assert set(seen["ready"]["modules"]) == set(HEAVY) and seen["ready"]["rows"] == 2
    assert seen["order"] == ["visible", "populated", "logging", "ready"] and seen["code"] == 0
    # No socket and no log file before the rows are painted; both by the time every feature is attached.
    assert seen["visible"]["late"] == [] and seen["populated"]["late"] == []
    assert seen["ready"]["late"] == list(LATE)
    # What start-up built is kept out of later full cycle collections (they paused every thread for 0.1-0.2 s).
    assert seen["frozen"] > 10_000
    # The collector, paused while start-up builds, runs again once every feature is built, and after `main`.
    assert not seen["visible"]["collecting"] and not seen["populated"]["collecting"]
    assert seen["ready"]["collecting"] and seen["collecting"]


def test_started_at_login_where_no_tray_is_the_window_paints_once_with_its_rows(tmp_path: Path) -> None:
    # The login entry asks for the tray; offscreen Qt has none, so the window shows, and its early read (started
    # only once the tray is known to be missing) still puts the rows in its first paint.
    seen = start_window(PROBE, two_subscriptions(tmp_path), tmp_path, RENEWALTRACKER_IN_TRAY="1")
    assert (seen["visible"]["modules"], seen["visible"]["rows"]) == (["babel"], 2)
    assert seen["order"][:2] == ["visible", "populated"] and seen["code"] == 0


def test_rows_that_are_late_follow_a_frame_that_says_they_are_loading(tmp_path: Path) -> None:
    """A read slower than `ROWS_BEFORE_FRAME_S` does not hold the window back: the frame paints with its loading
    page, and the rows paint after it."""
    slow_read = (
        "from renewaltracker.ui import app\n"
        "import time\n"
        "app.ROWS_BEFORE_FRAME_S = 0.05\n"
        "quick_read = app.EarlyRows._read_rows\n"
        "app.EarlyRows._read_rows = lambda self, path: time.sleep(0.5) or quick_read(self, path)\n"
    )
    probe = PROBE.replace("from renewaltracker.ui import app\n", slow_read)
    probe = probe.replace(
        '"rows": rows,',
        '"rows": rows, "page": window.subscriptions.stack.currentWidget() is window.subscriptions.loading,',
    )
    seen = start_up(two_subscriptions(tmp_path), tmp_path, probe)
    assert (seen["visible"]["rows"], seen["visible"]["page"]) == (0, True)
    assert (seen["populated"]["rows"], seen["populated"]["page"]) == (2, False)
    assert seen["order"] == ["visible", "populated", "logging", "ready"] and seen["code"] == 0


def test_a_database_the_quick_reader_declines_is_opened_first_then_read(tmp_path: Path) -> None:
    seen = start_up(tmp_path / "new" / "first.sqlite3", tmp_path)  # no file yet: opening creates it
    # The frame paints at once with its empty table ("Loading your renewals…"), before the data layers load.
    assert set(seen["visible"]["modules"]) <= {"babel"} and seen["visible"]["rows"] == 0
    assert set(seen["ready"]["modules"]) == set(HEAVY)
    assert set(seen["populated"]["modules"]) == set(HEAVY) and seen["populated"]["rows"] == 0
    assert seen["order"] == ["visible", "logging", "ready", "populated"] and seen["code"] == 0
    assert seen["visible"]["late"] == [] and seen["ready"]["late"] == list(LATE)
    assert (tmp_path / "new" / "first.sqlite3").is_file()
    assert not seen["visible"]["collecting"] and seen["ready"]["collecting"] and seen["collecting"]


def test_the_rows_are_read_on_a_worker_thread(qtbot: QtBot, context: AppContext, collaborators: Collaborators) -> None:
    context.service.add(make_subscription(name="Read elsewhere"))
    threads: list[threading.Thread] = []
    original = context.service.all

    def recording_all() -> list[object]:
        threads.append(threading.current_thread())
        return list(original())

    context.service.all = recording_all  # type: ignore[method-assign]
    window = build_main_window(context, collaborators).window
    qtbot.addWidget(window)
    # Building the window reads nothing on the GUI thread (the reminder scheduler may already plan on its worker).
    assert not window.model.loaded and all(thread is not threading.main_thread() for thread in threads)
    window.show()
    qtbot.waitUntil(lambda: window.model.loaded)
    assert threads and all(thread is not threading.main_thread() for thread in threads)
    assert [r.subscription.name for r in window.model.records()] == ["Read elsewhere"]
    assert window.subscriptions.stack.currentWidget() is window.subscriptions.table


def test_a_change_during_the_read_is_not_lost(qtbot: QtBot, context: AppContext, formatter: object) -> None:
    context.service.add(make_subscription(name="First"))
    release = threading.Event()
    original = context.service.all

    def slow_all() -> list[object]:
        rows = list(original())
        release.wait(10)
        return rows

    context.service.all = slow_all  # type: ignore[method-assign]
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.loading)
    context.service.add(make_subscription(name="Added meanwhile"))  # committed after the worker's read
    release.set()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2 and not window.model.loading)
    assert sorted(r.subscription.name for r in window.model.records()) == ["Added meanwhile", "First"]


@pytest.mark.expect_log_warnings
def test_a_busy_database_at_start_is_one_sentence_in_place_of_the_rows(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy() -> list[object]:
        raise StorageError("the database is busy (another program is writing to it)")

    monkeypatch.setattr(context.service, "all", busy)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    view = window.subscriptions
    qtbot.waitUntil(lambda: "busy" in view.loading.text())
    assert view.stack.currentWidget() is view.loading and not window.model.loaded
    assert view.loading.text().count("\n") == 1 and "F5" in view.loading.text()
    monkeypatch.undo()  # the file is free again: F5 reads it
    window.refresh_action.trigger()
    qtbot.waitUntil(lambda: window.model.loaded)
    assert view.stack.currentWidget() is view.empty


def test_hidden_tabs_are_built_when_first_shown(
    qtbot: QtBot, context: AppContext, collaborators: Collaborators
) -> None:
    window = build_main_window(context, collaborators).window
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.loaded)
    pages = {key: window.views.widget(index) for index, key in enumerate(("subscriptions", "calendar", "upcoming"))}
    assert pages["subscriptions"] is window.subscriptions
    assert pages["calendar"].findChildren(type(window.subscriptions)) == []
    assert all(getattr(page, "view", None) is None for key, page in pages.items() if key != "subscriptions")
    window.views.setCurrentIndex(1)  # the user opens the Calendar tab
    assert getattr(pages["calendar"], "view", None) is window.calendar
    assert getattr(pages["upcoming"], "view", None) is None  # still not built


def test_the_frame_alone_has_the_tabs_and_a_loading_page(qtbot: QtBot) -> None:
    frame = MainWindow(demo=True)
    qtbot.addWidget(frame)
    frame.show()
    titles = [frame.views.tabText(index) for index in range(frame.views.count())]
    assert titles == ["Renewals", "Calendar", "Upcoming", "Spending"]
    assert frame.views.currentWidget() is frame.loading and frame.loading.text() == "Loading your renewals…"
    assert frame.windowTitle() == "Demo data — Renewal Tracker"
    frame.views.setCurrentIndex(1)  # a tab opened before the data is there stays empty until attach
    frame.close()  # closing before attach keeps the remembered column widths


def test_peek_setting_reads_the_stored_language_without_sqlalchemy(tmp_path: Path) -> None:
    path = tmp_path / "peek.sqlite3"
    assert peek_setting(path, "language") == ""  # no file yet
    database = open_database(path)
    assert peek_setting(path, "language") == ""  # no row
    SubscriptionService(database, SystemClock()).set_setting("language", "de")
    database.close()
    assert peek_setting(path, "language") == "de"
    (tmp_path / "junk.sqlite3").write_bytes(b"not a database at all" * 10)
    assert peek_setting(tmp_path / "junk.sqlite3", "language") == ""


def test_a_long_collection_paints_its_first_screenful_then_the_whole_set(tmp_path: Path) -> None:
    """With more rows than the first screenful (`FIRST_ROWS`, made 2 here), the rows painted first are those few,
    the whole set follows, and start-up's heap is frozen only once every row is in."""
    db_path = tmp_path / "long.sqlite3"
    database = open_database(db_path)
    service = SubscriptionService(database, SystemClock())
    for number in range(5):
        service.add(make_subscription(name=f"Plan {number}", anchor=date(2026, 1, 1 + number)))
    database.close()
    probe = PROBE.replace(
        "from renewaltracker.ui import app\n", "from renewaltracker.ui import app\napp.FIRST_ROWS = 2\n"
    )
    probe = probe.replace(
        '"rows": rows,', '"rows": rows, "partial": getattr(getattr(window, "model", None), "partial", None),'
    )
    quit_now = "        QApplication.instance().quit()\n"
    quit_when_whole = (
        "        def whole():\n"
        "            if not window.model.loaded:\n"
        "                return QTimer.singleShot(10, whole)\n"
        "            model = window.model\n"
        "            seen['whole'] = [model.rowCount(), len(model.records()), gc.get_freeze_count(), gc.isenabled()]\n"
        "            QApplication.instance().quit()\n"
        "        whole()\n"
    )
    assert quit_now in probe and '"rows": rows,' in probe
    probe = probe.replace(quit_now, quit_when_whole).replace(
        "from PySide6.QtWidgets import QApplication\n",
        "from PySide6.QtWidgets import QApplication\nfrom PySide6.QtCore import QTimer\n",
    )
    seen = start_up(db_path, tmp_path, probe)
    assert (seen["populated"]["rows"], seen["populated"]["partial"]) == (2, True)
    assert seen["populated"]["modules"] == ["babel"]
    # Frozen, and collecting again, once the whole set is in (not while it is being built).
    assert seen["whole"] == [5, 5, seen["whole"][2], True] and seen["whole"][2] > 10_000
    assert not seen["populated"]["collecting"]
    assert seen["ready"]["collecting"] is not seen["ready"]["partial"]
    assert seen["code"] == 0
