"""Every item model passes pytest-qt's model tester, with demo data in it and across changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from renewaltracker.services.demo import fill_demo
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.table_model import Column, RecordTableModel
from tests.factories import make_subscription

MODELS = {
    "subscriptions": lambda w: w.model,
    "filter": lambda w: w.subscriptions.proxy,
    "charges": lambda w: w.details.charges,
    "calendar day": lambda w: w.calendar.day_model,
    "upcoming": lambda w: w.upcoming.model,
    "spending by category": lambda w: w.spending.categories,
    "most expensive": lambda w: w.spending.expensive,
    "renewals ahead": lambda w: w.spending.renewals,
}


# One model per test: a model tester follows the last model it checked, so it must not be shared.
@pytest.mark.parametrize("name", list(MODELS))
def test_every_model_of_the_window_with_demo_data(
    qtbot: QtBot, qtmodeltester: ModelTester, window: MainWindow, name: str
) -> None:
    saved = fill_demo(window.context.service)
    assert saved[0].id is not None
    window.open_subscription(saved[0].id)
    with qtbot.waitSignal(window.calendar.background.applied):
        window.calendar.show_month(2026, 3)
    window.calendar.select_day(date(2026, 3, 20))
    window.upcoming.refresh_now()
    with qtbot.waitSignal(window.spending.background.applied):
        window.spending.refresh_now()
    model = MODELS[name](window)
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)
    window.subscriptions.table.sortByColumn(window.model.column("amount"), Qt.SortOrder.DescendingOrder)
    window.context.service.edit(saved[1].id, name="Renamed")  # type: ignore[arg-type]
    # Proxies re-sort on the next turn of the event loop: let the tester check that here, while output is captured.
    QApplication.processEvents()


def test_subscription_model_under_changes(qtbot: QtBot, qtmodeltester: ModelTester, window: MainWindow) -> None:
    service = window.context.service
    qtmodeltester.check(window.model, force_py=True)
    first = service.add(make_subscription(name="A"))
    second = service.add(make_subscription(name="B"))
    assert first.id is not None and second.id is not None
    assert window.model.rowCount() == 2
    service.edit(first.id, amount=Decimal("1.00"))
    service.delete(second.id)
    assert window.model.rowCount() == 1
    assert window.model.subscription(0).amount == Decimal("1.00")


def test_sorting_keeps_persistent_indexes_on_their_records(qtbot: QtBot) -> None:
    model: RecordTableModel[int] = RecordTableModel([Column("n", str, sort_key=lambda n: n)], id_of=lambda n: n)
    model.set_records([3, 1, 2])
    held = QPersistentModelIndex(model.index(0, 0))
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.records() == [1, 2, 3]
    assert held.row() == 2 and held.data() == "3"
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.records() == [3, 2, 1] and held.row() == 0
    assert model.row_of_id(1) == 2


def test_columns_are_found_by_key_not_position(window: MainWindow) -> None:
    model = window.model
    keys = [column.key for column in model.columns]
    assert keys == ["name", "vendor", "category", "amount", "cycle", "next_charge", "days_left", "status", "last_used"]
    assert [model.column(key) for key in keys] == list(range(len(keys)))
    with pytest.raises(KeyError, match=r"no column 'next'.*next_charge"):
        model.column("next")
    header = window.subscriptions.table.horizontalHeader()
    assert header.sortIndicatorSection() == model.column("next_charge")
    assert window.details.history.horizontalHeader().sortIndicatorSection() == window.details.charges.column("date")


def test_two_columns_with_one_key_are_refused() -> None:
    with pytest.raises(ValueError, match="share a key"):
        RecordTableModel([Column("Per year", str), Column("Per  year", str)])
