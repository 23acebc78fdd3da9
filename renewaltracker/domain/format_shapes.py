"""A locale's medium date and currency formats as plain data ("shapes"), applied without Babel.

The window's first paint formats its rows from a cached copy of these (services/format_cache.py), so it need not
import Babel and load the locale's data; whatever a shape does not cover is left to Babel, which wrote the shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, DecimalException
from typing import Literal

# prefixes (positive, negative), suffixes (same), group separator, grouping (first, rest), decimal point ("" when
# the currency has no minor units), the quantum the amount is rounded to: `letter_phrases._money_shape` fills it.
MoneyShape = tuple[tuple[str, str], tuple[str, str], str, tuple[int, int], str, Decimal]
# A date pattern's pieces: literal text, or a field as (letter, width) or, for a month by name, (letter, width,
# the twelve names).
DateField = tuple[str, int] | tuple[str, int, tuple[str, ...]]
DateShape = tuple[str | DateField, ...]

# The fields a date shape reproduces exactly as Babel's DateTimeFormat writes them (a number, or a month's name).
_NUMBER_FIELDS = frozenset({("y", 1), ("y", 2), ("y", 3), ("y", 4), ("M", 1), ("M", 2), ("L", 1), ("L", 2)})
_DAY_FIELDS = frozenset({("d", 1), ("d", 2)})
_NAMED_MONTHS: dict[int, Literal["abbreviated", "wide", "narrow"]] = {3: "abbreviated", 4: "wide", 5: "narrow"}


class BadShapeData(ValueError):
    """Data that is not what `shapes_to_data` writes (a cache file spoilt or of another layout); never shown."""


@dataclass(frozen=True, slots=True)
class FormatShapes:
    """One locale's shapes: the Babel locale they are of, the medium date (None: declined) and, per currency, its
    amounts (None: declined)."""

    locale: str
    date_medium: DateShape | None
    money: Mapping[str, MoneyShape | None]


def apply_money(shape: MoneyShape, amount: Decimal) -> str | None:
    """Babel's `format_currency(amount, …)` for the shape's currency and locale, to the character; None for what
    the shape leaves to Babel: infinities and NaN (its own symbols), amounts beyond the decimal context's
    precision (it raises)."""
    if not amount.is_finite():
        return None
    prefixes, suffixes, group, grouping, point, quantum = shape
    # Babel's own steps (NumberPattern.apply), in the same decimal context: the same rounding, the same digits.
    try:
        value = amount.scaleb(0)
        negative = int(value.is_signed())
        whole, _, fraction = f"{abs(value).normalize().quantize(quantum):f}".partition(".")
    except DecimalException:
        return None
    first, rest = grouping
    size, groups = first, ""
    while len(whole) > size:
        groups = group + whole[-size:] + groups
        whole, size = whole[:-size], rest
    number = whole + groups + (point + fraction if fraction else "")
    return prefixes[negative] + number + suffixes[negative]


def apply_date(shape: DateShape, day: date) -> str:
    """Babel's `format_date(day, <the shape's pattern>, locale)`, to the character."""
    parts: list[str] = []
    for piece in shape:
        if isinstance(piece, str):
            parts.append(piece)
        elif piece[0] == "d":
            parts.append(f"{day.day:0{piece[1]}d}")
        elif piece[0] == "y":
            year = f"{day.year:0{piece[1]}d}"
            parts.append(year[-2:] if piece[1] == 2 else year)
        elif len(piece) == 3:
            parts.append(piece[2][day.month - 1])
        else:
            parts.append(f"{day.month:0{piece[1]}d}")
    return "".join(parts)


def date_shape(locale: str, style: str = "medium") -> DateShape | None:
    """The locale's `style` date pattern as a shape, month names filled in; None for a pattern with a field the
    shape does not reproduce (eras, weekdays, week years…). Built with Babel."""
    from babel import Locale
    from babel.dates import get_date_format, get_month_names, tokenize_pattern

    parsed = Locale.parse(locale)
    shape: list[str | DateField] = []
    for _kind, value in tokenize_pattern(get_date_format(style, locale=parsed).pattern):  # type: ignore[arg-type]
        if isinstance(value, str):  # a "chars" token: literal text
            shape.append(value)
            continue
        letter, width = value
        field = (letter, width)
        if field in _NUMBER_FIELDS or field in _DAY_FIELDS:
            shape.append(field)
        elif letter in ("M", "L") and width in _NAMED_MONTHS:
            context: Literal["format", "stand-alone"] = "format" if letter == "M" else "stand-alone"
            names = get_month_names(_NAMED_MONTHS[width], context, parsed)
            shape.append((field[0], field[1], tuple(str(names[month]) for month in range(1, 13))))
        else:
            return None
    return tuple(shape)


def shapes_of(locale: str, currencies: Iterable[str]) -> FormatShapes:
    """The shapes of a Babel locale for these currencies, built with Babel (tens of milliseconds: a worker's job)."""
    from renewaltracker.domain.letter_phrases import currency_shape

    return FormatShapes(locale, date_shape(locale), {code: currency_shape(code, locale) for code in sorted(currencies)})


def shapes_to_data(shapes: FormatShapes) -> dict[str, object]:
    """The shapes as JSON-ready data (lists, strings, numbers)."""
    return {
        "locale": shapes.locale,
        "date_medium": None if shapes.date_medium is None else [_piece_data(p) for p in shapes.date_medium],
        "money": {code: None if shape is None else _money_data(shape) for code, shape in shapes.money.items()},
    }


def shapes_from_data(data: object) -> FormatShapes:
    """What `shapes_to_data` wrote, checked piece by piece; BadShapeData (a ValueError) for anything else."""
    try:
        if not isinstance(data, dict) or set(data) != {"locale", "date_medium", "money"}:
            raise BadShapeData
        locale, dates, money = data["locale"], data["date_medium"], data["money"]
        if not isinstance(locale, str) or not isinstance(money, dict):
            raise BadShapeData
        date_medium = None if dates is None else tuple(_piece(p) for p in _list(dates))
        amounts = {_text(code): None if shape is None else _money(shape) for code, shape in money.items()}
    except (TypeError, KeyError, IndexError, DecimalException) as error:
        raise BadShapeData from error
    return FormatShapes(locale, date_medium, amounts)


def _piece_data(piece: str | DateField) -> object:
    if isinstance(piece, str):
        return piece
    return [piece[0], piece[1], list(piece[2])] if len(piece) == 3 else [piece[0], piece[1]]


def _money_data(shape: MoneyShape) -> list[object]:
    prefixes, suffixes, group, grouping, point, quantum = shape
    return [list(prefixes), list(suffixes), group, list(grouping), point, str(quantum)]


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise BadShapeData
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise BadShapeData
    return value


def _pair(value: object) -> tuple[str, str]:
    first, second = _list(value)
    return _text(first), _text(second)


def _piece(value: object) -> str | DateField:
    if isinstance(value, str):
        return value
    items = _list(value)
    letter, width = _text(items[0]), items[1]
    if type(width) is not int:
        raise BadShapeData
    field = (letter, width)
    if len(items) == 2 and (field in _NUMBER_FIELDS or field in _DAY_FIELDS):
        return field
    names = tuple(_text(name) for name in _list(items[2])) if len(items) == 3 else ()
    if letter in ("M", "L") and width in _NAMED_MONTHS and len(names) == 12:
        return (letter, width, names)
    raise BadShapeData


def _money(value: object) -> MoneyShape:
    prefixes, suffixes, group, grouping, point, quantum = _list(value)
    first, rest = _list(grouping)
    if type(first) is not int or type(rest) is not int or first < 1 or rest < 1:
        raise BadShapeData
    exact = Decimal(_text(quantum))
    if not exact.is_finite():
        raise BadShapeData
    return _pair(prefixes), _pair(suffixes), _text(group), (first, rest), _text(point), exact
