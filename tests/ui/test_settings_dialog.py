"""The reminders settings dialog: saves valid values, refuses bad ones without changing anything."""

from __future__ import annotations

import re
from datetime import time

import pytest
from PySide6.QtCore import QTime
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from renewaltracker.i18n import install_language
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.ui.app import install_qt_translation
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


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_every_setting_is_reached_by_its_own_mnemonic(
    qtbot: QtBot, qapp: QApplication, service: SubscriptionService, language: str
) -> None:
    """Alt and a letter reaches each field and check box, in every language, and no two share a letter."""
    install_language(language)
    install_qt_translation(qapp, language)
    try:
        dialog = SettingsDialog(service, apply_autostart=lambda _on: None)
        qtbot.addWidget(dialog)
        targets = {dialog.lead_days, dialog.time_of_day, dialog.close_to_tray, dialog.start_at_login}
        reached: dict[str, QWidget] = {}
        texts = [(label.text(), label.buddy()) for label in dialog.findChildren(QLabel) if label.buddy() is not None]
        texts += [(button.text(), button) for button in dialog.findChildren(QAbstractButton)]
        letters = []
        for text, widget in texts:
            mnemonic = re.search(r"&(\w)", text)
            if mnemonic:
                letters.append(mnemonic.group(1).lower())
                reached[mnemonic.group(1).lower()] = widget
        assert targets <= set(reached.values()), texts
        assert len(letters) == len(set(letters)), texts
    finally:
        install_language("en")
        install_qt_translation(qapp, "en")
