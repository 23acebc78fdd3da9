"""Notifier choice and honesty: showing counts only when something can really reach the user."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from renewaltracker.domain.events import Event, EventKind
from renewaltracker.domain.reminders import Reminder, ReminderKey, notice_for
from renewaltracker.ui import notifier as notifier_module
from renewaltracker.ui.notifier import FreedesktopNotifier, NoticeAction, Notifier, TrayNotifier, choose_notifier

DAY = date(2026, 3, 17)
EVENT = Event(DAY, EventKind.CHARGE, 1, "Netflix", Decimal("15.99"), "EUR", DAY)
REMINDER = Reminder(ReminderKey(1, EventKind.CHARGE, DAY, 7), datetime(2026, 3, 10, 9, tzinfo=ZoneInfo("UTC")), EVENT)
NOTICE = notice_for([REMINDER], date(2026, 3, 10))


def test_offscreen_there_is_no_tray_so_a_balloon_is_not_delivery(qtbot: QtBot) -> None:
    assert not QSystemTrayIcon.isSystemTrayAvailable()
    tray = QSystemTrayIcon()
    assert TrayNotifier(tray).show(NOTICE, [NoticeAction.SNOOZE]) is False
    assert Notifier().show(NOTICE, []) is False


def test_without_tray_or_service_the_do_nothing_notifier_is_chosen(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notifier_module, "freedesktop_service_running", lambda: False)
    for platform in ("linux", "win32", "darwin"):
        chosen = choose_notifier(QSystemTrayIcon(), platform=platform)
        assert type(chosen) is Notifier and chosen.name == "none"


@pytest.mark.expect_log_warnings
def test_linux_prefers_the_freedesktop_service_and_reports_a_failed_send(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(notifier_module, "freedesktop_service_running", lambda: True)
    # A bus address where nothing listens: the send fails, and show() must say so rather than pretend.
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    chosen = choose_notifier(QSystemTrayIcon(), platform="linux")
    try:
        assert isinstance(chosen, FreedesktopNotifier)
        assert chosen.show(NOTICE, [NoticeAction.SNOOZE, NoticeAction.CANCEL]) is False
    finally:
        chosen.close()
    assert choose_notifier(QSystemTrayIcon(), platform="win32").name == "none"  # offscreen: no tray either


class _RefusingClient:
    """desktop-notifier's client when the daemon drops the notification: sent, but never current."""

    def __init__(self, **_options: object) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, title: str, message: str, **_options: object) -> str:
        self.sent.append((title, message))
        return "id-1"

    async def get_current_notifications(self) -> list[str]:
        return []


@pytest.mark.expect_log_warnings
def test_a_refused_notification_is_logged_without_its_text(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The title names the subscription and the amount: the log keeps that something failed, not what."""
    import desktop_notifier

    monkeypatch.setattr(desktop_notifier, "DesktopNotifier", _RefusingClient)
    chosen = FreedesktopNotifier()
    try:
        assert chosen.show(NOTICE, []) is False
    finally:
        chosen.close()
    assert "notification" in caplog.text
    assert "Netflix" not in caplog.text and "15.99" not in caplog.text


class _RecordingClient(_RefusingClient):
    async def get_current_notifications(self) -> list[str]:
        return ["id-1"]


@pytest.mark.parametrize(
    ("capabilities", "shown"), [(["body", "body-markup"], "AT&amp;T &lt;Pro&gt;"), (["body"], "AT&T <Pro>")]
)
def test_a_name_with_markup_characters_is_shown_as_written(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, capabilities: list[str], shown: str
) -> None:
    """dunst showed "• AT&T charges  EUR" for "<5>": a daemon that reads the body as markup gets it escaped."""
    import desktop_notifier

    clients: list[_RecordingClient] = []
    monkeypatch.setattr(
        desktop_notifier, "DesktopNotifier", lambda **options: clients.append(_RecordingClient()) or clients[-1]
    )
    monkeypatch.setattr(notifier_module, "server_capabilities", lambda: capabilities)
    chosen = FreedesktopNotifier()
    try:
        notice = notice_for([REMINDER, REMINDER], date(2026, 3, 10))
        notice = type(notice)(notice.title, "• AT&T <Pro>", notice.reminders)
        assert chosen.show(notice, []) is True
    finally:
        chosen.close()
    assert clients[0].sent == [(notice.title, f"• {shown}")]
