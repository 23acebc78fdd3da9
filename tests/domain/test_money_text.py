"""`format_money` writes amounts from a cached per-currency pattern instead of asking Babel each time: it must write
exactly what Babel writes, for every amount, currency and language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_currency, list_currencies
from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.languages import BABEL_LOCALES
from renewaltracker.domain.letter_phrases import babel_money, format_money, locale_money

# Every language a reminder or letter may be asked for, and the Babel locale each one is written in.
LOCALES = {"en": "en", "de": BABEL_LOCALES["de"], "fr": BABEL_LOCALES["fr"], "it": "en", "": "en"}
CURRENCIES = sorted(list_currencies())
amounts = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=places, min_value=-(10**12), max_value=10**12)
    for places in (0, 1, 2, 3, 4)
)


@given(amounts, st.sampled_from(CURRENCIES), st.sampled_from(sorted(LOCALES)))
def test_every_amount_is_written_as_babel_writes_it(amount: Decimal, currency: str, language: str) -> None:
    assert format_money(amount, currency, language) == babel_money(amount, currency, LOCALES[language])


@pytest.mark.parametrize("currency", ["USD", "EUR", "JPY", "BHD", "CHF", "GBP", "INR", "XXX"])
@pytest.mark.parametrize("language", sorted(LOCALES))
@pytest.mark.parametrize(
    "text",
    ["0", "-0", "0.00", "-0.00", "0.005", "0.015", "0.0049", "1", "999.995", "1000", "-1234567.891", "1E+3", "12.5E-1"],
)
def test_edges_are_written_as_babel_writes_them(text: str, currency: str, language: str) -> None:
    """Signed zero, half-even rounding at the last digit, carries into a new group, exponents."""
    amount = Decimal(text)
    assert format_money(amount, currency, language) == babel_money(amount, currency, LOCALES[language])


def test_amounts_beyond_the_pattern_still_go_through_babel() -> None:
    assert format_money(Decimal("Infinity"), "EUR", "de") == babel_money(Decimal("Infinity"), "EUR", "de_DE")


# Desktop locales the window may format in: other groupings (Indian), symbols after the amount, other separators.
DESKTOP_LOCALES = ["en_US", "en_GB", "de_DE", "de_CH", "fr_FR", "fr_CA", "ja_JP", "hi_IN", "nl_NL", "pt_BR", "ar_EG"]


@given(amounts, st.sampled_from(CURRENCIES), st.sampled_from(DESKTOP_LOCALES))
def test_the_windows_amounts_are_babels_text_to_the_character(amount: Decimal, currency: str, locale: str) -> None:
    assert locale_money(amount, currency, locale) == format_currency(amount, currency, locale=locale)


@pytest.mark.parametrize("locale", DESKTOP_LOCALES)
@pytest.mark.parametrize("text", ["0", "-0", "0.005", "-1234567.891", "1E+3", "Infinity", "NaN"])
def test_the_windows_edges_are_babels_text(text: str, locale: str) -> None:
    for currency in ("USD", "EUR", "JPY", "BHD", "INR"):
        amount = Decimal(text)
        assert locale_money(amount, currency, locale) == format_currency(amount, currency, locale=locale)
