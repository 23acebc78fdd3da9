"""Small widgets: optional dates and counts, a currency picker, a date question, and the house table view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from babel.numbers import get_currency_name
from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.amounts import currency_choices, read_currency
from renewaltracker.ui.table_model import ID_ROLE


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(day: date, accessible_name: str, parent: QWidget | None = None) -> QDateEdit:
    edit = QDateEdit(to_qdate(day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setAccessibleName(accessible_name)
    return edit


class OptionalDate(QWidget):
    """A date that may be absent: a check box switches the date field on."""

    changed = Signal()

    def __init__(self, label: str, default: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label, self)
        self.edit = date_edit(default, label, self)
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)

    def value(self) -> date | None:
        return from_qdate(self.edit.date()) if self.check.isChecked() else None

    def set_value(self, day: date | None) -> None:
        if day is not None:
            self.edit.setDate(to_qdate(day))
        self.check.setChecked(day is not None)


class OptionalCount(QSpinBox):
    """A whole number that may be absent: the lowest value reads as `none_text` and means None."""

    def __init__(self, none_text: str, suffix: str, maximum: int, accessible_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setRange(0, maximum)
        self.setSpecialValueText(none_text)
        self.setSuffix(suffix)
        self.setAccessibleName(accessible_name)

    def optional_value(self) -> int | None:
        return self.value() or None

    def set_optional_value(self, value: int | None) -> None:
        self.setValue(value or 0)


class CurrencyPicker(QComboBox):
    """Every ISO 4217 code with its name, common ones first; a typed code, name or symbol ("euro", "£") counts."""

    def __init__(self, locale: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.babel_locale = locale
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setAccessibleName("Currency")
        for code in currency_choices():
            self.addItem(f"{code} — {get_currency_name(code, locale=locale)}", code)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(completer.filterMode().MatchContains)
        completer.setCaseSensitivity(completer.caseSensitivity().CaseInsensitive)
        self.setCompleter(completer)

    def code(self) -> str:
        """The ISO code picked or typed; raises ValidationError when the text names no single currency."""
        text = self.currentText().strip()
        index = self.findText(text)
        if index >= 0:
            return str(self.itemData(index))
        return read_currency(text, locale=self.babel_locale)

    def set_code(self, code: str) -> None:
        index = self.findData(code)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(code)


def ask_date(parent: QWidget | None, title: str, question: str, default: date) -> date | None:
    """A small modal question answered with a date; None when the user backs out."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel(question, dialog))
    edit = date_edit(default, question, dialog)
    layout.addWidget(edit)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return from_qdate(edit.date())


RESIZE_SAMPLE_ROWS = 100


def table_view(
    model: QAbstractItemModel,
    accessible_name: str,
    parent: QWidget,
    *,
    stretch: int | str | None = None,
    sort: tuple[int | str, Qt.SortOrder] | None = None,
    open_id: Callable[[int], object] | None = None,
) -> QTableView:
    """A read-only table in the house look: whole-row selection, compact rows, one stretching column.

    Columns are given by key (`stretch="renewal"`) on models that have `column(key)`, or by position.
    With `open_id`, a double-click or Enter on a row passes the row's subscription id to it.
    """

    def position(column: int | str) -> int:
        return column if isinstance(column, int) else int(model.column(column))  # type: ignore[attr-defined]

    view = QTableView(parent)
    view.setModel(model)
    view.setAccessibleName(accessible_name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Qt sizes columns from the first 1,000 rows by default: every cell of them formatted on each reset, which
    # froze the window for most of a second with thousands of rows. The visible rows and 100 more say as much.
    header.setResizeContentsPrecision(RESIZE_SAMPLE_ROWS)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(position(stretch), QHeaderView.ResizeMode.Stretch)
    if sort is not None:
        header.setSortIndicator(position(sort[0]), sort[1])
        view.setSortingEnabled(True)
    if open_id is not None:

        def open_row(index: QModelIndex) -> None:
            value = index.data(ID_ROLE)
            if value is not None:
                open_id(int(value))

        view.doubleClicked.connect(open_row)
        view.activated.connect(open_row)
    return view
