"""Small widgets: optional dates and counts, a currency picker, a date question, and the house table view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from datetime import date

from babel.numbers import get_currency_name
from PySide6.QtCore import QAbstractItemModel, QDate, QEvent, QLocale, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from renewaltracker.domain.amounts import currency_choices, read_currency
from renewaltracker.domain.dates import format_field_date, read_date
from renewaltracker.domain.errors import ValidationError
from renewaltracker.i18n import _
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.plain_text import plain_label
from renewaltracker.ui.screen_fit import FittedDialog
from renewaltracker.ui.table_model import ID_ROLE


class KeyActions(QObject):
    """Runs an action for each of its keys pressed in a view, taking them before the window's shortcuts do.

    Without it Del in a history table would reach the window's "delete the subscription" shortcut.
    """

    def __init__(self, view: QWidget, actions: Mapping[Qt.Key, Callable[[], object]]) -> None:
        super().__init__(view)
        self.view = view
        self.actions = dict(actions)
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            action = self.actions.get(Qt.Key(event.key()))
            if action is not None:
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    action()
                return True
        return super().eventFilter(watched, event)


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class DateField(QWidget):
    """A date typed as text (the locale's short form or ISO) with a calendar button; Tab goes to the next field.

    `date()` is the last date read; `problem()` says why the text is not one. `dateChanged` carries a QDate.
    """

    dateChanged = Signal(QDate)

    def __init__(self, day: date, accessible_name: str, locale: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.locale_name = locale or QLocale.system().name()
        self._date = day
        self._problem = ""
        self.line = QLineEdit(self)
        self.line.setAccessibleName(accessible_name)
        self.line.setPlaceholderText(format_field_date(date(2026, 12, 31), self.locale_name))
        self.line.textEdited.connect(self._typed)
        self.line.editingFinished.connect(self._tidy)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setAccessibleName(
            _("{accessible_name}: pick from a calendar").format(accessible_name=accessible_name)
        )
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab leaves the field, as in every other field
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget(self)
        menu = QMenu(self.button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(lambda: self.calendar.setSelectedDate(to_qdate(self._date)))
        self.calendar.clicked.connect(lambda picked: self._picked(menu, picked))
        self.button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)
        self._show(day)

    def date(self) -> QDate:
        return to_qdate(self._date)

    def setDate(self, value: QDate) -> None:
        self._problem = ""
        self._show(from_qdate(value))
        self._set(from_qdate(value))

    def _picked(self, menu: QMenu, picked: QDate) -> None:
        menu.close()
        self.setDate(picked)

    def problem(self) -> str:
        """Why the typed text is not a date ("" when it is one)."""
        return self._problem

    def text(self) -> str:
        return self.line.text()

    def _show(self, day: dt.date) -> None:
        self.line.setText(format_field_date(day, self.locale_name))

    def _set(self, day: dt.date) -> None:
        if day != self._date:
            self._date = day
            self.dateChanged.emit(to_qdate(day))
        elif not self.signalsBlocked():
            self.dateChanged.emit(to_qdate(day))  # a problem may have cleared: listeners re-check

    def _typed(self, text: str) -> None:
        try:
            day = read_date(text, self.locale_name)
        except ValidationError as error:
            self._problem = error.problem
            self.dateChanged.emit(to_qdate(self._date))  # listeners see the problem
            return
        self._problem = ""
        self._set(day)

    def _tidy(self) -> None:
        if not self._problem:
            self._show(self._date)  # "31/12/26" becomes 12/31/2026: what was understood


def date_edit(day: date, accessible_name: str, parent: QWidget | None = None, locale: str | None = None) -> DateField:
    return DateField(day, accessible_name, locale, parent)


class OptionalDate(QWidget):
    """A date that may be absent: a check box switches the date field on."""

    changed = Signal()

    def __init__(self, label: str, default: date, parent: QWidget | None = None, locale: str | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label, self)
        self.edit = date_edit(default, label, self, locale)
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.setFocusProxy(self.check)  # a label's Alt+letter skips a buddy that takes no focus
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)

    def value(self) -> date | None:
        return from_qdate(self.edit.date()) if self.check.isChecked() else None

    def problem(self) -> str:
        """Why the typed date is unreadable, while the box is ticked ("" otherwise)."""
        return self.edit.problem() if self.check.isChecked() else ""

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
        self.setAccessibleName(_("Currency"))
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


# The window's `writes.hold` (ui/read_only.py), passed to what opens dialogs that save: what it is given is disabled
# once the window is read only, and stays so.
Hold = Callable[[Iterable[QAction | QWidget]], object]


def hold_nothing(items: Iterable[QAction | QWidget]) -> None:
    """For a widget built outside a window (tests), where nothing goes read only."""


def saving_buttons(dialog: QDialog) -> list[QPushButton]:
    """The dialog's Save and OK buttons: what a read-only window holds disabled while it stays open."""
    roles = (QDialogButtonBox.StandardButton.Save, QDialogButtonBox.StandardButton.Ok)
    found = (box.button(role) for box in dialog.findChildren(QDialogButtonBox) for role in roles)
    return [button for button in found if button is not None]


def ask_item(parent: QWidget, title: str, label: str, items: list[str], current: int, hold: Hold) -> tuple[str, bool]:
    """`QInputDialog.getItem` (not editable) whose OK the window holds disabled if the file goes read only while it
    is up: the static prompt's dialog is out of reach."""
    dialog = QInputDialog(parent)
    dialog.setComboBoxItems(items)
    dialog.setComboBoxEditable(False)
    dialog.setTextValue(items[current])
    return _held_answer(dialog, title, label, hold)


def ask_text(parent: QWidget, title: str, label: str, hold: Hold, text: str = "") -> tuple[str, bool]:
    """`QInputDialog.getText` whose OK the window holds disabled if the file goes read only while it is up."""
    dialog = QInputDialog(parent)
    dialog.setTextValue(text)
    return _held_answer(dialog, title, label, hold)


def _held_answer(dialog: QInputDialog, title: str, label: str, hold: Hold) -> tuple[str, bool]:
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.sizeHint()  # Qt builds the dialog's buttons here or when it is first shown: they must exist to be held
    hold(saving_buttons(dialog))
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return (dialog.textValue() if accepted else ""), accepted
    finally:
        dialog.deleteLater()


def ask_date(
    parent: QWidget | None, title: str, question: str, default: date, locale: str | None = None
) -> date | None:
    """A small modal question answered with a date; None when the user backs out."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    layout.addWidget(plain_label(dialog, question))
    edit = date_edit(default, question, dialog, locale)
    layout.addWidget(edit)
    problem = problem_label(dialog)
    layout.addWidget(problem)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)

    def check() -> None:
        # An unreadable date is said, and OK waits for a readable one: never the last date read in its place.
        show_problem(problem, edit.problem())
        ok.setEnabled(not edit.problem())

    edit.dateChanged.connect(check)
    if dialog.exec() != QDialog.DialogCode.Accepted or edit.problem():
        return None
    return from_qdate(edit.date())


def problem_label(parent: QWidget) -> QLabel:
    """A red line under a small form that says what is wrong with it; hidden while nothing is."""
    label = plain_label(parent)
    label.setWordWrap(True)
    label.setAccessibleName(_("Problem"))
    label.setStyleSheet("color: #d9363e; font-weight: 600;")
    label.hide()
    return label


def show_problem(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class CheckedDialog(FittedDialog):
    """A small form that closes only with values that can be stored (`values`); else its `problem` line says what
    is wrong, and the typed text stays."""

    problem: QLabel

    def values(self) -> object:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.values()
        except ValidationError as error:
            show_problem(self.problem, error_text(error))
            return
        super().accept()


RESIZE_SAMPLE_ROWS = 100


class StretchKeepsTexts(QObject):
    """A table's stretching column takes the spare width while that holds its texts; when it does not, it keeps
    its texts' width and the table scrolls sideways.

    Qt's stretch gives a column what the others leave, down to a few pixels: "Resolved: won, $39.99 back" was cut
    to "Resolved: won, …" in the detail pane's default width, and more so in German and French. The width is set
    here rather than by switching Qt's stretch on and off, whose delayed re-layout could leave it a few pixels off.
    """

    def __init__(self, view: QTableView, column: int) -> None:
        super().__init__(view)
        self.view = view
        self.column = column
        # Measured again when the rows change or the table is shown; not on scrolling, as Qt fits the other columns.
        self._texts_width: int | None = None
        self._pending = False
        header = view.horizontalHeader()
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._section_resized)
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        model = view.model()
        for signal in (
            model.modelReset,
            model.layoutChanged,
            model.rowsInserted,
            model.rowsRemoved,
            model.dataChanged,
            model.headerDataChanged,
        ):
            signal.connect(self._contents_changed)

    def texts_width(self) -> int:
        """The column's header and the texts Qt sizes columns from (the rows on screen and the sample below)."""
        if self._texts_width is None:
            header = self.view.horizontalHeader()
            self._texts_width = max(self.view.sizeHintForColumn(self.column), header.sectionSizeHint(self.column))
        return self._texts_width

    def keep_texts(self) -> None:
        """The spare width, or the texts' width where that is more."""
        header = self.view.horizontalHeader()
        if header.isSectionHidden(self.column):
            return
        spare = self.view.viewport().width() - (header.length() - header.sectionSize(self.column))
        width = max(spare, self.texts_width())
        if header.sectionSize(self.column) != width:
            header.resizeSection(self.column, width)

    def _contents_changed(self, *args: object) -> None:
        self._texts_width = None
        if not self._pending:
            # After the header's own fitting of the other columns to the new rows, which Qt runs from the event
            # loop: measured inside the reset, they still had the old rows' widths.
            self._pending = True
            QTimer.singleShot(0, self, self._keep_texts_later)

    def _keep_texts_later(self) -> None:
        self._pending = False
        self.keep_texts()

    def _section_resized(self, column: int, old: int, new: int) -> None:
        if column != self.column:  # its own changes come from here
            self.keep_texts()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The type first: the viewport is still sent events while the view is being destroyed.
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show) and watched is self._viewport:
            if event.type() == QEvent.Type.Show:
                self._texts_width = None  # the rows on screen are known now
            self.keep_texts()
        return False


def table_view(
    model: QAbstractItemModel,
    accessible_name: str,
    parent: QWidget,
    *,
    stretch: int | str | None = None,
    sort: tuple[int | str, Qt.SortOrder] | None = None,
    open_id: Callable[[int], object] | None = None,
) -> QTableView:
    """A read-only table in the house look: whole-row selection, compact rows, one stretching column (the last
    unless `stretch` names one) that never cuts its texts.

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
    StretchKeepsTexts(view, model.columnCount() - 1 if stretch is None else position(stretch))
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
