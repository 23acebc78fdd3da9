"""Waiting for work the window does on its worker threads (the detail pane's read)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from renewaltracker.ui.main_window import MainWindow


def details_shown(qtbot: QtBot, window: MainWindow) -> None:
    """Until the detail pane shows what it last asked its worker to read (at once when it asked for nothing)."""
    qtbot.waitUntil(lambda: not window.details.background.busy)


def open_details(qtbot: QtBot, window: MainWindow, subscription_id: int) -> None:
    """Select a subscription and wait for the detail pane to show it."""
    window.open_subscription(subscription_id)
    details_shown(qtbot, window)
