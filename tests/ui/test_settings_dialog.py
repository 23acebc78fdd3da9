"""The reminders settings dialog: saves valid values, refuses bad ones without changing anything."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.ui.settings_dialog import SettingsDialog


def test_saving_stores_every_setting_and_applies_start_at_login(qtbot: QtBot, service: SubscriptionService) -> None:
    applied: list[bool] = []
    dialog = SettingsDialog(service, apply_autostart=applied.append)
    qtbot.addWidget(dialog)
    assert dialog.lead_days.text() == "7,1"
    assert dialog.time_of_day.time() == QTime(9, 0)
    dialog.lead_days.setText("14, 3 ,1")
    dialog.time_of_day.setTime(QTime(18, 45))
    dialog.close_to_tray.setChecked(False)
    dialog.start_at_login.setChecked(True)
    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert service.setting("reminder_days") == (14, 3, 1)
    assert service.setting("reminder_time") == time(18, 45)
    assert service.setting("close_to_tray") is False
    assert service.setting("start_at_login") is True
    assert applied == [True]


def test_a_bad_lead_time_is_named_and_nothing_changes(qtbot: QtBot, service: SubscriptionService) -> None:
    applied: list[bool] = []
    dialog = SettingsDialog(service, apply_autostart=applied.append)
    qtbot.addWidget(dialog)
    dialog.lead_days.setText("7, soon")
    dialog.start_at_login.setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not dialog.error.isHidden()
    assert dialog.error.text() == "Remind me (days before): 'soon' is not a whole number of days"
    assert service.settings()["reminder_days"] == "7,1"
    assert service.setting("start_at_login") is False
    assert applied == []
    dialog.lead_days.setText("")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.error.text() == "Remind me (days before): give at least one number of days, e.g. 7,1"


def test_a_failing_login_entry_is_reported_and_settings_stay(qtbot: QtBot, service: SubscriptionService) -> None:
    def refuse(enabled: bool) -> None:
        raise PermissionError("autostart folder is read-only")

    dialog = SettingsDialog(service, apply_autostart=refuse)
    qtbot.addWidget(dialog)
    dialog.start_at_login.setChecked(True)
    dialog.time_of_day.setTime(QTime(7, 0))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "Could not change start at login" in dialog.error.text()
    assert service.setting("reminder_time") == time(9, 0)
