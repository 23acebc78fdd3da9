"""The leap-year split of yearly cancel-by rules: the fast version (bounded, one 400-year cycle copied) gives
exactly what computing every year up to 9998 gave."""

from __future__ import annotations

from datetime import date, timedelta
from math import gcd

from hypothesis import example, given, settings
from hypothesis import strategies as st

from renewaltracker.domain.recurrence import LAST_RULE_DAY, _Bounded, _Pattern, _shift_yearly, _yearly_source
from renewaltracker.domain.schedule import month_length


def reference(pattern: _Pattern, until: date | None, days: int) -> tuple[list[_Bounded], list[date]]:
    """The straightforward version, every year to 9998 and every date compared, as it was before."""
    lead = timedelta(days=days)
    shifted = [_yearly_source(pattern, year) - lead for year in (2002, 2003, 2004, 2005)]
    new_until = None if until is None else until - lead
    if len({(d.month, d.day) for d in shifted}) == 1 and (shifted[0].month, shifted[0].day) != (2, 29):
        return [_Bounded(pattern.shifted(days), new_until)], []
    if all(d.month == 2 and d.day == month_length(d.year, 2) for d in shifted):
        return [_Bounded(_Pattern("YEARLY", pattern.interval, pattern.start - lead, True), new_until)], []
    step = pattern.interval * 4 // gcd(pattern.interval, 4)
    stop = min(new_until or LAST_RULE_DAY, LAST_RULE_DAY)
    parts: list[_Bounded] = []
    singles: list[date] = []
    for first_year in range(pattern.start.year, pattern.start.year + step, pattern.interval):
        dates = [_yearly_source(pattern, year) - lead for year in range(first_year, 9998, step)]
        dates = [d for d in dates if d <= stop]
        if not dates:
            continue
        head = dates[0]
        rule = _Pattern("YEARLY", step, head, head.month == 2 and head.day == 29)
        exdates = []
        for j, day in enumerate(dates):
            written = rule.nth(j)
            if written != day:
                singles.append(day)
                if written is not None and written <= stop:
                    exdates.append(written)
        parts.append(_Bounded(rule, stop, tuple(exdates)))
    return parts, singles


@st.composite
def patterns(draw: st.DrawFn) -> _Pattern:
    last_day = draw(st.booleans())
    year = draw(st.integers(1890, 2990))
    if last_day:
        start = date(year, 2, month_length(year, 2))
    else:
        month = draw(st.sampled_from([1, 2, 2, 3, 3, 4, 12]))
        start = date(year, month, draw(st.integers(1, month_length(year, month))))
        # As recurrence.py makes them: a series from 29 February is always "February's last day" (no 29th in
        # other years), never a plain 29th.
        last_day = start.month == 2 and start.day == 29
    return _Pattern("YEARLY", draw(st.sampled_from([1, 1, 2, 3, 4, 5, 6, 8, 10])), start, last_day)


@settings(max_examples=300, deadline=None)
@given(patterns(), st.none() | st.dates(date(1900, 1, 1), date(3200, 12, 31)), st.integers(1, 800))
@example(_Pattern("YEARLY", 1, date(2024, 3, 1)), None, 1)
@example(_Pattern("YEARLY", 1, date(2100, 3, 1)), None, 1)
@example(_Pattern("YEARLY", 2, date(2023, 2, 28), True), date(2700, 1, 1), 30)
@example(_Pattern("YEARLY", 1, date(2024, 2, 29), True), None, 400)
@example(_Pattern("YEARLY", 1, date(2056, 2, 29), True), None, 1)
def test_shift_yearly_equals_the_year_by_year_version(pattern: _Pattern, until: date | None, days: int) -> None:
    if until is not None and until < pattern.start:
        until = pattern.start
    assert _shift_yearly(pattern, until, days) == reference(pattern, until, days)
