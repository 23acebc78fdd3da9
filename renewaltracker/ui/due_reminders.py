"""The window's own list of reminders: where they appear when no notifier reaches the user, and for summaries."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QListView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.reminders import Notice, Reminder
from renewaltracker.i18n import _
from renewaltracker.ui.plain_text import plain_label
from renewaltracker.ui.screen_fit import FittedDialog

_Index = QModelIndex | QPersistentModelIndex
SUBSCRIPTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ReminderListModel(QAbstractListModel):
    """Reminders shown to the user, newest batch first; each row is title and what to do."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self._reminders: list[Reminder] = []

    def add(self, reminders: tuple[Reminder, ...] | list[Reminder], today: date) -> None:
        fresh = [r for r in reminders if r.key not in {s.key for s in self._reminders}]
        self.today = today
        if not fresh:
            return
        self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
        self._reminders[0:0] = fresh
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._reminders.clear()
        self.endResetModel()

    def reminder(self, row: int) -> Reminder:
        return self._reminders[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._reminders)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._reminders):
            return None
        reminder = self._reminders[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{reminder.title()}\n{reminder.body(self.today)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return reminder.body(self.today)
        if role == SUBSCRIPTION_ID_ROLE:
            return reminder.subscription_id
        return None


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the list's width: a long name keeps the advice line below it."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        width = max(self.view.viewport().width() - 2 * self.view.spacing() - 12, 100)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        box = option.fontMetrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, text)
        return QSize(width, box.height() + 6)


class DueRemindersDialog(FittedDialog):
    """Lists reminders; double-clicking one (or Open) opens its subscription."""

    open_requested = Signal(int)

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Renewal reminders"))
        self.setObjectName("DueRemindersDialog")
        self.explanation = plain_label(self)
        self.explanation.setWordWrap(True)
        self.explanation.hide()
        self.model = ReminderListModel(today, self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(_("Due reminders"))
        self.view.setWordWrap(True)
        self.view.setItemDelegate(WrappingDelegate(self.view))
        self.view.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap when the window is resized
        self.view.setSpacing(4)  # title and advice are two lines; space keeps one reminder apart from the next
        self.view.doubleClicked.connect(self._open_index)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = QPushButton(_("&Open subscription"), self)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(lambda: self._open_index(self.view.currentIndex()))
        buttons.rejected.connect(self.hide)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def explain(self, text: str) -> None:
        self.explanation.setText(text)
        self.explanation.show()

    def add_notice(self, notice: Notice, today: date) -> None:
        if not self.isVisible():
            self.model.clear()  # reopened: only what is new, not what the user already saw and closed
        self.model.add(notice.reminders, today)
        self.view.setCurrentIndex(self.model.index(0, 0))

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.reminder(index.row()).subscription_id)
