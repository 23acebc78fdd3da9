"""A schedule as portable iCalendar recurrence: only rule shapes that calcurse, khal, ical.js, libical and the
Python readers all expand alike (no BYSETPOS, no RDATE), plus single dates where no such rule exists."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from math import gcd

from renewaltracker.domain.interval import Unit
from renewaltracker.domain.schedule import Schedule, month_length

RulePart = str | int | date | tuple[int, ...]

# The fewest days each month can have; February may clip a day above 28 to 28.
_SHORTEST = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Rules whose dates depend on leap years end here: the last year a user may enter (schedule.LATEST_DATE).
LAST_RULE_DAY = date(2999, 12, 31)
_LAST_YEAR = 9998
# Years whose own and previous year's leap state cover every case a shifted yearly date can meet.
_SAMPLE_YEARS = (2002, 2003, 2004, 2005)


@dataclass(frozen=True, slots=True)
class Series:
    """One recurring event: `start` is itself an occurrence; `rule` holds RRULE parts in RFC 5545 order."""

    start: date
    rule: dict[str, RulePart]
    exdates: tuple[date, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Encoding:
    """What a list of dates becomes in a calendar: recurring series plus single dates no rule expresses."""

    series: list[Series]
    singles: list[date]


@dataclass(frozen=True, slots=True)
class _Pattern:
    """An open-ended portable rule: every `interval` units of `freq` from `start`; `last_day` means the last day
    of the month (MONTHLY;BYMONTHDAY=-1, or for YEARLY the last day of February)."""

    freq: str
    interval: int
    start: date
    last_day: bool = False

    def nth(self, j: int) -> date | None:
        start = self.start
        if self.freq in ("DAILY", "WEEKLY"):
            ordinal = start.toordinal() + j * self.interval * (7 if self.freq == "WEEKLY" else 1)
            return date.fromordinal(ordinal) if ordinal <= date(_LAST_YEAR, 12, 31).toordinal() else None
        months = j * self.interval * (12 if self.freq == "YEARLY" else 1)
        total = start.month - 1 + months
        year, month = start.year + total // 12, total % 12 + 1
        if year > _LAST_YEAR:
            return None
        return date(year, month, month_length(year, month) if self.last_day else start.day)

    def index_of(self, day: date) -> int | None:
        """j with nth(j) == day, or None when the pattern never falls on the day."""
        start = self.start
        if self.freq in ("DAILY", "WEEKLY"):
            step = self.interval * (7 if self.freq == "WEEKLY" else 1)
            j, rest = divmod(day.toordinal() - start.toordinal(), step)
        else:
            step = self.interval * (12 if self.freq == "YEARLY" else 1)
            j, rest = divmod((day.year - start.year) * 12 + day.month - start.month, step)
        return j if rest == 0 and j >= 0 and self.nth(j) == day else None

    def rule(self) -> dict[str, RulePart]:
        rule: dict[str, RulePart] = {"FREQ": self.freq}
        if self.interval > 1:
            rule["INTERVAL"] = self.interval
        if self.last_day:
            if self.freq == "YEARLY":
                rule["BYMONTH"] = 2
            rule["BYMONTHDAY"] = (-1,)
        return rule

    def shifted(self, days: int) -> _Pattern:
        return _Pattern(self.freq, self.interval, self.start - timedelta(days=days), self.last_day)


@dataclass(frozen=True, slots=True)
class _Bounded:
    pattern: _Pattern
    until: date | None
    exdates: tuple[date, ...] = ()

    def series(self) -> Series:
        rule = self.pattern.rule()
        if self.until is not None:
            rule["UNTIL"] = self.until
        return Series(self.pattern.start, rule, self.exdates)


@dataclass(frozen=True, slots=True)
class _Segment:
    first: int
    stop: int | None  # exclusive occurrence index, None when open-ended
    day: int  # the day of month the segment aims at (before clipping to the month's end)


def last_allowed_date(schedule: Schedule) -> date | None:
    """The last date a charge may fall on: end date, the day before a cancellation or an open pause."""
    bounds: list[date] = []
    if schedule.end_date is not None:
        bounds.append(schedule.end_date)
    if schedule.cancelled_on is not None:
        bounds.append(schedule.cancelled_on - timedelta(days=1))
    bounds.extend(p.start - timedelta(days=1) for p in schedule.pauses if p.end is None)
    return min(bounds) if bounds else None


def _segments(schedule: Schedule, until: date | None) -> Iterator[_Segment]:
    """Stretches of occurrences that share one target day; only keep_clipped_day ever yields more than one."""
    anchor = schedule.anchor
    step = schedule.interval.months
    if not (step and schedule.keep_clipped_day and anchor.day > 28):
        yield _Segment(0, None, anchor.day)
        return
    visited = {(anchor.month - 1 + j * step) % 12 for j in range(12)}
    floor = min(_SHORTEST[month] for month in visited)
    first, day, k = 0, anchor.day, 0
    while day > floor:
        k += 1
        if schedule.end_count is not None and k >= schedule.end_count:
            break
        total = anchor.month - 1 + k * step
        year = anchor.year + total // 12
        if schedule.occurrence(k) is None:
            break
        clipped = min(day, month_length(year, total % 12 + 1))
        if until is not None and date(year, total % 12 + 1, clipped) > until:
            break
        if clipped < day:
            yield _Segment(first, k, day)
            first, day = k, clipped
    yield _Segment(first, None, day)


def _yearly_residues(months: int, nth: Callable[[int], date | None], clips: bool) -> list[_Pattern]:
    """Every `months` months as one yearly pattern per month of the year visited (the same dates in total);
    when the day `clips` to the month's end, February's is "its last day"."""
    per_cycle = 12 // gcd(months, 12)
    years = months * per_cycle // 12
    found = []
    for r in range(per_cycle):
        start = nth(r)
        if start is not None:
            found.append(_Pattern("YEARLY", years, start, clips and start.month == 2))
    return found


def _segment_patterns(schedule: Schedule, segment: _Segment) -> list[_Pattern]:
    start = schedule.occurrence(segment.first)
    assert start is not None
    interval = schedule.interval
    if interval.unit in (Unit.DAY, Unit.WEEK):
        return [_Pattern("DAILY" if interval.unit is Unit.DAY else "WEEKLY", interval.count, start)]
    months = interval.months
    if months % 12 == 0:
        # Only February clips a yearly day that varies; other months clip to the same day every year.
        return [_Pattern("YEARLY", months // 12, start, start.month == 2 and segment.day > 28)]
    if segment.day <= 28:
        return [_Pattern("MONTHLY", months, start)]
    if segment.day == 31:
        return [_Pattern("MONTHLY", months, start, last_day=True)]
    # The 29th or 30th: no portable monthly rule clips to the month's end without BYSETPOS, so one yearly
    # series per month of the year (February's as "its last day").
    return _yearly_residues(months, lambda r: schedule.occurrence(segment.first + r), clips=True)


def _paused_dates(schedule: Schedule, first: int, stop: int) -> list[date]:
    """Occurrences in [first, stop) that a closed pause skips."""
    skipped: set[date] = set()
    for pause in schedule.pauses:
        if pause.end is None:
            continue
        k = max(schedule.first_index_on_or_after(pause.start), first)
        while k < stop:
            day = schedule.occurrence(k)
            if day is None or day >= pause.end:
                break
            skipped.add(day)
            k += 1
    return sorted(skipped)


def _with_exdates(parts: list[_Bounded], exdates: list[date]) -> list[_Bounded]:
    """Each skipped date given to the one series that would otherwise produce it."""
    owned: dict[int, list[date]] = {}
    for day in exdates:
        for index, part in enumerate(parts):
            if part.pattern.index_of(day) is not None:
                owned.setdefault(index, []).append(day)
                break
    return [_Bounded(p.pattern, p.until, tuple(owned.get(i, ()))) for i, p in enumerate(parts)]


def _charge_parts(schedule: Schedule) -> list[_Bounded]:
    until = last_allowed_date(schedule)
    parts: list[_Bounded] = []
    for segment in _segments(schedule, until):
        stop = segment.stop
        if schedule.end_count is not None:
            stop = schedule.end_count if stop is None else min(stop, schedule.end_count)
        start = schedule.occurrence(segment.first)
        if start is None or (stop is not None and stop <= segment.first) or (until is not None and start > until):
            break
        bound = until
        if stop is not None and (last := schedule.occurrence(stop - 1)) is not None:
            bound = last if bound is None else min(bound, last)
        segment_parts = [
            _Bounded(p, bound) for p in _segment_patterns(schedule, segment) if bound is None or p.start <= bound
        ]
        if schedule.pauses:
            # A closed pause is finite, so an open-ended series needs looking no further than its end.
            ends = [p.end for p in schedule.pauses if p.end is not None]
            last_index = stop if stop is not None else schedule.first_index_on_or_after(max(ends, default=start))
            segment_parts = _with_exdates(segment_parts, _paused_dates(schedule, segment.first, last_index))
        parts.extend(segment_parts)
    return parts


def schedule_series(schedule: Schedule) -> list[Series]:
    """The schedule as recurrence series whose expansion equals `Schedule.charges_between` exactly."""
    return [part.series() for part in _charge_parts(schedule)]


def _yearly_source(pattern: _Pattern, year: int) -> date:
    month = pattern.start.month
    return date(year, month, month_length(year, month) if pattern.last_day else pattern.start.day)


def _shift_yearly(pattern: _Pattern, until: date | None, days: int) -> tuple[list[_Bounded], list[date]]:
    """A yearly pattern moved `days` earlier: one rule when leap years do not matter, else one rule per
    leap-year class with the century years that break it written as single dates."""
    lead = timedelta(days=days)
    shifted = [_yearly_source(pattern, year) - lead for year in _SAMPLE_YEARS]
    new_until = None if until is None else until - lead
    if len({(d.month, d.day) for d in shifted}) == 1 and (shifted[0].month, shifted[0].day) != (2, 29):
        return [_Bounded(pattern.shifted(days), new_until)], []
    if all(d.month == 2 and d.day == month_length(d.year, 2) for d in shifted):
        return [_Bounded(_Pattern("YEARLY", pattern.interval, pattern.start - lead, True), new_until)], []
    step = pattern.interval * 4 // gcd(pattern.interval, 4)
    stop = min(new_until or LAST_RULE_DAY, LAST_RULE_DAY)
    parts: list[_Bounded] = []
    singles: list[date] = []
    # A year after the one holding `stop` + the lead only gives dates past `stop`: not computed (8,000 years were).
    last_year = min(_LAST_YEAR, date.fromordinal(min(stop.toordinal() + days, date.max.toordinal())).year + 1)
    # The Gregorian calendar repeats every 400 years (146,097 days, a whole number of weeks): when the rule's step
    # divides 400, the dates that break it repeat too, so one cycle is computed and the rest are copies.
    period = 400 // step if 400 % step == 0 else None
    for first_year in range(pattern.start.year, pattern.start.year + step, pattern.interval):
        years = range(first_year, last_year, step)
        dates = [_yearly_source(pattern, year) - lead for year in years[:period]]
        dates = [d for d in dates if d <= stop]
        if not dates:
            continue
        head = dates[0]
        rule = _Pattern("YEARLY", step, head, head.month == 2 and head.day == 29)
        exdates = []
        broken: list[tuple[int, date, date | None]] = []
        regular = (head.month, head.day, head.year) if not rule.last_day else None
        for j, day in enumerate(dates):
            if regular is not None and (day.month, day.day, day.year - j * step) == regular:
                continue  # the rule's own date (`rule.nth(j)`, without building it): the common case
            written = rule.nth(j)
            if written != day:
                broken.append((j, day, written))
        cycles = 1 if period is None else -(-len(years) // period)
        for cycle in range(cycles):
            for j, day, written in broken:
                if j + cycle * (period or 0) >= len(years):
                    break
                if cycle:
                    day = day.replace(year=day.year + 400 * cycle)
                    written = None if written is None else written.replace(year=written.year + 400 * cycle)
                if day > stop:
                    break
                singles.append(day)
                if written is not None and written <= stop:
                    exdates.append(written)
        parts.append(_Bounded(rule, stop, tuple(exdates)))
    return parts, singles


def _shift(part: _Bounded, days: int) -> tuple[list[_Bounded], list[date]]:
    pattern = part.pattern
    lead = timedelta(days=days)
    until = None if part.until is None else part.until - lead
    if pattern.freq in ("DAILY", "WEEKLY") or (
        pattern.freq == "MONTHLY" and not pattern.last_day and pattern.start.day > days
    ):
        return [_Bounded(pattern.shifted(days), until)], []
    yearly = (
        [pattern] if pattern.freq == "YEARLY" else _yearly_residues(pattern.interval, pattern.nth, pattern.last_day)
    )
    parts: list[_Bounded] = []
    singles: list[date] = []
    for one in yearly:
        if part.until is not None and one.start > part.until:
            continue
        more, extra = _shift_yearly(one, part.until, days)
        parts.extend(more)
        singles.extend(extra)
    return parts, singles


def deadline_encoding(schedule: Schedule, notice_days: int) -> Encoding:
    """Cancel-by days (each charge minus the notice) as portable series and single dates, with no horizon."""
    parts: list[_Bounded] = []
    singles: list[date] = []
    skipped: list[date] = []
    lead = timedelta(days=notice_days)
    for charge in _charge_parts(schedule):
        more, extra = _shift(charge, notice_days)
        parts.extend(more)
        singles.extend(extra)
        skipped.extend(day - lead for day in charge.exdates)
    if skipped:
        gone = set(skipped)
        singles = [day for day in singles if day not in gone]
        parts = [_Bounded(p.pattern, p.until, p.exdates) for p in parts]
        with_pauses = _with_exdates(parts, skipped)
        parts = [
            _Bounded(p.pattern, p.until, tuple(sorted({*p.exdates, *q.exdates})))
            for p, q in zip(parts, with_pauses, strict=True)
        ]
    return Encoding([p.series() for p in parts], sorted(set(singles)))
