"""Money and dates in the user's locale (Babel, with the locale Qt reports for the desktop).

A window formats its medium dates and its amounts from the format shapes cached by an earlier start
(services/format_cache.py) and imports Babel only for what they do not cover, so its first rows paint without it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import date as Date
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale

from renewaltracker.domain.format_shapes import FormatShapes, apply_date, apply_money
from renewaltracker.domain.interval import Interval
from renewaltracker.domain.subscription import ChargeStatus, Status
from renewaltracker.i18n import N_, _, current_language, ngettext

if TYPE_CHECKING:  # the renewals table's first paint formats no converted amounts (exchange loads csv and XML)
    from babel import Locale

    from renewaltracker.domain.exchange import Converted

log = logging.getLogger(__name__)

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


def first_upper(text: str) -> str:
    """The text with a capital first letter and the rest as written: str.capitalize() would make German nouns and
    names such as SMTP lower case ("Einspruch gegen den preis")."""
    return text[:1].upper() + text[1:]


def first_lower(text: str) -> str:
    """The text with a small first letter and the rest as written ("Alle 4 Wochen" inside a sentence)."""
    return text[:1].lower() + text[1:]


def _usable(name: str) -> str:
    if name in ("C", "POSIX", ""):
        return FALLBACK_LOCALE
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError, TypeError):
        return FALLBACK_LOCALE
    return name


class Formatter:
    """Formats for one locale; build it once and pass it to the views."""

    def __init__(self, locale: str = FALLBACK_LOCALE, shapes: FormatShapes | None = None) -> None:
        """`shapes`, when of `locale` (a usable Babel locale, as `interface_locale` gives), format what they cover
        without Babel; Babel loads on the first value they do not."""
        self._asked = locale
        shapes = shapes if shapes is not None and shapes.locale == locale else None
        self._date_shape = shapes.date_medium if shapes is not None else None
        self._money_shapes = dict(shapes.money) if shapes is not None else {}
        self._has_shapes = shapes is not None
        self.cache_key: str | None = None  # where `keep_shapes` stores this window's shapes (`system` sets it)
        self.currencies: set[str] = set()  # every currency formatted: `keep_shapes` caches their shapes
        # Babel takes tens of microseconds per call and a table repaints hundreds of cells: remember results.
        self.money = lru_cache(maxsize=8192)(self._money)  # type: ignore[method-assign]
        self.date = lru_cache(maxsize=8192)(self._date)  # type: ignore[method-assign]

    @cached_property
    def locale(self) -> str:
        """The Babel locale the formats are of ("C" and names Babel does not know: en_US)."""
        return self._asked if self._has_shapes else _usable(self._asked)

    @cached_property
    def _babel_locale(self) -> Locale:
        from babel import Locale

        return Locale.parse(self.locale)  # parsed once: Babel would parse a name on every call

    @classmethod
    def system(cls) -> Formatter:
        """The desktop's locale, in the interface language when that differs ("C" and unknown names: en_US), with
        the shapes an earlier start cached for that pair."""
        from renewaltracker.services.format_cache import entry_key, load_shapes

        desktop, language = QLocale.system().name(), current_language()
        key = entry_key(desktop, language)
        shapes = load_shapes(key)
        formatter = cls(shapes.locale, shapes) if shapes is not None else cls(interface_locale(desktop, language))
        formatter.cache_key = key
        return formatter

    def keep_shapes(self, currencies: Iterable[str] = ()) -> threading.Thread | None:
        """Cache this formatter's shapes for the currencies it has formatted, `currencies` and those cached already,
        on a worker (Babel builds them); the next start's first paint then needs no Babel. None: nothing to do."""
        wanted = frozenset(self.currencies.union(currencies, self._money_shapes))
        key = self.cache_key
        if key is None or (self._has_shapes and wanted <= self._money_shapes.keys()):
            return None

        def refresh() -> None:
            from renewaltracker.services.format_cache import refresh_shapes

            try:
                refresh_shapes(key, self.locale, wanted)
            except Exception:  # only a cache: the next start formats with Babel, as without one
                log.debug("format shapes not cached", exc_info=True)

        worker = threading.Thread(target=refresh, name="format shapes", daemon=True)
        worker.start()
        return worker

    def money(self, amount: Decimal, currency: str) -> str:
        return self._money(amount, currency)

    def typed_amount(self, amount: Decimal) -> str:
        """An amount as one types it into a field: the locale's decimal sign, no grouping ("1234,50" in German)."""
        from babel.numbers import get_decimal_symbol

        return format(amount, "f").replace(".", get_decimal_symbol(self._babel_locale))

    def percent(self, value: Decimal) -> str:
        """A percentage with one decimal in the locale's digits ("10.7 %", "10,7 %")."""
        from babel.numbers import format_decimal

        return f"{format_decimal(value, format='0.0', locale=self._babel_locale)} %"

    def share(self, fraction: float) -> str:
        """A fraction as a whole percentage, written as the locale writes it ("90%", "90 %")."""
        from babel.numbers import format_percent

        return format_percent(fraction, locale=self._babel_locale)

    def date(self, day: Date | None, style: str = "medium") -> str:
        return self._date(day, style)

    def _money(self, amount: Decimal, currency: str) -> str:
        self.currencies.add(currency)
        shape = self._money_shapes.get(currency)
        text = None if shape is None else apply_money(shape, amount)
        if text is not None:
            return text
        from renewaltracker.domain.letter_phrases import locale_money

        return locale_money(amount, currency, self.locale)  # Babel's text, from its cached pattern

    def _date(self, day: Date | None, style: str = "medium") -> str:
        if day is None:
            return ""
        if style == "medium" and self._date_shape is not None:
            return apply_date(self._date_shape, day)
        from babel.dates import format_date

        return str(format_date(day, format=style, locale=self._babel_locale))

    def totals(self, amounts: dict[str, Decimal], separator: str = " + ") -> str:
        """Per-currency sums side by side, e.g. "$12.00 + €39.00"; amounts in different currencies never add."""
        return separator.join(self.money(value, code) for code, value in sorted(amounts.items())) or "—"

    @staticmethod
    def cycle(interval: Interval) -> str:
        """ "Monthly", "Every 3 months": the domain's wording, in the interface language."""
        # Only the unit's own words are looked up: this runs for every row the table formats.
        count, unit = interval.count, interval.unit.value
        if unit == "day":
            every = _("Daily") if count == 1 else ngettext("Every {count} day", "Every {count} days", count)
        elif unit == "week":
            every = _("Weekly") if count == 1 else ngettext("Every {count} week", "Every {count} weeks", count)
        elif unit == "month":
            every = _("Monthly") if count == 1 else ngettext("Every {count} month", "Every {count} months", count)
        elif unit == "year":
            every = _("Yearly") if count == 1 else ngettext("Every {count} year", "Every {count} years", count)
        else:
            raise KeyError(unit)
        return every if count == 1 else every.format(count=count)

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
