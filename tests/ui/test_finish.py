"""Small things that made the window feel unfinished (issue #15): layout, the reminders window, the demo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from renewaltracker.domain.reminders import notice_for
from renewaltracker.services.demo import fill_demo
from renewaltracker.ui.composition import Features
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.main_window import MainWindow
from tests.factories import make_subscription


def test_the_renewals_table_fits_without_a_horizontal_scroll_bar(qtbot: QtBot, window: MainWindow) -> None:
    fill_demo(window.context.service)
    window.resize(1280, 780)
    qtbot.wait(50)
    table = window.subscriptions.table
    assert not table.horizontalScrollBar().isVisible()
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width()


def test_spending_tables_show_every_row_inside_the_one_scrolling_page(qtbot: QtBot, window: MainWindow) -> None:
    fill_demo(window.context.service)
    window.show_view(window.spending)
    qtbot.waitUntil(lambda: window.spending.expensive.rowCount() > 0)
    for model in (window.spending.categories, window.spending.expensive, window.spending.renewals):
        (view,) = [v for v in window.spending.findChildren(type(window.subscriptions.table)) if v.model() is model]
        assert not view.verticalScrollBar().isVisible()
        rows = sum(view.rowHeight(r) for r in range(model.rowCount()))
        assert view.viewport().height() >= rows


def test_most_expensive_names_the_currency_of_each_row(qtbot: QtBot, window: MainWindow) -> None:
    fill_demo(window.context.service)
    window.show_view(window.spending)
    model = window.spending.expensive
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    column = model.column("currency")
    currencies = [model.index(row, column).data() for row in range(model.rowCount())]
    assert {"USD", "EUR", "JPY"} <= set(currencies)
    # Grouped: once a currency's rows end, it does not come back.
    groups = [code for i, code in enumerate(currencies) if i == 0 or currencies[i - 1] != code]
    assert len(groups) == len(set(groups))


def reminders_soon(features: Features, context: AppContext, days: int = 1) -> object:
    today = context.clock.today()
    due = features.tray.reminders.due(context.clock.now() + timedelta(days=days))
    return notice_for(due, today)


@pytest.mark.expect_log_warnings  # "no system tray": the fakes have none
def test_the_reminders_window_waits_for_an_open_dialog_and_lists_only_new_ones(
    qtbot: QtBot, features: Features, context: AppContext
) -> None:
    context.service.add(make_subscription(name="First", anchor=date(2026, 3, 12)))
    window = features.window
    window.show()
    editor = window.commands.add()
    assert isinstance(editor, QDialog)
    features.tray.show_in_window(reminders_soon(features, context))  # type: ignore[arg-type]
    qtbot.wait(100)
    assert features.tray.dialog is None or not features.tray.dialog.isVisible()  # not over the dialog
    editor.reject()
    qtbot.waitUntil(lambda: features.tray.dialog is not None and features.tray.dialog.isVisible(), timeout=2000)
    dialog = features.tray.dialog
    assert dialog is not None and dialog.model.rowCount() >= 1
    dialog.hide()
    context.service.add(make_subscription(name="Second", anchor=date(2026, 3, 13)))
    today = context.clock.today()
    fresh = [
        r for r in features.tray.reminders.due(context.clock.now() + timedelta(days=1)) if r.event.name == "Second"
    ]
    features.tray.show_in_window(notice_for(fresh, today))
    names = [dialog.model.reminder(row).event.name for row in range(dialog.model.rowCount())]
    assert names and set(names) == {"Second"}


@pytest.mark.expect_log_warnings
def test_a_long_name_in_the_reminders_window_keeps_its_second_line(
    qtbot: QtBot, features: Features, context: AppContext
) -> None:
    long_name = "A very long subscription name " * 4
    context.service.add(make_subscription(name=long_name.strip()[:190], anchor=date(2026, 3, 12)))
    features.window.show()
    features.tray.show_in_window(reminders_soon(features, context))  # type: ignore[arg-type]
    dialog = features.tray.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.resize(420, 300)  # narrow: the title must wrap
    qtbot.wait(50)
    index = dialog.model.index(0, 0)
    view = dialog.view
    text = str(index.data())
    width = view.visualRect(index).width()
    needed = view.fontMetrics().boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text).height()
    assert needed >= 3 * view.fontMetrics().height()  # the title wraps, and the advice is below it
    assert view.visualRect(index).height() >= needed


def test_a_long_spending_table_stops_growing_and_scrolls_itself(qtbot: QtBot, window: MainWindow) -> None:
    from renewaltracker.ui.spending_view import FIT_MOST_ROWS

    for number in range(FIT_MOST_ROWS + 10):
        window.context.service.add(make_subscription(name=f"Renewal {number}"))
    with qtbot.waitSignal(window.spending.background.applied):
        window.show_view(window.spending)
    model = window.spending.renewals
    assert model.rowCount() == FIT_MOST_ROWS + 10
    (view,) = [v for v in window.spending.findChildren(type(window.subscriptions.table)) if v.model() is model]
    header = view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
    assert view.height() == header + FIT_MOST_ROWS * view.verticalHeader().defaultSectionSize()
    qtbot.waitUntil(lambda: view.verticalScrollBar().isVisible())  # every row still reachable
    assert view.verticalScrollBar().maximum() > 0
