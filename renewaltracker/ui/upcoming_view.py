"""The upcoming list: every event in the next N days with running charge totals per currency."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.events import Event, EventKind, events_between
from renewaltracker.domain.spending import charge_totals, running_totals
from renewaltracker.domain.subscription import Subscription
from renewaltracker.i18n import N_, _, ngettext
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.ui.calendar_view import MARKER_COLOURS, marked_label
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.lazy import LazyView
from renewaltracker.ui.table_model import Column, RecordTableModel
from renewaltracker.ui.widgets import table_view

DAYS_SETTLE_MS = 300


class UpcomingRow(NamedTuple):
    event: Event
    days_left: int
    running_total: Decimal | None


def upcoming_rows(events: list[Event], today: date) -> list[UpcomingRow]:
    totals = running_totals(events)
    return [UpcomingRow(e, (e.date - today).days, total) for e, total in zip(events, totals, strict=True)]


def upcoming_columns(formatter: Formatter) -> list[Column[UpcomingRow]]:
    return [
        Column(N_("Date"), lambda r: formatter.date(r.event.date), sort_key=lambda r: r.event.sort_key()),
        Column(N_("In"), lambda r: formatter.days_left(r.days_left), sort_key=lambda r: r.days_left, numeric=True),
        Column(
            N_("What"),
            lambda r: marked_label(r.event.kind),
            foreground=lambda r: MARKER_COLOURS[r.event.kind],
        ),
        Column(N_("Renewal"), lambda r: r.event.name),
        Column(
            N_("Amount"),
            lambda r: formatter.money(r.event.amount, r.event.currency) if r.event.kind is EventKind.CHARGE else "",
            sort_key=lambda r: (r.event.currency, r.event.amount),
            numeric=True,
        ),
        Column(
            N_("Running total"),
            lambda r: formatter.money(r.running_total, r.event.currency) if r.running_total is not None else "",
            sort_key=lambda r: r.event.sort_key(),
            numeric=True,
        ),
    ]


def nothing_due(subscriptions: list[Subscription], today: date, days: int, formatter: Formatter) -> str:
    """Why the next `days` hold nothing: the next charge after them, else that nothing charges again."""
    text = ngettext("Nothing due in the next {days} day.", "Nothing due in the next {days} days.", days).format(
        days=days
    )
    if not subscriptions:
        return text + " " + _("Add a renewal (File → New renewal): its charges, trial ends and deadlines show here.")
    # One date per plan, without expanding every plan's events over a longer window.
    later = [(day, s.name) for s in subscriptions if (day := s.next_charge(today)) is not None]
    if not later:
        return text + " " + _("No renewal charges again: each one is paused, cancelled or ended.")
    day, name = min(later)
    return text + " " + _("The next charge: {name} on {day}.").format(name=name, day=formatter.date(day))


class UpcomingView(LazyView):
    """Looks ahead `upcoming_days` days (a setting the spin box changes)."""

    open_requested = Signal(int)

    def __init__(
        self,
        service: SubscriptionService,
        formatter: Formatter,
        subscriptions: Callable[[], list[Subscription]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(formatter, service.clock.today, subscriptions, parent)
        self.service = service
        self.days_spin = QSpinBox(self)
        self.days_spin.setRange(1, 3660)
        self.days_spin.setSuffix(_(" days"))
        self.days_spin.setAccessibleName(_("Days to look ahead"))
        self.days_spin.setValue(int(service.setting("upcoming_days")))
        self.days_spin.editingFinished.connect(self._days_changed)
        # The arrows (and the wheel) change the value without finishing an edit: the list follows them after a
        # short pause, so it never covers other days than the number shown, and a run of clicks saves once.
        self._days_timer = QTimer(self)
        self._days_timer.setSingleShot(True)
        self._days_timer.setInterval(DAYS_SETTLE_MS)
        self._days_timer.timeout.connect(self._days_changed)
        self.days_spin.valueChanged.connect(self._days_timer.start)
        self.total_label = QLabel(self)
        self.total_label.setAccessibleName(_("Total of the upcoming charges"))
        self.model = RecordTableModel(upcoming_columns(formatter), id_of=lambda r: r.event.subscription_id, parent=self)
        self.table = table_view(
            self.model, _("Upcoming events"), self, stretch="renewal", open_id=self.open_requested.emit
        )
        # Columns sized from the rows on screen: the rows below (hundreds over a month) format the same widths, and
        # sampling 100 more of them asked each cell for its text about 20 times per refresh (tens of ms).
        self.table.horizontalHeader().setResizeContentsPrecision(0)
        # In the table's place while it has no rows: an empty table under its headers explains nothing.
        self.empty_label = QLabel(self)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Next"), self))
        top.addWidget(self.days_spin)
        top.addStretch(1)
        top.addWidget(self.total_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)

    def _days_changed(self) -> None:
        self._days_timer.stop()
        text = str(self.days_spin.value())
        if text != str(self.service.setting("upcoming_days")):
            try:
                self.service.set_setting("upcoming_days", text)
            except ValidationError:
                return
        self.refresh()

    def refresh(self) -> None:
        today = self._today()
        end = today + timedelta(days=self.days_spin.value())
        subscriptions = self._subscriptions()
        events = events_between(subscriptions, today, end, self.prices())
        self.model.set_records(upcoming_rows(events, today))
        if not events:
            self.empty_label.setText(nothing_due(subscriptions, today, self.days_spin.value(), self.formatter))
        self.table.setHidden(not events)
        self.empty_label.setHidden(bool(events))
        self.total_label.setText(
            _("Charges due: <b>{totals}</b>").format(totals=self.formatter.totals(charge_totals(events)))
        )
