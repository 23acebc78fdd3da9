"""The one table of user settings: key, type, default and description drive validation and docs."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from renewaltracker.domain.amounts import read_currency
from renewaltracker.domain.drafts import SUPPORTED_REGIONS, Tone, normalize_region
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.languages import LETTER_LANGUAGES, known_language
from renewaltracker.domain.patterns import compiled
from renewaltracker.domain.subscription import ONE_ADDRESS, parse_lead_days, single_line
from renewaltracker.i18n import N_, _

log = logging.getLogger(__name__)
# One address, no display name or list: the sender of drafted mail and nothing else.


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(_("{text!r} is not yes or no").format(text=text))


def _parse_time(text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("{text!r} is not a time of day such as 09:00").format(text=text)) from None


def _parse_optional_moment(text: str) -> datetime | None:
    if not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            _("{text!r} is not a date and time such as 2026-03-10T18:00+01:00").format(text=text)
        ) from None
    if moment.tzinfo is None:
        raise ValueError(_("{text!r} needs a time zone offset such as +01:00").format(text=text))
    return moment


def _parse_days(text: str, low: int, high: int) -> int:
    # Checked for length first: int() of a huge string of digits is slow and the value is refused anyway.
    if (
        not text.strip().isascii()
        or not text.strip().isdigit()
        or len(text.strip()) > 6
        or not low <= int(text) <= high
    ):
        raise ValueError(
            _("{text!r} is not a whole number of days from {low} to {high}").format(text=text, low=low, high=high)
        )
    return int(text)


def _parse_region(text: str) -> str:
    if not text.strip():
        return ""
    region = normalize_region(text)
    if region not in SUPPORTED_REGIONS:
        raise ValueError(
            _("{text!r} is not a supported region; choose {regions} or leave it empty").format(
                text=text, regions=", ".join(SUPPORTED_REGIONS)
            )
        )
    return region


def _parse_language(text: str) -> str:
    code = known_language(text)
    if code is None:  # "-3" names no language: not "the system's"
        raise ValueError(
            _("{text!r} is not one of: {choices} (or empty for the system's)").format(
                text=text, choices=", ".join(LETTER_LANGUAGES)
            )
        )
    return code


def _parse_email(text: str) -> str:
    address = text.strip()
    if address and not compiled(ONE_ADDRESS).match(address):
        raise ValueError(_("{text!r} is not one email address such as you@example.com").format(text=text))
    return address


_USERINFO = re.compile(r"^((?:[a-z][a-z0-9+.-]*://)?)[^/\s@]*@", re.IGNORECASE)


def _parse_caldav_url(text: str) -> str:
    """A web address without a user name or password in it: those go to their own fields (and the keyring)."""
    url = single_line(text, "caldav_url").strip()
    if not url:
        return ""
    # Before any message repeats the address: with another scheme or none, it would show the password too.
    if _USERINFO.match(url):
        raise ValueError(_("put the user name and password in their own fields, not in the address"))
    if not re.match(r"^https?://[^/\s]+", url, re.IGNORECASE):
        raise ValueError(_("{url!r} is not a web address starting with https://").format(url=url[:80]))
    return url


def _parse_reminder_days(text: str) -> tuple[int, ...]:
    days = parse_lead_days(text)
    if not days:
        raise ValueError(_("give at least one number of days, e.g. 7,1"))
    return days


def _parse_line(text: str) -> str:
    return single_line(text, "text")


def _parse_host(text: str) -> str:
    host = text.strip()
    if any(char.isspace() or char in "/@" for char in host):
        raise ValueError(_("{text!r} is not a server name such as smtp.example.com").format(text=text))
    return host


def _parse_port(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError(_("{text!r} is not a port number from 1 to 65535").format(text=text))
    return int(text)


def _one_of(*choices: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        cleaned = text.strip().lower()
        if cleaned not in choices:
            raise ValueError(
                _("{text!r} is not {choices} or {last}").format(
                    text=text, choices=", ".join(choices[:-1]), last=choices[-1]
                )
            )
        return cleaned

    return parse


def _parse_review_months(text: str) -> int:
    if not (text.strip().isascii() and text.strip().isdigit()) or len(text.strip()) > 3 or int(text) > 24:
        raise ValueError(_("{text!r} is not a whole number of months from 0 (off) to 24").format(text=text))
    return int(text)


def _parse_optional_currency(text: str) -> str:
    return read_currency(text) if text.strip() else ""


def _parse_optional_date(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("{text!r} is not a date such as 2026-03-10").format(text=text)) from None


def format_lead_days(days: tuple[int, ...]) -> str:
    return ",".join(str(day) for day in days)


@dataclass(frozen=True, slots=True)
class SettingSpec:
    key: str
    default: str
    description: str
    parse: Callable[[str], Any]


SETTINGS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec("default_currency", "USD", N_("Currency preselected for new subscriptions."), read_currency),
        SettingSpec(
            "reminder_days",
            "7,1",
            N_("Days before an event to remind, when a subscription sets none."),
            _parse_reminder_days,
        ),
        SettingSpec("reminder_time", "09:00", N_("Local time of day at which reminders fall due."), _parse_time),
        SettingSpec(
            "refund_window_reminder_days",
            "1",
            N_("Days before a charge's refund window closes to remind you (0: on its last day)."),
            lambda t: _parse_days(t, 0, 366),
        ),
        SettingSpec("user_name", "", N_("Your name, used to sign drafted emails."), _parse_line),
        SettingSpec("user_email", "", N_("Your email address, used as the sender of drafted emails."), _parse_email),
        SettingSpec(
            "user_address",
            "",
            N_("Your postal address for letters on paper: lines separated by semicolons (or commas)."),
            _parse_line,
        ),
        SettingSpec("user_phone", "", N_("Your phone number, printed on letters on paper."), _parse_line),
        SettingSpec(
            "region", "", N_("Your region for consumer-rights sentences (EU, UK, US-CA), or empty."), _parse_region
        ),
        SettingSpec("close_to_tray", "true", N_("Closing the window keeps the app in the system tray."), _parse_bool),
        SettingSpec("start_at_login", "false", N_("Start Renewal Tracker when you log in."), _parse_bool),
        SettingSpec(
            "upcoming_days", "30", N_("How many days the upcoming list looks ahead."), lambda t: _parse_days(t, 1, 3650)
        ),
        SettingSpec(
            "reminders_paused_until",
            "",
            N_("Reminders are held back until this moment (set from the tray menu); empty when not paused."),
            _parse_optional_moment,
        ),
        SettingSpec(
            "language",
            "",
            N_("Interface language (en, de, fr); empty follows the system. Letters have their own (letter_language)."),
            _parse_language,
        ),
        SettingSpec("draft_tone", "neutral", N_("Tone of drafted emails: friendly, neutral or firm."), _one_of(*Tone)),
        SettingSpec(
            "draft_reply_days",
            "14",
            N_("Days a firm draft gives the vendor to reply."),
            lambda t: _parse_days(t, 1, 90),
        ),
        SettingSpec("smtp_host", "", N_("Your outgoing mail server (SMTP), e.g. smtp.example.com."), _parse_host),
        SettingSpec("smtp_port", "587", N_("The SMTP server's port (587 for STARTTLS, 465 for SSL)."), _parse_port),
        SettingSpec(
            "smtp_security",
            "starttls",
            N_("SMTP connection security: starttls, ssl or none."),
            _one_of("starttls", "ssl", "none"),
        ),
        SettingSpec("smtp_user", "", N_("User name on the SMTP server; its password is kept in the keyring."), str),
        SettingSpec(
            "calendar_uid_namespace",
            "",
            N_("Random id that makes calendar UIDs unique to this database (set once)."),
            str,
        ),
        SettingSpec(
            "auto_export_path", "", N_("An .ics file rewritten whenever your data changes; empty for none."), str
        ),
        SettingSpec(
            "auto_export_scope",
            "all",
            N_("Which subscriptions the auto-exported file holds: all or active."),
            _one_of("all", "active"),
        ),
        SettingSpec("auto_export_amounts", "true", N_("Show amounts in the auto-exported calendar."), _parse_bool),
        SettingSpec(
            "auto_export_expanded", "false", N_("Auto-export one event per charge (for Outlook)."), _parse_bool
        ),
        SettingSpec(
            "caldav_url",
            "",
            N_("Address of your CalDAV server or calendar (e.g. Nextcloud, Fastmail)."),
            _parse_caldav_url,
        ),
        SettingSpec("caldav_user", "", N_("User name on the CalDAV server; the password stays in the keyring."), str),
        SettingSpec(
            "caldav_calendar", "Renewals", N_("Name of the CalDAV calendar to fill (created if missing)."), str
        ),
        SettingSpec("caldav_amounts", "true", N_("Show amounts in events synced to CalDAV."), _parse_bool),
        SettingSpec(
            "review_months",
            "6",
            N_("Months between two reviews of all subscriptions (0 turns the review off)."),
            _parse_review_months,
        ),
        SettingSpec(
            "last_review",
            "",
            N_("The day you last finished a review (set by the review); empty before the first."),
            _parse_optional_date,
        ),
        SettingSpec(
            "home_currency",
            "",
            N_(
                "Currency every total and ranking is converted to (rates: 'rate set'/'rate import'); "
                "empty: per currency."
            ),
            _parse_optional_currency,
        ),
    )
}


def setting_spec(key: str) -> SettingSpec:
    """The setting's entry in the table, or a ValidationError naming the known settings."""
    spec = SETTINGS.get(key)
    if spec is None:
        raise ValidationError(
            "setting",
            _("unknown setting {key!r}; known: {settings}").format(key=key, settings=", ".join(sorted(SETTINGS))),
        )
    return spec


def parse_setting(key: str, text: str) -> Any:
    """Validate a setting's text and return its typed value."""
    spec = setting_spec(key)
    try:
        return spec.parse(text)
    except ValidationError as error:
        raise ValidationError(key, error.problem) from None
    except (ValueError, TypeError) as error:
        raise ValidationError(key, str(error)) from None


def canonical_setting(key: str, text: str) -> str:
    """The text to store for a valid setting: its normalised form ("euro" → "EUR", "eu" → "EU")."""
    value = parse_setting(key, text)
    return value if isinstance(value, str) else text.strip()


def stored_setting(key: str, text: str) -> Any:
    """A stored setting's value; one that no longer validates (older version, hand edit) falls back to the default."""
    try:
        return parse_setting(key, text)
    except ValidationError:
        # Neither the value nor the problem (which may quote it): an address or a URL with a password in it must
        # not reach the log file.
        log.warning(
            "ignoring the stored setting %s, which is not valid; using the default %r", key, SETTINGS[key].default
        )
        return parse_setting(key, SETTINGS[key].default)


__all__ = [
    "SETTINGS",
    "SettingSpec",
    "canonical_setting",
    "format_lead_days",
    "parse_setting",
    "setting_spec",
    "stored_setting",
]
