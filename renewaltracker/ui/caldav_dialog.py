"""CalDAV settings with "Test connection" and "Sync now"; the network work runs off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.i18n import _
from renewaltracker.services.caldav_sync import (
    CalDAVAccount,
    CalDAVSync,
    SyncError,
    SyncOutcome,
    SyncPlan,
    check_connection,
    push,
)
from renewaltracker.services.secrets import SecretUnavailable
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.plain_text import plain_label
from renewaltracker.ui.screen_fit import FittedDialog


class _Signals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)  # the job's result, or a SyncError


class BackgroundJob(QRunnable):
    """Runs a network call on the thread pool and reports back through queued signals."""

    def __init__(self, work: Callable[[Callable[[int, int, str], None]], Any]) -> None:
        super().__init__()
        self.signals = _Signals()
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self.signals.progress.emit)
        except SyncError as error:
            result = error
        self.signals.done.emit(result)


class CalDAVDialog(FittedDialog):
    """Server address, user, calendar name and password (kept in the keyring, never in the database)."""

    finished_work = Signal(str)  # the sentence shown to the user once a test or sync ends

    def __init__(self, sync: CalDAVSync, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sync = sync
        self.setWindowTitle(_("Calendar sync (CalDAV)"))
        self.setObjectName("CalDAVDialog")
        account = sync.account()
        self.url = QLineEdit(account.url)
        self.url.setPlaceholderText(_("https://cloud.example.com/remote.php/dav"))
        self.user = QLineEdit(account.user)
        self.calendar = QLineEdit(account.calendar_name)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        stored = sync.stored_password(account) is not None
        self.password.setPlaceholderText(_("stored in the keyring") if stored else _("app password recommended"))
        self.amounts = QCheckBox(_("Show amounts in the events"))
        self.amounts.setChecked(account.include_amounts)
        form = QFormLayout()
        form.addRow(_("&Server address:"), self.url)
        form.addRow(_("&User name:"), self.user)
        form.addRow(_("&Password:"), self.password)
        form.addRow(_("&Calendar:"), self.calendar)
        form.addRow("", self.amounts)
        privacy = QLabel(
            _(
                "A sync sends each renewal's event (name, dates, amount unless switched off, description with vendor, "
                "notes and cancellation link) to this server, and nothing else."
            )
        )
        privacy.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Sync status"))
        self.test_button = QPushButton(_("&Test connection"))
        self.sync_button = QPushButton(_("S&ync now"))
        self.test_button.clicked.connect(self.test_connection)
        self.sync_button.clicked.connect(self.sync_now)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.sync_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(privacy)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self._job: BackgroundJob | None = None

    def _save(self) -> tuple[CalDAVAccount, str] | None:
        """Store the settings and the password; returns the account and password, or None after saying why."""
        service = self.sync.service
        url = self.url.text().strip()
        if not url.startswith(("http://", "https://")):
            self._show(_("Enter the server address, starting with https://"))
            return None
        service.set_settings(
            {
                "caldav_url": url,
                "caldav_user": self.user.text().strip(),
                "caldav_calendar": self.calendar.text().strip() or "Renewals",
                "caldav_amounts": "true" if self.amounts.isChecked() else "false",
            }
        )
        account = self.sync.account()
        password = self.password.text()
        if password:
            try:
                self.sync.store_password(account, password)
            except SecretUnavailable as error:
                self.status.setText(_("Password kept for this session only: {error}").format(error=error_text(error)))
        else:
            password = self.sync.stored_password(account) or ""
        return account, password

    def _busy(self, busy: bool) -> None:
        self.test_button.setEnabled(not busy)
        self.sync_button.setEnabled(not busy)
        self.progress.setVisible(busy)

    def _show(self, message: str) -> None:
        self.status.setText(message)
        self.finished_work.emit(message)

    def _start(self, work: Callable[[Callable[[int, int, str], None]], Any], on_done: Callable[[Any], None]) -> None:
        self._busy(True)
        self.progress.setRange(0, 0)
        job = BackgroundJob(work)
        job.signals.progress.connect(self._on_progress)
        job.signals.done.connect(on_done)
        self._job = job  # keeps the signals object alive until the job reports
        QThreadPool.globalInstance().start(job)

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(message)

    def test_connection(self) -> None:
        saved = self._save()
        if saved is None:
            return
        account, password = saved
        self.status.setText(_("Connecting…"))
        self._start(lambda _report: check_connection(account, password), self._connection_tested)

    def _connection_tested(self, result: Any) -> None:
        self._busy(False)
        failed = isinstance(result, SyncError)
        self._show(_("Could not connect: {error}").format(error=result) if failed else str(result))

    def sync_now(self) -> None:
        saved = self._save()
        if saved is None:
            return
        account, password = saved
        try:
            plan = self.sync.plan(account)  # reads the database here, on the GUI thread
        except SyncError as error:
            self._show(error_text(error))
            return
        self._start(lambda report: push(plan, password, report), lambda outcome: self._synced(plan, outcome))

    def _synced(self, plan: SyncPlan, outcome: SyncOutcome) -> None:
        self._busy(False)
        self.sync.record(plan, outcome)
        self._show(outcome.summary())
