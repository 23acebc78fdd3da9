"""A schedule as iCalendar recurrence series: RRULE parts, COUNT/UNTIL and EXDATEs, with no library."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from renewaltracker.domain.interval import Unit
from renewaltracker.domain.schedule import Schedule, month_length

RulePart = str | int | date | tuple[int, ...]

# The fewest days each month can have; February may clip a day above 28 to 28.
_SHORTEST = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True, slots=True)
class Series:
    """One recurring event: `start` is itself an occurrence; `rule` holds RRULE parts in RFC 5545 order."""

    start: date
    rule: dict[str, RulePart]
    exdates: tuple[date, ...] = field(default_factory=tuple)


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
    """Stretches of occurrences that share one rule; only keep_clipped_day ever yields more than one."""
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


def _base_rule(schedule: Schedule, day: int) -> dict[str, RulePart]:
    interval = schedule.interval
    rule: dict[str, RulePart] = {}
    if interval.unit in (Unit.DAY, Unit.WEEK):
        rule["FREQ"] = "DAILY" if interval.unit is Unit.DAY else "WEEKLY"
        if interval.count > 1:
            rule["INTERVAL"] = interval.count
        return rule
    months = interval.months
    if months % 12 == 0:
        rule["FREQ"] = "YEARLY"
        if months > 12:
            rule["INTERVAL"] = months // 12
        if schedule.anchor.month == 2 and day > 28:
            rule.update(BYMONTH=2, BYMONTHDAY=(28, 29), BYSETPOS=-1)
        return rule
    rule["FREQ"] = "MONTHLY"
    if months > 1:
        rule["INTERVAL"] = months
    if day == 31:
        # Outlook and every library read "the last day" the same way.
        rule["BYMONTHDAY"] = (-1,)
    elif day > 28:
        rule["BYMONTHDAY"] = tuple(range(28, day + 1))
        rule["BYSETPOS"] = -1
    return rule


def _paused_dates(schedule: Schedule, first: int, stop: int) -> tuple[date, ...]:
    """Occurrences in [first, stop) that a closed pause skips."""
    skipped: list[date] = []
    for pause in schedule.pauses:
        if pause.end is None:
            continue
        k = max(schedule.first_index_on_or_after(pause.start), first)
        while k < stop:
            day = schedule.occurrence(k)
            if day is None or day >= pause.end:
                break
            skipped.append(day)
            k += 1
    return tuple(sorted(set(skipped)))


def _stop_index(schedule: Schedule, stop: int | None, until: date | None) -> int | None:
    """The first occurrence index past both the segment's end and the last allowed date."""
    if until is not None:
        after = schedule.first_index_on_or_after(until + timedelta(days=1))
        stop = after if stop is None else min(stop, after)
    return stop


def schedule_series(schedule: Schedule) -> list[Series]:
    """The schedule as recurrence series whose expansion equals `Schedule.charges_between` exactly."""
    until = last_allowed_date(schedule)
    series: list[Series] = []
    for segment in _segments(schedule, until):
        own_stop = segment.stop
        if schedule.end_count is not None:
            own_stop = schedule.end_count if own_stop is None else min(own_stop, schedule.end_count)
        start = schedule.occurrence(segment.first)
        stop = _stop_index(schedule, own_stop, until)
        if start is None or (stop is not None and stop <= segment.first):
            break
        rule = _base_rule(schedule, segment.day)
        if stop is not None and own_stop is not None:
            rule["COUNT"] = stop - segment.first
        elif until is not None:
            rule["UNTIL"] = until  # nothing after a cancellation, an end date or an open pause
        exdates: tuple[date, ...] = ()
        if schedule.pauses:
            # A closed pause is finite, so an open-ended series needs looking no further than its end.
            ends = [p.end for p in schedule.pauses if p.end is not None]
            last = stop if stop is not None else schedule.first_index_on_or_after(max(ends, default=start))
            exdates = _paused_dates(schedule, segment.first, last)
        series.append(Series(start, rule, exdates))
    return series


def _shifts_exactly(series: Series, days: int) -> bool:
    """Moving every occurrence `days` earlier keeps the rule only when no month end is involved."""
    if series.rule["FREQ"] in ("DAILY", "WEEKLY"):
        return True
    return "BYMONTHDAY" not in series.rule and series.start.day > days


def deadline_series(schedule: Schedule, notice_days: int) -> list[Series] | None:
    """Cancel-by days (each charge minus the notice) as series, or None when a rule cannot say it exactly."""
    charges = schedule_series(schedule)
    if not all(_shifts_exactly(series, notice_days) for series in charges):
        return None
    lead = timedelta(days=notice_days)
    shifted = []
    for series in charges:
        rule = dict(series.rule)
        until = rule.get("UNTIL")
        if isinstance(until, date):
            rule["UNTIL"] = until - lead
        shifted.append(Series(series.start - lead, rule, tuple(day - lead for day in series.exdates)))
    return shifted
