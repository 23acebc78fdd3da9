"""Saving settings with their side effects, so the CLI and the settings dialog do the same thing."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.settings import canonical_setting, parse_setting
from renewaltracker.i18n import _
from renewaltracker.services.autostart import apply_start_at_login
from renewaltracker.services.subscriptions import SubscriptionService


class LoginEntryError(ValidationError):
    """The start-at-login entry could not be written or removed; nothing was saved."""

    def __init__(self, reason: str) -> None:
        super().__init__("start_at_login", _("could not change the login entry: {reason}").format(reason=reason))
        self.reason = reason


def save_settings(
    service: SubscriptionService,
    values: Mapping[str, str],
    apply_autostart: Callable[[bool], None] = apply_start_at_login,
    *,
    force_login_entry: bool = False,
) -> dict[str, str]:
    """Check every value, write the login entry when `start_at_login` changes, then store all; returns what was stored.

    The login entry is written first: the setting must only say "on" when the entry exists.
    """
    stored = {key: canonical_setting(key, text) for key, text in values.items()}
    if "start_at_login" in stored:
        wanted = bool(parse_setting("start_at_login", stored["start_at_login"]))
        if force_login_entry or wanted != service.setting("start_at_login"):
            try:
                apply_autostart(wanted)
            except OSError as error:
                raise LoginEntryError(str(error)) from None
    service.set_settings(stored)
    return stored


__all__ = ["LoginEntryError", "save_settings"]
