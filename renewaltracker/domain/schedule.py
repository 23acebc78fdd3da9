"""The billing-schedule engine: charge dates computed from the anchor, never from the previous date."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import repeat

from renewaltracker.domain.errors import ValidationError, message_day
from renewaltracker.domain.interval import Interval
from renewaltracker.i18n import _

_MONTH_LENGTHS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Keeps every computed date inside what `datetime.date` can hold.
_LAST_YEAR = 9998
_LAST_ORDINAL = date(_LAST_YEAR, 12, 31).toordinal()
# Dates a user may give: wide enough for any real purchase or plan, and far enough from date.min and
# date.max that deadlines, refund windows and reminder times computed from them (± a year) still exist.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)


def check_date(day: date | None, field: str) -> None:
    """Refuse a date outside EARLIEST_DATE…LATEST_DATE, naming the field."""
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            field,
            _("{day} is out of range (from {earliest_date} to {latest_date})").format(
                day=message_day(day), earliest_date=message_day(EARLIEST_DATE), latest_date=message_day(LATEST_DATE)
            ),
        )


@cache
def _calendar_tables() -> tuple[list[int], list[int], list[int]]:
    """Year, month and month length for every absolute month number (year × 12 + month − 1)."""
    # Built a year at a time (a `remind` pays for it once per process): 120,000 entries.
    every_year = range(_LAST_YEAR + 1)
    years = [year for year in every_year for _ in _MONTH_LENGTHS]
    months = list(range(1, 13)) * (_LAST_YEAR + 1)
    leap = [month_length(2000, month) for month in range(1, 13)]
    lengths = [31] * 12  # year 0 is outside the calendar; its months are never used
    for year in range(1, _LAST_YEAR + 1):
        lengths += leap if month_length(year, 2) == 29 else _MONTH_LENGTHS
    return years, months, lengths


def release_calendar_tables() -> None:
    """Drop the month tables (3 MB at 120,000 entries each); the next question builds them again. For a process
    that idles for hours between two questions (the tray at login)."""
    _calendar_tables.cache_clear()


def month_length(year: int, month: int) -> int:
    """Days in the month, leap years included."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_LENGTHS[month - 1]


def plain_next_charge(anchor: date, days: int, months: int, on_or_after: date) -> date | None:
    """`Schedule(anchor, interval).next_charge(on_or_after)` of a schedule without ending, pause or kept clipped
    day (`days`, `months`: the interval's), without making one: the window's first rows ask it of every plan."""
    if days:
        ordinal = anchor.toordinal()
        if on_or_after > anchor:
            ordinal -= (ordinal - on_or_after.toordinal()) // days * days
        return date.fromordinal(ordinal) if ordinal <= _LAST_ORDINAL else None
    start = anchor.year * 12 + anchor.month - 1
    day = anchor.day
    # The first charge in or after the month of `on_or_after` (the one before it falls in an earlier month).
    k = 0 if on_or_after <= anchor else max(-(-(on_or_after.year * 12 + on_or_after.month - 1 - start) // months), 0)
    while True:
        total = start + k * months
        year = total // 12
        if year > _LAST_YEAR:
            return None
        month = total % 12 + 1
        charge = date(year, month, day if day <= 28 else min(day, month_length(year, month)))
        if charge >= on_or_after:
            return charge
        k += 1


@dataclass(frozen=True, slots=True)
class Pause:
    """Charges are skipped from `start` (inclusive) until `end` (exclusive); an open pause has no end."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end <= self.start:
            raise ValidationError(
                "resume",
                _("the pause ends on {end}, which is not after it starts ({start})").format(
                    end=message_day(self.end), start=message_day(self.start)
                ),
            )

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a subscription charges: occurrence k is anchor + k × interval, with month-end clipping."""

    anchor: date
    interval: Interval
    keep_clipped_day: bool = False
    end_date: date | None = None
    end_count: int | None = None
    cancelled_on: date | None = None
    pauses: tuple[Pause, ...] = field(default_factory=tuple)

    def occurrence(self, k: int) -> date | None:
        """The k-th scheduled charge date (k = 0 is the anchor) before pauses and endings apply."""
        if k < 0:
            raise ValueError("occurrence index must not be negative")
        anchor = self.anchor
        step_days = self.interval.days
        if step_days:
            ordinal = anchor.toordinal() + k * step_days
            if ordinal > date(_LAST_YEAR, 12, 31).toordinal():
                return None
            return date.fromordinal(ordinal)
        total = anchor.month - 1 + k * self.interval.months
        year = anchor.year + total // 12
        if year > _LAST_YEAR:
            return None
        month = total % 12 + 1
        day = anchor.day
        if day > 28:
            if self.keep_clipped_day:
                day = self._clipped_day_through(k)
            day = min(day, month_length(year, month))
        return date(year, month, day)

    def _clipped_day_through(self, k: int) -> int:
        """Google Play's rule: the smallest day any occurrence up to k was clipped to."""
        anchor = self.anchor
        day = anchor.day
        step = self.interval.months
        for j in range(k + 1):
            total = anchor.month - 1 + j * step
            day = min(day, month_length(anchor.year + total // 12, total % 12 + 1))
            if day == 28:
                break
        return day

    def first_index_on_or_after(self, day: date) -> int:
        """Smallest k whose scheduled date is on or after `day`."""
        anchor = self.anchor
        if day <= anchor:
            return 0
        step_days = self.interval.days
        if step_days:
            return -(-(day.toordinal() - anchor.toordinal()) // step_days)
        step = self.interval.months
        # The month of `day` gives k to within one step (the day of the month decides the rest).
        k = max(-(-((day.year - anchor.year) * 12 + day.month - anchor.month) // step), 0)
        if k > 0 and (previous := self.occurrence(k - 1)) is not None and previous >= day:
            k -= 1
        while True:
            occurrence = self.occurrence(k)
            if occurrence is None or occurrence >= day:
                return k
            k += 1

    def phase(self) -> tuple[int, int, int, int] | None:
        """A key that alone decides the charge dates from the anchor on (step in days, step in months, position
        within the step, day of the month), or None when an ending, pause or clipped-day rule makes them its own.

        Schedules of one phase charge on the same dates wherever both have begun: thousands of monthly plans
        share about thirty phases, so a caller expanding many can compute each phase's dates once."""
        if self.end_date is not None or self.end_count is not None or self.cancelled_on is not None or self.pauses:
            return None
        anchor = self.anchor
        step_days = self.interval.days
        if step_days:
            return (step_days, 0, anchor.toordinal() % step_days, 0)
        if anchor.day > 28 and self.keep_clipped_day:
            return None
        step = self.interval.months
        return (0, step, (anchor.year * 12 + anchor.month - 1) % step, anchor.day)

    def _allowed(self, k: int, charge: date) -> bool:
        if self.end_count is not None and k >= self.end_count:
            return False
        if self.end_date is not None and charge > self.end_date:
            return False
        if self.cancelled_on is not None and charge >= self.cancelled_on:
            return False
        return not any(pause.covers(charge) for pause in self.pauses)

    def _is_finished(self, k: int, charge: date) -> bool:
        """True when no charge at index k or later can happen."""
        if self.end_count is not None and k >= self.end_count:
            return True
        if self.end_date is not None and charge > self.end_date:
            return True
        if self.cancelled_on is not None and charge >= self.cancelled_on:
            return True
        return any(pause.end is None and charge >= pause.start for pause in self.pauses)

    def charges_between(self, start: date, end: date) -> Iterator[date]:
        """Charge dates in [start, end], in order, with pauses, cancellation and endings applied."""
        return iter(self.charge_list(start, end))

    def charge_list(self, start: date, end: date) -> list[date]:
        """Like `charges_between` as a list; the hot path of every calendar view, so it avoids per-date calls."""
        if end < start:
            return []
        if self.end_date is not None and self.end_date < end:
            end = self.end_date
        if self.cancelled_on is not None and self.cancelled_on <= end:
            end = self.cancelled_on - timedelta(days=1)
        if end < start:
            return []
        first = self.first_index_on_or_after(start)
        found = self._day_charges(first, end) if self.interval.days else self._month_charges(first, end)
        if self.end_count is not None:
            found = found[: max(self.end_count - first, 0)]
        if self.pauses:
            pauses = self.pauses
            found = [day for day in found if not any(pause.covers(day) for pause in pauses)]
        return found

    def _day_charges(self, first: int, end: date) -> list[date]:
        step = self.interval.days
        begin = self.anchor.toordinal() + first * step
        last = min(end, date(_LAST_YEAR, 12, 31)).toordinal()
        return list(map(date.fromordinal, range(begin, last + 1, step)))

    def _month_charges(self, first: int, end: date) -> list[date]:
        anchor = self.anchor
        step = self.interval.months
        if anchor.day > 28 and self.keep_clipped_day:
            found = []
            k = first
            while (charge := self.occurrence(k)) is not None and charge <= end:
                found.append(charge)
                k += 1
            return found
        # Absolute month numbers index the calendar tables; slicing them with the step yields every
        # charge's year, month and month length in C, without a Python-level step per date.
        start_index = anchor.year * 12 + anchor.month - 1 + first * step
        stop_index = min(end.year, _LAST_YEAR) * 12 + end.month
        if start_index >= stop_index:
            return []
        years, months, lengths = _calendar_tables()
        window = slice(start_index, stop_index, step)
        day = anchor.day
        days = repeat(day) if day <= 28 else map(min, repeat(day), lengths[window])
        found = list(map(date, years[window], months[window], days))
        if found and found[-1] > end:
            found.pop()
        return found

    def next_charge(self, on_or_after: date) -> date | None:
        """The first charge on or after the date, or None when the schedule has ended."""
        k = self.first_index_on_or_after(on_or_after)
        while True:
            charge = self.occurrence(k)
            if charge is None:
                return None
            if self._allowed(k, charge):
                return charge
            if self._is_finished(k, charge):
                return None
            k += 1

    def next_charge_after(self, day: date) -> date | None:
        """The first charge strictly after the date."""
        return self.next_charge(day + timedelta(days=1))

    def next_charges(self, on_or_after: date, count: int) -> list[date]:
        """Up to `count` upcoming charges, for previews."""
        found: list[date] = []
        day: date | None = on_or_after
        while day is not None and len(found) < count:
            charge = self.next_charge(day)
            if charge is None:
                break
            found.append(charge)
            day = charge + timedelta(days=1)
        return found
