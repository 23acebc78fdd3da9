"""The add/edit dialog: every field of a subscription, a live preview of its next charges, inline validation."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.amounts import read_amount
from renewaltracker.domain.channels import CHANNEL_GUIDES, Channel, guess_channel
from renewaltracker.domain.errors import NotFoundError, ValidationError
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.settings import format_lead_days
from renewaltracker.domain.subscription import (
    Status,
    StatusChange,
    Subscription,
    parse_lead_days,
    parse_tags,
    trial_status,
)
from renewaltracker.domain.subscription_fields import DATA_FIELDS
from renewaltracker.i18n import _, ngettext
from renewaltracker.storage.errors import ConflictError, StorageError
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.formatting import STATUS_LABELS, Formatter
from renewaltracker.ui.plain_text import plain_label
from renewaltracker.ui.screen_fit import FittedDialog
from renewaltracker.ui.widgets import (
    CurrencyPicker,
    OptionalCount,
    OptionalDate,
    ask_date,
    date_edit,
    from_qdate,
    to_qdate,
)

log = logging.getLogger(__name__)
PREVIEW_COUNT = 5
PREVIEW_WIDTH = 170  # the next charges' column at the least, so it does not jump while the form is empty

_INVALID_STYLE = "border: 1px solid #d9363e;"


def _unit_name(unit: Unit, count: int) -> str:
    names = {
        Unit.DAY: ngettext("day", "days", count),
        Unit.WEEK: ngettext("week", "weeks", count),
        Unit.MONTH: ngettext("month", "months", count),
        Unit.YEAR: ngettext("year", "years", count),
    }
    return names[unit]


class SubscriptionDialog(FittedDialog):
    """Adds a subscription, or edits one; `saved` holds the stored result after Save."""

    def __init__(
        self,
        context: AppContext,
        formatter: Formatter,
        subscription: Subscription | None = None,
        categories: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.formatter = formatter
        self.original = subscription
        self.saved: Subscription | None = None
        self.today = context.clock.today()
        self.default_lead_days: tuple[int, ...] = context.service.default_lead_days()
        self.setWindowTitle(_("Edit “{name}”").format(name=subscription.name) if subscription else _("Add a renewal"))
        self.setAccessibleName(self.windowTitle())
        self._anchor_touched = subscription is not None
        # Problems show for fields the user has left, and for all of them after Save: never on a fresh form.
        self._left: set[str] = set()
        self._save_pressed = False
        self._build(categories or [])
        self._load(subscription)
        self._connect_changes()
        self.validate()
        self.name_edit.setFocus()  # else the tab bar has it, and what is typed at once goes nowhere

    # -- layout ----------------------------------------------------------------
    def _build(self, categories: list[str]) -> None:
        tabs = QTabWidget(self)
        tabs.setAccessibleName(_("Renewal fields"))
        basics, basics_form = _form_page(tabs, _("Basics"))
        self.name_edit = _line(basics, _("Name"), _("e.g. Netflix Standard"))
        self.vendor_edit = _line(basics, _("Vendor"), _("Who charges you"))
        self.category_combo = QComboBox(basics)
        self.category_combo.setEditable(True)
        self.category_combo.addItems(categories)
        self.category_combo.setAccessibleName(_("Category"))
        self.amount_edit = _line(basics, _("Amount"), _("e.g. 15.49"))
        # Shows how an ambiguous amount ("1,299") was read, so the user sees it before saving.
        self.amount_note = plain_label(basics)
        self.amount_note.setAccessibleName(_("Amount as read"))
        amount_row = QWidget(basics)
        amount_layout = QHBoxLayout(amount_row)
        amount_layout.setContentsMargins(0, 0, 0, 0)
        amount_layout.addWidget(self.amount_edit, 1)
        amount_layout.addWidget(self.amount_note)
        amount_row.setFocusProxy(self.amount_edit)  # the label's Alt+letter skips a buddy that takes no focus
        self.currency_picker = CurrencyPicker(self.formatter.locale, basics)
        self.every_spin = QSpinBox(basics)
        self.every_spin.setRange(1, 1000)
        self.every_spin.setAccessibleName(_("Billing cycle count"))
        self.unit_combo = QComboBox(basics)
        self.unit_combo.setAccessibleName(_("Billing cycle unit"))
        for unit in Unit:
            self.unit_combo.addItem(_unit_name(unit, 1), unit)
        # "1 month", "3 months": the unit names follow the count, in every language's plural rules.
        self.every_spin.valueChanged.connect(self._name_units)
        cycle = QWidget(basics)
        cycle_layout = QHBoxLayout(cycle)
        cycle_layout.setContentsMargins(0, 0, 0, 0)
        cycle_layout.addWidget(QLabel(_("every"), cycle))
        cycle_layout.addWidget(self.every_spin)
        cycle_layout.addWidget(self.unit_combo, 1)
        cycle.setFocusProxy(self.every_spin)
        self.anchor_edit = date_edit(self.today, _("First paid charge"), basics, self.formatter.locale)
        self.trial = OptionalDate(_("Free trial until"), self.today, basics, self.formatter.locale)
        self.end = OptionalDate(_("No charges after"), self.today, basics, self.formatter.locale)
        self.end_count = OptionalCount(_("no limit"), _(" charges"), 10000, _("Number of charges"), basics)
        self.status_label = QLabel(basics)
        for label, widget in (
            (_("&Name"), self.name_edit),
            (_("&Vendor"), self.vendor_edit),
            (_("Ca&tegory"), self.category_combo),
            (_("&Amount"), amount_row),
            (_("C&urrency"), self.currency_picker),
            (_("Billing c&ycle"), cycle),
            (_("&First paid charge"), self.anchor_edit),
            (_("Trial"), self.trial),
            (_("Ends"), self.end),
            (_("Number of charges"), self.end_count),
            (_("Status"), self.status_label),
        ):
            basics_form.addRow(label, widget)

        deadlines, deadlines_form = _form_page(tabs, _("Deadlines && reminders"))
        self.notice_spin = OptionalCount(_("none"), _(" days before a charge"), 366, _("Notice period"), deadlines)
        self.refund_spin = OptionalCount(_("none"), _(" days after a charge"), 366, _("Refund window"), deadlines)
        self.default_reminders = QCheckBox(
            _("Use the default ({format_lead_days} days before)").format(
                # "7, 1" as the details list them: "7,1 days" reads as a decimal in German and French.
                format_lead_days=", ".join(str(day) for day in self.default_lead_days) or _("none")
            ),
            deadlines,
        )
        self.reminders_edit = _line(deadlines, _("Reminder days"), _("e.g. 7,1"))
        self.keep_clipped = QCheckBox(_("After a short month keep the shorter day (as Google Play does)"), deadlines)
        deadlines_form.addRow(_("&Notice period"), self.notice_spin)
        deadlines_form.addRow(_("&Refund window"), self.refund_spin)
        deadlines_form.addRow(_("Reminders"), self.default_reminders)
        deadlines_form.addRow(_("Remind days &before"), self.reminders_edit)
        deadlines_form.addRow(_("Month ends"), self.keep_clipped)

        purchase, purchase_form = _form_page(tabs, _("Purchase"))
        self.payment_edit = _line(
            purchase, _("Payment method"), _("e.g. Visa ending 4242 (only the last four are kept)")
        )
        self.account_edit = _line(purchase, _("Account"), _("The login or customer number"))
        self.order_edit = _line(purchase, _("Order number"), "")
        self.purchase_date = OptionalDate(_("Bought on"), self.today, purchase, self.formatter.locale)
        self.support_edit = _line(purchase, _("Support email"), "support@example.com")
        self.cancel_url_edit = _line(purchase, _("Cancellation page"), "https://…")
        # One line, as the CLI's --postal-address: a letter on paper sets it out line by line.
        self.postal_edit = _line(
            purchase, _("Vendor's postal address"), _("e.g. Acme Ltd; 1 Main Street; Springfield (; between lines)")
        )
        self.channel_combo = QComboBox(purchase)
        self.channel_combo.setAccessibleName(_("Billed through"))
        for channel, guide in CHANNEL_GUIDES.items():
            self.channel_combo.addItem(_(guide.label), channel)
        # The channel follows the payment method as it is typed until the user picks one.
        self.channel_chosen = False
        self.channel_combo.activated.connect(lambda _index: setattr(self, "channel_chosen", True))
        self.payment_edit.textEdited.connect(self._guess_channel)
        for label, widget in (
            (_("Pa&yment method"), self.payment_edit),
            (_("Billed throu&gh"), self.channel_combo),
            (_("Acc&ount"), self.account_edit),
            (_("Order &number"), self.order_edit),
            (_("Purchase date"), self.purchase_date),
            (_("Support e&mail"), self.support_edit),
            (_("Cance&llation page"), self.cancel_url_edit),
            (_("Postal add&ress"), self.postal_edit),
        ):
            purchase_form.addRow(label, widget)
        # Tab follows the rows, not the order the widgets were made in (the channel came last).
        QWidget.setTabOrder(self.payment_edit, self.channel_combo)
        QWidget.setTabOrder(self.channel_combo, self.account_edit)

        sharing, sharing_form = _form_page(tabs, _("Sharing && notes"))
        self.split_spin = OptionalCount(_("not shared"), _(" people"), 100, _("Shared between"), sharing)
        self.share_edit = _line(sharing, _("Your fixed share"), _("Leave empty unless you pay a fixed part"))
        self.notes_edit = QPlainTextEdit(sharing)
        self.notes_edit.setAccessibleName(_("Notes"))
        sharing_form.addRow(_("Shared &between"), self.split_spin)
        sharing_form.addRow(_("Your fixed &share"), self.share_edit)
        self.tags_edit = _line(sharing, _("Tags"), _("e.g. family, work (comma separated)"))
        self.last_used = OptionalDate(_("Last used"), self.today, sharing, self.formatter.locale)
        sharing_form.addRow(_("T&ags"), self.tags_edit)
        sharing_form.addRow(_("Last &used"), self.last_used)
        sharing_form.addRow(_("No&tes"), self.notes_edit)
        for first, second in (
            (self.share_edit, self.tags_edit),
            (self.tags_edit, self.last_used.check),
            (self.last_used.check, self.last_used.edit.line),
            (self.last_used.edit.line, self.notes_edit),
        ):
            QWidget.setTabOrder(first, second)
        self.notes_edit.setTabChangesFocus(True)  # else Tab types a tab there and the keyboard is stuck

        preview_box = QGroupBox(_("Next charges"), self)
        self.preview_label = plain_label(preview_box)
        self.preview_label.setAccessibleName(_("Preview of the next charges"))
        self.preview_label.setMinimumWidth(PREVIEW_WIDTH)
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addWidget(self.preview_label)
        preview_layout.addStretch(1)

        self.error_label = plain_label(self)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(_("Problem"))
        self.error_label.setStyleSheet("color: #d9363e; font-weight: 600;")

        # Shown when Save finds the subscription changed elsewhere since the dialog opened (optimistic concurrency).
        self.conflict_box = QGroupBox(_("Changed elsewhere since you opened it"), self)
        self.conflict_box.setAccessibleName(_("Conflict"))
        self.conflict_label = plain_label(self.conflict_box)
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setAccessibleName(_("Changed fields"))
        self.reload_button = QPushButton(_("&Reload (drop my changes)"), self.conflict_box)
        self.overwrite_button = QPushButton(_("&Overwrite with mine"), self.conflict_box)
        self.reload_button.clicked.connect(self.reload)
        self.overwrite_button.clicked.connect(self.overwrite)
        conflict_layout = QVBoxLayout(self.conflict_box)
        conflict_layout.addWidget(self.conflict_label)
        conflict_buttons = QHBoxLayout()
        conflict_buttons.addWidget(self.reload_button)
        conflict_buttons.addWidget(self.overwrite_button)
        conflict_buttons.addStretch(1)
        conflict_layout.addLayout(conflict_buttons)
        self.conflict_box.setVisible(False)
        self._pending: Callable[[Subscription], Subscription] | None = None
        self._stored: Subscription | None = None

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        # "Cancel" beside "Mark cancelled…" read as cancelling the renewal: this one only closes the dialog.
        discard = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        discard.setText(_("&Discard"))
        discard.setToolTip(_("Close without saving"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.cancel_sub_button = QPushButton(_("Mark &cancelled…"), self)
        self.pause_button = QPushButton(_("&Pause"), self)
        self.resume_button = QPushButton(_("R&esume"), self)
        for button, tip in (
            (self.cancel_sub_button, _("Save, and record that you cancelled it")),
            (self.pause_button, _("Save, and skip charges from today until you resume")),
            (self.resume_button, _("Save, and let charges fall due again from today")),
        ):
            button.setToolTip(tip)
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_sub_button.clicked.connect(self._ask_cancel)
        self.pause_button.clicked.connect(lambda: self.apply_status(lambda s: s.pause(self.today)))
        self.resume_button.clicked.connect(lambda: self.apply_status(lambda s: s.resume(self.today)))

        body = QHBoxLayout()
        body.addWidget(tabs, 1)
        body.addWidget(preview_box)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.error_label)
        layout.addWidget(self.conflict_box)
        layout.addWidget(self.buttons)
        self.tabs = tabs
        self._field_widgets: dict[str, QWidget] = {
            "name": self.name_edit,
            "amount": self.amount_edit,
            "currency": self.currency_picker,
            "every": self.every_spin,
            "start": self.anchor_edit,
            "end": self.end,
            "end-count": self.end_count,
            "notice-days": self.notice_spin,
            "refund-days": self.refund_spin,
            "tags": self.tags_edit,
            "used": self.last_used,
            "remind": self.reminders_edit,
            "support-email": self.support_edit,
            "cancel-url": self.cancel_url_edit,
            "split": self.split_spin,
            "share": self.share_edit,
            "trial_end": self.trial,
            "purchase-date": self.purchase_date,
            "postal-address": self.postal_edit,
        }
        self.resize(760, 480)

    # -- loading and reading ---------------------------------------------------
    def _load(self, s: Subscription | None) -> None:
        existing = s is not None
        for button in (self.cancel_sub_button, self.pause_button, self.resume_button):
            button.setVisible(existing)
        if s is None:
            self.currency_picker.set_code(str(self.context.service.setting("default_currency")))
            self.unit_combo.setCurrentIndex(self.unit_combo.findData(Unit.MONTH))
            self.default_reminders.setChecked(True)
            self.reminders_edit.setText(format_lead_days(self.default_lead_days))
            self.category_combo.setCurrentText("")
            return
        self.name_edit.setText(s.name)
        self.vendor_edit.setText(s.vendor)
        self.category_combo.setCurrentText(s.category)
        self.amount_edit.setText(self.formatter.typed_amount(s.amount))
        self.currency_picker.set_code(s.currency)
        self.every_spin.setValue(s.interval.count)
        self.unit_combo.setCurrentIndex(self.unit_combo.findData(s.interval.unit))
        self.anchor_edit.setDate(to_qdate(s.anchor_date))
        self.trial.set_value(s.trial_end)
        self.end.set_value(s.end_date)
        self.end_count.set_optional_value(s.end_count)
        self.notice_spin.set_optional_value(s.notice_days)
        self.refund_spin.set_optional_value(s.refund_days)
        self.default_reminders.setChecked(s.reminder_days is None)
        self.reminders_edit.setText(format_lead_days(s.lead_days(self.default_lead_days)))
        self.keep_clipped.setChecked(s.keep_clipped_day)
        self.payment_edit.setText(s.payment_method)
        self.account_edit.setText(s.account)
        self.order_edit.setText(s.order_number)
        self.purchase_date.set_value(s.purchase_date)
        self.support_edit.setText(s.support_email)
        self.cancel_url_edit.setText(s.cancel_url)
        self.postal_edit.setText(s.postal_address)
        self.channel_combo.setCurrentIndex(self.channel_combo.findData(s.channel))
        self.channel_chosen = s.channel is not guess_channel(s.payment_method)
        self.tags_edit.setText(", ".join(s.tags))
        self.last_used.set_value(s.last_used)
        self.split_spin.set_optional_value(s.split_between)
        self.share_edit.setText(self.formatter.typed_amount(s.fixed_share) if s.fixed_share is not None else "")
        self.notes_edit.setPlainText(s.notes)
        self.pause_button.setEnabled(s.allows(StatusChange.PAUSE, self.today))
        self.resume_button.setEnabled(s.allows(StatusChange.RESUME, self.today))
        self.cancel_sub_button.setEnabled(s.allows(StatusChange.CANCEL, self.today))

    def _connect_changes(self) -> None:
        for edit in (
            self.name_edit,
            self.amount_edit,
            self.reminders_edit,
            self.share_edit,
            self.support_edit,
            self.cancel_url_edit,
            self.postal_edit,
            self.payment_edit,
            self.vendor_edit,
            self.tags_edit,
        ):
            edit.textChanged.connect(self.validate)
        for widget in self._field_widgets.values():
            if isinstance(widget, QLineEdit):
                widget.editingFinished.connect(self._field_left)  # a bound slot: gone with the dialog
        for line in (self.anchor_edit.line, self.trial.edit.line, self.end.edit.line, self.purchase_date.edit.line):
            line.editingFinished.connect(self._field_left)
        # Picked rather than typed: the choice is made, so a problem with it shows at once.
        self.currency_picker.currentTextChanged.connect(lambda: self._left.add("currency"))
        for field, spin in (
            ("every", self.every_spin),
            ("end-count", self.end_count),
            ("notice-days", self.notice_spin),
            ("refund-days", self.refund_spin),
            ("split", self.split_spin),
        ):
            spin.valueChanged.connect(lambda _value, field=field: self._left.add(field))
        self.end.check.toggled.connect(lambda: self._left.add("end"))
        self.trial.check.toggled.connect(lambda: self._left.add("trial_end"))
        self.purchase_date.changed.connect(self.validate)
        self.last_used.changed.connect(self.validate)
        self.currency_picker.currentTextChanged.connect(self.validate)
        self.category_combo.currentTextChanged.connect(self.validate)
        for spin in (self.every_spin, self.end_count, self.notice_spin, self.refund_spin, self.split_spin):
            spin.valueChanged.connect(self.validate)
        self.unit_combo.currentIndexChanged.connect(self.validate)
        self.anchor_edit.dateChanged.connect(self._anchor_edited)
        self.trial.changed.connect(self._trial_edited)
        self.end.changed.connect(self.validate)
        self.default_reminders.toggled.connect(self._reminder_mode)
        self._reminder_mode(self.default_reminders.isChecked())

    def _anchor_edited(self) -> None:
        self._anchor_touched = True
        self.validate()

    def _trial_edited(self) -> None:
        # Most trials turn into the first paid charge on the day they end.
        trial_end = self.trial.value()
        if trial_end is not None and not self._anchor_touched:
            self.anchor_edit.blockSignals(True)
            self.anchor_edit.setDate(to_qdate(trial_end))
            self.anchor_edit.blockSignals(False)
        self.validate()

    def _reminder_mode(self, use_default: bool) -> None:
        self.reminders_edit.setEnabled(not use_default)
        if use_default:
            self.reminders_edit.setText(format_lead_days(self.default_lead_days))
        self.validate()

    def fields(self) -> dict[str, Any]:
        """The form's values as Subscription fields; raises ValidationError for text that does not parse."""
        amount_text = self.amount_edit.text().strip()
        self.amount_note.setText("")
        if not amount_text:
            raise ValidationError("amount", _("is required"))
        for field, problem in (
            ("start", self.anchor_edit.problem()),
            ("trial_end", self.trial.problem()),
            ("end", self.end.problem()),
            ("purchase-date", self.purchase_date.problem()),
        ):
            if problem:
                raise ValidationError(field, problem)
        share_text = self.share_edit.text().strip()
        currency = self.currency_picker.code()
        amount = self._read_amount(amount_text, "amount", currency)
        return {
            "name": self.name_edit.text(),
            "vendor": self.vendor_edit.text(),
            "category": self.category_combo.currentText(),
            "amount": amount,
            "currency": currency,
            "interval": Interval(self.every_spin.value(), Unit(self.unit_combo.currentData())),
            "anchor": from_qdate(self.anchor_edit.date()),
            "trial_end": self.trial.value(),
            "end_date": self.end.value(),
            "end_count": self.end_count.optional_value(),
            "notice_days": self.notice_spin.optional_value(),
            "refund_days": self.refund_spin.optional_value(),
            "reminder_days": None
            if self.default_reminders.isChecked()
            else parse_lead_days(self.reminders_edit.text()),
            "keep_clipped_day": self.keep_clipped.isChecked(),
            "payment_method": self.payment_edit.text(),
            "account": self.account_edit.text(),
            "order_number": self.order_edit.text(),
            "purchase_date": self.purchase_date.value(),
            "support_email": self.support_edit.text(),
            "cancel_url": self.cancel_url_edit.text(),
            "postal_address": self.postal_edit.text(),
            "split_between": self.split_spin.optional_value(),
            "fixed_share": self._read_amount(share_text, "share", currency) if share_text else None,
            "notes": self.notes_edit.toPlainText(),
            "channel": Channel(self.channel_combo.currentData()),
            "tags": parse_tags(self.tags_edit.text()),
            "last_used": self.last_used.value(),
        }

    def _name_units(self, count: int) -> None:
        for index in range(self.unit_combo.count()):
            self.unit_combo.setItemText(index, _unit_name(Unit(self.unit_combo.itemData(index)), count))

    def _guess_channel(self, text: str) -> None:
        if not self.channel_chosen:
            self.channel_combo.setCurrentIndex(self.channel_combo.findData(guess_channel(text)))

    def _read_amount(self, text: str, field: str, currency: str) -> Decimal:
        read = read_amount(text, field, locale=self.formatter.locale, currency=currency)
        if read.currency is not None and read.currency != currency:
            raise ValidationError(
                field,
                _("is in {read_currency} but the currency is {currency}").format(
                    read_currency=read.currency, currency=currency
                ),
            )
        if field == "amount":
            self.amount_note.setText(f"= {self.formatter.money(read.value, currency)}" if read.ambiguous else "")
        return read.value

    def build(self) -> Subscription:
        """The subscription the form describes; raises ValidationError naming the first problem."""
        fields = self.fields()
        trial_end = fields["trial_end"]
        new_status = trial_status(trial_end, self.today)
        if self.original is None:
            return Subscription(status=new_status, **fields)
        status = self.original.status
        if status in (Status.ACTIVE, Status.TRIAL):
            status = new_status
        return replace(self.original, status=status, **fields)

    # -- validation and preview ------------------------------------------------
    def _field_left(self) -> None:
        sender = self.sender()
        self._left.update(
            field
            for field, widget in self._field_widgets.items()
            if isinstance(sender, QWidget) and (widget is sender or widget.isAncestorOf(sender))
        )
        if self.isVisible():  # not the focus lost while the dialog closes
            self.validate()

    def problems(self) -> tuple[list[ValidationError], Subscription | None]:
        """Every problem the form has (an empty name as well as the first other one), and the result if none."""
        found = []
        if not self.name_edit.text().strip():
            found.append(ValidationError("name", _("is required")))
        try:
            candidate = self.build()
        except ValidationError as error:
            if error.field != "name":
                found.append(error)
            return found, None
        return found, (candidate if not found else None)

    def validate(self) -> bool:
        """Check the form as the user types; show only the problems of fields the user left (all after Save)."""
        for widget in self._field_widgets.values():
            widget.setStyleSheet("")
        found, candidate = self.problems()
        shown = [error for error in found if self._save_pressed or error.field in self._left]
        self.error_label.setText("\n".join(self.describe(error) for error in shown))
        for error in shown:
            self.mark(error)
        # Save stays pressable: pressing it is how the user learns everything that is still missing.
        self.save_button.setEnabled(True)
        if candidate is None:
            self.preview_label.setText("—")
            return False
        self.status_label.setText(_(STATUS_LABELS[candidate.status_on(self.today)]))
        dates = candidate.schedule.next_charges(self.today, PREVIEW_COUNT)
        money = self.formatter.money(candidate.amount, candidate.currency)
        lines = [f"{self.formatter.date(day)}  ·  {money}" for day in dates]
        self.preview_label.setText("\n".join(lines) if lines else _("No more charges"))
        # The fixed minimum let a squeezed dialog cut the amounts off at a large font: never narrower than the text.
        self.preview_label.setMinimumWidth(max(PREVIEW_WIDTH, self.preview_label.sizeHint().width()))
        return True

    @staticmethod
    def describe(error: ValidationError) -> str:
        return error_text(error)

    def mark(self, error: ValidationError) -> None:
        widget = self._field_widgets.get(error.field)
        if widget is not None:
            widget.setStyleSheet(_INVALID_STYLE)

    def show_problem(self, error: ValidationError) -> None:
        self.error_label.setText(self.describe(error))
        self.mark(error)

    # -- saving ----------------------------------------------------------------
    def save(self) -> None:
        self._store(lambda s: s)

    def apply_status(self, step: Callable[[Subscription], Subscription]) -> None:
        """Save the form together with a status change (cancel, pause, resume) in one transaction."""
        self._store(step)

    def mark_cancelled(self, effective: date) -> None:
        self._store(lambda s: s.cancel(effective))

    def _ask_cancel(self) -> None:
        effective = ask_date(
            self, _("Mark cancelled"), _("The cancellation takes effect on:"), self.today, self.formatter.locale
        )
        if effective is not None:
            self.mark_cancelled(effective)

    def _store(self, step: Callable[[Subscription], Subscription], *, overwrite: bool = False) -> None:
        service = self.context.service
        self._save_pressed = True
        if not self.validate():
            self._focus_first_problem()
            return
        try:
            subscription = step(self.build())
            if subscription.id is None:
                self.saved = service.add(subscription)
            else:
                self.saved = service.update(subscription, overwrite=overwrite)
        except ValidationError as error:
            self.show_problem(error)
            return
        except ConflictError as error:
            self._show_conflict(error.subscription_id, step)
            return
        except (NotFoundError, StorageError) as error:
            log.warning("saving a subscription failed: %s", error)
            self.error_label.setText(_("Not saved: {error}").format(error=error_text(error)))
            return
        self.accept()

    def _focus_first_problem(self) -> None:
        found, _candidate = self.problems()
        widget = self._field_widgets.get(found[0].field) if found else None
        if widget is not None:
            page = widget.parentWidget()
            while page is not None and self.tabs.indexOf(page) < 0:
                page = page.parentWidget()
            if page is not None:
                self.tabs.setCurrentWidget(page)
            widget.setFocus()

    # -- conflicts -------------------------------------------------------------
    def _show_conflict(self, subscription_id: int, step: Callable[[Subscription], Subscription]) -> None:
        """Name the fields someone else changed, and let the user reload them or overwrite them with the form."""
        try:
            stored = self.context.service.get(subscription_id)
        except (NotFoundError, StorageError) as error:
            self.error_label.setText(_("Not saved: {error}").format(error=error_text(error)))
            return
        assert self.original is not None
        changed = changed_fields(self.original, stored)
        lines = [
            f"{name.replace('_', ' ')}: {_shown(getattr(self.original, name))} → {_shown(getattr(stored, name))}"
            for name in changed
        ]
        self.conflict_label.setText(
            _("Someone else saved this subscription after you opened it. Changed there:\n") + "\n".join(lines)
        )
        self.error_label.setText(_("Not saved: it was changed elsewhere since you opened it."))
        self.conflict_box.setVisible(True)
        self._pending = step
        self._stored = stored

    def reload(self) -> None:
        """Drop the form's changes and show what is stored now."""
        stored = self._stored
        if stored is None:
            return
        self.original = stored
        self._load(stored)
        self.conflict_box.setVisible(False)
        self.error_label.setText("")
        self.validate()

    def overwrite(self) -> None:
        """Save the form over the other change, as the user chose."""
        step = self._pending or (lambda s: s)
        self.conflict_box.setVisible(False)
        self._store(step, overwrite=True)


# Bookkeeping that changes with every save: not something the user changed.
_BOOKKEEPING = frozenset({"updated_at", "revision"})


def changed_fields(before: Subscription, after: Subscription) -> list[str]:
    """The fields that differ between two versions of one subscription, in the dataclass's order."""
    return [name for name in DATA_FIELDS if name not in _BOOKKEEPING and getattr(before, name) != getattr(after, name)]


def _shown(value: Any) -> str:
    text = "—" if value in (None, "", ()) else str(value.value if isinstance(value, Status) else value)
    return text if len(text) <= 60 else text[:59] + "…"


def _form_page(tabs: QTabWidget, title: str) -> tuple[QWidget, QFormLayout]:
    page = QWidget(tabs)
    form = QFormLayout(page)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    tabs.addTab(page, title)
    return page, form


def _line(parent: QWidget, accessible_name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setAccessibleName(accessible_name)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    return edit
