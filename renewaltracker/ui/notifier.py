"""Notifiers: the freedesktop service over D-Bus, the tray balloon, or nothing; chosen per platform.

`show` answers whether the notice was handed to something the user can see; when it answers False the app
shows the reminders in its own window instead.
"""

from __future__ import annotations

import html
import logging
import sys
import threading
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from renewaltracker import APP_NAME
from renewaltracker.domain.events import EventKind
from renewaltracker.domain.reminders import Notice
from renewaltracker.i18n import N_, _

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)
FREEDESKTOP_SERVICE = "org.freedesktop.Notifications"


class NoticeAction(StrEnum):
    OPEN = "open"
    SNOOZE = "snooze"
    CANCEL = "cancel"
    DRAFT = "draft"
    FOLLOW_UP = "follow_up"


ACTION_LABELS = {
    NoticeAction.OPEN: N_("Open"),
    NoticeAction.SNOOZE: N_("Snooze until tomorrow"),
    NoticeAction.CANCEL: N_("Mark cancelled"),
    NoticeAction.DRAFT: N_("Draft cancellation email"),
    NoticeAction.FOLLOW_UP: N_("Draft follow-up"),
}


# What acts on one plan: a notice about several could not say which.
_ONE_PLAN_ACTIONS = frozenset({NoticeAction.CANCEL, NoticeAction.DRAFT, NoticeAction.FOLLOW_UP})


def actions_for(notice: Notice, actions: list[NoticeAction]) -> list[NoticeAction]:
    """A follow-up's notice offers the follow-up letter; cancelling is not what it is about. A summary about several
    plans offers only what acts on them all."""
    if notice.subscription_id is None:
        return [a for a in actions if a not in _ONE_PLAN_ACTIONS]
    if notice.reminders and all(r.event.kind is EventKind.FOLLOW_UP for r in notice.reminders):
        offered: list[NoticeAction] = [a for a in actions if a not in (NoticeAction.DRAFT, NoticeAction.CANCEL)]
        return offered + ([NoticeAction.FOLLOW_UP] if NoticeAction.DRAFT in actions else [])
    return actions


class Notifier(QObject):
    """Base and do-nothing fallback: shows nothing, so the caller falls back to the window."""

    # (the Notice acted on, the NoticeAction value)
    activated = Signal(object, str)
    name = "none"

    def show(self, notice: Notice, actions: list[NoticeAction]) -> bool:
        return False

    def close(self) -> None:
        """Release whatever the notifier holds (threads, connections)."""


class TrayNotifier(Notifier):
    """The tray icon's balloon; a click on it opens the notice. No buttons, so no other actions."""

    name = "tray"

    def __init__(self, tray: QSystemTrayIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tray = tray
        self._last: Notice | None = None
        tray.messageClicked.connect(self._clicked)

    def show(self, notice: Notice, actions: list[NoticeAction]) -> bool:
        # Offscreen or without a tray Qt accepts the message and shows nobody anything.
        if not (QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()):
            return False
        self._last = notice
        self.tray.showMessage(notice.title, notice.body, self.tray.icon(), 0)
        return True

    def _clicked(self) -> None:
        if self._last is not None:
            self.activated.emit(self._last, NoticeAction.OPEN.value)


class FreedesktopNotifier(Notifier):
    """org.freedesktop.Notifications through desktop-notifier, on an asyncio loop in its own thread.

    Raw QtDBus calls marshal Python ints as int32 and empty lists as `av`, which notification daemons
    reject, so the typed client does the talking; its callbacks come back to the Qt thread via a signal.
    The client, its loop and thread start with the first notification: asyncio brings OpenSSL with it (10 MB
    of a tray that may go days without a reminder).
    """

    name = "freedesktop"
    _from_thread = Signal(object, str)

    def __init__(self, icon_path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon_path = icon_path
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._notifier: Any = None
        self._markup: bool | None = None  # whether the daemon reads the body as markup, asked at the first notice
        # Queued across threads: the Qt side only ever runs in the GUI thread.
        self._from_thread.connect(self._relay)

    def _started(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            import asyncio

            from desktop_notifier import DesktopNotifier, Icon

            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, name="notifications", daemon=True)
            self._thread.start()
            icon = Icon(path=self._icon_path) if self._icon_path is not None else None
            self._notifier = DesktopNotifier(app_name=APP_NAME, app_icon=icon)
        return self._loop

    def _body(self, text: str) -> str:
        """The body as the daemon should show it: a daemon with "body-markup" reads it as markup, where a name like
        "AT&T" or "Plan <Pro>" must be escaped or it is shown cut (the spec's advice to clients)."""
        if self._markup is None:
            try:
                self._markup = "body-markup" in server_capabilities()
            except Exception:
                log.exception("cannot ask the notification service what it supports")
                self._markup = False
        return html.escape(text, quote=False) if self._markup else text

    def _relay(self, notice: Notice, action: str) -> None:
        self.activated.emit(notice, action)

    def show(self, notice: Notice, actions: list[NoticeAction]) -> bool:
        from desktop_notifier import Button

        def emit(action: NoticeAction) -> Any:
            return lambda: self._from_thread.emit(notice, action.value)

        buttons = [Button(_(ACTION_LABELS[a]), on_pressed=emit(a)) for a in actions if a is not NoticeAction.OPEN]

        async def deliver() -> bool:
            identifier = await self._notifier.send(
                notice.title, body, buttons=buttons, on_clicked=emit(NoticeAction.OPEN)
            )
            # desktop-notifier logs a failed send instead of raising; only a sent one is kept as current.
            return identifier in await self._notifier.get_current_notifications()

        try:
            loop = self._started()
            body = self._body(notice.body)
            import asyncio

            delivered = asyncio.run_coroutine_threadsafe(deliver(), loop).result(timeout=5)
        except Exception:
            log.exception("the notification service did not take the notification")
            return False
        if not delivered:
            # Not its title: that names the subscription and the amount, which the log must not keep.
            log.warning("the notification service refused a notice of %d reminders", len(notice.reminders))
        return bool(delivered)

    def close(self) -> None:
        if self._loop is None or self._thread is None or self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=2)
        if not self._thread.is_alive():
            self._loop.close()


# Builds the notifier for the tray's icon (the balloon needs it); the composition root passes one in.
NotifierFactory = Callable[[QSystemTrayIcon], Notifier]


def server_capabilities() -> list[str]:
    """What the running notification daemon supports (GetCapabilities takes no arguments, so QtDBus can ask)."""
    from PySide6.QtDBus import QDBusConnection, QDBusInterface

    interface = QDBusInterface(
        FREEDESKTOP_SERVICE, "/org/freedesktop/Notifications", FREEDESKTOP_SERVICE, QDBusConnection.sessionBus()
    )
    answer = interface.call("GetCapabilities").arguments()
    return [str(capability) for capability in answer[0]] if answer and isinstance(answer[0], list) else []


def freedesktop_service_running() -> bool:
    """Whether a notification daemon owns its name on the session bus."""
    from PySide6.QtDBus import QDBusConnection

    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return False
    interface = bus.interface()
    return bool(interface is not None and interface.isServiceRegistered(FREEDESKTOP_SERVICE).value())


def choose_notifier(
    tray: QSystemTrayIcon, icon_path: Path | None = None, platform: str | None = None, parent: QObject | None = None
) -> Notifier:
    """Linux: the freedesktop service when it runs, else the tray balloon; elsewhere the tray balloon.

    Whatever is chosen may still answer False from `show` (no tray, no daemon): the window is the last resort.
    """
    platform = platform or sys.platform
    if platform.startswith("linux") or "bsd" in platform:
        try:
            if freedesktop_service_running():
                return FreedesktopNotifier(icon_path, parent)
        except Exception:
            log.exception("cannot use the freedesktop notification service")
    if QSystemTrayIcon.isSystemTrayAvailable():
        return TrayNotifier(tray, parent)
    return Notifier(parent)
