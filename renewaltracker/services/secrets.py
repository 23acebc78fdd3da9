"""Secrets (SMTP and CalDAV passwords) in the OS keyring, never in the database, logs or exports."""

from __future__ import annotations

import logging
from typing import Protocol

import keyring
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

from renewaltracker.i18n import N_, _

log = logging.getLogger(__name__)
SERVICE_PREFIX = "renewaltracker"


class SecretUnavailable(RuntimeError):
    """No usable keyring: the caller must ask the user each time and say why."""


class SecretStore(Protocol):
    def get(self, purpose: str, account: str) -> str | None: ...

    def set(self, purpose: str, account: str, secret: str) -> None: ...

    def delete(self, purpose: str, account: str) -> None: ...


KEYRING_MISSING = N_(
    "there is no system keyring to keep passwords safely. Install and unlock one (on Linux: GNOME Keyring or "
    "KWallet, with a desktop session running; on macOS and Windows it is built in); until then the password "
    "is asked for each time and never written to disk"
)


def _unavailable(error: Exception) -> SecretUnavailable:
    # The backend's own text names Python classes and D-Bus errors: it goes to the log, the user gets advice.
    log.info("keyring unavailable (%s): %s", type(keyring.get_keyring()).__name__, error)
    return SecretUnavailable(_(KEYRING_MISSING))


class KeyringSecretStore:
    """Secrets under the service name "renewaltracker/PURPOSE" (e.g. smtp, caldav) in the OS keyring."""

    def check(self) -> None:
        """Raise SecretUnavailable now, before the user types a password that could not be kept."""
        self.get("check", "check")

    def get(self, purpose: str, account: str) -> str | None:
        try:
            return keyring.get_password(f"{SERVICE_PREFIX}/{purpose}", account)
        except (NoKeyringError, KeyringError) as error:
            raise _unavailable(error) from error

    def set(self, purpose: str, account: str, secret: str) -> None:
        try:
            keyring.set_password(f"{SERVICE_PREFIX}/{purpose}", account, secret)
        except (NoKeyringError, KeyringError) as error:
            raise _unavailable(error) from error
        log.info("stored a %s secret in the keyring", purpose)  # the secret itself is never logged

    def delete(self, purpose: str, account: str) -> None:
        try:
            keyring.delete_password(f"{SERVICE_PREFIX}/{purpose}", account)
        except PasswordDeleteError:
            return
        except (NoKeyringError, KeyringError) as error:
            raise _unavailable(error) from error


class MemorySecretStore:
    """Keeps secrets for this process only: the fallback when no keyring exists, and for tests."""

    def __init__(self) -> None:
        self._secrets: dict[tuple[str, str], str] = {}

    def get(self, purpose: str, account: str) -> str | None:
        return self._secrets.get((purpose, account))

    def set(self, purpose: str, account: str, secret: str) -> None:
        self._secrets[(purpose, account)] = secret

    def delete(self, purpose: str, account: str) -> None:
        self._secrets.pop((purpose, account), None)
