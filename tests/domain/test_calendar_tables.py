"""The schedule's month tables, built a year at a time, hold every month's year, number and length."""

from __future__ import annotations

from renewaltracker.domain.schedule import _LAST_YEAR, _calendar_tables, month_length


def test_every_month_of_every_year_is_as_the_calendar_says() -> None:
    years, months, lengths = _calendar_tables()
    every = range((_LAST_YEAR + 1) * 12)
    assert years == [index // 12 for index in every]
    assert months == [index % 12 + 1 for index in every]
    assert lengths == [month_length(index // 12, index % 12 + 1) if index >= 12 else 31 for index in every]
