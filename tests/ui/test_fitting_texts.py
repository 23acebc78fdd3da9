"""Widths computed from the texts (`FittingDelegate.fit_column`) are the widths Qt's `resizeColumnToContents` gives."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QApplication, QStyledItemDelegate, QStyleOptionViewItem, QTableView

from renewaltracker.ui.fitting import FittingDelegate, laid_out_in_order, rows_read
from renewaltracker.ui.table_model import Column, RecordTableModel

COLUMNS = 4
# Narrow and wide letters, digits, accents precomposed and combining, glyphs that overhang their advance (A, V, f, T),
# CJK and Hangul, right-to-left scripts, a conjunct, ligatures, spaces of every kind, a tab, a line break, an emoji.
PIECES = [
    "i", "l", "W", "M", "m", "0", "1", "8", ".", ",", "A", "V", "f", "T", "y", "fi", "ffi", "é", "e\u0301", "A\u0301",
    "ñandú", "Ärzte", "东京", "日本語", "한국어", "€", "¥", "$", "עברית", "عربي", "क्ष", "ไทย", " ", "  ", "\u00a0",
    "\u3000", "\t", "\n", "\u200d", "😀", "Subscription 00", "Mar 10, 2026", "⚠ ",
]  # fmt: skip
# Near ties: the same start and an ending that may overhang, where the widest advance is not the widest cell.
ENDINGS = [
    "",
    "f",
    "ff",
    "T",
    "A",
    "V",
    "Q",
    "1",
    "c",
    "-",
    "y",
    "j",
    "_",
    "x",
    ".",
    "i",
    " ",
    "f ",
    "e\u0301",
    "东",
    "ع",
    "\u00a0",
    "क्ष",
]
near_ties = st.builds(
    lambda start, n, ending: start + "x" * n + ending,
    st.sampled_from(["", "W", "i", "东"]),
    st.integers(0, 8),
    st.sampled_from(ENDINGS),
)
texts = st.lists(st.sampled_from(PIECES), max_size=6).map("".join) | near_ties
# The app's font, bold, large (an f or a T overhangs its advance by pixels there), a calligraphic face whose
# letters reach far past their advance (where installed; any substitute still has to agree), and an italic one,
# which goes Qt's way.
Font = tuple[str, int, bool, bool]
FONTS: list[Font] = [
    ("", 0, False, False),
    ("", 15, False, True),
    ("", 40, False, False),
    ("", 44, False, True),
    ("Z003", 30, False, False),
    ("", 28, True, False),
]


def set_font(view: QTableView, family: str, size: int, italic: bool, bold: bool) -> None:
    if size:
        chosen = view.font()
        if family:
            chosen.setFamily(family)
        chosen.setPointSize(size)
        chosen.setItalic(italic)
        chosen.setBold(bold)
        view.setFont(chosen)


Record = tuple[str, ...]


def table_model(records: list[Record]) -> RecordTableModel[Record]:
    columns = [
        Column(f"Column {n}", lambda record, n=n: record[n], numeric=n == 1, key=f"c{n}") for n in range(COLUMNS)
    ]
    model: RecordTableModel[Record] = RecordTableModel(columns)
    model.set_records(records)
    return model


@contextmanager
def closing() -> Iterator[list[QTableView]]:
    """The tables made meanwhile, closed and deleted after (one hypothesis example's)."""
    made: list[QTableView] = []
    try:
        yield made
    finally:
        for table in made:
            table.close()
            table.deleteLater()
        QApplication.processEvents()


def table(
    model: RecordTableModel[Record], delegate: type[QStyledItemDelegate] | None, made: list[QTableView]
) -> QTableView:
    view = QTableView()
    made.append(view)
    view.setModel(model)
    view.setItemDelegate(FittingDelegate(model, view) if delegate is None else delegate(view))
    return view


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.lists(st.tuples(*[texts] * COLUMNS), max_size=320),
    scrolled=st.integers(0, 300),
    precision=st.sampled_from([-1, 0, 1, 7, 200]),
    hidden=st.sets(st.integers(0, COLUMNS - 1)),
    grid=st.booleans(),
    wrap=st.booleans(),
    shown=st.booleans(),
    height=st.integers(60, 700),
    font=st.sampled_from(FONTS),
)
def test_widths_from_the_texts_are_the_widths_qt_gives(
    qapp: QApplication,
    records: list[Record],
    scrolled: int,
    precision: int,
    hidden: set[int],
    grid: bool,
    wrap: bool,
    shown: bool,
    height: int,
    font: Font,
) -> None:
    with closing() as tables:
        model = table_model(records)
        fast, reference = table(model, None, tables), table(model, QStyledItemDelegate, tables)
        for view in (fast, reference):
            view.resize(500, height)
            set_font(view, *font)
            view.setShowGrid(grid)
            view.setWordWrap(wrap)
            view.horizontalHeader().setResizeContentsPrecision(precision)
            for column in hidden:
                view.horizontalHeader().setSectionHidden(column, True)
            if shown:
                view.show()
        qapp.processEvents()
        for view in (fast, reference):
            view.verticalScrollBar().setValue(scrolled)  # the rows on screen are measured first
        delegate = fast.itemDelegate()
        assert isinstance(delegate, FittingDelegate)
        for column in range(COLUMNS):
            assert delegate.column_hint(fast, column) == reference.sizeHintForColumn(column)
            delegate.fit_column(fast, column)
            reference.resizeColumnToContents(column)
            # Each fitting may bring or take away the horizontal scroll bar, and with it the rows on screen.
            assert fast.verticalHeader().visualIndexAt(
                fast.viewport().height()
            ) == reference.verticalHeader().visualIndexAt(reference.viewport().height())
        for view in (fast, reference):
            for column in hidden:
                view.horizontalHeader().setSectionHidden(column, False)
        assert [fast.columnWidth(c) for c in range(COLUMNS)] == [reference.columnWidth(c) for c in range(COLUMNS)]


@given(st.lists(st.tuples(*[near_ties | texts] * COLUMNS), min_size=1, max_size=8))
def test_the_widest_cell_is_found_among_near_ties_in_every_font(qapp: QApplication, records: list[Record]) -> None:
    """Few rows, all measured, texts that differ by their last glyph's overhang: where the widest advance loses."""
    with closing() as tables:
        model = table_model(records)
        for font in FONTS:
            fast, reference = table(model, None, tables), table(model, QStyledItemDelegate, tables)
            for view in (fast, reference):
                set_font(view, *font)
            delegate = fast.itemDelegate()
            assert isinstance(delegate, FittingDelegate)
            hints = [delegate.column_hint(fast, column) for column in range(COLUMNS)]
            assert hints == [reference.sizeHintForColumn(column) for column in range(COLUMNS)], font


@pytest.mark.parametrize(
    ("font", "wider_advance", "wider_cell"),
    [
        (("Z003", 30, False, False), "xxx1", "xxQ"),
        (("URW Bookman", 40, False, False), "xx-", "xxf"),
        (("C059", 40, False, False), "xc", "xf"),
        (("", 28, True, False), "东xxxA", "Wxx东"),
    ],
)
def test_a_last_glyph_reaching_past_its_advance_is_measured(
    qapp: QApplication, font: Font, wider_advance: str, wider_cell: str
) -> None:
    """In these faces (URW's, as most Linux systems have them) the narrower advance makes the wider cell by pixels."""
    model = table_model([(wider_advance,) * COLUMNS, (wider_cell,) * COLUMNS, ("x",) * COLUMNS])
    with closing() as tables:
        fast, reference = table(model, None, tables), table(model, QStyledItemDelegate, tables)
        for view in (fast, reference):
            set_font(view, *font)
        delegate = fast.itemDelegate()
        assert isinstance(delegate, FittingDelegate)
        assert delegate.column_hint(fast, 0) == reference.sizeHintForColumn(0)


class RowsAsked(FittingDelegate):
    """Records the rows Qt asks a size for (the one delegate whose rows are measured is the view's own)."""

    def __init__(self, model: RecordTableModel[Record], parent: Any = None) -> None:
        super().__init__(model, parent)
        self.rows: set[int] = set()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        self.rows.add(index.row())
        return super().sizeHint(option, index)


@pytest.mark.parametrize("count", [0, 1, 2, 9, 40, 333])
@pytest.mark.parametrize("shown", [False, True])
def test_the_rows_measured_are_the_rows_qt_reads(qapp: QApplication, count: int, shown: bool) -> None:
    with closing() as tables:
        model = table_model([("x",) * COLUMNS] * count)
        view = table(model, None, tables)
        delegate = RowsAsked(model, view)
        view.setItemDelegate(delegate)
        vertical, bar = view.verticalHeader(), view.verticalScrollBar()
        if shown:
            view.show()
        for height in (30, 120, 700):
            view.resize(400, height)
            qapp.processEvents()
            for scrolled in sorted({0, 1, bar.maximum() // 2, bar.maximum()}):
                bar.setValue(scrolled)
                for precision in (-1, 0, 1, 2, 3, 7, 50, 200, 1000):
                    view.horizontalHeader().setResizeContentsPrecision(precision)
                    top, bottom = max(0, vertical.visualIndexAt(0)), vertical.visualIndexAt(view.viewport().height())
                    expected = rows_read(top, bottom if shown and bottom != -1 else count - 1, count, precision)
                    delegate.rows.clear()
                    view.sizeHintForColumn(0)
                    assert delegate.rows == set(expected) == set(delegate.measured_rows(view, 0) or ())


@pytest.mark.parametrize("through", ["proxy", "hidden rows", "moved rows"])
def test_qt_walks_the_rows_itself_where_they_are_not_the_models(qapp: QApplication, through: str) -> None:
    """Through a proxy, or with rows hidden or moved, the rows measured are not the model's first ones: the
    delegate leaves the walk to Qt, with one hint per text."""
    with closing() as tables:
        model = table_model([("a" * n, "W" * n, "i" * n, "1" * n) for n in range(1, 30)])
        proxy = QSortFilterProxyModel()
        proxy.setSourceModel(model)
        proxy.sort(0, Qt.SortOrder.DescendingOrder)  # the widest rows first, where the model has the narrowest
        view, reference = table(model, None, tables), table(model, QStyledItemDelegate, tables)
        for each in (view, reference):
            if through == "proxy":
                each.setModel(proxy)
            elif through == "hidden rows":
                for row in range(1, model.rowCount() - 1):  # Qt reads the first and the last (widest) rows
                    each.setRowHidden(row, True)
            else:
                each.verticalHeader().moveSection(model.rowCount() - 1, 0)
            each.horizontalHeader().setResizeContentsPrecision(2)
        delegate = view.itemDelegate()
        assert isinstance(delegate, FittingDelegate)
        for column in range(COLUMNS):
            assert delegate.column_hint(view, column) == reference.sizeHintForColumn(column)


# The ranges `laid_out_in_order` checks, as the pattern they replaced wrote them.
IN_ORDER_PATTERN = re.compile(
    "[\u0020-\u058f\u1e00-\u1fff\u2010-\u2bff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]*"
)
RANGE_EDGES = "\u001f\u0020\u058f\u0590\u1dff\u1e00\u1fff\u2000\u200f\u2010\u2bff\u2c00\u2e7f\u2e80\u9fff\ua000"
RANGE_EDGES += "\uabff\uac00\ud7af\ud7b0\uf8ff\uf900\ufaff\ufb00\ufeff\uff00\uffef\ufff0"


@given(
    st.text(
        st.one_of(st.sampled_from(RANGE_EDGES), st.characters(), st.sampled_from("€£¥äßé")),
        min_size=1,
        max_size=12,
    ).filter(str.isprintable)
)
def test_laid_out_in_order_is_the_pattern_it_replaced(text: str) -> None:
    assert laid_out_in_order(text) == (IN_ORDER_PATTERN.fullmatch(text) is not None)
