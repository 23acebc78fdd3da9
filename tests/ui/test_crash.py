"""The window's exception hook: a bug shows one copyable report and is logged; a busy database is one line."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from renewaltracker.domain.clock import FixedClock
from renewaltracker.storage.database import GUI_BUSY_TIMEOUT, open_database
from renewaltracker.storage.errors import BUSY_MESSAGE, DatabaseBusyError
from renewaltracker.ui import actions
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.crash import CrashHandler
from renewaltracker.ui.formatting import Formatter, first_upper
from renewaltracker.ui.main_window import MainWindow
from tests.factories import make_subscription


class Button(QObject):
    clicked = Signal()


class Recorder:
    def __init__(self) -> None:
        self.reports: list[tuple[str, str]] = []
        self.problems: list[str] = []

    def report(self, summary: str, report: str) -> None:
        self.reports.append((summary, report))

    def problem(self, message: str) -> None:
        self.problems.append(message)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def installed(recorder: Recorder) -> Iterator[CrashHandler]:
    handler = CrashHandler(show_report=recorder.report, show_problem=recorder.problem)
    handler.install()
    yield handler
    handler.uninstall()


def raise_in_slot(error: BaseException) -> None:
    """Emit a signal whose Python slot raises: Qt cannot propagate it, so PySide hands it to sys.excepthook."""
    button = Button()

    def slot() -> None:
        raise error

    button.clicked.connect(slot)
    button.clicked.emit()


@pytest.mark.qt_no_exception_capture
@pytest.mark.expect_log_warnings
def test_an_error_in_a_slot_shows_one_report_and_is_logged(
    installed: CrashHandler, recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, "renewaltracker"):
        raise_in_slot(ZeroDivisionError("division by zero\nsecond line"))
    assert len(recorder.reports) == 1
    summary, report = recorder.reports[0]
    assert summary == "ZeroDivisionError: division by zero"
    assert "Traceback" in report and "in slot" in report and "Renewal Tracker" in report
    assert [r.getMessage() for r in caplog.records] == ["unexpected error"] and caplog.records[0].exc_info


@pytest.mark.qt_no_exception_capture
@pytest.mark.expect_log_warnings
def test_a_busy_database_is_one_line_not_a_crash_report(installed: CrashHandler, recorder: Recorder) -> None:
    raise_in_slot(DatabaseBusyError(BUSY_MESSAGE))
    assert recorder.problems == [first_upper(BUSY_MESSAGE)] and recorder.reports == []  # a sentence: a capital


@pytest.mark.expect_log_warnings
def test_an_error_in_another_thread_reaches_the_window(
    qtbot: QtBot, installed: CrashHandler, recorder: Recorder
) -> None:
    def work() -> None:
        raise ValueError("from a worker")

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(recorder.reports) == 1)
    assert recorder.reports[0][0] == "ValueError: from a worker"


@pytest.mark.qt_no_exception_capture
@pytest.mark.expect_log_warnings
def test_the_default_dialog_shows_a_copyable_report_once(qtbot: QtBot) -> None:
    handler = CrashHandler()
    handler.install()
    try:
        raise_in_slot(KeyError("missing"))
        raise_in_slot(KeyError("again"))  # while the first dialog is open: no second dialog
    finally:
        handler.uninstall()
    dialog = handler.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    assert dialog.report.isReadOnly() and "KeyError: 'missing'" in dialog.report.toPlainText()
    assert "again" not in dialog.report.toPlainText()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == dialog.report.toPlainText()
    dialog.reject()


def test_uninstall_restores_the_previous_hooks() -> None:
    import sys

    before = (sys.excepthook, threading.excepthook)
    handler = CrashHandler()
    handler.install()
    assert sys.excepthook == handler.handle
    handler.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


@pytest.mark.expect_log_warnings
def test_a_write_under_another_writers_lock_says_busy_within_the_gui_timeout(
    qtbot: QtBot, db_path: Path, clock: FixedClock, formatter: Formatter, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = open_database(db_path, busy_timeout=GUI_BUSY_TIMEOUT)  # as ui.app.main opens it
    context = AppContext.create(database, clock)
    saved = context.service.add(make_subscription(name="Netflix"))
    assert saved.id is not None
    window = MainWindow(context, formatter=formatter)
    qtbot.addWidget(window)
    told: list[str] = []
    monkeypatch.setattr(actions, "warn", lambda parent, title, text: told.append(text))
    window.open_subscription(saved.id)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another Renewal Tracker process is writing
    try:
        started = time.monotonic()
        window.commands.delete.trigger()
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert told == [BUSY_MESSAGE] and waited < GUI_BUSY_TIMEOUT + 1.5
    assert [s.name for s in context.service.all()] == ["Netflix"]
    context.signals.detach()
    window.close()
    database.close()
