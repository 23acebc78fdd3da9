"""A read-only table model over a list of records, described by columns; sorting happens in Python in one pass."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from renewaltracker.i18n import _

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ANSWERED = frozenset({_DISPLAY, _ACCESSIBLE, _ALIGNMENT, _TOOLTIP, _FOREGROUND, int(ID_ROLE)})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def none_last(value: Any) -> tuple[bool, Any]:
    """A sort key that puts missing values after all others."""
    return (value is None, value if value is not None else 0)


@dataclass(frozen=True)
class Column(Generic[R]):
    """How one column shows a record: its text, and optionally a sort key, tooltip and colour.

    Code finds a column by `key` (`model.column("next_charge")`), never by position; it defaults to the header
    in snake case ("Next charge" -> "next_charge").
    """

    header: str
    text: Callable[[R], str]
    sort_key: Callable[[R], Any] | None = None
    numeric: bool = False
    tooltip: Callable[[R], str] | None = None
    foreground: Callable[[R], QColor | None] | None = None
    accessible: Callable[[R], str] | None = None  # what a screen reader says where the text is not enough
    key: str = field(default="", kw_only=True)

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", "_".join(self.header.replace("&", "").casefold().split()))


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows are records; `id_of` gives the subscription id behind a row for double-click and selection."""

    def __init__(
        self,
        columns: Sequence[Column[R]],
        id_of: Callable[[R], int | None] = lambda record: None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._positions = {column.key: position for position, column in enumerate(self.columns)}
        if len(self._positions) != len(self.columns):
            raise ValueError(f"two columns share a key: {[column.key for column in self.columns]}")
        self._id_of = id_of
        self._records: list[R] = []
        # Row of each id, built when first asked after a change: a selection asks several times (the table, the
        # detail pane's title, the commands), and a scan with a Python call per record took 10 ms at 1,000.
        self._rows_by_id: dict[int, int] | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def column(self, key: str) -> int:
        """The position of the column with this key; KeyError names the keys there are."""
        try:
            return self._positions[key]
        except KeyError:
            raise KeyError(f"no column {key!r}; the columns are {list(self._positions)}") from None

    # -- contents --------------------------------------------------------------
    def set_records(self, records: Sequence[R]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self._rows_by_id = None
        if self._sort is not None:
            self._records.sort(key=self._key(self._sort[0]), reverse=self._sort[1] == Qt.SortOrder.DescendingOrder)
        self.endResetModel()

    def records(self) -> list[R]:
        return list(self._records)

    def record(self, row: int) -> R:
        return self._records[row]

    def column_texts(self, column: int, rows: range) -> list[str]:
        """The texts a column shows in these rows (consecutive), without a call through Qt per cell."""
        text = self.columns[column].text
        return [text(record) for record in self._records[rows.start : rows.stop]]

    def row_of_id(self, record_id: int) -> int | None:
        if self._rows_by_id is None:
            rows: dict[int, int] = {}
            for row, record in enumerate(self._records):
                key = self._id_of(record)
                if key is not None:
                    rows.setdefault(key, row)  # the first row with the id, as a scan finds it
            self._rows_by_id = rows
        return self._rows_by_id.get(record_id)

    # -- Qt model interface ----------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Called for every role of every visible cell on each repaint: plain ints, and unanswered roles leave first.
        if role not in _ANSWERED:
            return None
        row = index.row()  # -1 for an invalid index
        if row < 0 or row >= len(self._records):
            return None
        record = self._records[row]
        column = self.columns[index.column()]
        if role == _DISPLAY:
            return column.text(record)
        if role == _ACCESSIBLE:
            spoken = column.accessible
            return column.text(record) if spoken is None else spoken(record)
        if role == _ALIGNMENT:
            return _RIGHT if column.numeric else None
        if role == _TOOLTIP:
            return column.tooltip(record) if column.tooltip is not None else None
        if role == _FOREGROUND:
            return column.foreground(record) if column.foreground is not None else None
        return self._id_of(record)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.columns):
            return _(self.columns[section].header)
        return None

    # -- sorting ---------------------------------------------------------------
    def _key(self, column: int) -> Callable[[R], Any]:
        spec = self.columns[column]
        if spec.sort_key is not None:
            return spec.sort_key
        text = spec.text
        return lambda record: text(record).casefold()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the records in place, keeping selections and other persistent indexes on their records."""
        if not 0 <= column < len(self.columns):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [self._records[index.row()] for index in persistent]
        self._records.sort(key=self._key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows_by_id = None
        position = {id(record): row for row, record in enumerate(self._records)}
        moved = [
            self.index(position[id(record)], index.column()) for index, record in zip(persistent, held, strict=True)
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    # -- row edits for models that update in place -----------------------------
    def _replace_row(self, row: int, record: R) -> None:
        self._records[row] = record
        self._rows_by_id = None
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def _insert_record(self, record: R) -> None:
        row = len(self._records)
        self.beginInsertRows(QModelIndex(), row, row)
        self._records.append(record)
        self._rows_by_id = None
        self.endInsertRows()
        if self._sort is not None:
            self.sort(*self._sort)

    def _remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._records[row]
        self._rows_by_id = None
        self.endRemoveRows()
