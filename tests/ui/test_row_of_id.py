"""`row_of_id` answers from a kept index: the same row a scan of the records finds, after any change."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from renewaltracker.ui.table_model import Column, RecordTableModel

Record = tuple[int | None, str]  # (id, name); ids may repeat or be missing

records = st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 6)), st.sampled_from("abcde")), max_size=12)
changes = st.lists(
    st.one_of(
        st.tuples(st.just("set"), records),
        st.tuples(st.just("sort"), st.integers(0, 1), st.booleans()),
        st.tuples(st.just("replace"), st.integers(0, 20), st.tuples(st.integers(0, 6), st.sampled_from("abcde"))),
        st.tuples(st.just("insert"), st.tuples(st.integers(0, 6), st.sampled_from("abcde"))),
        st.tuples(st.just("remove"), st.integers(0, 20)),
    ),
    max_size=12,
)


def scanned(model: RecordTableModel[Record], record_id: int) -> int | None:
    return next((row for row in range(model.rowCount()) if model.record(row)[0] == record_id), None)


@settings(max_examples=200, deadline=None)
@given(first=records, steps=changes)
def test_row_of_id_is_the_first_row_a_scan_finds(qapp: Any, first: list[Record], steps: list[Any]) -> None:
    columns = [
        Column("Id", lambda r: str(r[0]), sort_key=lambda r: (r[0] is None, r[0] or 0)),
        Column("Name", lambda r: r[1]),
    ]
    model: RecordTableModel[Record] = RecordTableModel(columns, id_of=lambda r: r[0])
    model.set_records(first)
    for step in steps:
        for record_id in range(7):  # asked between the changes too, so a stale index would show
            assert model.row_of_id(record_id) == scanned(model, record_id)
        kind = step[0]
        if kind == "set":
            model.set_records(step[1])
        elif kind == "sort":
            model.sort(step[1], Qt.SortOrder.DescendingOrder if step[2] else Qt.SortOrder.AscendingOrder)
        elif kind == "replace" and model.rowCount():
            model._replace_row(step[1] % model.rowCount(), step[2])
        elif kind == "insert":
            model._insert_record(step[1])
        elif kind == "remove" and model.rowCount():
            model._remove_row(step[1] % model.rowCount())
    for record_id in range(7):
        assert model.row_of_id(record_id) == scanned(model, record_id)
