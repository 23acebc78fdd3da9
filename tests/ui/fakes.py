"""Fakes for the window's outside collaborators: a notifier that records, a secret store without a keyring."""

from __future__ import annotations

from PySide6.QtWidgets import QSystemTrayIcon

from renewaltracker.domain.reminders import Notice
from renewaltracker.services.secrets import SecretUnavailable
from renewaltracker.ui.notifier import NoticeAction, Notifier

NO_KEYRING = "no system keyring is available (test); the password will be asked for each time"


class FakeNotifier(Notifier):
    """Records what would be shown; `reaches_user` says whether showing counts as delivered."""

    name = "fake"

    def __init__(self, reaches_user: bool = True) -> None:
        super().__init__()
        self.reaches_user = reaches_user
        self.shown: list[tuple[Notice, list[NoticeAction]]] = []
        self.closed = False

    def show(self, notice: Notice, actions: list[NoticeAction]) -> bool:
        self.shown.append((notice, list(actions)))
        return self.reaches_user

    def close(self) -> None:
        self.closed = True

    def factory(self, icon: QSystemTrayIcon) -> Notifier:
        """This notifier as a `NotifierFactory`, whatever the tray's icon."""
        return self


class NoKeyringStore:
    """A SecretStore on a machine without a keyring: every call says so."""

    def get(self, purpose: str, account: str) -> str | None:
        raise SecretUnavailable(NO_KEYRING)

    def set(self, purpose: str, account: str, secret: str) -> None:
        raise SecretUnavailable(NO_KEYRING)

    def delete(self, purpose: str, account: str) -> None:
        raise SecretUnavailable(NO_KEYRING)
