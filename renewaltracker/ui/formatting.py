"""Money and dates in the user's locale (Babel, with the locale Qt reports for the desktop)."""

from __future__ import annotations

from datetime import date as Date
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal
from PySide6.QtCore import QLocale

from renewaltracker.domain.interval import Interval
from renewaltracker.domain.letter_phrases import locale_money
from renewaltracker.domain.subscription import ChargeStatus, Status
from renewaltracker.i18n import N_, _, current_language, ngettext

if TYPE_CHECKING:  # the renewals table's first paint formats no converted amounts (exchange loads csv and XML)
    from renewaltracker.domain.exchange import Converted

FALLBACK_LOCALE = "en_US"

STATUS_LABELS = {
    Status.ACTIVE: N_("Active"),
    Status.TRIAL: N_("Trial"),
    Status.PAUSED: N_("Paused"),
    Status.CANCELLED: N_("Cancelled"),
}
CHARGE_STATUS_LABELS = {
    ChargeStatus.CHARGED: N_("Charged"),
    ChargeStatus.NOT_CHARGED: N_("Not charged"),
    ChargeStatus.REFUNDED: N_("Refunded"),
    ChargeStatus.DISPUTED: N_("Disputed"),
}


def interface_locale(desktop: str, language: str) -> str:
    """The locale whose formats the window uses: the desktop's, unless the interface speaks another language.

    A French interface on an English desktop writes "3 mars 2026" and "12,50 $US"; with the desktop's region when
    Babel knows that pair (fr_CA), else the language's own (fr).
    """
    if desktop.split("_")[0].split(".")[0] == language or (desktop in ("C", "POSIX", "") and language == "en"):
        return desktop
    territory = desktop.split(".")[0].split("_")[1] if "_" in desktop else ""
    paired = f"{language}_{territory}" if territory else language
    return paired if _usable(paired) == paired else _usable(language)


def _usable(name: str) -> str:
    if name in ("C", "POSIX", ""):
        return FALLBACK_LOCALE
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError, TypeError):
        return FALLBACK_LOCALE
    return name


class Formatter:
    """Formats for one locale; build it once and pass it to the views."""

    def __init__(self, locale: str = FALLBACK_LOCALE) -> None:
        self.locale = _usable(locale)
        self._babel_locale = Locale.parse(self.locale)  # parsed once: Babel would parse a name on every call
        # Babel takes tens of microseconds per call and a table repaints hundreds of cells: remember results.
        self.money = lru_cache(maxsize=8192)(self._money)  # type: ignore[method-assign]
        self.date = lru_cache(maxsize=8192)(self._date)  # type: ignore[method-assign]

    @classmethod
    def system(cls) -> Formatter:
        """The desktop's locale, in the interface language when that differs ("C" and unknown names: en_US)."""
        return cls(interface_locale(QLocale.system().name(), current_language()))

    def money(self, amount: Decimal, currency: str) -> str:
        return self._money(amount, currency)

    def percent(self, value: Decimal) -> str:
        """A percentage with one decimal in the locale's digits ("10.7 %", "10,7 %")."""
        return f"{format_decimal(value, format='0.0', locale=self._babel_locale)} %"

    def date(self, day: Date | None, style: str = "medium") -> str:
        return self._date(day, style)

    def _money(self, amount: Decimal, currency: str) -> str:
        return locale_money(amount, currency, self.locale)  # Babel's text, from its cached pattern

    def _date(self, day: Date | None, style: str = "medium") -> str:
        return format_date(day, format=style, locale=self._babel_locale) if day is not None else ""

    def totals(self, amounts: dict[str, Decimal], separator: str = " + ") -> str:
        """Per-currency sums side by side, e.g. "$12.00 + €39.00"; amounts in different currencies never add."""
        return separator.join(self.money(value, code) for code, value in sorted(amounts.items())) or "—"

    @staticmethod
    def cycle(interval: Interval) -> str:
        """ "Monthly", "Every 3 months": the domain's wording, in the interface language."""
        count, unit = interval.count, interval.unit.value
        if count == 1:
            return {"day": _("Daily"), "week": _("Weekly"), "month": _("Monthly"), "year": _("Yearly")}[unit]
        every = {
            "day": ngettext("Every {count} day", "Every {count} days", count),
            "week": ngettext("Every {count} week", "Every {count} weeks", count),
            "month": ngettext("Every {count} month", "Every {count} months", count),
            "year": ngettext("Every {count} year", "Every {count} years", count),
        }[unit]
        return every.format(count=count)

    @staticmethod
    def days_left(days: int | None) -> str:
        if days is None:
            return ""
        if days == 0:
            return _("today")
        if days == 1:
            return _("tomorrow")
        return ngettext("{days} day", "{days} days", days).format(days=days)


def converted_text(formatter: Formatter, converted: Converted | None) -> str:
    """A converted figure with the date of its rate beside it, as every converted figure is shown."""
    if converted is None:
        return ""
    money = formatter.money(converted.amount, converted.currency)
    if not converted.rate_day:
        return money
    return f"{money} " + _("(rate of {day})").format(day=formatter.date(converted.rate_day))
