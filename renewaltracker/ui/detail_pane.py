"""The "Details" tab: everything known about the selected subscription, its deadlines and its charge history."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.amounts import read_amount
from renewaltracker.domain.channels import CHANNEL_GUIDES, Step
from renewaltracker.domain.costs import yearly_cost
from renewaltracker.domain.errors import DuplicateChargeError, NotFoundError, ValidationError
from renewaltracker.domain.events import EventKind, event_label, next_cancel_by
from renewaltracker.domain.history import PriceChange, open_refund_window, price_changes, unrecorded_charges
from renewaltracker.domain.prices import PriceHistory
from renewaltracker.domain.review import days_unused, is_unused
from renewaltracker.domain.subscription import ChargeStatus, Subscription
from renewaltracker.i18n import N_, _, ngettext
from renewaltracker.services.subscription_details import SubscriptionDetails, read_details
from renewaltracker.ui.background import LatestOnly
from renewaltracker.ui.charge_history import ChargeHistoryActions, ask_yes_no
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.fitting import FittingDelegate
from renewaltracker.ui.formatting import CHARGE_STATUS_LABELS, STATUS_LABELS, Formatter, first_lower, first_upper
from renewaltracker.ui.lazy import scrolled
from renewaltracker.ui.plain_text import plain_label
from renewaltracker.ui.price_steps import PriceStepsSection
from renewaltracker.ui.table_model import Column, RecordTableModel
from renewaltracker.ui.widgets import Hold, ask_text, hold_nothing, table_view

log = logging.getLogger(__name__)


def _steps_html(steps: tuple[Step, ...]) -> str:
    """Numbered steps, each with its link (opened in the browser by the label)."""
    items = []
    for step in steps:
        link = f' <a href="{html.escape(step.url)}">{html.escape(step.url)}</a>' if step.url else ""
        items.append(f"{html.escape(_(step.text))}{link}")
    return "<br>".join(f"{n}. {item}" for n, item in enumerate(items, 1))


RISE = QColor("#d9363e")
FALL = QColor("#2e9d57")
RISE_MARK, FALL_MARK = "▲", "▼"


def charge_columns(formatter: Formatter) -> list[Column[PriceChange]]:
    def change_text(row: PriceChange) -> str:
        difference = row.difference
        if not difference:
            return ""
        sign = "+" if difference > 0 else "−"
        percent = abs(difference) / row.previous * 100 if row.previous else Decimal(0)
        return f"{sign}{formatter.money(abs(difference), row.charge.currency)} ({sign}{formatter.percent(percent)})"

    def amount_text(row: PriceChange) -> str:
        # The change is an arrow beside the amount (its figures in the tooltip): a column of its own pushed the
        # reference out of the pane's default width in German and French.
        money = formatter.money(row.charge.amount, row.charge.currency)
        difference = row.difference
        return money if not difference else f"{RISE_MARK if difference > 0 else FALL_MARK} {money}"

    def amount_tooltip(row: PriceChange) -> str:
        change = change_text(row)
        return _("Price change: {change}").format(change=change) if change else ""

    def amount_spoken(row: PriceChange) -> str:
        money = formatter.money(row.charge.amount, row.charge.currency)
        change = change_text(row)
        return _("{amount}, price change {change}").format(amount=money, change=change) if change else money

    def change_colour(row: PriceChange) -> QColor | None:
        difference = row.difference
        return None if not difference else (RISE if difference > 0 else FALL)

    def status_text(row: PriceChange) -> str:
        charge = row.charge
        text = _(CHARGE_STATUS_LABELS[charge.status])
        if charge.refunded_amount is not None:
            text += f" {formatter.money(charge.refunded_amount, charge.currency)}"
            if charge.refunded_on:
                text += " " + _("on {day}").format(day=formatter.date(charge.refunded_on))
        return text

    def reference_text(row: PriceChange) -> str:
        return " — ".join(part for part in (row.charge.reference, row.charge.note) if part)

    return [
        Column(N_("Date"), lambda r: formatter.date(r.charge.date), sort_key=lambda r: r.charge.date),
        Column(
            N_("Amount"),
            amount_text,
            numeric=True,
            tooltip=amount_tooltip,
            foreground=change_colour,
            accessible=amount_spoken,
            sort_key=lambda r: r.charge.amount,
        ),
        Column(N_("Status"), status_text),
        # One free-text column for the narrow pane, so nothing runs off its edge; the tooltip shows all of it.
        Column(N_("Reference"), reference_text, tooltip=reference_text),
    ]


def ask_reference(parent: QWidget, hold: Hold) -> tuple[str, bool]:
    """The optional order or invoice number of a charge being recorded; tests replace this function."""
    return ask_text(parent, _("Record a charge"), _("Order or invoice number of this charge (optional):"), hold)


@dataclass(frozen=True, slots=True)
class ShownDetails:
    """The pane's content for one subscription, read and formatted on the worker thread."""

    details: SubscriptionDetails
    history: list[PriceChange]
    due: list[date]
    record_text: str
    summary: str
    today: date


def shown_details(context: AppContext, formatter: Formatter, subscription_id: int, muted: str) -> ShownDetails | None:
    """One read of the subscription and everything about it, formatted; None when it is gone."""
    try:
        details = read_details(context.service, subscription_id)
    except NotFoundError:
        return None
    s, prices = details.subscription, details.prices
    today = context.clock.today()
    history = price_changes(details.charges)
    due = unrecorded_charges(s, details.charges, today)
    record_text = (
        _("Record the {date} charge of {money}").format(
            date=formatter.date(due[0]), money=formatter.money(prices.price_on(due[0]), s.currency)
        )
        if due
        else ""
    )
    summary = summary_html(formatter, details, today, history, muted)
    return ShownDetails(details, history, due, record_text, summary, today)


def summary_html(
    f: Formatter, details: SubscriptionDetails, today: date, history: list[PriceChange], muted: str
) -> str:
    """The pane's table of facts about the subscription, as rich text."""
    s, prices = details.subscription, details.prices
    rows: list[tuple[str, str]] = []

    def add(label: str, value: str | None, raw: bool = False) -> None:
        if value:
            rows.append((label, value if raw else html.escape(value)))

    add(_("Status"), _(STATUS_LABELS[s.status_on(today)]))
    add(_("Vendor"), s.vendor)
    add(_("Category"), s.category)
    amount = f.money(prices.price_on(today), s.currency) + " " + first_lower(f.cycle(s.interval))
    add(_("Amount"), amount)
    rise = prices.next_step_up(today)
    if rise is not None:
        add(
            event_label(EventKind.PRICE_STEP),
            _("to {price} on {day}").format(price=f.money(rise[2], s.currency), day=f.date(rise[0])),
        )
    if s.is_shared:
        people = (
            ngettext("(shared between {count})", "(shared between {count})", s.split_between).format(
                count=s.split_between
            )
            if s.split_between
            else _("(fixed share)")
        )
        add(_("Your share"), f"{f.money(s.share_of(prices.price_on(today)), s.currency)} {people}")
    upcoming = s.next_charge(today)
    add(_("Next charge"), f"{f.date(upcoming)} — {f.days_left((upcoming - today).days)}" if upcoming else _("none"))
    add(_("First paid charge"), f.date(s.anchor_date))
    add(event_label(EventKind.TRIAL_END), f.date(s.trial_end))
    add(_("Cancelled from"), f.date(s.cancelled_on))
    for pause in s.pauses:
        since = _("from {day}").format(day=f.date(pause.start))
        until = " " + _("until {day}").format(day=f.date(pause.end)) if pause.end else ""
        add(_("Paused"), since + until)
    add(_("Ends"), f.date(s.end_date))
    add(_("Number of charges"), str(s.end_count) if s.end_count else "")
    deadline = next_cancel_by(s, today)
    if deadline is not None:
        cancel_by, guarded = (html.escape(f.date(day)) for day in deadline)
        add(
            event_label(EventKind.CANCEL_BY),
            ngettext(
                "<b>{cancel_by}</b> to avoid the {charge} charge ({days} day’s notice)",
                "<b>{cancel_by}</b> to avoid the {charge} charge ({days} days’ notice)",
                s.notice_days or 0,
            ).format(cancel_by=cancel_by, charge=guarded, days=s.notice_days),
            raw=True,
        )
    elif s.notice_days:
        add(_("Notice period"), ngettext("{days} day", "{days} days", s.notice_days).format(days=s.notice_days))
    window = open_refund_window(s, today)
    if window is not None:
        add(
            _("Refund window"),
            _("for the {charge} charge, open until {day}").format(charge=f.date(window[0]), day=f.date(window[1])),
        )
    elif s.refund_days:
        add(
            _("Refund window"),
            ngettext("{days} day after each charge", "{days} days after each charge", s.refund_days).format(
                days=s.refund_days
            ),
        )
    lead_days = s.lead_days(details.default_lead_days)
    add(
        _("Reminders"),
        _("{days} days before each event").format(days=", ".join(map(str, lead_days))) if lead_days else _("none"),
    )
    last_change = next((row for row in reversed(history) if row.difference), None)
    if last_change is not None and last_change.difference is not None and last_change.previous is not None:
        add(
            _("Last price change"),
            _("{before} → {after} on {day}").format(
                before=f.money(last_change.previous, s.currency),
                after=f.money(last_change.charge.amount, s.currency),
                day=f.date(last_change.charge.date),
            ),
        )
    add(_("Payment method"), s.payment_method)
    _extra_rows(f, details, today, add)
    add(_("Account"), s.account)
    add(_("Order number"), s.order_number)
    add(_("Purchased"), f.date(s.purchase_date))
    if s.support_email:
        email = html.escape(s.support_email)
        add(_("Support"), f'<a href="mailto:{email}">{email}</a>', raw=True)
    if s.cancel_url:
        url = html.escape(s.cancel_url)
        add(_("Cancellation page"), f'<a href="{url}">{url}</a>', raw=True)
    add(_("Notes"), s.notes)
    cells = "".join(
        f'<tr><td style="color:{muted}; padding-right:12px; white-space:nowrap">{html.escape(label)}</td>'
        f"<td>{value}</td></tr>"
        for label, value in rows
    )
    return f"<table cellspacing='2'>{cells}</table>"


def _extra_rows(f: Formatter, details: SubscriptionDetails, today: date, add: Callable[..., None]) -> None:
    """The billing channel's steps, tags, last use, the household and attached files."""
    s = details.subscription
    guide = CHANNEL_GUIDES[s.channel]
    add(_("Billed through"), _(guide.label))
    add(_("To cancel"), _steps_html(guide.cancel), raw=True)
    add(_("For a refund"), _steps_html(guide.refund), raw=True)
    add(_("Tags"), ", ".join(s.tags))
    idle = days_unused(s, today)
    if idle is not None:
        warning = (
            " — "
            + ngettext(
                "<b>not used for {days} day</b>: keep, cancel or downgrade?",
                "<b>not used for {days} days</b>: keep, cancel or downgrade?",
                idle,
            ).format(days=idle)
            if is_unused(s, today)
            else ""
        )
        add(_("Last used"), html.escape(f.date(s.last_used)) + warning, raw=True)
    add(_("Paid by"), details.payer)
    add(_("Used by"), ", ".join(details.users))
    converted = details.converted(yearly_cost(s, price=details.prices.price_on(today)), today)
    if converted is not None:
        rate = _("(rate of {day})").format(day=f.date(converted.rate_day))
        add(_("Per year"), f"{f.money(converted.amount, details.home_currency)} {rate}")
    links = [
        f'<a href="{html.escape(QUrl.fromLocalFile(str(a.path)).toString())}">{html.escape(a.original_name)}</a>'
        for a in details.attachments
    ]
    add(_("Attachments"), ", ".join(links), raw=True)


class DetailsTab(QWidget):
    """Follows the selection (`set_subscription`) and the service's changes.

    The subscription and everything about it are read and formatted on a worker (`background`, newest selection
    wins); the selected row's name shows at once, and a different subscription's details never stay on screen.
    """

    def __init__(
        self,
        context: AppContext,
        formatter: Formatter,
        parent: QWidget | None = None,
        name_of: Callable[[int], str | None] = lambda subscription_id: None,
        hold: Hold = hold_nothing,
        list_empty: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.formatter = formatter
        self.name_of = name_of
        self.list_empty = list_empty  # the list, once read, holds no renewal at all (not merely none shown)
        self._hold = hold  # the prompts' OK too: one open when the file goes read only must not save
        self.subscription_id: int | None = None  # the one selected; `subscription` once its details are shown
        self.subscription: Subscription | None = None
        self.due: list[date] = []
        self.prices = PriceHistory(Decimal(0))
        self.background = LatestOnly(self)
        self.title = plain_label(self)
        self.title.setAccessibleName(_("Subscription name"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setAccessibleName(_("Subscription details"))
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setOpenExternalLinks(True)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.record_button = QToolButton(self)
        self.record_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.record_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.record_button.setAccessibleName(_("Record the last charge"))
        self.record_action = QAction(self)
        self.record_action.triggered.connect(self.record_asking)
        self.record_button.setDefaultAction(self.record_action)
        menu = QMenu(self.record_button)
        menu.addAction(_("Charged a different amount…"), self._record_different)
        menu.addAction(_("Not charged"), lambda: self.record_charge(status=ChargeStatus.NOT_CHARGED))
        self.record_button.setMenu(menu)

        self.problem = plain_label(self)
        self.problem.setAccessibleName(_("Problem"))
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #d9363e; font-weight: 600;")
        self.problem.hide()
        self.history_label = QLabel(_("<b>Charge history</b>"), self)
        self.charges = RecordTableModel(charge_columns(formatter), parent=self)
        self.history = table_view(
            self.charges, _("Charge history"), self, stretch="reference", sort=("date", Qt.SortOrder.DescendingOrder)
        )
        self.history.setMinimumHeight(120)
        # In the history's place while no charge is recorded: an empty table said nothing of how one gets there.
        self.history_empty = plain_label(self)
        self.history_empty.setWordWrap(True)
        self.history_empty.hide()
        # Fitted once per subscription shown (`_fit_history`), not on every layout: with its columns sized to
        # their contents, each reset and repaint measured every cell again, seven calls into Python each.
        self.history_fitting = FittingDelegate(self.charges, self.history)
        self.history.setItemDelegate(self.history_fitting)
        header = self.history.horizontalHeader()
        self._fitted = [
            column for column in range(self.charges.columnCount()) if column != self.charges.column("reference")
        ]
        for column in self._fitted:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self.history_actions = ChargeHistoryActions(
            self.history, self.charges, context.service, formatter, self._report, hold=hold
        )

        self.price_steps = PriceStepsSection(context.service, formatter, self._report, self, hold=hold)
        inner = QWidget(self)
        layout = QVBoxLayout(inner)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.problem)
        layout.addWidget(self.price_steps)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.history_empty)
        # Takes the spare room only while the history is hidden, so the text stays at the top.
        layout.addStretch(0)
        scrolled(self, inner, _("Details"))
        context.signals.changed.connect(self._on_changed)
        self._show_pending(None)

    def set_subscription(self, subscription_id: int | None) -> None:
        if subscription_id != self.subscription_id:
            self.problem.hide()
            self.subscription_id = subscription_id
            self._show_pending(subscription_id)
        self._read()

    def _on_changed(self, change: str, subscription_id: Any) -> None:
        current = self.subscription_id
        if current is not None and (subscription_id is None or subscription_id == current):
            self._read()

    def _read(self) -> None:
        """Read and format the selected subscription on the worker; what comes back for an older request is dropped."""
        subscription_id = self.subscription_id
        if subscription_id is None:
            self.background.submit(lambda: None, lambda _result: None)  # an older request's result must not show
            return
        context, formatter = self.context, self.formatter
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        self.background.submit(
            lambda: shown_details(context, formatter, subscription_id, muted),
            lambda shown: self._show(subscription_id, shown),
        )

    def _show_pending(self, subscription_id: int | None) -> None:
        """At once, before the worker's read: the selected row's name and nothing of another subscription."""
        self.subscription = None
        self.due = []
        self.record_button.setVisible(False)
        self.summary.setText("")
        self.charges.set_records([])
        self.price_steps.show_for(None, None, self.context.clock.today())
        for widget in (self.history_label, self.history):
            widget.setVisible(subscription_id is not None)
        self.history_empty.hide()
        if subscription_id is None:
            self.show_hint()
            return
        self.title.setText(self.name_of(subscription_id) or "")

    def show_hint(self) -> None:
        """With nothing selected: what to select, or, on an empty list, how to add the first renewal."""
        if self.subscription_id is not None:
            return
        if self.list_empty():
            self.title.setText(_("No renewals yet"))
            self.summary.setText(
                _(
                    "Add your first renewal with File → New renewal (Ctrl+N): its next charge, deadlines and "
                    "charge history show here."
                )
            )
        else:
            self.title.setText(_("No subscription selected"))
            self.summary.setText(_("Select a renewal in the list to see everything about it here."))

    def _show(self, subscription_id: int, shown: ShownDetails | None) -> None:
        if subscription_id != self.subscription_id:
            return  # selected away meanwhile (the worker's newest-wins already drops most of these)
        if shown is None:  # deleted meanwhile
            self._show_pending(None)
            return
        s = shown.details.subscription
        self.subscription = s
        self.prices = shown.details.prices
        self.price_steps.show_for(s, self.prices, shown.today)
        self.charges.set_records(shown.history)
        self._fit_history()
        self.due = shown.due
        self.record_button.setVisible(bool(self.due))
        self._show_history_empty()
        if self.due:
            self.record_action.setText(shown.record_text)
        self.title.setText(s.name)
        self.summary.setText(shown.summary)

    def _show_history_empty(self) -> None:
        """A sentence in place of an empty history: how a charge gets there (the button, when one is due)."""
        empty = self.charges.rowCount() == 0
        self.history.setVisible(not empty)
        self.history_empty.setVisible(empty)
        if not empty:
            return
        self.history_empty.setText(
            _("No charges recorded yet: record the last one with the button above (Ctrl+R).")
            if self.due
            else _("No charges recorded yet. Once a charge date has passed, a button here records it (Ctrl+R).")
        )

    def _fit_history(self) -> None:
        """The history's columns as wide as their header and texts, as Qt's fitting to contents makes them."""
        with self.history_fitting.measuring():
            for column in self._fitted:
                self.history_fitting.fit_column(self.history, column)

    def _report(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def record_asking(self) -> None:
        """Record the due charge at the price, after asking for its (optional) reference."""
        if self.subscription is None or not self.due:
            return
        reference, ok = ask_reference(self, self._hold)
        if ok:
            self.record_charge(reference=reference)

    def record_charge(
        self,
        amount: Decimal | str | None = None,
        status: ChargeStatus = ChargeStatus.CHARGED,
        reference: str = "",
    ) -> bool:
        """Record the most recent unrecorded charge; True when it was stored."""
        s = self.subscription
        if s is None or s.id is None or not self.due:
            return False
        day = self.due[0]
        try:
            try:
                saved = self.context.service.record_charge(s.id, day, amount, reference=reference, status=status)
            except DuplicateChargeError as error:
                question = self._again_question(s.id, error)
                if not ask_yes_no(self, _("Record again?"), question):
                    return False
                saved = self.context.service.record_charge(
                    s.id, day, amount, reference=reference, status=status, force=True
                )
        except (ValidationError, NotFoundError) as error:
            self._report(_("Not recorded — {error}").format(error=error_text(error)))
            return False
        self.problem.hide()
        # Recorded: this day is no longer due, whatever the worker's fresh read (already asked for) says next.
        self.due = []
        self.record_button.setVisible(False)
        if status is ChargeStatus.CHARGED:
            self.history_actions.offer_price(s.id, saved.amount, saved.date)
        return True

    def _again_question(self, subscription_id: int, error: DuplicateChargeError) -> str:
        """Whether to record a charge a second time, naming the recorded one in the interface's money and dates."""
        f = self.formatter
        for charge in self.context.service.charges(subscription_id):
            if charge.id == error.existing_id:
                return _("A charge of {amount} on {day} is already recorded. Record it a second time?").format(
                    amount=f.money(charge.amount, charge.currency), day=f.date(charge.date)
                )
        return _("{problem}. Record it a second time?").format(problem=first_upper(error.problem))

    def _record_different(self) -> None:
        s = self.subscription
        if s is None or not self.due:
            return
        text, ok = ask_text(
            self,
            _("Record a charge"),
            _("Amount charged on {date} ({currency}):").format(
                date=self.formatter.date(self.due[0]), currency=s.currency
            ),
            self._hold,
            text=self.formatter.typed_amount(s.amount),
        )
        if not ok:
            return
        try:
            read = read_amount(text, "amount", locale=self.formatter.locale, currency=s.currency)
        except ValidationError as error:
            self.problem.setText(_("Not recorded — {error}").format(error=error_text(error)))
            self.problem.show()
            return
        if self.record_charge(read.value) and read.ambiguous:
            self.problem.setText(
                _("Recorded {money} ({note})").format(
                    money=self.formatter.money(read.value, s.currency), note=read.note()
                )
            )
            self.problem.show()
