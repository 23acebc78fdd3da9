"""The SMTP settings dialog with "Send test", and a worker thread so sending never freezes the window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.drafts import Tone, normalize_region
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.settings import parse_setting
from renewaltracker.i18n import N_, _
from renewaltracker.services.mail import (
    MailError,
    Security,
    SmtpSettings,
    remember_password,
    send_test,
    smtp_settings,
    stored_password,
)
from renewaltracker.services.secrets import SecretStore, SecretUnavailable
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.plain_text import plain_label
from renewaltracker.ui.screen_fit import FittedDialog

REGIONS = {
    "": N_("None (no consumer-rights sentences)"),
    "EU": N_("European Union"),
    "UK": N_("United Kingdom"),
    "US-CA": N_("California, USA"),
}
# The form's labels, to name a setting it refuses the way the form does ("SMTP server", not "smtp_host").
FORM_LABELS = {
    "user_name": N_("Your &name"),
    "user_email": N_("Your email &address"),
    "region": N_("&Region"),
    "draft_tone": N_("Default t&one"),
    "smtp_host": N_("SMTP &server"),
    "smtp_port": N_("&Port"),
    "smtp_security": N_("S&ecurity"),
    "smtp_user": N_("&User name"),
}
SECURITY_LABELS = {
    Security.STARTTLS: N_("STARTTLS (port 587)"),
    Security.SSL: N_("SSL/TLS (port 465)"),
    Security.NONE: N_("None (only for a server on this machine)"),
}


class MailWorker(QThread):
    """Runs one send in the background; reports success or the problem in plain words."""

    succeeded = Signal()
    failed = Signal(str)

    def __init__(self, job: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._job = job

    def run(self) -> None:
        try:
            self._job()
        except MailError as error:
            self.failed.emit(error_text(error))
        except Exception as error:  # a thread must never die silently
            self.failed.emit(_("sending failed: {error}").format(error=error_text(error)))
        else:
            self.succeeded.emit()


def keyring_problem(secrets: SecretStore, settings: SmtpSettings) -> str:
    """Why passwords cannot be remembered, or "" when the keyring works."""
    try:
        stored_password(secrets, settings)
    except SecretUnavailable as error:
        return str(error)
    return ""


class MailSettingsDialog(FittedDialog):
    """Who signs the drafts, the region and tone, and the outgoing mail server (password only in the keyring)."""

    def __init__(self, context: AppContext, secrets: SecretStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Email settings"))
        self._context = context
        self._secrets = secrets
        self._worker: MailWorker | None = None
        raw = context.service.settings()
        current = smtp_settings(raw)
        self.user_name = QLineEdit(raw["user_name"], self)
        self.user_name.setPlaceholderText(_("signs your drafts"))
        self.region = QComboBox(self)
        for code, label in REGIONS.items():
            self.region.addItem(_(label), code)
        region = normalize_region(raw["region"])
        self.region.setCurrentIndex(list(REGIONS).index(region) if region in REGIONS else 0)
        self.region.setToolTip(_("Adds one sentence about a consumer right where it applies; none adds nothing"))
        self.tone = QComboBox(self)
        for tone in Tone:
            self.tone.addItem(tone.label, tone.value)
        self.tone.setCurrentIndex(list(Tone).index(Tone(raw["draft_tone"])))
        self.sender_email = QLineEdit(current.sender, self)
        self.sender_email.setPlaceholderText(_("you@example.com"))
        self.host = QLineEdit(current.host, self)
        self.host.setPlaceholderText(_("smtp.example.com"))
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(current.port)
        self.security = QComboBox(self)
        for security, label in SECURITY_LABELS.items():
            self.security.addItem(_(label), security)
        self.security.setCurrentIndex(list(SECURITY_LABELS).index(current.security))
        self.security.currentIndexChanged.connect(self._suggest_port)
        self.user = QLineEdit(current.user, self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(_("Remember the password in the system keyring"), self)
        self.remember.setChecked(True)
        self.keyring_note = plain_label(self)
        self.keyring_note.setWordWrap(True)
        problem = keyring_problem(secrets, current)
        if problem:
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
            self.keyring_note.setText(_("The password cannot be remembered: {problem}.").format(problem=problem))
        else:
            has_password = bool(current.user) and stored_password(secrets, current) is not None
            self.password.setPlaceholderText(_("stored in the keyring") if has_password else "")
            self.keyring_note.setText(_("Nothing is written in plain text: the password stays in the system keyring."))
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.status = plain_label(self)
        self.status.setWordWrap(True)
        self.test_button = QPushButton(_("Send &test"), self)
        self.test_button.clicked.connect(self.send_test)
        drafts = QGroupBox(_("Drafts"), self)
        about = QFormLayout(drafts)
        about.addRow(_("Your &name"), self.user_name)
        about.addRow(_("Your email &address"), self.sender_email)
        about.addRow(_("&Region"), self.region)
        about.addRow(_("Default t&one"), self.tone)
        # Tab follows the rows: the address was made after the tone.
        QWidget.setTabOrder(self.user_name, self.sender_email)
        QWidget.setTabOrder(self.sender_email, self.region)
        sending = QGroupBox(_("Sending through your mail server (SMTP)"), self)
        form = QFormLayout(sending)
        form.addRow(_("SMTP &server"), self.host)
        form.addRow(_("&Port"), self.port)
        form.addRow(_("S&ecurity"), self.security)
        form.addRow(_("&User name"), self.user)
        form.addRow(_("Pass&word"), self.password)
        form.addRow("", self.remember)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(drafts)
        layout.addWidget(sending)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())

    def _suggest_port(self) -> None:
        security = Security(self.security.currentData())
        if security is Security.SSL and self.port.value() == 587:
            self.port.setValue(465)
        elif security is Security.STARTTLS and self.port.value() == 465:
            self.port.setValue(587)

    def entered(self) -> SmtpSettings:
        return SmtpSettings(
            self.host.text().strip(),
            self.port.value(),
            Security(self.security.currentData()),
            self.user.text().strip(),
            self.sender_email.text().strip(),
        )

    def _values(self) -> dict[str, str]:
        entered = self.entered()
        return {
            "user_name": self.user_name.text().strip(),
            "user_email": entered.sender,
            "region": str(self.region.currentData()),
            "draft_tone": str(self.tone.currentData()),
            "smtp_host": entered.host,
            "smtp_port": str(entered.port),
            "smtp_security": entered.security.value,
            "smtp_user": entered.user,
        }

    def save(self) -> bool:
        values = self._values()
        try:
            for key, text in values.items():
                parse_setting(key, text)  # all checked before any is saved
        except ValidationError as error:
            label = FORM_LABELS.get(error.field)
            shown = (
                _("{field}: {problem}").format(field=_(label).replace("&", ""), problem=error.problem)
                if label
                else error_text(error)
            )
            self.status.setText(_("Not saved: {error}").format(error=shown))
            return False
        self._context.service.set_settings(values)
        entered = self.entered()
        if self.password.text() and self.remember.isChecked() and entered.user:
            try:
                remember_password(self._secrets, entered, self.password.text())
            except SecretUnavailable as error:
                self.status.setText(
                    _("Saved, but the password was not remembered: {error}").format(error=error_text(error))
                )
                return False
        self.accept()
        return True

    def send_test(self) -> MailWorker:
        entered = self.entered()
        password = self.password.text() or None
        if password is None and entered.user:
            try:
                password = stored_password(self._secrets, entered)
            except SecretUnavailable:
                password = None
        when = self._context.clock.now()
        self._worker = MailWorker(lambda: send_test(entered, password, when), self)
        sent = _("A test message was sent to {sender} through {host}.").format(sender=entered.sender, host=entered.host)
        self._worker.succeeded.connect(lambda: self._finished(sent))
        self._worker.failed.connect(
            lambda message: self._finished(_("The test failed: {message}.").format(message=message))
        )
        self.progress.show()
        self.test_button.setEnabled(False)
        self.status.setText(_("Sending a test message through {host}…").format(host=entered.host or _("the server")))
        self._worker.start()
        return self._worker

    def _finished(self, message: str) -> None:
        if self._worker is not None:
            self._worker.wait()  # its run() has returned or is about to
        self.progress.hide()
        self.test_button.setEnabled(True)
        self.status.setText(message)
