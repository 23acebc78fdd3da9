"""Secrets (SMTP and CalDAV passwords) in the OS keyring, never in the database, logs or exports."""

from __future__ import annotations

import logging
from typing import Protocol

import keyring
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

log = logging.getLogger(__name__)
SERVICE_PREFIX = "renewaltracker"


class SecretUnavailable(RuntimeError):
    """No usable keyring: the caller must ask the user each time and say why."""


class SecretStore(Protocol):
    def get(self, purpose: str, account: str) -> str | None: ...

    def set(self, purpose: str, account: str, secret: str) -> None: ...

    def delete(self, purpose: str, account: str) -> None: ...


def _unavailable(error: Exception) -> SecretUnavailable:
    backend = type(keyring.get_keyring()).__name__
    return SecretUnavailable(
        "no system keyring is available to store passwords safely "
        f"({backend}: {error}); the password will be asked for each time and never written to disk"
    )


class KeyringSecretStore:
    """Secrets under the service name "renewaltracker/PURPOSE" (e.g. smtp, caldav) in the OS keyring."""

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
