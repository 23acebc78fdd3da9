"""The one amount and currency reader every front end uses."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_currency, format_decimal
from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.amounts import currency_choices, read_amount, read_currency
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.money import parse_amount

LOCALES = [
    "en_US",
    "en_GB",
    "en_IN",
    "de_DE",
    "de_CH",
    "fr_FR",
    "fr_CH",
    "nl_NL",
    "es_ES",
    "it_IT",
    "pt_BR",
    "sv_SE",
    "pl_PL",
    "ja_JP",
]


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("9,99", "9.99", None),
        ("9.99", "9.99", None),
        ("1,299.00", "1299.00", None),
        ("1.299,00", "1299.00", None),
        ("1 299,00", "1299.00", None),
        ("1\u202f299,00", "1299.00", None),
        ("1\u00a0299,00", "1299.00", None),
        ("1'299.00", "1299.00", None),
        ("1\u2019299.00", "1299.00", None),
        ("12,34,567.50", "1234567.50", None),
        ("€9,99", "9.99", "EUR"),
        ("9,99 €", "9.99", "EUR"),
        ("9.99 USD", "9.99", "USD"),
        ("$39.99", "39.99", "USD"),
        ("eur 5", "5", "EUR"),
        ("5 euros", "5", "EUR"),
        ("0.999", "0.999", None),
        ("1234.567", "1234.567", None),
    ],
)
def test_everyday_amounts_are_read_in_any_convention(text: str, value: str, currency: str | None) -> None:
    read = read_amount(text, locale="en_US")
    assert (read.value, read.currency, read.ambiguous) == (Decimal(value), currency, False)


@pytest.mark.parametrize(
    ("text", "locale", "value"),
    [("1,299", "en_US", "1299"), ("1,299", "de_DE", "1.299"), ("1.299", "en_US", "1.299"), ("1.299", "de_DE", "1299")],
)
def test_a_lone_separator_before_three_digits_is_read_by_locale_and_flagged(text: str, locale: str, value: str) -> None:
    read = read_amount(text, locale=locale)
    assert read.value == Decimal(value) and read.ambiguous
    assert read.note() == f"read {text} as {value}"


def test_a_currency_with_two_decimals_settles_a_lone_separator_as_thousands() -> None:
    assert read_amount("1,299", locale="de_DE", currency="EUR").value == Decimal(1299)
    assert read_amount("1,299 BHD", locale="en_US").value == Decimal("1.299")  # three-decimal currency


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("-5", "must not be negative"),
        ("€-5", "must not be negative"),
        ("NaN", "not a finite number"),
        ("infinity", "not a finite number"),
        ("1e9999", "not a number"),
        ("ten", "not a number"),
        ("", "not a number"),
        ("1,2,3", "misplaced"),
        ("1.299.00,0.5", "not a number"),
        ("9" * 20, "too large"),
        ("1\n2", "control characters"),
        ("1\x002", "control characters"),
        ("€5 USD", "currency twice"),
        ("5 bananas", "not a currency"),
    ],
)
def test_bad_amounts_are_refused_with_the_reason(text: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        read_amount(text, locale="en_US")


def test_parse_amount_is_the_same_reader() -> None:
    assert parse_amount("1.299,00") == Decimal("1299.00") and parse_amount(Decimal("2.5")) == Decimal("2.5")


amounts = st.decimals(min_value=0, max_value=Decimal(10**12), places=2, allow_nan=False, allow_infinity=False)


@given(amount=amounts, locale=st.sampled_from(LOCALES))
def test_a_number_formatted_in_any_locale_reads_back_the_same(amount: Decimal, locale: str) -> None:
    assert read_amount(format_decimal(amount, locale=locale), locale=locale).value == amount


@given(
    amount=st.decimals(min_value=0, max_value=Decimal(10**9), places=3, allow_nan=False, allow_infinity=False),
    locale=st.sampled_from(LOCALES),
)
def test_three_decimals_read_back_in_their_own_locale(amount: Decimal, locale: str) -> None:
    text = format_decimal(amount, format="#,##0.###", locale=locale)
    assert read_amount(text, locale=locale).value == amount


@given(amount=amounts, locale=st.sampled_from(LOCALES), code=st.sampled_from(["USD", "EUR", "GBP", "CHF", "JPY"]))
def test_a_price_formatted_with_its_currency_reads_back_with_it(amount: Decimal, locale: str, code: str) -> None:
    text = format_currency(amount, code, locale=locale, currency_digits=False, format_type="standard")
    read = read_amount(text, locale=locale)
    assert read.value == amount and read.currency == code


@pytest.mark.parametrize(
    ("typed", "locale", "code"),
    [
        ("eur", "en_US", "EUR"),
        ("Euro", "en_US", "EUR"),
        ("€", "de_DE", "EUR"),
        ("US dollar", "de_DE", "USD"),
        ("us dollars", "en_US", "USD"),
        ("dollars", "en_US", "USD"),
        ("dollars", "en_CA", "CAD"),
        ("£", "en_US", "GBP"),
        ("¥", "en_US", "JPY"),
        ("¥", "zh_CN", "CNY"),
        ("yen", "en_US", "JPY"),
        ("Schweizer Franken", "de_CH", "CHF"),
        ("kr", "sv_SE", "SEK"),
    ],
)
def test_currencies_are_read_from_codes_names_and_symbols(typed: str, locale: str, code: str) -> None:
    assert read_currency(typed, locale=locale) == code


def test_an_ambiguous_currency_word_asks_for_the_code() -> None:
    with pytest.raises(ValidationError, match="could be AUD, CAD, NZD, USD"):
        read_currency("dollars", locale="de_DE")
    with pytest.raises(ValidationError, match="not a currency"):
        read_currency("bananas", locale="en_US")


def test_the_common_currencies_come_first() -> None:
    choices = currency_choices()
    assert choices[:5] == ["USD", "EUR", "GBP", "JPY", "CHF"] and "XAU" not in choices and len(set(choices)) > 100
