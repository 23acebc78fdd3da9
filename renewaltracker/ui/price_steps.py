"""The detail pane's "Price steps": the plan's past and planned prices, with buttons to add or remove a step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.amounts import read_amount
from renewaltracker.domain.errors import NotFoundError, ValidationError
from renewaltracker.domain.prices import PriceHistory
from renewaltracker.domain.subscription import Subscription
from renewaltracker.i18n import _
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.table_model import Column, RecordTableModel
from renewaltracker.ui.widgets import (
    CheckedDialog,
    Hold,
    date_edit,
    from_qdate,
    hold_nothing,
    problem_label,
    saving_buttons,
    table_view,
)


@dataclass(frozen=True, slots=True)
class StepRow:
    """One dated price, and whether it is behind us, in force today, or still to come."""

    effective: date
    amount: Decimal
    state: str


def step_rows(history: PriceHistory, today: date) -> list[StepRow]:
    """The steps, newest first, each marked past, in force or planned."""
    current = max((step.effective for step in history.steps if step.effective <= today), default=None)
    rows = []
    for step in history.steps:
        if step.effective > today:
            state = _("planned")
        elif step.effective == current:
            state = _("in force")
        else:
            state = _("past")
        rows.append(StepRow(step.effective, step.amount, state))
    return sorted(rows, key=lambda row: row.effective, reverse=True)


class PriceStepDialog(CheckedDialog):
    """From which date the plan costs how much."""

    def __init__(self, currency: str, default: date, formatter: Formatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add price step"))
        self.formatter = formatter
        self.currency = currency
        form = QFormLayout(self)
        self.day = date_edit(default, _("Date the new price applies from"), self, formatter.locale)
        self.amount = QLineEdit(self)
        self.amount.setAccessibleName(_("New price"))
        form.addRow(_("From"), self.day)
        form.addRow(_("Price ({currency})").format(currency=currency), self.amount)
        self.problem = problem_label(self)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[date, Decimal]:
        """The date and amount; ValidationError for a date or amount that cannot be read."""
        if self.day.problem():
            raise ValidationError("from", self.day.problem())
        amount = read_amount(self.amount.text(), "amount", locale=self.formatter.locale, currency=self.currency)
        return from_qdate(self.day.date()), amount.value


def ask_price_step(
    parent: QWidget, currency: str, default: date, formatter: Formatter, hold: Hold = hold_nothing
) -> tuple[date, Decimal] | None:
    """Ask for a date and a price; None when the user backs out. Tests replace this function to answer it."""
    dialog = PriceStepDialog(currency, default, formatter, parent)
    hold(saving_buttons(dialog))  # the file may become read only while it is open
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.values()  # readable: the dialog closes with nothing else


class PriceStepsSection(QWidget):
    """A small table of the plan's prices over time; changes go through the service, which tells every view."""

    def __init__(
        self,
        service: SubscriptionService,
        formatter: Formatter,
        report: Callable[[str], None],
        parent: QWidget | None = None,
        hold: Hold = hold_nothing,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.formatter = formatter
        self.report = report
        self.hold = hold
        self.subscription: Subscription | None = None
        f = formatter
        self.label = QLabel(_("Price steps"), self)
        bold = self.label.font()
        bold.setBold(True)
        self.label.setFont(bold)
        self.model = RecordTableModel[StepRow](
            [
                Column(_("From"), lambda r: f.date(r.effective), sort_key=lambda r: r.effective, key="from"),
                Column(
                    _("Price"),
                    lambda r: f.money(r.amount, self.subscription.currency if self.subscription else ""),
                    numeric=True,
                    sort_key=lambda r: r.amount,
                    key="price",
                ),
                Column(_("Status"), lambda r: r.state, key="status"),
            ],
            parent=self,
        )
        self.table = table_view(self.model, _("Price steps"), self, stretch="status")
        self.add_button = QPushButton(_("Add price step…"), self)
        self.add_button.clicked.connect(self.add_step)
        self.remove_button = QPushButton(_("Remove"), self)
        self.remove_button.setAccessibleName(_("Remove the selected price step"))
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def show_for(self, subscription: Subscription | None, history: PriceHistory | None, today: date) -> None:
        """Show this plan's steps (none yet: just the buttons)."""
        self.subscription = subscription
        self.setVisible(subscription is not None)
        rows = step_rows(history, today) if history else []
        self.model.set_records(rows)
        self.table.setVisible(bool(rows))
        # As tall as its rows (a plan has few steps), so the charge history below keeps the room.
        shown = min(max(len(rows), 1), 6)
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header + shown * self.table.verticalHeader().defaultSectionSize() + 4)
        self.remove_button.setEnabled(bool(rows))

    def selected(self) -> StepRow | None:
        selection = self.table.selectionModel()
        rows = selection.selectedRows() if selection else []
        return self.model.record(rows[0].row()) if rows else None

    def add_step(self) -> None:
        s = self.subscription
        if s is None or s.id is None:
            return
        default = self.service.clock.today() + timedelta(days=30)
        answer = ask_price_step(self, s.currency, default, self.formatter, self.hold)
        if answer is None:
            return
        day, amount = answer
        try:
            self.service.change_price(s.id, amount, day)
        except (ValidationError, NotFoundError) as error:
            self.report(error_text(error))
            return
        self.report(
            _("{name} costs {price} from {day}.").format(
                name=s.name, price=self.formatter.money(amount, s.currency), day=self.formatter.date(day)
            )
        )

    def remove_selected(self) -> None:
        s = self.subscription
        row = self.selected()
        if s is None or s.id is None or row is None:
            self.report(_("Select a price step to remove."))
            return
        try:
            self.service.remove_price_step(s.id, row.effective)
        except NotFoundError as error:
            self.report(error_text(error))
