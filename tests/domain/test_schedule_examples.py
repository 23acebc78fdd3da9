"""The schedule rules of the README, as examples."""

from __future__ import annotations

from datetime import date

from renewaltracker.domain.interval import parse_interval
from renewaltracker.domain.schedule import Pause, Schedule


def dates(schedule: Schedule, start: date, end: date) -> list[date]:
    return list(schedule.charges_between(start, end))


def test_month_end_anchor_clips_then_returns() -> None:
    schedule = Schedule(date(2024, 1, 31), parse_interval("1 month"))
    assert dates(schedule, date(2024, 1, 1), date(2024, 5, 31)) == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
        date(2024, 5, 31),
    ]


def test_keep_clipped_day_stays_on_the_shorter_day() -> None:
    schedule = Schedule(date(2023, 1, 31), parse_interval("1 month"), keep_clipped_day=True)
    assert dates(schedule, date(2023, 1, 1), date(2023, 4, 30)) == [
        date(2023, 1, 31),
        date(2023, 2, 28),
        date(2023, 3, 28),
        date(2023, 4, 28),
    ]


def test_leap_day_yearly_plan_charges_on_28_february_in_other_years() -> None:
    schedule = Schedule(date(2024, 2, 29), parse_interval("1 year"))
    assert dates(schedule, date(2024, 1, 1), date(2028, 12, 31)) == [
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]


def test_pause_skips_charges_and_cancellation_ends_them() -> None:
    schedule = Schedule(
        date(2026, 1, 15),
        parse_interval("1 month"),
        pauses=(Pause(date(2026, 3, 1), date(2026, 5, 1)),),
        cancelled_on=date(2026, 7, 15),
    )
    assert dates(schedule, date(2026, 1, 1), date(2026, 12, 31)) == [
        date(2026, 1, 15),
        date(2026, 2, 15),
        date(2026, 5, 15),
        date(2026, 6, 15),
    ]
    assert schedule.next_charge(date(2026, 6, 16)) is None
