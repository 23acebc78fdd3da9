"""The window notices what other processes commit (a CLI `add`, cron's `remind`) and keeps the user's place."""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from renewaltracker.cli import main as cli_main
from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.interval import parse_interval
from renewaltracker.domain.subscription import Subscription
from renewaltracker.i18n import _, install_language
from renewaltracker.storage.database import open_database
from renewaltracker.storage.errors import FILE_REPLACED_MESSAGE, SCHEMA_CHANGED_MESSAGE, SchemaChangedError
from renewaltracker.ui.composition import Features
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.formatting import first_upper
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.read_only import SchemaChangedBanner
from tests.storage.test_file_replaced import replaced_by_a_copy
from tests.storage.test_schema_changed import newer_version_migrates


def names(window: MainWindow) -> set[str]:
    return {record.subscription.name for record in window.model.records()}


def test_a_cli_add_shows_in_the_open_window_within_a_second(
    window: MainWindow, context: AppContext, db_path: Path, qtbot: QtBot
) -> None:
    context.signals.watch(db_path)
    argv = ["--db", str(db_path), "add", "--name", "Outside", "--amount", "4.99", "--currency", "EUR"]
    argv += ["--every", "1 month", "--start", "2026-01-05"]
    started = time.monotonic()
    assert cli_main(argv) == 0
    qtbot.waitUntil(lambda: "Outside" in names(window), timeout=1000)
    assert time.monotonic() - started < 1.0


def test_an_outside_change_keeps_the_selection_and_the_scroll_position(
    window: MainWindow, context: AppContext, db_path: Path, qtbot: QtBot
) -> None:
    for number in range(60):
        context.service.add(
            Subscription(f"Renewal {number:02}", Decimal("1.00"), "USD", parse_interval("1 month"), date(2026, 1, 1))
        )
    window.resize(900, 400)
    window.subscriptions.select_id(40)
    table = window.subscriptions.table
    bar = table.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    before = bar.value()
    assert before > 0
    context.signals.watch(db_path)
    other = open_database(db_path)
    try:
        second = AppContext.create(other, context.clock)
        second.service.add(
            Subscription("From elsewhere", Decimal("2"), "USD", parse_interval("1 year"), date(2026, 1, 1))
        )
        second.signals.detach()
    finally:
        other.close()
    qtbot.waitUntil(lambda: "From elsewhere" in names(window), timeout=1000)
    assert window.selected_subscription_id() == 40
    assert bar.value() == before


def test_own_changes_are_not_reloaded_twice(
    window: MainWindow, context: AppContext, db_path: Path, qtbot: QtBot
) -> None:
    context.signals.watch(db_path)
    resets: list[int] = []
    window.model.modelReset.connect(lambda: resets.append(1))
    context.service.add(Subscription("Mine", Decimal("3"), "USD", parse_interval("1 month"), date(2026, 1, 1)))
    qtbot.wait(700)
    assert "Mine" in names(window) and resets == []


def test_a_window_left_open_past_midnight_reads_its_rows_again_for_the_new_day(
    window: MainWindow, context: AppContext, db_path: Path, qtbot: QtBot, clock: FixedClock
) -> None:
    context.signals.watch(db_path)
    context.service.add(Subscription("Gym", Decimal("3"), "USD", parse_interval("1 month"), date(2026, 1, 15)))
    qtbot.waitUntil(lambda: "Gym" in names(window))
    (record,) = window.model.records()
    assert record.days_left == 5  # the clock says 2026-03-10; the next charge is the 15th
    clock.set(clock.now() + timedelta(days=1))
    qtbot.waitUntil(lambda: window.model.records()[0].days_left == 4, timeout=2000)


def test_view_refresh_reloads_on_f5(window: MainWindow, context: AppContext, qtbot: QtBot) -> None:
    assert window.refresh_action.shortcut().toString() == "F5"
    assert window.refresh_action in window.menu("view").actions()
    with qtbot.waitSignal(window.model.modelReset, timeout=1000):
        window.refresh_action.trigger()


def write_from_another_connection(db_path: Path, context: AppContext, name: str) -> None:
    other = open_database(db_path)
    try:
        second = AppContext.create(other, context.clock)
        second.service.add(Subscription(name, Decimal("2"), "USD", parse_interval("1 year"), date(2026, 1, 1)))
        second.signals.detach()
    finally:
        other.close()


def test_hidden_in_the_tray_the_watcher_does_not_poll_but_still_hears_outside_commits(
    window: MainWindow, context: AppContext, db_path: Path, qtbot: QtBot
) -> None:
    context.signals.watch(db_path)
    context.signals.follow_visibility(window)
    window.hide()
    assert not context.signals.polling  # no 500 ms wake-ups while nothing shows
    reloads: list[object] = []
    context.signals.changed.connect(lambda change, sid: reloads.append(sid))
    write_from_another_connection(db_path, context, "While hidden")
    qtbot.waitUntil(lambda: reloads == [None], timeout=1000)  # the file-system watcher woke it
    assert not context.signals.polling
    qtbot.wait(200)
    assert reloads == [None]  # one reload for the commit


def test_showing_the_window_polls_again_and_catches_up_at_once(
    window: MainWindow, context: AppContext, db_path: Path, qtbot: QtBot
) -> None:
    context.signals.watch(db_path)
    context.signals.follow_visibility(window)
    window.hide()
    assert not context.signals.polling
    # The file watcher is gone (as on a file system without notices): only the poll and the catch-up remain.
    context.signals._files.blockSignals(True)  # type: ignore[union-attr]
    write_from_another_connection(db_path, context, "Seen on show")
    reloads: list[object] = []
    context.signals.changed.connect(lambda change, sid: reloads.append(sid))
    qtbot.wait(150)
    assert reloads == []
    window.show()
    assert context.signals.polling
    assert reloads == [None]  # at once, not after the first poll
    qtbot.waitUntil(lambda: "Seen on show" in names(window), timeout=1000)


def test_the_tray_makes_the_watcher_follow_the_window(
    features: Features, context: AppContext, db_path: Path, qtbot: QtBot
) -> None:
    context.signals.watch(db_path)
    assert not context.signals.polling  # built hidden (as when launched into the tray)
    features.window.show()
    assert context.signals.polling
    features.window.hide()  # closed to the tray
    assert not context.signals.polling


def renamed_notes(path: Path) -> None:
    # A column this version reads is renamed: reloading would fail in every view as a bug would.
    newer_version_migrates(path, "ALTER TABLE subscriptions RENAME COLUMN notes TO remarks")


def added_colour(path: Path) -> None:
    newer_version_migrates(path, "ALTER TABLE subscriptions ADD COLUMN colour TEXT")


@pytest.mark.parametrize(
    ("language", "change", "again", "message", "start"),
    [
        ("de", renamed_notes, added_colour, SCHEMA_CHANGED_MESSAGE, "Die Datenbank"),
        # A sync tool's download renamed over it: the window's connection still has the old file.
        ("fr", replaced_by_a_copy, replaced_by_a_copy, FILE_REPLACED_MESSAGE, "La base de données"),
    ],
    ids=["migrated by another version", "replaced by another program"],
)
def test_a_file_changed_under_the_window_stops_it_writing_and_says_so_once(
    features: Features,
    context: AppContext,
    db_path: Path,
    qtbot: QtBot,
    language: str,
    change: Callable[[Path], None],
    again: Callable[[Path], None],
    message: str,
    start: str,
) -> None:
    window = features.window
    scheduler = features.tray.scheduler
    scheduler.start()
    assert scheduler.recheck.isActive()
    context.signals.watch(db_path)
    resets: list[int] = []
    window.model.modelReset.connect(lambda: resets.append(1))
    install_language(language)
    change(db_path)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "SchemaChangedBox") is not None, timeout=2000)
    box = window.findChild(QMessageBox, "SchemaChangedBox")
    assert isinstance(box, QMessageBox)
    assert box.text() == first_upper(_(message).format(path=db_path))
    assert box.text().startswith(start)  # in the interface's language, a sentence's capital first
    banner = window.findChild(SchemaChangedBanner)  # and for as long as the window stays open
    assert isinstance(banner, SchemaChangedBanner) and banner.isVisibleTo(window)
    assert html.escape(box.text()[1:], quote=False) in banner.label.text()
    assert not scheduler.timer.isActive() and not scheduler.recheck.isActive()  # no more claims
    assert not context.signals.polling
    again(db_path)  # and another change
    qtbot.wait(700)  # the watcher's poll is 500 ms
    assert resets == []  # nothing read with this version's models, or from a file it does not have open
    assert len(window.findChildren(QMessageBox, "SchemaChangedBox")) == 1
    with pytest.raises(SchemaChangedError):
        context.service.set_setting("upcoming_days", "45")
