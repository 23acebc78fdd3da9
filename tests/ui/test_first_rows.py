"""The window's first screenful, painted before the whole set is built, is exactly the top of the whole table."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from renewaltracker.domain.subscription import Subscription
from renewaltracker.storage.quick_read import open_quick_reader
from renewaltracker.ui.app import first_rows, quick_rows
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.subscription_model import FirstRows, Rows, SubscriptionTableModel, table_rows
from renewaltracker.ui.subscriptions_view import SubscriptionsView
from renewaltracker.ui.table_model import ID_ROLE
from tests.factories import make_subscription
from tests.storage.test_quick_read import CLOCK, FUNCTION_FIXTURES, _fill, collections, fresh_db

__all__ = ["fresh_db"]  # the fixture, shared with the storage tests

TODAY = date(2026, 3, 10)


def _shown(model: SubscriptionTableModel, rows: int) -> list[list[Any]]:
    """Every answered role of every cell of the first `rows` rows, as the view would ask for them."""
    from PySide6.QtCore import Qt

    roles = [int(getattr(Qt.ItemDataRole, name)) for name in _ROLE_NAMES] + [int(ID_ROLE)]
    return [
        [model.index(row, column).data(role) for column in range(model.columnCount()) for role in roles]
        for row in range(rows)
    ]


_ROLE_NAMES = ("DisplayRole", "AccessibleTextRole", "TextAlignmentRole", "ToolTipRole", "ForegroundRole")


def _sorted_model(formatter: Formatter) -> SubscriptionTableModel:
    """A model sorted as a fresh window sorts it (next charge, ascending)."""
    from PySide6.QtCore import Qt

    model = SubscriptionTableModel(None, formatter)
    model.sort(model.column("next_charge"), Qt.SortOrder.AscendingOrder)
    return model


@FUNCTION_FIXTURES
@given(drawn=collections, cut=st.integers(1, 4))
def test_the_first_screenful_is_the_top_of_the_whole_table(fresh_db: Any, drawn: tuple[Any, ...], cut: int) -> None:
    path = fresh_db()
    _fill(path, drawn)
    today = CLOCK.today()
    whole = quick_rows(path, today)
    assert whole is not None
    reader = open_quick_reader(path)
    assert reader is not None
    try:
        first = first_rows(reader, today, cut)
        # Each distinct schedule is computed once, from its columns alone: the same dates as the whole rows give.
        assert reader.next_charges(today) == [(s.id, s.next_charge(today)) for s in reader.all()]
    finally:
        reader.close()
    if len(whole[0]) <= cut:
        assert first is None
        return
    assert first is not None and len(first.records) == cut
    formatter = Formatter("en_US")
    full, early = _sorted_model(formatter), _sorted_model(formatter)
    full.set_records(whole[0])
    early.set_records(first.records)
    assert early.records()[:cut] == full.records()[:cut]
    assert _shown(early, cut) == _shown(full, cut)


def _collection(count: int) -> list[Subscription]:
    """Subscriptions with many equal next charges (the sort's ties), some ended, a few with the same name."""
    return [
        make_subscription(
            id=number + 1,
            name=f"Plan {number % 37:02d}",
            amount=Decimal(number % 50) + Decimal("0.99"),
            anchor=date(2025, 1, 1) + timedelta(days=number % 45),
            end_date=date(2025, 6, 1) if number % 11 == 0 else None,
        )
        for number in range(count)
    ]


def _rows(subscriptions: list[Subscription]) -> Rows:
    ordered = sorted(subscriptions, key=lambda s: (s.name, s.id))  # the reader's order
    return table_rows(ordered, {}, TODAY)


def _first(rows: Rows, count: int) -> FirstRows:
    from renewaltracker.ui.table_model import none_last

    return FirstRows(sorted(rows[0], key=lambda r: none_last(r.next_charge))[:count], "next_charge")


def test_the_swap_keeps_selection_scroll_and_the_rows_on_screen(qtbot: QtBot) -> None:
    rows = _rows(_collection(1000))
    first = _first(rows, 400)
    whole_read = threading.Event()
    model = SubscriptionTableModel(None, Formatter("en_US"))
    view = SubscriptionsView(model)
    qtbot.addWidget(view)
    view.first_columns()
    view.resize(900, 500)
    view.show()

    def whole() -> Rows:
        whole_read.wait(10)
        return rows

    model.load_in_background(whole, lambda: first)
    qtbot.waitUntil(lambda: model.partial)
    assert not model.loaded and model.loading and model.rowCount() == 400
    assert view.stack.currentWidget() is view.table  # painted, not "Loading…"
    # Whoever reads every subscription waits for the whole set: the first screenful is not it.
    assert model.records() == [] and model.prices == {}
    early_widths = [view.table.columnWidth(c) for c in range(model.columnCount())]
    view.table.selectRow(7)
    chosen = view.selected_id()
    view.table.verticalScrollBar().setValue(40)
    top = view.table.indexAt(view.table.viewport().rect().topLeft()).row()
    screen = _shown(model, 400)
    whole_read.set()
    qtbot.waitUntil(lambda: model.loaded)
    assert not model.partial and model.rowCount() == 1000 and len(model.records()) == 1000
    assert view.selected_id() == chosen and chosen is not None
    assert view.table.verticalScrollBar().value() == 40
    assert view.table.indexAt(view.table.viewport().rect().topLeft()).row() == top
    assert _shown(model, 400) == screen
    assert [view.table.columnWidth(c) for c in range(model.columnCount())] == early_widths


def test_a_first_screenful_in_another_order_is_not_shown(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    rows = _rows(_collection(50))
    model = SubscriptionTableModel(None, Formatter("en_US"))
    model.sort(model.column("name"), Qt.SortOrder.DescendingOrder)  # a remembered sort other than a fresh one's
    shown: list[int] = []
    model.rows_shown.connect(lambda: shown.append(model.rowCount()))
    model.load_in_background(lambda: rows, lambda: _first(rows, 10))
    qtbot.waitUntil(lambda: model.loaded)
    assert shown == [50] and not model.partial


@pytest.mark.expect_log_warnings
def test_a_read_failing_after_the_first_screenful_takes_it_away(qtbot: QtBot) -> None:
    from renewaltracker.storage.errors import StorageError

    rows = _rows(_collection(50))
    model = _sorted_model(Formatter("en_US"))
    failures: list[str] = []
    model.read_failed.connect(failures.append)
    release = threading.Event()

    def failing() -> Rows:
        release.wait(10)
        raise StorageError("the database is busy")

    model.load_in_background(failing, lambda: _first(rows, 10))
    qtbot.waitUntil(lambda: model.partial)
    release.set()
    qtbot.waitUntil(lambda: bool(failures))
    assert failures == ["the database is busy"] and not model.partial and model.rowCount() == 0


def test_the_first_screenful_reads_only_what_it_shows(fresh_db: Any) -> None:
    """The early read builds `count` whole subscriptions, not every one (the point of it)."""
    path = fresh_db()
    subscriptions = [replace(s, id=None) for s in _collection(30)]
    _fill(path, (subscriptions, [], [], [], ""))
    reader = open_quick_reader(path)
    assert reader is not None
    built: list[int] = []
    original = reader.some_unchecked

    def counting(ids: Any) -> list[Subscription]:
        built.append(len(ids))
        return original(ids)

    reader.some_unchecked = counting  # type: ignore[method-assign]
    try:
        first = first_rows(reader, TODAY, 5)
    finally:
        reader.close()
    assert built == [5] and first is not None and len(first.records) == 5


@pytest.mark.parametrize("cut", [1, 20, 45, 79])
def test_ties_and_ended_plans_keep_the_whole_tables_order(fresh_db: Any, cut: int) -> None:
    """Many plans share a next charge and some have none: the screenful is the whole table's top, in its order."""
    path = fresh_db()
    _fill(path, ([replace(s, id=None) for s in _collection(80)], [], [], [], ""))
    whole = quick_rows(path, TODAY)
    reader = open_quick_reader(path)
    assert reader is not None and whole is not None
    try:
        first = first_rows(reader, TODAY, cut)
    finally:
        reader.close()
    assert first is not None
    model = _sorted_model(Formatter("en_US"))
    model.set_records(whole[0])
    assert [r.subscription.id for r in first.records] == [r.subscription.id for r in model.records()[:cut]]
    assert first.records == model.records()[:cut]


@pytest.mark.parametrize("whole", [False, True])
def test_rows_shown_before_the_first_paint_are_what_the_worker_would_show(qtbot: QtBot, whole: bool) -> None:
    """`show_early` (start-up, before the window shows) gives the same cells as the worker's delivery does."""
    rows = _rows(_collection(60))
    early: FirstRows | Rows = rows if whole else _first(rows, 10)
    before_paint = _sorted_model(Formatter("en_US"))
    assert before_paint.show_early(early)
    by_worker = _sorted_model(Formatter("en_US"))
    release = threading.Event()

    def read() -> Rows:
        release.wait(10)
        return rows

    if whole:
        release.set()
        by_worker.load_in_background(read)
        qtbot.waitUntil(lambda: by_worker.loaded)
    else:
        by_worker.load_in_background(read, lambda: _first(rows, 10))
        qtbot.waitUntil(lambda: by_worker.partial)
    assert (before_paint.loaded, before_paint.partial) == (whole, not whole)
    assert before_paint.rowCount() == by_worker.rowCount() == (60 if whole else 10)
    assert _shown(before_paint, before_paint.rowCount()) == _shown(by_worker, by_worker.rowCount())
    release.set()
    qtbot.waitUntil(lambda: by_worker.loaded)


def test_a_screenful_in_another_order_is_not_shown_before_the_first_paint(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    model = SubscriptionTableModel(None, Formatter("en_US"))
    model.sort(model.column("name"), Qt.SortOrder.DescendingOrder)
    assert not model.show_early(_first(_rows(_collection(50)), 10))
    assert model.rowCount() == 0 and not model.partial and not model.loaded


def test_the_window_takes_the_early_rows_only_if_they_come_in_time(fresh_db: Any) -> None:
    """`EarlyRows.ready_within`: the first screenful of a long collection, every row of a short one, or None when
    the read is not done in time (the window then shows its frame first)."""
    from renewaltracker.ui import app

    path = fresh_db()
    _fill(path, ([replace(s, id=None) for s in _collection(30)], [], [], [], ""))
    short = app.EarlyRows(path)
    ready = short.ready_within(10)
    assert isinstance(ready, tuple) and len(ready[0]) == 30
    long_before = app.FIRST_ROWS
    app.FIRST_ROWS = 5
    try:
        long = app.EarlyRows(path)
        ready = long.ready_within(10)
        long.painted()
        assert isinstance(ready, FirstRows) and len(ready.records) == 5
        assert long.wait() is not None
    finally:
        app.FIRST_ROWS = long_before
    gate = threading.Event()
    slow_read = app.EarlyRows._read_rows
    try:
        app.EarlyRows._read_rows = lambda self, path: gate.wait(10) and slow_read(self, path)  # type: ignore[method-assign]
        late = app.EarlyRows(path)
        assert late.ready_within(0.05) is None
        gate.set()
        rows = late.wait()
        assert rows is not None and len(rows[0]) == 30
    finally:
        app.EarlyRows._read_rows = slow_read  # type: ignore[method-assign]
        gate.set()


@pytest.mark.parametrize("visible", [0, 1, 30, 120, 200])
def test_the_first_screenful_holds_every_row_the_fit_reads(visible: int) -> None:
    """Columns fitted to the first screenful are those of the whole set: fitting reads only rows within it, on an
    unshown table (the frame is built unshown) and on a shown one up to 200 rows high."""
    from renewaltracker.ui import app
    from renewaltracker.ui.fitting import rows_read
    from renewaltracker.ui.subscriptions_view import FIT_ROWS

    count = app.FIRST_ROWS * 5
    bottom = count - 1 if visible == 0 else visible - 1
    assert set(rows_read(0, bottom, count, FIT_ROWS)) <= set(range(app.FIRST_ROWS))


class _LateEarlyRows:
    """An early read that has nothing yet, and records whether the rest was let go without waiting for a paint."""

    probe = None

    def __init__(self) -> None:
        self.let_go = 0

    def ready_within(self, seconds: float) -> None:
        return None

    def painted(self) -> None:
        self.let_go += 1


@pytest.mark.parametrize(("sort_key", "let_go"), [("next_charge", 0), ("name", 1)])
def test_a_remembered_other_sort_does_not_hold_the_rest_for_a_paint(qtbot: QtBot, sort_key: str, let_go: int) -> None:
    """The early read builds the rest once the first screenful is painted; with the table sorted otherwise no
    screenful is shown, so the rest is let go at once (it waited out the 1 s grace before)."""
    from argparse import Namespace
    from pathlib import Path

    from PySide6.QtCore import Qt

    from renewaltracker.ui import app
    from renewaltracker.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    model = window.show_table(Formatter("en_US"))
    model.sort(model.column(sort_key), Qt.SortOrder.AscendingOrder)
    early = _LateEarlyRows()
    session = app._Session(Namespace(demo=False, lang=None), Path("unused"), window, None, early)  # type: ignore[arg-type]
    assert not session.rows_before_paint()
    assert early.let_go == let_go
