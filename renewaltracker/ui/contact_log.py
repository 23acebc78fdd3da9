"""The contact log of the selected subscription: a timeline list model, a view with search, and an edit dialog."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QDate,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.clock import Clock
from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.domain.drafts import format_day
from renewaltracker.domain.errors import NotFoundError, ValidationError
from renewaltracker.i18n import N_, _, current_language
from renewaltracker.services.contacts import ContactService
from renewaltracker.services.requests import RequestService
from renewaltracker.ui.context import AppContext, DataSignals
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.formatting import first_upper
from renewaltracker.ui.plain_text import confirm, plain_label
from renewaltracker.ui.screen_fit import FittedDialog
from renewaltracker.ui.shown_reads import ShownReads
from renewaltracker.ui.widgets import Hold, hold_nothing, saving_buttons

ContactRole = Qt.ItemDataRole.UserRole + 1
CONTACTS_CHANGED = "contacts"  # the change name on DataSignals.changed
AnyIndex = QModelIndex | QPersistentModelIndex


class ContactSignals(QObject):
    """Re-emits the contact service's committed changes on the app's data signal as ("contacts", id).

    One signal for all data means every view (and the reminder planner, which watches follow-up dates)
    hears about a new or changed contact without knowing about the contact log.
    """

    def __init__(self, contacts: ContactService, data_signals: DataSignals, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = contacts.subscribe(self._forward)
        self._data_signals = data_signals

    def _forward(self, subscription_id: int) -> None:
        self._data_signals.changed.emit(CONTACTS_CHANGED, subscription_id)

    def detach(self) -> None:
        self._unsubscribe()


def read_contacts(contacts: ContactService, key: tuple[int, str]) -> list[Contact]:
    """The subscription's contacts matching the search text (all of them without one), newest first."""
    subscription_id, search = key
    try:
        if search.strip():
            return contacts.search(search, subscription_id)
        return contacts.list_for(subscription_id)
    except NotFoundError:  # the subscription was deleted meanwhile
        return []


# How the window names a channel (the domain's own label is the CLI's English word).
CHANNEL_LABELS = {
    Channel.EMAIL: N_("email"),
    Channel.PHONE: N_("phone"),
    Channel.CHAT: N_("chat"),
    Channel.WEB_FORM: N_("web form"),
    Channel.IN_PERSON: N_("in person"),
    Channel.LETTER: N_("letter"),
}


def channel_label(channel: Channel) -> str:
    """The channel in the interface language, lower case as it reads inside a sentence."""
    return _(CHANNEL_LABELS[channel])


def timeline_text(contact: Contact) -> str:
    """A contact as a few lines of the timeline: when and how, then what was said and what came of it; dates
    spelled out in the interface language."""
    language = current_language()
    local = contact.at.astimezone()
    head = [f"{format_day(local.date(), language)}, {local:%H:%M}", channel_label(contact.channel)]
    head += [_("case {number}").format(number=contact.case_number)] if contact.case_number else []
    head += [_("with {agent}").format(agent=contact.agent)] if contact.agent else []
    head += [_("request #{id}").format(id=contact.request_id)] if contact.request_id else []
    lines = [" · ".join(head)]
    if contact.summary:
        lines.append(contact.summary)
    if contact.outcome:
        lines.append(_("Outcome: {outcome}").format(outcome=contact.outcome))
    if contact.promised:
        promised = (
            _("Promised: {promise} by {day}").format(
                promise=contact.promised, day=format_day(contact.promised_by, language)
            )
            if contact.promised_by
            else _("Promised: {promise}").format(promise=contact.promised)
        )
        lines.append(promised)
    if contact.follow_up:
        lines.append(_("Follow up on {day}").format(day=format_day(contact.follow_up, language)))
    return "\n".join(lines)


class TimelineDelegate(QStyledItemDelegate):
    """Draws a contact with its first line (when, how, case, agent) in bold and the rest wrapped below."""

    MARGIN = 6

    def _document(self, option: QStyleOptionViewItem, index: AnyIndex, width: int) -> QTextDocument:
        head, _, rest = str(index.data() or "").partition("\n")
        lines = "<br>".join(escape(line) for line in rest.split("\n")) if rest else ""
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(0)
        document.setHtml(f"<b>{escape(head)}</b>" + (f"<br>{lines}" if lines else ""))
        document.setTextWidth(max(width - 2 * self.MARGIN, 50))
        return document

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = self.parent()
        return view.viewport().width() if isinstance(view, QListView) else option.rect.width()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        document = self._document(option, index, self._width(option))
        return QSize(int(document.idealWidth()) + 2 * self.MARGIN, int(document.size().height()) + 2 * self.MARGIN)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        style = item.widget.style() if item.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        document = self._document(option, index, option.rect.width())
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(option.rect.left() + self.MARGIN, option.rect.top() + self.MARGIN)
        document.documentLayout().draw(painter, context)
        painter.restore()


class ContactListModel(QAbstractListModel):
    """The contacts of one subscription, newest first, as its tab last read them (`set_rows`)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Contact] = []
        self._subscription_id: int | None = None

    @property
    def subscription_id(self) -> int | None:
        return self._subscription_id

    def set_rows(self, subscription_id: int | None, rows: list[Contact]) -> None:
        self.beginResetModel()
        self._subscription_id = subscription_id
        self._rows = rows
        self.endResetModel()

    def contact(self, row: int) -> Contact:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        contact = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return timeline_text(contact)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _("Recorded contact by {channel}; double-click to edit").format(
                channel=channel_label(contact.channel)
            )
        if role == ContactRole:
            return contact
        return None


def picker_date_format() -> str:
    """The region's short date with the year in full ("dd.MM.yyyy", "M/d/yyyy"), as the pickers' default locale
    writes it; a two-digit year ("26") reads ambiguously."""
    pattern = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return pattern if "yyyy" in pattern else pattern.replace("yy", "yyyy")


def picker_date(day: date) -> str:
    """A date as the dialog's pickers write it."""
    return QLocale().toString(QDate(day.year, day.month, day.day), picker_date_format())


class ContactDialog(FittedDialog):
    """Add or edit one contact; a problem is shown in the dialog and nothing is saved until it is fixed."""

    def __init__(
        self,
        contacts: ContactService,
        clock: Clock,
        subscription_id: int,
        contact: Contact | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Edit contact") if contact else _("Log a contact"))
        self._contacts = contacts
        self._subscription_id = subscription_id
        self._editing = contact
        self.saved: Contact | None = None
        moment = contact.at if contact else clock.now()
        self.when = QDateTimeEdit(QDateTime(moment.astimezone()), self)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat(f"{picker_date_format()} {QLocale().timeFormat(QLocale.FormatType.ShortFormat)}")
        self.channel = QComboBox(self)
        for channel in Channel:
            label = channel_label(channel)
            self.channel.addItem(first_upper(label), channel)
        self.case_number = QLineEdit(self)
        self.agent = QLineEdit(self)
        self.summary = QPlainTextEdit(self)
        self.outcome = QPlainTextEdit(self)
        for editor in (self.summary, self.outcome):
            editor.setTabChangesFocus(True)
            editor.setFixedHeight(70)
        self.request = QComboBox(self)
        self.request.setAccessibleName(_("Request"))
        self.request.addItem(_("No request"), None)
        unresolved = []
        for request in RequestService(contacts.database, clock).all(subscription_id):
            state = request.outcome.label if request.outcome else request.state.label
            text = _("#{number} {kind} ({state}, opened {date})").format(
                number=request.id, kind=request.kind.label, state=state, date=picker_date(request.opened_on)
            )
            self.request.addItem(text, request.id)
            if not request.is_resolved:
                unresolved.append(self.request.count() - 1)
        if unresolved and contact is None:
            self.request.setCurrentIndex(unresolved[-1])
        self.promised = QLineEdit(self)
        self.promised.setPlaceholderText(_("e.g. a refund within 5 business days"))
        self.has_promised_by = QCheckBox(_("by"), self)
        self.promised_by = QDateEdit(self)
        self.promised_by.setCalendarPopup(True)
        self.promised_by.setDisplayFormat(picker_date_format())
        self.promised_by.setAccessibleName(_("Promised by"))
        self.promised_by.setEnabled(False)
        self.has_promised_by.toggled.connect(self.promised_by.setEnabled)
        self.has_follow_up = QCheckBox(_("Remind me to follow up on"), self)
        self.follow_up = QDateEdit(self)
        self.follow_up.setCalendarPopup(True)
        self.follow_up.setDisplayFormat(picker_date_format())
        self.follow_up.setAccessibleName(_("Follow-up date"))
        start = clock.today()
        self.follow_up.setDate(QDate(start.year, start.month, start.day).addDays(7))
        self.promised_by.setDate(QDate(start.year, start.month, start.day).addDays(7))
        self.follow_up.setEnabled(False)
        self.has_follow_up.toggled.connect(self.follow_up.setEnabled)
        if contact:
            self.channel.setCurrentIndex(list(Channel).index(contact.channel))
            self.case_number.setText(contact.case_number)
            self.agent.setText(contact.agent)
            self.summary.setPlainText(contact.summary)
            self.outcome.setPlainText(contact.outcome)
            self.request.setCurrentIndex(max(0, self.request.findData(contact.request_id)))
            self.promised.setText(contact.promised)
            if contact.promised_by:
                self.has_promised_by.setChecked(True)
                by = contact.promised_by
                self.promised_by.setDate(QDate(by.year, by.month, by.day))
            if contact.follow_up:
                self.has_follow_up.setChecked(True)
                self.follow_up.setDate(QDate(contact.follow_up.year, contact.follow_up.month, contact.follow_up.day))
        self.problem = plain_label(self)
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout()
        form.addRow(_("&When"), self.when)
        form.addRow(_("C&hannel"), self.channel)
        form.addRow(_("&Case or ticket"), self.case_number)
        form.addRow(_("&Agent"), self.agent)
        form.addRow(_("&Summary"), self.summary)
        form.addRow(_("&Outcome"), self.outcome)
        form.addRow(_("&Request"), self.request)
        promise = QHBoxLayout()
        promise.addWidget(self.promised, 1)
        promise.addWidget(self.has_promised_by)
        promise.addWidget(self.promised_by)
        # A row of several fields: Qt's own label would have no buddy and show the "&" itself.
        promised_label = QLabel(_("&Promised"), self)
        promised_label.setBuddy(self.promised)
        form.addRow(promised_label, promise)
        follow = QHBoxLayout()
        follow.addWidget(self.has_follow_up)
        follow.addWidget(self.follow_up)
        follow.addStretch()
        form.addRow("", follow)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        aware = datetime.fromtimestamp(self.when.dateTime().toSecsSinceEpoch(), tz=UTC).astimezone()
        picked = self.follow_up.date()
        follow_up = date(picked.year(), picked.month(), picked.day()) if self.has_follow_up.isChecked() else None
        by = self.promised_by.date()
        promised_by = date(by.year(), by.month(), by.day()) if self.has_promised_by.isChecked() else None
        return {
            "request_id": self.request.currentData(),
            "promised": self.promised.text(),
            "promised_by": promised_by,
            "at": aware,
            "channel": Channel(self.channel.currentData()),
            "case_number": self.case_number.text(),
            "agent": self.agent.text(),
            "summary": self.summary.toPlainText(),
            "outcome": self.outcome.toPlainText(),
            "follow_up": follow_up,
        }

    def save(self) -> None:
        try:
            if self._editing is not None and self._editing.id is not None:
                self.saved = self._contacts.edit(self._editing.id, **self.values())
            else:
                self.saved = self._contacts.add(Contact(subscription_id=self._subscription_id, **self.values()))
        except (ValidationError, NotFoundError) as error:
            self.problem.setText(_("Not saved: {error}").format(error=error_text(error)))
            self.problem.show()
            return
        self.accept()


class ContactLogWidget(QWidget):
    """The "Contacts" detail tab: a searchable timeline with add, edit and delete."""

    def __init__(
        self, context: AppContext, contacts: ContactService, parent: QWidget | None = None, hold: Hold = hold_nothing
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._contacts = contacts
        self.hold = hold
        self.model = ContactListModel(self)
        self.subscription_id: int | None = None  # the one selected; the model has its rows once they are read
        self.reads: ShownReads[tuple[int, str], list[Contact]] = ShownReads(
            self, partial(read_contacts, contacts), self._show_rows
        )
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_("Search contacts (case, agent, words)…"))
        self.search.setAccessibleName(_("Search contacts"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self.refresh())
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(TimelineDelegate(self.view))
        self.view.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap the entries when the pane is resized
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAccessibleName(_("Contact timeline"))
        self.view.doubleClicked.connect(lambda _index: self._edit_if_allowed())
        self.empty = plain_label(self)
        self.empty.setWordWrap(True)
        self.add_button = QPushButton(_("&Log contact…"), self)
        self.edit_button = QPushButton(_("Ed&it…"), self)  # Alt+E opens the Edit menu
        self.delete_button = QPushButton(_("&Delete"), self)
        self.add_button.clicked.connect(self.add_contact)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.model.modelReset.connect(self._update_state)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_state())
        context.signals.changed.connect(self._on_data_changed)
        self._update_state()

    def set_subscription(self, subscription_id: int | None) -> None:
        """Follow the selection: another subscription's contacts go at once, the new ones come from the worker."""
        if subscription_id != self.subscription_id:
            self.subscription_id = subscription_id
            self.model.set_rows(None, [])
        self.refresh()

    def refresh(self) -> None:
        """Read the selected subscription's contacts again (on the worker, once this tab is shown)."""
        sid = self.subscription_id
        self.reads.request(None if sid is None else (sid, self.search.text()))
        self._update_state()

    def _on_data_changed(self, _change: str, subscription_id: object) -> None:
        if self.subscription_id is not None and subscription_id in (None, self.subscription_id):
            self.refresh()

    def _show_rows(self, key: tuple[int, str], rows: list[Contact]) -> None:
        self.model.set_rows(key[0], rows)

    def _selected(self) -> Contact | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.contact(rows[0].row()) if rows else None

    def _update_state(self) -> None:
        has_subscription = self.subscription_id is not None
        selected = self._selected() is not None
        self.add_button.setEnabled(has_subscription)
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)
        self.search.setEnabled(has_subscription)
        if not has_subscription:
            self.empty.setText(_("Select a subscription to see its support contacts."))
        elif self.model.subscription_id != self.subscription_id:  # its contacts are still being read
            self.empty.hide()
            return
        elif self.model.rowCount() == 0:
            self.empty.setText(
                _("No matching contacts.")
                if self.search.text().strip()
                else _(
                    "No contacts yet. Log each call, chat or email here, so the next one starts where this one ended."
                )
            )
        self.empty.setVisible(not has_subscription or self.model.rowCount() == 0)

    def add_contact(self) -> ContactDialog | None:
        if self.subscription_id is None:
            return None
        dialog = ContactDialog(self._contacts, self._context.clock, self.subscription_id, parent=self)
        self.hold(saving_buttons(dialog))  # the file may become read only while it is open
        dialog.open()
        return dialog

    def _edit_if_allowed(self) -> None:
        """A double-click edits as the Edit button does, and not while that is disabled (a read-only window)."""
        if self.edit_button.isEnabled():
            self.edit_selected()

    def edit_selected(self) -> ContactDialog | None:
        contact = self._selected()
        if contact is None:
            return None
        dialog = ContactDialog(self._contacts, self._context.clock, contact.subscription_id, contact, parent=self)
        self.hold(saving_buttons(dialog))
        dialog.open()
        return dialog

    def delete_selected(self) -> None:
        contact = self._selected()
        if contact is None or contact.id is None:
            return
        answer = confirm(
            self,
            _("Delete contact"),
            _("Delete this contact?\n\n{timeline_text}").format(timeline_text=timeline_text(contact)),
        )
        if answer:
            self._contacts.delete(contact.id)
