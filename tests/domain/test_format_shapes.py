"""Format shapes write Babel's medium dates and currency amounts to the character, or decline; as data they
round-trip, and anything else read back is refused."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal, InvalidOperation

import pytest
from babel.dates import format_date
from babel.numbers import format_currency, list_currencies
from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.format_shapes import (
    FormatShapes,
    apply_date,
    apply_money,
    date_shape,
    shapes_from_data,
    shapes_of,
    shapes_to_data,
)
from renewaltracker.domain.letter_phrases import currency_shape

# Desktop locales of the regions the app is used in, with their own scripts, digits, groupings and marks.
LOCALES = ("en_US", "en_GB", "de_DE", "de_CH", "fr_FR", "fr_CA", "nl_NL", "sv_SE", "ja_JP", "hi_IN", "ar_EG", "en")
CURRENCIES = sorted(list_currencies())
DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
# Any sign, any number of digits, any exponent: far beyond what Decimal's 28-digit context rounds (Babel raises).
AMOUNTS = st.one_of(
    st.builds(
        lambda sign, digits, exponent: Decimal((sign, tuple(int(d) for d in str(digits)), exponent)),
        st.integers(0, 1),
        st.integers(0, 10**32),
        st.integers(-40, 40),
    ),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("-0"), Decimal("0.005"), Decimal("-0.005"), Decimal("1234567.895"), Decimal("1E+26")]),
)


def babel_money(amount: Decimal, currency: str, locale: str) -> str | None:
    """Babel's text, or None where Babel gives none (it raises)."""
    try:
        return str(format_currency(amount, currency, locale=locale))
    except (InvalidOperation, ValueError):
        return None


@given(locale=st.sampled_from(LOCALES), day=DAYS)
def test_a_date_shape_writes_babels_medium_date(locale: str, day: date) -> None:
    shape = date_shape(locale)
    assert shape is not None  # every one of these locales has a medium pattern the shapes reproduce
    assert apply_date(shape, day) == format_date(day, "medium", locale=locale)


@given(locale=st.sampled_from(LOCALES), day=DAYS, style=st.sampled_from(["short", "long", "full"]))
def test_other_patterns_are_written_as_babel_writes_them_or_declined(locale: str, day: date, style: str) -> None:
    shape = date_shape(locale, style)
    if shape is not None:
        assert apply_date(shape, day) == format_date(day, style, locale=locale)
    else:
        assert style == "full"  # weekdays: a field the shapes leave to Babel


@given(locale=st.sampled_from(LOCALES), currency=st.sampled_from(CURRENCIES), amount=AMOUNTS)
def test_a_money_shape_writes_babels_amount_or_declines(locale: str, currency: str, amount: Decimal) -> None:
    shape = currency_shape(currency, locale)
    text = None if shape is None else apply_money(shape, amount)
    if text is not None:
        assert text == babel_money(amount, currency, locale)
    elif shape is not None and amount.is_finite():  # declined a number: Babel has no text for it either
        assert babel_money(amount, currency, locale) is None


@pytest.mark.parametrize("locale", [locale for locale in LOCALES if locale != "de_CH"])
def test_the_usual_amounts_are_written_by_the_shapes(locale: str) -> None:
    for currency in ("USD", "EUR", "GBP", "JPY", "INR", "BHD", "SEK", "CHF"):
        shape = currency_shape(currency, locale)
        assert shape is not None
        for amount in (Decimal("0"), Decimal("12.5"), Decimal("-1234567.891"), Decimal("9.99")):
            assert apply_money(shape, amount) == format_currency(amount, currency, locale=locale)


def test_de_ch_apostrophe_grouping_is_left_to_babel() -> None:
    assert currency_shape("CHF", "de_CH") is None  # Babel writes it its own way (letter_phrases._money_shape)


@given(locale=st.sampled_from(LOCALES), currencies=st.sets(st.sampled_from(CURRENCIES), max_size=6))
def test_shapes_round_trip_through_json(locale: str, currencies: set[str]) -> None:
    shapes = shapes_of(locale, currencies)
    assert set(shapes.money) == currencies and shapes.locale == locale
    again = shapes_from_data(json.loads(json.dumps(shapes_to_data(shapes))))
    assert again == shapes


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


@given(data=JSON)
def test_anything_else_read_back_is_refused_with_a_value_error(data: object) -> None:
    try:
        shapes = shapes_from_data(data)
    except ValueError:
        return
    assert isinstance(shapes, FormatShapes)


@given(
    data=st.builds(
        lambda shapes, path, junk: _spoilt(shapes_to_data(shapes), path, junk),
        st.sampled_from([shapes_of("en_US", {"USD", "JPY"}), shapes_of("de_DE", {"EUR"}), shapes_of("hi_IN", {"INR"})]),
        st.lists(st.integers(0, 20), min_size=1, max_size=4),
        JSON,
    )
)
def test_a_spoilt_entry_is_refused_or_still_well_formed(data: object) -> None:
    try:
        shapes = shapes_from_data(data)
    except ValueError:
        return
    # Whatever is accepted applies without error (the apply functions trust a loaded shape).
    for shape in shapes.money.values():
        if shape is not None:
            apply_money(shape, Decimal("1234.5"))
    if shapes.date_medium is not None:
        apply_date(shapes.date_medium, date(2026, 3, 5))


def _spoilt(data: object, path: list[int], junk: object) -> object:
    """`data` with the element reached by `path` (indices taken modulo each level's size) replaced by `junk`."""
    data = json.loads(json.dumps(data))
    node = data
    for depth, step in enumerate(path):
        keys = list(node) if isinstance(node, dict) else list(range(len(node))) if isinstance(node, list) else []
        if not keys:
            break
        key = keys[step % len(keys)]
        if depth == len(path) - 1 or not isinstance(node[key], (dict, list)):  # type: ignore[index]
            node[key] = junk  # type: ignore[index]
            break
        node = node[key]  # type: ignore[index]
    return data


def test_the_shapes_and_the_money_module_load_without_babel() -> None:
    code = (
        "import sys\n"
        "import renewaltracker.domain.format_shapes, renewaltracker.domain.money, renewaltracker.domain.subscription\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('babel', 'pytz')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[]"
