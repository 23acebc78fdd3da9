"""Exchange rates: direct, inverse and crossed through the euro, rounded to the target's minor units; ECB files."""

from __future__ import annotations

import _strptime
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.exchange import Rate, RateTable, most_expensive_in, parse_ecb
from tests.factories import make_subscription

FIXTURE = Path(__file__).parents[1] / "fixtures" / "eurofxref-daily.xml"
TODAY = date(2026, 3, 10)


def test_the_newest_rate_on_or_before_the_day_is_used_and_its_date_reported() -> None:
    table = RateTable(
        [Rate("EUR", "USD", date(2026, 3, 1), Decimal("1.10")), Rate("EUR", "USD", date(2026, 3, 9), "1.20")]
    )
    converted = table.convert(Decimal("10.00"), "EUR", "USD", TODAY)
    assert converted is not None and (converted.amount, converted.rate_day) == (Decimal("12.00"), date(2026, 3, 9))
    earlier = table.convert(Decimal("10.00"), "EUR", "USD", date(2026, 3, 5))
    assert earlier is not None and earlier.amount == Decimal("11.00")


def test_inverse_and_cross_rates_round_to_the_target_minor_units() -> None:
    table = RateTable([Rate("EUR", "USD", TODAY, "1.25"), Rate("EUR", "JPY", TODAY, "160.5")])
    inverse = table.convert(Decimal("10.00"), "USD", "EUR", TODAY)
    assert inverse is not None and inverse.amount == Decimal("8.00")
    cross = table.convert(Decimal("9.99"), "USD", "JPY", TODAY)
    assert cross is not None and cross.amount == Decimal("1283") and cross.amount.as_tuple().exponent == 0
    assert table.convert(Decimal(1), "USD", "GBP", TODAY) is None


def test_a_total_names_the_currencies_it_has_no_rate_for() -> None:
    table = RateTable([Rate("EUR", "USD", date(2026, 2, 1), "1.10")])
    total, missing = table.total({"EUR": Decimal("10"), "USD": Decimal("5"), "GBP": Decimal("3")}, "USD", TODAY)
    assert (total.amount, total.rate_day, missing) == (Decimal("16.00"), date(2026, 2, 1), ["GBP"])


def test_most_expensive_compares_currencies_in_the_home_currency() -> None:
    """The old ranking put 1,000 JPY above 9 EUR; converted, the euro plan costs more."""
    yen = make_subscription(id=1, name="Yen plan", amount="1000", currency="JPY")
    euro = make_subscription(id=2, name="Euro plan", amount="9.00", currency="EUR")
    unknown = make_subscription(id=3, name="Franc plan", amount="5.00", currency="CHF")
    table = RateTable([Rate("EUR", "JPY", TODAY, "160"), Rate("EUR", "USD", TODAY, "1.1")])
    ranked = most_expensive_in([yen, euro, unknown], TODAY, table, "USD")
    assert [r.subscription.name for r in ranked] == ["Euro plan", "Yen plan", "Franc plan"]
    assert ranked[0].converted is not None and ranked[0].converted.amount == Decimal("118.80")
    assert ranked[2].converted is None


def test_rates_are_checked() -> None:
    for bad in ("0", "-1", "abc", "NaN"):
        with pytest.raises(ValidationError):
            Rate("EUR", "USD", TODAY, bad)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Rate("EUR", "EUR", TODAY, Decimal(1))


def test_the_ecb_daily_xml_and_zipped_csv_are_read() -> None:
    rates = parse_ecb(FIXTURE.read_bytes())
    assert {(r.base, r.quote, r.day, r.rate) for r in rates} >= {("EUR", "USD", date(2026, 11, 27), Decimal("1.0412"))}
    assert all(r.source == "ecb" for r in rates)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref.csv", "Date, USD, JPY, \n27 November 2026, 1.0412, 161.42, \n")
    zipped = parse_ecb(buffer.getvalue())
    assert {(r.quote, r.rate) for r in zipped} == {("USD", Decimal("1.0412")), ("JPY", Decimal("161.42"))}
    with pytest.raises(ValidationError, match="ECB"):
        parse_ecb(b"<html>not rates</html")


@given(
    st.decimals(Decimal("0.01"), Decimal("100000"), places=2), st.decimals(Decimal("0.01"), Decimal("500"), places=4)
)
def test_converting_there_and_back_stays_within_rounding(amount: Decimal, rate: Decimal) -> None:
    table = RateTable([Rate("EUR", "USD", TODAY, rate)])
    there = table.convert(amount, "EUR", "USD", TODAY)
    assert there is not None
    back = table.convert(there.amount, "USD", "EUR", TODAY)
    assert back is not None
    assert abs(back.amount - amount) <= Decimal("0.005") / rate + Decimal("0.01")


def _three_paths() -> RateTable:
    """CHF to USD three ways: through the euro at rates of this month, through GBP and JPY at years-old rates."""
    return RateTable(
        [
            Rate("EUR", "USD", date(2026, 3, 1), "1.10"),
            Rate("EUR", "CHF", date(2026, 3, 1), "0.95"),
            Rate("GBP", "USD", date(2020, 1, 1), "1.30"),
            Rate("GBP", "CHF", date(2020, 1, 1), "1.00"),
            Rate("JPY", "USD", date(2021, 1, 1), "0.01"),
            Rate("JPY", "CHF", date(2021, 1, 1), "0.02"),
        ]
    )


def test_a_crossed_rate_goes_through_the_freshest_path() -> None:
    converted = _three_paths().convert(Decimal(100), "CHF", "USD", TODAY)
    assert converted is not None and (converted.amount, converted.rate_day) == (Decimal("115.79"), date(2026, 3, 1))


def test_a_stale_direct_rate_gives_way_to_a_fresher_crossed_one() -> None:
    through_euro = [Rate("EUR", "USD", date(2026, 3, 9), "1.25"), Rate("EUR", "GBP", date(2026, 3, 9), "0.85")]
    stale = RateTable([Rate("USD", "GBP", date(2019, 5, 1), "0.70"), *through_euro])
    converted = stale.convert(Decimal(100), "USD", "GBP", TODAY)
    assert converted is not None and (converted.amount, converted.rate_day) == (Decimal("68.00"), date(2026, 3, 9))
    fresh = RateTable([Rate("USD", "GBP", date(2026, 3, 9), "0.70"), *through_euro])
    direct = fresh.convert(Decimal(100), "USD", "GBP", TODAY)
    assert direct is not None and direct.amount == Decimal("70.00"), "as fresh as a crossed one: the direct rate"


def test_the_same_rates_convert_alike_in_every_process() -> None:
    """The window and the command line are two processes, each with its own string hashing: a path picked from a
    set's order gave 130.00, 50.00 or 115.79 USD for the same 100 CHF."""
    script = (
        "from datetime import date; from decimal import Decimal; from tests.domain.test_exchange import _three_paths;"
        "print(_three_paths().convert(Decimal(100), 'CHF', 'USD', date(2026, 3, 10)))"
    )
    root = Path(__file__).parents[2]
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(8)
    }
    assert len(outputs) == 1, outputs


_CODES = ("EUR", "USD", "GBP", "CHF", "JPY")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(_CODES), st.sampled_from(_CODES), st.dates(date(2020, 1, 1), TODAY), st.integers(1, 20000)
        ).filter(lambda t: t[0] != t[1]),
        max_size=12,
    ),
    st.sampled_from(_CODES),
    st.sampled_from(_CODES),
    st.randoms(use_true_random=False),
)
def test_a_conversion_uses_the_freshest_path_whatever_the_order_of_the_rates(
    entered: list[tuple[str, str, date, int]], base: str, quote: str, random: Any
) -> None:
    rates = [Rate(b, q, day, Decimal(cents) / 100) for b, q, day, cents in entered]
    newest: dict[frozenset[str], date] = {}
    for r in rates:
        pair = frozenset((r.base, r.quote))
        newest[pair] = max(newest.get(pair, r.day), r.day)
    paths = [newest.get(frozenset((base, quote)))] + [
        min(newest[frozenset((base, via))], newest[frozenset((via, quote))])
        for via in _CODES
        if via not in (base, quote) and frozenset((base, via)) in newest and frozenset((via, quote)) in newest
    ]
    known = [day for day in paths if day is not None]
    shuffled = list(rates)
    random.shuffle(shuffled)
    found, again = RateTable(rates).rate(base, quote, TODAY), RateTable(shuffled).rate(base, quote, TODAY)
    if base == quote:
        assert found == (Decimal(1), TODAY)
    elif not known:
        assert found is None
    else:
        assert found is not None and found[1] == max(known)
    assert found == again


_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September")
_ENGLISH_MONTHS += ("October", "November", "December")
_GERMAN_MONTHS = ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober")
_GERMAN_MONTHS += ("november", "dezember")


@contextmanager
def _german_lc_time() -> Iterator[None]:
    """strptime reading month names as under a German LC_TIME, which the window's QApplication sets from the
    desktop (setlocale(LC_ALL, "")); built from the list above, as the test machine may have no German locale."""
    locale_time = _strptime.LocaleTime()
    locale_time.f_month = ["", *_GERMAN_MONTHS]
    locale_time.a_month = ["", *(name[:3] for name in _GERMAN_MONTHS)]
    with (
        patch.object(_strptime, "_TimeRE_cache", _strptime.TimeRE(locale_time)),
        patch.object(_strptime, "_regex_cache", {}),
    ):
        yield


@given(st.dates(date(1999, 1, 4), date(2999, 12, 31)))
def test_the_zipped_csv_is_read_whatever_language_the_desktop_writes_months_in(day: date) -> None:
    """eurofxref.zip writes its day in English ('09 March 2026'): in a German or French window, whose C library
    writes months in that language, the file was refused as not the ECB's in most months."""
    written = f"{day.day:02d} {_ENGLISH_MONTHS[day.month - 1]} {day.year}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref.csv", f"Date, USD, JPY, \n{written}, 1.0412, 161.42, \n")
    with _german_lc_time():
        rates = parse_ecb(buffer.getvalue())
    assert {(r.quote, r.day) for r in rates} == {("USD", day), ("JPY", day)}
