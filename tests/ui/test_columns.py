"""The renewals table's columns: a fresh window's layout, fitted to the rows, and the columns the user hides."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from renewaltracker.services.demo import fill_demo
from renewaltracker.ui.composition import Collaborators, build_main_window
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.main_window import MainWindow, window_settings


def demo_window(qtbot: QtBot, context: AppContext, collaborators: Collaborators) -> MainWindow:
    """The app's two steps with the demo rows: the frame shown, then the features, the rows read on the worker."""
    fill_demo(context.service)
    frame = MainWindow()
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    window = build_main_window(context, collaborators, frame).window
    qtbot.waitUntil(lambda: window.model.loaded and not window.model.loading)
    qtbot.wait(10)  # the layout after the rows
    return window


def visible_columns(window: MainWindow) -> list[int]:
    header = window.subscriptions.table.horizontalHeader()
    return [c for c in range(window.model.columnCount()) if not header.isSectionHidden(c)]


def test_a_fresh_window_shows_whole_names_without_a_horizontal_scroll_bar(
    qtbot: QtBot, context: AppContext, collaborators: Collaborators
) -> None:
    window = demo_window(qtbot, context, collaborators)
    table = window.subscriptions.table
    name = window.model.column("name")
    assert window.size().width() == 1280  # the default size, nothing remembered
    longest = max(table.fontMetrics().horizontalAdvance(r.subscription.name) for r in window.model.records())
    assert table.columnWidth(name) >= max(longest + 8, 160)  # "Spotify Premium Individual" whole
    assert table.horizontalScrollBar().maximum() == 0
    assert table.horizontalHeader().length() <= table.viewport().width()
    assert window.model.column("last_used") not in visible_columns(window)  # the less used column starts hidden


def test_the_columns_are_fitted_to_the_rows_from_the_worker_not_to_an_empty_table(
    qtbot: QtBot, context: AppContext, collaborators: Collaborators
) -> None:
    window = demo_window(qtbot, context, collaborators)
    table = window.subscriptions.table
    header = table.horizontalHeader()
    cycle = window.model.column("cycle")
    # "Every 4 weeks" is wider than the header "Cycle", the width an empty table would give the column.
    assert table.sizeHintForColumn(cycle) > header.sectionSizeHint(cycle)
    for column in visible_columns(window):
        if column != window.model.column("name"):
            assert table.columnWidth(column) >= table.sizeHintForColumn(column), window.model.columns[column].key


def test_hidden_and_shown_columns_are_remembered_with_the_header(
    qtbot: QtBot, context: AppContext, collaborators: Collaborators
) -> None:
    window = demo_window(qtbot, context, collaborators)
    vendor, last_used = window.model.column("vendor"), window.model.column("last_used")
    window.subscriptions.show_column(last_used, True)
    window.subscriptions.show_column(vendor, False)
    assert window.subscriptions.table.columnWidth(last_used) >= window.subscriptions.table.sizeHintForColumn(last_used)
    window.save_layout()
    assert window_settings().value("columns") == window.subscriptions.table.horizontalHeader().saveState()
    again = MainWindow(window.context, formatter=window.formatter)
    qtbot.addWidget(again)
    header = again.subscriptions.table.horizontalHeader()
    assert header.isSectionHidden(vendor) and not header.isSectionHidden(last_used)


def test_the_view_menu_and_the_header_menu_show_and_hide_columns(
    qtbot: QtBot, context: AppContext, collaborators: Collaborators
) -> None:
    window = demo_window(qtbot, context, collaborators)
    view = window.subscriptions
    assert view.columns_menu.menuAction() in window.menu("view").actions()
    view.columns_menu.aboutToShow.emit()  # what opening it from View or the header does
    actions = {action.text(): action for action in view.columns_menu.actions()}
    assert "Name" not in actions  # a row is known by its name: that one stays
    assert list(actions) == [
        window.model.headerData(c, Qt.Orientation.Horizontal) for c in range(1, window.model.columnCount())
    ]
    assert not actions["Last used"].isChecked() and actions["Vendor"].isChecked()
    actions["Vendor"].trigger()
    assert view.table.isColumnHidden(window.model.column("vendor"))
    actions["Last used"].trigger()
    assert not view.table.isColumnHidden(window.model.column("last_used"))
    view.columns_menu.aboutToShow.emit()  # filled again from the header: no stale ticks
    ticks = {action.text(): action.isChecked() for action in view.columns_menu.actions()}
    assert ticks["Vendor"] is False and ticks["Last used"] is True


def test_a_narrow_table_keeps_the_name_readable_and_scrolls(
    qtbot: QtBot, context: AppContext, collaborators: Collaborators
) -> None:
    window = demo_window(qtbot, context, collaborators)
    table, name = window.subscriptions.table, window.model.column("name")
    window.splitter.setSizes([420, 860])  # the user drags the detail pane wide
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() > 0)
    assert table.columnWidth(name) >= window.subscriptions.name_min >= 16 * table.fontMetrics().averageCharWidth()
    window.splitter.setSizes([1000, 280])  # and back: the name takes the spare width again
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0)
    assert table.horizontalHeader().length() == table.viewport().width()
