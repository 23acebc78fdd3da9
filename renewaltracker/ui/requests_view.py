"""The "Requests" tab: what the user asked the vendor for, where each request stands, and its contacts."""

from __future__ import annotations

import html
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.errors import NotFoundError, ValidationError
from renewaltracker.domain.requests import Outcome, Request, RequestKind
from renewaltracker.i18n import N_, _
from renewaltracker.services.requests import RequestService, RequestsOverview
from renewaltracker.ui.contact_log import timeline_text
from renewaltracker.ui.context import AppContext, DataSignals
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.formatting import Formatter, first_upper
from renewaltracker.ui.plain_text import plain_label
from renewaltracker.ui.shown_reads import ShownReads
from renewaltracker.ui.table_model import Column, RecordTableModel
from renewaltracker.ui.widgets import Hold, KeyActions, ask_item, ask_text, hold_nothing, table_view

REQUESTS_CHANGED = "requests"


class RequestSignals(QObject):
    """Re-emits the request service's changes on the app's data signal as ("requests", id)."""

    def __init__(self, requests: RequestService, data_signals: DataSignals, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_signals = data_signals
        self._unsubscribe = requests.subscribe(lambda sid: data_signals.changed.emit(REQUESTS_CHANGED, sid))

    def detach(self) -> None:
        self._unsubscribe()


def read_overview(requests: RequestService, subscription_id: int) -> RequestsOverview | None:
    """The subscription's requests with their charges and contacts; None when it was deleted meanwhile."""
    try:
        return requests.overview(subscription_id)
    except NotFoundError:
        return None


def request_columns(formatter: Formatter) -> list[Column[Request]]:
    def asked(r: Request) -> str:
        return formatter.money(r.amount, r.currency) if r.amount is not None else ""

    def state(r: Request) -> str:
        if r.outcome is None:
            return first_upper(r.state.label)
        if r.recovered:
            return _("Resolved: {outcome}, {amount} back").format(
                outcome=r.outcome.label, amount=formatter.money(r.recovered, r.currency)
            )
        return _("Resolved: {outcome}").format(outcome=r.outcome.label)

    return [
        Column(N_("Opened"), lambda r: formatter.date(r.opened_on), sort_key=lambda r: (r.opened_on, r.id or 0)),
        Column(N_("Request"), lambda r: first_upper(r.kind.label)),
        Column(N_("Asked"), asked, numeric=True, sort_key=lambda r: r.amount or 0),
        Column(N_("State"), state),
    ]


class RequestsTab(QWidget):
    """Follows the selection; shows the subscription's requests and the contacts of the selected one.

    In the table, Insert opens a request, Enter or F2 resolves the selected one; the context menu has both.
    """

    def __init__(
        self,
        context: AppContext,
        requests: RequestService,
        formatter: Formatter,
        parent: QWidget | None = None,
        hold: Hold = hold_nothing,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.hold = hold
        self.requests = requests
        self.formatter = formatter
        self.subscription_id: int | None = None
        self.model = RecordTableModel(request_columns(formatter), parent=self)
        self.table = table_view(self.model, _("Requests"), self, sort=("opened", Qt.SortOrder.DescendingOrder))
        self.table.setMinimumHeight(110)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_contacts())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._popup)
        resolving = dict.fromkeys((Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter), self._resolve_selected)
        KeyActions(self.table, {Qt.Key.Key_Insert: self._open_selected, **resolving})
        self.contacts = QLabel(self)
        self.contacts.setAccessibleName(_("Contacts of the request"))
        self.contacts.setTextFormat(Qt.TextFormat.RichText)
        self.contacts.setWordWrap(True)
        self.contacts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.open_button = QPushButton(_("&Open request…"), self)
        self.open_button.clicked.connect(self._ask_open)
        self.resolve_button = QPushButton(_("&Resolve…"), self)
        self.resolve_button.clicked.connect(self._ask_resolve)
        # In the table's place while it would be empty: what to select, or how to open a first request.
        self.empty = plain_label(self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.problem = plain_label(self)
        self.problem.setStyleSheet("color: #b00020")
        self.problem.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.resolve_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.problem)
        layout.addWidget(self.contacts, 2)
        self.overview: RequestsOverview | None = None  # the rows shown, as the worker read them
        self.reads: ShownReads[int, RequestsOverview | None] = ShownReads(
            self, partial(read_overview, requests), lambda _sid, overview: self._show_overview(overview)
        )
        context.signals.changed.connect(self._on_changed)
        self._show_overview(None)

    def set_subscription(self, subscription_id: int | None) -> None:
        """Follow the selection: another subscription's requests go at once, the new ones come from the worker."""
        if subscription_id != self.subscription_id:
            self.subscription_id = subscription_id
            self._show_overview(None)
        self.refresh()

    def _on_changed(self, change: str, subscription_id: Any) -> None:
        if self.subscription_id is not None and subscription_id in (None, self.subscription_id):
            self.refresh()

    def refresh(self) -> None:
        """Read the selected subscription's requests again (on the worker, once this tab is shown)."""
        self.open_button.setEnabled(self.subscription_id is not None)
        self.reads.request(self.subscription_id)

    def _show_overview(self, overview: RequestsOverview | None) -> None:
        """Put up what the worker read (None: nothing yet), keeping the selected request where it still is."""
        kept = self.selected()
        self.overview = overview
        found = overview.requests if overview is not None else []
        self.model.set_records(found)
        self.open_button.setEnabled(self.subscription_id is not None)
        rows = [row for row, request in enumerate(self.model.records()) if kept is not None and request.id == kept.id]
        if rows:
            self.table.selectRow(rows[0])
        elif found and not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)
        self._show_empty()
        self._show_contacts()

    def _show_empty(self) -> None:
        """A sentence in the table's place when there is nothing to list; the bare table while the rows are read."""
        if self.subscription_id is None:
            text = _("Select a subscription to see its requests.")
        elif self.overview is not None and not self.overview.requests:
            text = _(
                "No requests yet. When you ask the vendor for a refund, a cancellation or anything else, open one "
                "with Open request… (or Insert), and log each contact about it."
            )
        else:
            text = ""
        self.empty.setText(text)
        self.empty.setVisible(bool(text))
        self.table.setVisible(not text)

    def selected(self) -> Request | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _show_contacts(self) -> None:
        request = self.selected()
        self.resolve_button.setEnabled(request is not None and not request.is_resolved)
        if request is None or request.id is None:
            # Only when there is a request to select: otherwise the sentence in the table's place says it all.
            any_listed = self.subscription_id is not None and self.model.rowCount() > 0
            self.contacts.setText(_("<i>No request selected.</i>") if any_listed else "")
            return
        f = self.formatter
        title = _("{kind} request #{number}").format(kind=first_upper(request.kind.label), number=request.id)
        head = f"<b>{html.escape(title)}</b>"
        overview = self.overview
        charge = overview.charge(request.id) if overview is not None else None
        if charge is not None:
            about = _(" about the charge of {amount} on {date}").format(
                amount=f.money(charge.amount, charge.currency), date=f.date(charge.date)
            )
            head += html.escape(about)
        items = []
        for contact in overview.contacts_of(request.id) if overview is not None else []:
            first, _sep, rest = timeline_text(contact).partition("\n")
            body = "<br>".join(html.escape(line) for line in rest.split("\n")) if rest else ""
            items.append(f"<li><b>{html.escape(first)}</b><br>{body}</li>")
        none_yet = _("No contacts logged for this request yet.")
        listed = f"<ul>{''.join(items)}</ul>" if items else f"<p><i>{html.escape(none_yet)}</i></p>"
        self.contacts.setText(head + listed)

    def open_request(self, kind: RequestKind) -> Request | None:
        if self.subscription_id is None:
            return None
        try:
            return self.requests.open(self.subscription_id, kind)
        except (ValidationError, NotFoundError) as error:
            self._report(error)
            return None

    def resolve(self, outcome: Outcome, amount: str | None = None) -> Request | None:
        request = self.selected()
        if request is None or request.id is None:
            return None
        try:
            return self.requests.resolve(request.id, outcome, amount or None)
        except (ValidationError, NotFoundError) as error:
            self._report(error)
            return None

    def _report(self, error: Exception) -> None:
        self.problem.setText(_("Not changed — {error}").format(error=error_text(error)))
        self.problem.show()

    def menu(self) -> QMenu:
        """The table's context menu: open a request of any kind, resolve the selected one."""
        menu = QMenu(self.table)
        opening = menu.addMenu(_("&Open request"))
        opening.setEnabled(self.open_button.isEnabled())
        for kind in RequestKind:
            opening.addAction(first_upper(kind.label), partial(self.open_request, kind))
        resolve = menu.addAction(_("&Resolve…"), self._ask_resolve)
        resolve.setShortcut(Qt.Key.Key_F2)
        resolve.setEnabled(self.resolve_button.isEnabled())
        return menu

    def _popup(self, point: QPoint) -> None:
        self.menu().popup(self.table.viewport().mapToGlobal(point))

    def _open_selected(self) -> None:
        if self.open_button.isEnabled():
            self._ask_open()

    def _resolve_selected(self) -> None:
        if self.resolve_button.isEnabled():
            self._ask_resolve()

    def _ask_open(self) -> None:
        if self.subscription_id is None:
            return
        labels = [first_upper(kind.label) for kind in RequestKind]
        choice, ok = ask_item(self, _("Open a request"), _("What do you ask the vendor for?"), labels, 1, self.hold)
        if ok:
            self.open_request(list(RequestKind)[labels.index(choice)])

    def _ask_resolve(self) -> None:
        labels = [first_upper(outcome.label) for outcome in Outcome]
        choice, ok = ask_item(self, _("Resolve the request"), _("How did it end?"), labels, 0, self.hold)
        if not ok:
            return
        outcome = list(Outcome)[labels.index(choice)]
        amount = None
        if outcome in (Outcome.WON, Outcome.PARTLY):
            request = self.selected()
            default = str(request.amount) if request is not None and request.amount is not None else ""
            amount, ok = ask_text(self, _("Resolve the request"), _("Amount recovered:"), self.hold, default)
            if not ok:
                return
        self.resolve(outcome, amount)
