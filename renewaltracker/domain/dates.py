"""Reading a typed date: ISO (2026-12-31) or the locale's short form (12/31/2026 in the US, 31.12.2026 in Germany)."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, get_date_format

from renewaltracker.domain.errors import ValidationError
from renewaltracker.i18n import _

_ISO = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*")
_NUMBERS = re.compile(r"\d+")


@cache
def _locale(name: str) -> Locale:
    try:
        return Locale.parse(name)
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en_US")


@cache
def field_pattern(locale: str) -> str:
    """The locale's short date pattern with a four-digit year: the one way a date field shows a date."""
    pattern = str(get_date_format("short", locale=_locale(locale)).pattern)
    return re.sub(r"y+", "yyyy", pattern)


@cache
def _order(locale: str) -> tuple[str, str, str]:
    """Which of day, month and year come first, second and third in the locale's short form."""
    pattern = field_pattern(locale)
    positions = sorted((pattern.index(letter), letter) for letter in "dMy")
    first, second, third = (letter for _position, letter in positions)
    return first, second, third


def format_field_date(day: date, locale: str) -> str:
    return str(format_date(day, field_pattern(locale), locale=_locale(locale)))


def read_date(text: str, locale: str, field: str = "date") -> date:
    """The date `text` names, in ISO form or the locale's order; ValidationError says how to write one."""
    iso = _ISO.fullmatch(text)
    if iso is not None:
        candidates = [(int(iso[1]), int(iso[2]), int(iso[3]))]
    else:
        numbers = _NUMBERS.findall(text)
        if len(numbers) != 3 or re.search(r"[^\d\s./\-,年月日]", text):
            raise ValidationError(field, _hint(text, locale))
        parts = dict(zip(_order(locale), (int(n) for n in numbers), strict=True))
        year = parts["y"] + 2000 if parts["y"] < 100 else parts["y"]
        # The locale's order first; day and month swapped only when that is the sole reading (31/12 in the US).
        candidates = [(year, parts["M"], parts["d"]), (year, parts["d"], parts["M"])]
    for year, month, day in candidates:
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValidationError(field, _hint(text, locale))


def _hint(text: str, locale: str) -> str:
    example = format_field_date(date(2026, 12, 31), locale)
    return _("'{text}' is not a date; write it like {example} or 2026-12-31").format(text=text.strip(), example=example)
