"""The charge history's own actions: edit, refund, dispute, delete a charge and attach a file to it, from a menu or
the keyboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QMenu,
    QTableView,
    QWidget,
)

from renewaltracker.domain.amounts import read_amount
from renewaltracker.domain.errors import NotFoundError, ValidationError
from renewaltracker.domain.history import PriceChange
from renewaltracker.domain.subscription import Charge, ChargeStatus
from renewaltracker.i18n import _
from renewaltracker.services.attachments import AttachmentService
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.plain_text import confirm
from renewaltracker.ui.table_model import RecordTableModel
from renewaltracker.ui.widgets import (
    CheckedDialog,
    Hold,
    KeyActions,
    ask_text,
    date_edit,
    from_qdate,
    hold_nothing,
    problem_label,
    saving_buttons,
)


def ask_yes_no(parent: QWidget, title: str, question: str) -> bool:
    """A yes/no question; tests replace this function to answer it."""
    return confirm(parent, title, question)


def choose_attachment(parent: QWidget) -> str:
    """Ask for a receipt or invoice to attach; "" when cancelled. Tests inject their own chooser instead."""
    chosen, _filter = QFileDialog.getOpenFileName(parent, _("Attach a receipt or invoice to this charge"))
    return chosen


class ChargeDialog(CheckedDialog):
    """Date, amount and reference of one charge, for editing it."""

    def __init__(self, charge: Charge, formatter: Formatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Edit charge"))
        self.formatter = formatter
        self.currency = charge.currency
        form = QFormLayout(self)
        self.day = date_edit(charge.date, _("Date of the charge"), self, formatter.locale)
        self.amount = QLineEdit(formatter.typed_amount(charge.amount), self)
        self.amount.setAccessibleName(_("Amount charged"))
        self.reference = QLineEdit(charge.reference, self)
        self.reference.setAccessibleName(_("Reference"))
        self.reference.setPlaceholderText(_("order or invoice number (optional)"))
        form.addRow(_("Date"), self.day)
        form.addRow(_("Amount ({currency})").format(currency=charge.currency), self.amount)
        form.addRow(_("Reference"), self.reference)
        self.problem = problem_label(self)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, object]:
        """The fields as edit_charge takes them; ValidationError for a date or amount that cannot be read."""
        if self.day.problem():
            raise ValidationError("date", self.day.problem())
        amount = read_amount(self.amount.text(), "amount", locale=self.formatter.locale, currency=self.currency)
        return {"date": from_qdate(self.day.date()), "amount": amount.value, "reference": self.reference.text()}


class ChargeHistoryActions(QObject):
    """Adds a context menu and keys to the history table: Del deletes the selected charge, F2 or Enter edits it.

    The keys are taken before the window's shortcuts see them, so Del here never deletes the subscription.
    """

    def __init__(
        self,
        view: QTableView,
        model: RecordTableModel[PriceChange],
        service: SubscriptionService,
        formatter: Formatter,
        report: Callable[[str], None],
        choose_file: Callable[[QWidget], str] = choose_attachment,
        hold: Hold = hold_nothing,
    ) -> None:
        super().__init__(view)
        self.hold = hold
        self.choose_file = choose_file
        self.view = view
        self.model = model
        self.service = service
        self.formatter = formatter
        self.report = report
        self.writable = True  # False once the file can no longer be written: the menu's entries stay disabled
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._menu)
        keys: dict[Qt.Key, Callable[[], object]] = {Qt.Key.Key_Delete: self.delete}
        keys.update(dict.fromkeys((Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter), self.edit))
        KeyActions(view, keys)

    def selected(self) -> Charge | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        if not rows:
            return None
        return self.model.record(rows[0].row()).charge

    def menu(self) -> QMenu:
        """The actions for the selected charge, as the context menu shows them."""
        menu = QMenu(self.view)
        charge = self.selected()
        edit = menu.addAction(_("&Edit…"), self.edit)
        edit.setShortcut(Qt.Key.Key_F2)
        refund = menu.addAction(_("Mark &refunded…"), self.refund)
        dispute = menu.addAction(_("Mark &disputed"), lambda: self.set_state(ChargeStatus.DISPUTED))
        charged = menu.addAction(_("Mark &charged"), lambda: self.set_state(ChargeStatus.CHARGED))
        attach = menu.addAction(_("Attach &file…"), self.attach)
        menu.addSeparator()
        delete = menu.addAction(_("De&lete charge…"), self.delete)
        delete.setShortcut(Qt.Key.Key_Delete)
        for action in (edit, refund, dispute, charged, attach, delete):
            action.setEnabled(charge is not None and self.writable)
        if charge is not None and self.writable:
            refund.setEnabled(charge.status is not ChargeStatus.NOT_CHARGED)
            dispute.setEnabled(charge.status is ChargeStatus.CHARGED)
            charged.setEnabled(charge.status is not ChargeStatus.CHARGED)
            attach.setEnabled(self.service.database.path is not None)  # files are kept beside the database file
        return menu

    def _menu(self, point: QPoint) -> None:
        self.menu().popup(self.view.viewport().mapToGlobal(point))

    def _run(self, step: Callable[[], object]) -> bool:
        try:
            step()
        except (ValidationError, NotFoundError) as error:
            self.report(_("Not changed — {error}").format(error=error_text(error)))
            return False
        return True

    def delete(self) -> None:
        charge = self.selected()
        if charge is None or charge.id is None or not self.writable:
            return
        money = self.formatter.money(charge.amount, charge.currency)
        question = _("Delete the charge of {money} on {day}? The subscription stays.").format(
            money=money, day=self.formatter.date(charge.date)
        )
        if ask_yes_no(self.view, _("Delete charge"), question):
            charge_id = charge.id
            self._run(lambda: self.service.delete_charge(charge.subscription_id, charge_id))

    def edit(self) -> None:
        charge = self.selected()
        if charge is None or charge.id is None or not self.writable:
            return
        dialog = ChargeDialog(charge, self.formatter, self.view)
        self.hold(saving_buttons(dialog))  # the file may become read only while it is open
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.apply_edit(charge, dialog.values())

    def apply_edit(self, charge: Charge, values: dict[str, object]) -> None:
        """Store the edited values; a new amount offers to become the plan's price from that date."""
        assert charge.id is not None
        charge_id = charge.id
        if not self._run(lambda: self.service.edit_charge(charge.subscription_id, charge_id, **values)):
            return
        self.offer_price(charge.subscription_id, values["amount"], values["date"])  # type: ignore[arg-type]

    def offer_price(self, subscription_id: int, amount: Decimal, day: date) -> None:
        """Ask whether a charge at a new amount means the plan's price changed from `day`."""
        price = self.service.prices(subscription_id).price_on(day)
        if amount == price:
            return
        currency = self.service.get(subscription_id).currency
        question = _("The plan's price on {day} is {price}. Make {amount} its price from that date on?").format(
            day=self.formatter.date(day),
            price=self.formatter.money(price, currency),
            amount=self.formatter.money(amount, currency),
        )
        if ask_yes_no(self.view, _("Change the price"), question):
            self._run(lambda: self.service.change_price(subscription_id, amount, day))

    def refund(self) -> None:
        charge = self.selected()
        if charge is None or charge.id is None:
            return
        text, ok = ask_text(
            self.view,
            _("Mark refunded"),
            _("Amount refunded ({currency}):").format(currency=charge.currency),
            self.hold,
            self.formatter.typed_amount(charge.amount),
        )
        if ok:
            self.mark_refunded(charge, text)

    def mark_refunded(self, charge: Charge, text: str) -> None:
        assert charge.id is not None
        charge_id = charge.id

        def step() -> None:
            read = read_amount(text, "amount", locale=self.formatter.locale, currency=charge.currency)
            self.service.refund_charge(charge.subscription_id, charge_id, read.value)

        self._run(step)

    def set_state(self, state: ChargeStatus) -> None:
        charge = self.selected()
        if charge is None or charge.id is None:
            return
        charge_id = charge.id
        self._run(lambda: self.service.edit_charge(charge.subscription_id, charge_id, status=state))

    def attach(self) -> None:
        """Ask for a file and copy it into the data folder, attached to the selected charge."""
        charge = self.selected()
        if charge is None or charge.id is None:
            return
        chosen = self.choose_file(self.view)
        if not chosen:
            return
        charge_id = charge.id
        try:
            attached = AttachmentService(self.service).attach(charge.subscription_id, Path(chosen), charge_id)
        # RuntimeError: the storage layer's StorageError when the copy fails (disk full, no permission); the window
        # may not import storage itself.
        except (ValueError, LookupError, RuntimeError) as error:
            self.report(_("Not attached — {error}").format(error=error_text(error)))
            return
        self.report(
            _("Attached {name} to the charge of {day}").format(
                name=attached.original_name, day=self.formatter.date(charge.date)
            )
        )
