"""Reading typed dates: ISO everywhere, and the locale's own order."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.dates import field_pattern, format_field_date, read_date
from renewaltracker.domain.errors import ValidationError


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("12/31/2026", "en_US", date(2026, 12, 31)),
        ("31/12/2026", "en_US", date(2026, 12, 31)),  # only one reading exists
        ("5/6/2026", "en_US", date(2026, 5, 6)),
        ("5/6/2026", "en_GB", date(2026, 6, 5)),
        ("31/12/2026", "en_GB", date(2026, 12, 31)),
        ("31.12.26", "de_DE", date(2026, 12, 31)),
        ("2026-12-31", "de_DE", date(2026, 12, 31)),
        ("2026/12/31", "ja_JP", date(2026, 12, 31)),
    ],
)
def test_reads_the_locale_short_form_and_iso(text: str, locale: str, expected: date) -> None:
    assert read_date(text, locale) == expected


@pytest.mark.parametrize("text", ["", "31/13/2026", "tomorrow", "12/31", "2026-02-30"])
def test_an_unreadable_date_says_how_to_write_one(text: str) -> None:
    with pytest.raises(ValidationError, match=r"write it like 12/31/2026 or 2026-12-31"):
        read_date(text, "en_US")


def test_field_pattern_has_a_four_digit_year() -> None:
    assert field_pattern("en_US") == "M/d/yyyy" and field_pattern("de_DE") == "dd.MM.yyyy"


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.sampled_from(["en_US", "en_GB", "de_DE", "fr_FR", "ja_JP", "sv_SE"]),
)
def test_what_a_field_shows_reads_back(day: date, locale: str) -> None:
    assert read_date(format_field_date(day, locale), locale) == day
