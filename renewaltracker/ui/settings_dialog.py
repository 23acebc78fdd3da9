"""Settings for reminders and the tray: lead times, time of day, close to tray, start at login."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.settings import SETTINGS, format_lead_days
from renewaltracker.i18n import _
from renewaltracker.services.autostart import apply_start_at_login
from renewaltracker.services.settings import LoginEntryError, save_settings
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.plain_text import plain_label
from renewaltracker.ui.screen_fit import FittedDialog

log = logging.getLogger(__name__)


class SettingsDialog(FittedDialog):
    """Every value is checked before any is saved, so a bad entry changes nothing."""

    def __init__(
        self,
        service: SubscriptionService,
        parent: QWidget | None = None,
        apply_autostart: Callable[[bool], None] = apply_start_at_login,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.apply_autostart = apply_autostart
        self.setWindowTitle(_("Reminders and tray"))
        self.setObjectName("ReminderSettingsDialog")
        self.lead_days = QLineEdit(format_lead_days(service.setting("reminder_days")), self)
        self.lead_days.setToolTip(_(SETTINGS["reminder_days"].description) + _(" For example 7,1."))
        reminder_time = service.setting("reminder_time")
        self.time_of_day = QTimeEdit(QTime(reminder_time.hour, reminder_time.minute), self)
        self.time_of_day.setDisplayFormat("HH:mm")
        self.close_to_tray = QCheckBox(_("Closing the window &keeps Renewal Tracker in the system tray"), self)
        self.close_to_tray.setChecked(bool(service.setting("close_to_tray")))
        self.start_at_login = QCheckBox(_("Start Renewal Tracker in the tray when I &log in"), self)
        self.start_at_login.setChecked(bool(service.setting("start_at_login")))
        self.error = plain_label(self)
        self.error.setObjectName("SettingsError")
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        # The form's labels are the fields' buddies: Alt and the marked letter reaches each one.
        form.addRow(_("&Remind me (days before)"), self.lead_days)
        form.addRow(_("At this &time of day"), self.time_of_day)
        form.addRow(self.close_to_tray)
        form.addRow(self.start_at_login)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def values(self) -> dict[str, str]:
        return {
            "reminder_days": self.lead_days.text().strip(),
            "reminder_time": self.time_of_day.time().toString("HH:mm"),
            "close_to_tray": "true" if self.close_to_tray.isChecked() else "false",
            "start_at_login": "true" if self.start_at_login.isChecked() else "false",
        }

    def save(self) -> None:
        values = self.values()
        try:
            save_settings(self.service, values, self.apply_autostart)
        except LoginEntryError as error:
            self.error.setText(_("Could not change start at login: {reason}").format(reason=error.reason))
            self.error.show()
            return
        except ValidationError as error:
            self.error.setText(error_text(error))
            self.error.show()
            return
        self.accept()
