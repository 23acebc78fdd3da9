"""The draft dialog: pick kind, tone and charge, edit the email, then copy, open, save or send it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.domain.drafts import Draft, DraftKind, Tone, one_line, paper_letter
from renewaltracker.domain.errors import NotFoundError, ValidationError
from renewaltracker.domain.languages import LANGUAGE_NAMES, LETTER_LANGUAGES
from renewaltracker.i18n import _
from renewaltracker.services.drafts import ComposedDraft, DraftService
from renewaltracker.services.files import write_private
from renewaltracker.services.mail import SmtpSettings, eml_bytes, mailto_url, send, smtp_settings, stored_password
from renewaltracker.services.secrets import SecretStore, SecretUnavailable
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.formatting import Formatter, first_upper
from renewaltracker.ui.letter_pdf import write_letter_pdf
from renewaltracker.ui.mail_settings import MailSettingsDialog, MailWorker
from renewaltracker.ui.plain_text import plain_label
from renewaltracker.ui.screen_fit import FittedDialog
from renewaltracker.ui.widgets import Hold, hold_nothing, saving_buttons

LONG_LINK = 2000

# Asks for the SMTP password; gets the settings and why it is asked; None means the user cancelled.
PasswordPrompt = Callable[[QWidget, SmtpSettings, str], str | None]


def ask_password(parent: QWidget, settings: SmtpSettings, reason: str) -> str | None:
    label = _("Password for {user} on {host}:").format(user=settings.user, host=settings.host)
    if reason:
        label = f"{reason}.\n\n{label}"
    text, ok = QInputDialog.getText(parent, _("Mail password"), label, QLineEdit.EchoMode.Password)
    return text if ok and text else None


class DraftDialog(FittedDialog):
    """One draft about one subscription; after copy, open, save or send it offers to log the contact."""

    recorded = Signal(object)  # the Contact added to the log
    sent = Signal()
    send_failed = Signal(str)

    def __init__(
        self,
        context: AppContext,
        drafts: DraftService,
        secrets: SecretStore,
        subscription_id: int,
        kind: DraftKind = DraftKind.CANCEL,
        parent: QWidget | None = None,
        formatter: Formatter | None = None,
        hold: Hold = hold_nothing,
    ) -> None:
        super().__init__(parent)
        self._context = context
        shown = formatter or Formatter.system()  # the window's formats for its own lists; the letter has its own
        self._drafts = drafts
        self._secrets = secrets
        self._subscription_id = subscription_id
        self._worker: MailWorker | None = None
        self._last_action = ""
        self.password_prompt: PasswordPrompt = ask_password
        self._generated = ""
        self.hold = hold  # the window's, for the email settings it opens (ui/read_only.py)
        self._generated_to = ""
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        subscription = context.service.get(subscription_id)
        self._vendor = subscription.vendor or subscription.name
        self._had_trial = subscription.trial_end is not None
        self.setWindowTitle(_("Draft email — {name}").format(name=subscription.name))

        self.kind = QComboBox(self)
        for each in DraftKind:
            self.kind.addItem(each.label, each)
        self.kind.setCurrentIndex(list(DraftKind).index(kind))
        self.tone = QComboBox(self)
        for tone in Tone:
            self.tone.addItem(tone.label, tone)
        self.tone.setCurrentIndex(list(Tone).index(drafts.default_tone()))
        self.language = QComboBox(self)
        self.language.setToolTip(_("The language the letter is written in"))
        for code in LETTER_LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(LETTER_LANGUAGES.index(drafts.default_language(subscription)))
        self.charge = QComboBox(self)
        self.charge.setToolTip(_("The charge the email is about"))
        for charge in drafts.charge_choices(subscription_id):
            text = f"{shown.date(charge.date)} — {shown.money(charge.amount, charge.currency)}"
            if charge.reference:
                text += f" ({one_line(charge.reference)})"
            if charge.id is None:
                text += " " + _("(scheduled)")
            self.charge.addItem(text, charge.date.isoformat())
        if self.charge.count() == 0:
            self.charge.addItem(_("No charge recorded"), None)
        self.unused = QCheckBox(_("I have not used the &renewed term"), self)
        self.policy = QCheckBox(_("The refund &window is the vendor's own policy"), self)
        self.offer_cancel = QPushButton(_("Draft the &cancellation instead"), self)
        self.offer_cancel.setAutoDefault(False)
        self.offer_cancel.clicked.connect(lambda: self.kind.setCurrentIndex(list(DraftKind).index(DraftKind.CANCEL)))
        self.offer_cancel.hide()
        self._composed: ComposedDraft | None = None
        self.to = QLineEdit(self)
        self.to.setPlaceholderText(_("recipient's email address"))
        self.subject = QLineEdit(self)
        self.body = QPlainTextEdit(self)
        self.body.setAccessibleName(_("Email text"))
        # Room for a few lines (the dialog gives it more): a 600-pixel-high screen still shows the buttons.
        self.body.setMinimumSize(480, 120)
        self.problems = plain_label(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("background: #fff4ce; padding: 4px")
        self.problems.hide()

        self.record_bar = QFrame(self)
        self.record_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.record_label = plain_label(self.record_bar)
        self.record_label.setWordWrap(True)  # a long German or French offer must not widen the dialog past the screen
        self.record_button = QPushButton(_("&Record in contact log"), self.record_bar)
        self.record_button.clicked.connect(self.record_contact)
        bar = QHBoxLayout(self.record_bar)
        bar.setContentsMargins(6, 3, 6, 3)
        bar.addWidget(self.record_label, 1)
        bar.addWidget(self.record_button)
        self.record_bar.hide()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setMaximumHeight(8)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = plain_label(self)
        self.status.setWordWrap(True)

        self.copy_button = QPushButton(_("&Copy"), self)
        self.open_button = QPushButton(_("Open in &mail app"), self)
        self.save_button = QPushButton(_("Save as .&eml…"), self)
        self.pdf_button = QPushButton(_("Save as &PDF letter…"), self)
        self.pdf_button.setToolTip(_("A letter on paper with your postal address and the vendor's"))
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        self.send_button = QPushButton(_("Se&nd"), self)
        self.settings_button = QPushButton(_("Email &settings…"), self)
        close_button = QPushButton(_("Close"), self)
        self.copy_button.setToolTip(_("Copy the subject and text to the clipboard"))
        self.send_button.setToolTip(_("Send through your own mail server (SMTP)"))
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.open_button.clicked.connect(self.open_in_mail_app)
        self.save_button.clicked.connect(lambda: self.save_eml())
        self.send_button.clicked.connect(lambda: self.send())
        self.settings_button.clicked.connect(self.open_mail_settings)
        close_button.clicked.connect(self.reject)
        for button in (
            self.copy_button,
            self.open_button,
            self.save_button,
            self.send_button,
            self.settings_button,
            close_button,
            self.record_button,
            self.pdf_button,
        ):
            button.setAutoDefault(False)  # Enter in a field must never send or close

        form = QFormLayout()
        form.addRow(_("&Kind"), self.kind)
        form.addRow(_("&Tone"), self.tone)
        form.addRow(_("&Language"), self.language)
        form.addRow(_("C&harge"), self.charge)
        form.addRow("", self.unused)
        form.addRow("", self.policy)
        form.addRow(_("T&o"), self.to)
        form.addRow(_("S&ubject"), self.subject)
        for field in (self.kind, self.tone, self.charge, self.to, self.subject):
            label = form.labelForField(field)
            if isinstance(label, QLabel):
                # The text's own width cut the last pixel of "To" and "Tone" (and the mnemonic's underline).
                label.setContentsMargins(0, 0, 3, 1)
        actions = QHBoxLayout()
        for button in (self.copy_button, self.open_button, self.save_button, self.pdf_button, self.send_button):
            actions.addWidget(button)
        actions.addStretch()
        actions.addWidget(self.settings_button)
        actions.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.offer_cancel)
        layout.addWidget(self.record_bar)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(actions)
        # Opens with the text as tall as it always was; a smaller screen gets a shorter one (FittedDialog).
        self.resize(self.sizeHint().width(), self.sizeHint().height() + 180)

        self.kind.currentIndexChanged.connect(self.regenerate)
        self.tone.currentIndexChanged.connect(self.regenerate)
        self.language.currentIndexChanged.connect(self.regenerate)
        self.charge.currentIndexChanged.connect(self.regenerate)
        self.unused.toggled.connect(self.regenerate)
        self.policy.toggled.connect(self.regenerate)
        self.regenerate()

    # -- composing -----------------------------------------------------------
    def current_kind(self) -> DraftKind:
        return DraftKind(self.kind.currentData())  # Qt hands str subclasses back as plain str

    def current_tone(self) -> Tone:
        return Tone(self.tone.currentData())

    def current_charge_date(self) -> date | None:
        data = self.charge.currentData()
        return date.fromisoformat(data) if data else None

    def regenerate(self) -> None:
        kind = self.current_kind()
        self.charge.setEnabled(kind.names_a_charge and self.current_charge_date() is not None)
        charge_date = self.current_charge_date() if kind.names_a_charge else None
        refund = kind in (DraftKind.REFUND, DraftKind.TRIAL_REFUND)
        self.unused.setEnabled(refund)
        self.policy.setEnabled(refund)
        # The record offer belonged to the draft shown before; a new draft has not been sent or saved yet.
        self.record_bar.hide()
        self._last_action = ""
        try:
            composed = self._drafts.compose(
                kind,
                self._subscription_id,
                self.current_tone(),
                charge_date,
                unused=refund and self.unused.isChecked(),
                policy=refund and self.policy.isChecked(),
                language=self.language.currentData(),
            )
        except (ValidationError, NotFoundError) as error:
            # No letter rather than an untrue one: the text, and every way of sending it, go.
            self._composed = None
            self._show_body("")
            self.subject.clear()
            self._set_actions(False)
            self.status.setText(_("Cannot draft this email: {error}").format(error=error_text(error)))
            # The cancellation fits a trial still running, not a plan that never had one.
            self.offer_cancel.setVisible(kind is DraftKind.TRIAL_REFUND and self._had_trial)
            return
        self._composed = composed
        self._set_actions(True)
        self.offer_cancel.hide()
        if self.to.text() == self._generated_to:  # an address the user typed in is kept
            self.to.setText(composed.draft.to)
        self._generated_to = composed.draft.to
        self.subject.setText(composed.draft.subject)
        self.problems.setText("\n".join(first_upper(str(problem)) for problem in composed.problems))
        self.problems.setVisible(bool(composed.problems))
        self.status.setText(
            ""
            if self.to.text() or kind is DraftKind.BANK_STOP
            else _("No support address is known for this vendor: enter one in To.")
        )
        self._show_body(composed.draft.body)

    def _set_actions(self, enabled: bool) -> None:
        for button in (self.copy_button, self.open_button, self.save_button, self.pdf_button, self.send_button):
            button.setEnabled(enabled)

    def save_pdf(self, path: str | None = None) -> Path | None:
        """The draft as a letter on paper, for vendors that only accept written notice."""
        composed = self._composed
        if composed is None or composed.facts is None:
            return None
        if path is None:
            suggested = self.suggested_filename().removesuffix(".eml") + ".pdf"
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Save as PDF letter"), suggested, _("PDF letters (*.pdf)")
            )
            if not path:
                return None
        edited = self.draft()
        letter = paper_letter(self.current_kind(), composed.facts, Draft(edited.to, edited.subject, edited.body))
        target = Path(path)
        try:
            write_letter_pdf(letter, target)
        except OSError as error:
            self.status.setText(_("Could not save {name}: {error}").format(name=target.name, error=error_text(error)))
            return None
        self._offer_record(_("Saved {name}; print it and post it.").format(name=target.name))
        self._last_action = "letter"
        return target

    def _show_body(self, text: str) -> None:
        """Replace the text as one undoable step, so Ctrl+Z brings back what the user had written."""
        edited = bool(self._generated) and self.body.toPlainText() != self._generated
        self._generated = text
        if not self.body.toPlainText():
            self.body.setPlainText(text)
            return
        cursor = self.body.textCursor()
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        self.body.moveCursor(QTextCursor.MoveOperation.Start)
        if edited:
            self.status.setText(
                _("The text was written anew for your choice; Ctrl+Z in the text brings your edits back.")
            )

    def draft(self) -> Draft:
        """The draft as the user edited it."""
        return Draft(one_line(self.to.text()), one_line(self.subject.text()), self.body.toPlainText())

    # -- where it goes -------------------------------------------------------
    def copy_to_clipboard(self) -> None:
        draft = self.draft()
        QGuiApplication.clipboard().setText(
            _("Subject: {subject}\n\n{body}").format(subject=draft.subject, body=draft.body)
        )
        self._offer_record(_("Copied to the clipboard."))

    def open_in_mail_app(self) -> bool:
        url = mailto_url(self.draft())
        opened = QDesktopServices.openUrl(QUrl(url, QUrl.ParsingMode.StrictMode))
        if opened:
            # Some mail programs (and Windows itself) cut links near 2,000 characters.
            hint = ""
            if len(url) > LONG_LINK:
                hint = _(" If the text arrived cut short, use Copy or Save as .eml instead.")
            self._offer_record(_("Opened in your mail app.") + hint)
        else:
            self.status.setText(_("No mail app is set up to open mailto: links; copy the text or save it as .eml."))
        return bool(opened)

    def suggested_filename(self) -> str:
        """E.g. "refund-the-magazine-2026-03-10.eml": the kind, the vendor and today's date."""
        vendor = re.sub(r"[^\w]+", "-", self._vendor.casefold()).strip("-_") or "vendor"
        return f"{self.current_kind().value}-{vendor}-{self._context.clock.today().isoformat()}.eml"

    def save_eml(self, path: str | None = None) -> Path | None:
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Save email"), self.suggested_filename(), _("Email files (*.eml)")
            )
            if not path:
                return None
        target = Path(path)
        sender = self._context.service.setting("user_email")
        try:
            write_private(target, eml_bytes(self.draft(), sender, self._context.clock.now()), create_folder=False)
        except OSError as error:
            self.status.setText(
                _("Could not save {target}: {strerror}").format(target=target, strerror=error.strerror or error)
            )
            return None
        self._offer_record(_("Saved {name}; open it with your mail app to send it.").format(name=target.name))
        return target

    def send(self) -> MailWorker | None:
        settings = smtp_settings(self._context.service.settings())
        if not settings.host or not settings.sender:
            self.status.setText(_("Set up your mail server and email address first (Email settings…)."))
            return None
        if not self.draft().to:
            self.status.setText(_("Enter the recipient's address in To first."))
            return None
        password: str | None = None
        if settings.needs_password:
            reason = _("No password is stored for this server yet; Email settings can keep it in the system keyring")
            try:
                password = stored_password(self._secrets, settings)
            except SecretUnavailable as error:
                reason = first_upper(str(error))
            if password is None:
                password = self.password_prompt(self, settings, reason)
                if password is None:
                    self.status.setText(_("Not sent: no password was given."))
                    return None
        draft, when = self.draft(), self._context.clock.now()
        self._worker = MailWorker(lambda: send(draft, settings, password, when), self)
        self._worker.succeeded.connect(self._sent)
        self._worker.failed.connect(self._send_failed)
        self._set_busy(True)
        self.status.setText(_("Sending through {host}…").format(host=settings.host))
        self._worker.start()
        return self._worker

    def _set_busy(self, busy: bool) -> None:
        if not busy and self._worker is not None:
            self._worker.wait()  # its run() has returned or is about to; never leave a thread behind
        self.progress.setVisible(busy)
        for button in (self.send_button, self.settings_button):
            button.setEnabled(not busy)

    def _sent(self) -> None:
        self._set_busy(False)
        self._offer_record(_("Sent to {to}.").format(to=self.draft().to), action="sent")
        self.sent.emit()

    def _send_failed(self, message: str) -> None:
        self._set_busy(False)
        self.status.setText(_("Not sent: {message}.").format(message=message))
        self.send_failed.emit(message)

    def done(self, result: int) -> None:
        """Closing while a send runs keeps the dialog (and its thread) alive until the send ends."""
        if self._worker is not None and self._worker.isRunning():
            self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            self._worker.finished.connect(self.deleteLater)
        super().done(result)

    def open_mail_settings(self) -> MailSettingsDialog:
        dialog = MailSettingsDialog(self._context, self._secrets, self)
        self.hold(saving_buttons(dialog))  # the file may become read only while it is open
        dialog.open()
        return dialog

    # -- the contact log ---------------------------------------------------
    def _offer_record(self, done: str, action: str = "") -> None:
        """Offer to log what was just `done` (shown); `action` names it for the log ("sent", "letter")."""
        self._last_action = action or done
        self.status.setText("")
        self.record_label.setText(_("{done} Record this email in the contact log?").format(done=done))
        self.record_button.setEnabled(True)
        self.record_bar.show()

    def record_contact(self) -> Contact | None:
        draft = self.draft()
        outcome = _("Sent by email.") if self._last_action == "sent" else ""
        summary = f"{self.current_kind().label}: {draft.subject}"
        now = self._context.clock.now()
        channel = Channel.LETTER if self._last_action == "letter" else Channel.EMAIL
        try:
            contact = self._drafts.record(
                self.current_kind(),
                Contact(self._subscription_id, now, channel, summary=summary, outcome=outcome),
                self.current_charge_date(),
            )
        except (NotFoundError, ValidationError) as error:
            self.record_label.setText(_("Not recorded: {error}.").format(error=error_text(error)))
            return None
        self.record_label.setText(_("Recorded in the contact log."))
        self.record_button.setEnabled(False)
        self.recorded.emit(contact)
        return contact
