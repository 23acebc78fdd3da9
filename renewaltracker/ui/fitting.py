"""Fitting a table's columns to their texts: the widths Qt's `resizeColumnToContents` gives, in few Python calls."""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSize
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTableView

from renewaltracker.ui.table_model import RecordTableModel

# Measured from its characters' advances, a text's width is the delegate's only when the characters are laid out
# one after the other, left to right, the last one's glyph its own: scripts that reorder or join their glyphs
# (Hebrew, Arabic, the Indic and South-East Asian ones), controls, tabs and other spaces go to the delegate whole.
# The characters that are, as ranges (first, last); a printable character below U+0590 is always in the first.
_LAID_OUT_IN_ORDER = (
    ("\u0020", "\u058f"),
    ("\u1e00", "\u1fff"),
    ("\u2010", "\u2bff"),
    ("\u2e80", "\u9fff"),
    ("\uac00", "\ud7af"),
    ("\uf900", "\ufaff"),
    ("\uff00", "\uffef"),
)
_FIRSTS = [first for first, _last in _LAID_OUT_IN_ORDER]
# Rounding between the advances, the bearing and the delegate's whole pixels: candidates this close to the widest
# are all measured by the delegate.
_SLACK = 1.0


def rows_read(top: int, bottom: int, count: int, precision: int) -> range:
    """The rows `QTableView.sizeHintForColumn` measures when no row is hidden or moved: the visible `top`..`bottom`,
    then alternately one below and one above until `precision` rows (0: the visible ones only; negative: all)."""
    visible = max(0, bottom - top + 1)
    if 0 < precision <= visible:
        return range(top, top + precision)
    processed, first, last = visible, top, top + visible - 1
    if precision == 0:
        return range(first, last + 1)
    end = count - 1
    while processed != precision and (first > 0 or last < end):
        if (processed % 2 and first > 0) or last == end:
            first -= 1
        else:
            last += 1
        processed += 1
    return range(first, last + 1)


def laid_out_in_order(text: str) -> bool:
    """Whether every character of a printable `text` is in `_LAID_OUT_IN_ORDER`: by ranges, not a pattern, which
    took 2 ms to compile before the window's first paint."""
    if max(text) < "\u0590":
        return True
    for character in set(text):
        if character >= "\u0590":
            at = bisect.bisect_right(_FIRSTS, character) - 1
            if at < 0 or character > _LAID_OUT_IN_ORDER[at][1]:
                return False
    return True


def _measured_whole(text: str) -> bool:
    """Whether only the delegate itself can say this text's width (see `_LAID_OUT_IN_ORDER`)."""
    if not text or text[-1] == " " or not text.isprintable() or not laid_out_in_order(text):
        return True
    return unicodedata.category(text[-1])[0] == "M"  # a mark's glyph sits on the character before it


def _widest_candidates(texts: Iterable[str], metrics: QFontMetricsF) -> list[str]:
    """The texts that may make the widest cell: each one `_measured_whole`, each with a character the font lacks
    (a fallback font draws it, and the digits and signs after it), and of the others the widest advance per last
    character, whose glyph alone may overhang the advance: those within `_SLACK` of the widest reach."""
    advance, bearing = metrics.horizontalAdvance, metrics.rightBearing
    texts = list(texts)
    lacking = "".join(sorted(c for c in set("".join(texts)) if not metrics.inFontUcs4(ord(c))))
    drawn_elsewhere = re.compile(f"[{re.escape(lacking)}]").search if lacking else None
    asked: list[str] = []
    widest: dict[str, tuple[float, str]] = {}
    for text in texts:
        if _measured_whole(text) or (drawn_elsewhere is not None and drawn_elsewhere(text)):
            asked.append(text)
            continue
        width = advance(text)
        best = widest.get(text[-1])
        if best is None or width > best[0]:
            widest[text[-1]] = (width, text)
    # PySide6 passes a character beyond ASCII to `rightBearing` wrongly (a pound sign's comes back positive where
    # its glyph overhangs): such an ending is asked for at any width, once per character.
    reaches = {
        last: width + max(0.0, -bearing(last)) if last < "\x80" else math.inf for last, (width, _text) in widest.items()
    }
    far = max((reach for reach in reaches.values() if reach < math.inf), default=0.0) - _SLACK
    asked.extend(widest[last][1] for last, reach in reaches.items() if reach >= far)
    return asked


class FittingDelegate(QStyledItemDelegate):
    """The standard delegate, and the width Qt's fitting to contents gives a column, computed from its texts.

    Exact for a `RecordTableModel`, whose cells differ in nothing that changes their size but the text: no fonts,
    icons or check boxes, and the alignment is the column's.
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
        # Qt's own fitting (a filtered table, `fit_column`'s other way) asks once per cell: one hint per text.
        hints = self._hints
        if hints is None or index.model() is not self._model:
            return super().sizeHint(option, index)
        column = index.column()
        key = (column, self._model.columns[column].text(self._model.record(index.row())))
        hint = hints.get(key)
        if hint is None:
            hint = hints[key] = super().sizeHint(option, index)
        return hint

    def fit_column(self, table: QTableView, column: int) -> None:
        """What `table.resizeColumnToContents(column)` does: the column as wide as its header and measured rows."""
        header = table.horizontalHeader()
        header.resizeSection(column, max(self.column_hint(table, column), header.sectionSizeHint(column)))

    def column_hint(self, table: QTableView, column: int) -> int:
        """What `table.sizeHintForColumn(column)` gives, from the texts of the rows it reads: the widest by their
        advances (and the last glyph's overhang) measured by this delegate, not every cell through Python."""
        rows = self.measured_rows(table, column)
        if rows is None:
            if self._hints is not None:
                return table.sizeHintForColumn(column)
            with self.measuring():
                return table.sizeHintForColumn(column)
        model = self._model
        first_rows: dict[str, int] = {}
        for row, text in zip(rows, model.column_texts(column, rows), strict=True):
            first_rows.setdefault(text, row)
        asked = _widest_candidates(first_rows, QFontMetricsF(table.font()))
        hint = 0
        for text in asked:
            hint = max(hint, table.sizeHintForIndex(model.index(first_rows[text], column)).width())
        return hint + 1 if table.showGrid() else hint

    def measured_rows(self, table: QTableView, column: int) -> range | None:
        """The rows Qt would measure, or None where only Qt's own walk is sure to be right: another model (a
        proxy's rows), another delegate, hidden or moved rows, or a slanted font (whose bearings may not show the
        slant Qt gives a face that has none)."""
        vertical = table.verticalHeader()
        if (
            table.model() is not self._model
            or table.itemDelegate() is not self
            or table.itemDelegateForColumn(column) is not None
            or table.font().style() != QFont.Style.StyleNormal
            or vertical.sectionsHidden()
            or vertical.sectionsMoved()
        ):
            return None
        table.ensurePolished()  # as Qt does first: a style sheet may change the font
        count = self._model.rowCount()
        top = max(0, vertical.visualIndexAt(0))
        bottom = vertical.visualIndexAt(table.viewport().height())
        if not table.isVisible() or bottom == -1:
            bottom = count - 1
        return rows_read(top, bottom, count, table.horizontalHeader().resizeContentsPrecision())
