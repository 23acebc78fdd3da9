"""A house table's stretching column takes the spare width, but never less than its texts need: where there is
too little room the table scrolls sideways instead of cutting them (widgets.table_view)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QTableView, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from renewaltracker.ui.table_model import Column, RecordTableModel
from renewaltracker.ui.widgets import table_view

WIDGET_FIXTURE = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXTS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz ÄéWM€:,."), max_size=60)
ROWS = st.lists(st.tuples(TEXTS, TEXTS, TEXTS), max_size=8)


def host(qtbot: QtBot, rows: list[tuple[str, str, str]], stretch: str | None, width: int) -> tuple[QWidget, QTableView]:
    """The table in a widget of `width`, shown; the caller keeps the widget (the view goes with it)."""
    model: RecordTableModel[tuple[str, str, str]] = RecordTableModel(
        [Column("First", lambda r: r[0]), Column("Second", lambda r: r[1]), Column("Third", lambda r: r[2])]
    )
    widget = QWidget()
    qtbot.addWidget(widget)
    model.setParent(widget)
    view = table_view(model, "Rows", widget, stretch=stretch)
    QVBoxLayout(widget).addWidget(view)
    model.set_records(rows)
    widget.resize(width, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, view


def assert_texts_whole(qtbot: QtBot, view: QTableView, column: int) -> None:
    header = view.horizontalHeader()

    def whole() -> None:
        need = max(view.sizeHintForColumn(column), header.sectionSizeHint(column))
        assert view.columnWidth(column) >= need
        spare = view.viewport().width() - (header.length() - header.sectionSize(column))
        if spare >= need:  # room enough: it stretches over the rest, as before, with no scroll bar
            assert header.length() == view.viewport().width()

    qtbot.waitUntil(whole, timeout=2000)


@WIDGET_FIXTURE
@given(
    rows=ROWS,
    stretch=st.sampled_from([None, "first", "second"]),
    width=st.integers(120, 900),
    later=st.none() | ROWS,
    resized=st.none() | st.integers(120, 900),
)
def test_the_stretching_column_never_cuts_its_texts(
    qtbot: QtBot,
    rows: list[tuple[str, str, str]],
    stretch: str | None,
    width: int,
    later: list[tuple[str, str, str]] | None,
    resized: int | None,
) -> None:
    widget, view = host(qtbot, rows, stretch, width)
    model = view.model()
    assert isinstance(model, RecordTableModel)
    column = 2 if stretch is None else model.column(stretch)
    assert_texts_whole(qtbot, view, column)
    if later is not None:  # other rows, longer or shorter
        model.set_records(later)
        assert_texts_whole(qtbot, view, column)
    if resized is not None:  # the pane dragged wider or narrower
        widget.resize(resized, 300)
        assert_texts_whole(qtbot, view, column)


def test_a_long_last_text_in_a_narrow_table_scrolls_instead_of_being_cut(qtbot: QtBot) -> None:
    widget, view = host(qtbot, [("Mar 10, 2026", "Refund", "Resolved: won, $39.99 back, and a little more")], None, 250)
    need = view.sizeHintForColumn(2)
    qtbot.waitUntil(lambda: view.columnWidth(2) == need)
    assert view.horizontalScrollBar().maximum() > 0
    widget.resize(1000, 300)  # room again: it stretches to the right edge
    qtbot.waitUntil(lambda: view.horizontalHeader().length() == view.viewport().width())
    assert view.columnWidth(2) > need
