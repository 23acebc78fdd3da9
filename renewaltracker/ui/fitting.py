"""A table delegate that sizes each distinct text of a column once while the columns are fitted to their rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSize
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from renewaltracker.ui.table_model import RecordTableModel


class FittingDelegate(QStyledItemDelegate):
    """The standard delegate; inside `measuring()`, a cell's size hint is remembered per column and text.

    Fitting a column reads a few hundred rows, and Qt asks the model seven roles for each cell (seven calls into
    Python): here one call per cell, and the seven only for a text not seen yet. Exact for a `RecordTableModel`,
    whose cells differ in nothing that changes their size but the text: no fonts, icons or check boxes, and the
    alignment is the column's.
    """

    def __init__(self, model: RecordTableModel[Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._hints: dict[tuple[int, str], QSize] | None = None

    @contextmanager
    def measuring(self) -> Iterator[None]:
        """Remember hints for the duration (one fitting: the view's font and style stay the same meanwhile)."""
        self._hints = {}
        try:
            yield
        finally:
            self._hints = None

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hints = self._hints
        if hints is None or index.model() is not self._model:
            return super().sizeHint(option, index)
        column = index.column()
        key = (column, self._model.columns[column].text(self._model.record(index.row())))
        hint = hints.get(key)
        if hint is None:
            hint = hints[key] = super().sizeHint(option, index)
        return hint
