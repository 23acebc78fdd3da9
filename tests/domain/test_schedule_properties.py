"""Hypothesis properties of the schedule engine: the rules of the README hold for any schedule."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.interval import Interval, Unit, parse_interval
from renewaltracker.domain.schedule import Pause, Schedule, month_length

anchors = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))
month_end_anchors = anchors.map(lambda d: d.replace(day=min(28 + (d.day % 4), month_length(d.year, d.month))))
intervals = st.builds(Interval, st.integers(1, 36), st.sampled_from(list(Unit)))
month_intervals = st.builds(Interval, st.integers(1, 24), st.sampled_from([Unit.MONTH, Unit.YEAR]))


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


@given(anchor=st.one_of(anchors, month_end_anchors), interval=month_intervals, k=st.integers(0, 400))
def test_month_occurrence_is_anchor_plus_k_intervals_clipped(anchor: date, interval: Interval, k: int) -> None:
    occurrence = Schedule(anchor, interval).occurrence(k)
    if (month_index(anchor) + k * interval.months) // 12 > 9998:
        assert occurrence is None  # past what a date can hold: the schedule ends instead of failing
        return
    assert occurrence is not None
    assert month_index(occurrence) == month_index(anchor) + k * interval.months
    # The anchor day where the month has it (so it returns after a short month), else the month's last day.
    assert occurrence.day == min(anchor.day, month_length(occurrence.year, occurrence.month))


@given(anchor=anchors, count=st.integers(1, 60), unit=st.sampled_from([Unit.DAY, Unit.WEEK]), k=st.integers(0, 2000))
def test_day_and_week_occurrences_never_drift(anchor: date, count: int, unit: Unit, k: int) -> None:
    interval = Interval(count, unit)
    occurrence = Schedule(anchor, interval).occurrence(k)
    assert occurrence == anchor + timedelta(days=k * interval.days)


@given(anchor=month_end_anchors, interval=month_intervals, k=st.integers(1, 120))
def test_keep_clipped_day_never_returns_to_a_later_day(anchor: date, interval: Interval, k: int) -> None:
    schedule = Schedule(anchor, interval, keep_clipped_day=True)
    days = [d.day for d in (schedule.occurrence(j) for j in range(k + 1)) if d is not None]
    assert days == sorted(days, reverse=True)
    lengths = [month_length(d.year, d.month) for d in (schedule.occurrence(j) for j in range(k + 1)) if d is not None]
    for j, day in enumerate(days):
        assert day == min([anchor.day, *lengths[: j + 1]])


@given(
    anchor=st.one_of(anchors, month_end_anchors),
    interval=intervals,
    offset=st.integers(-400, 4000),
    span=st.integers(0, 800),
    keep_clipped_day=st.booleans(),
)
def test_charges_between_match_the_definition(
    anchor: date, interval: Interval, offset: int, span: int, keep_clipped_day: bool
) -> None:
    schedule = Schedule(anchor, interval, keep_clipped_day=keep_clipped_day)
    start = anchor + timedelta(days=offset)
    end = start + timedelta(days=span)
    expected = []
    k = 0
    while True:
        occurrence = schedule.occurrence(k)
        assert occurrence is not None
        if occurrence > end:
            break
        if occurrence >= start:
            expected.append(occurrence)
        k += 1
    assert list(schedule.charges_between(start, end)) == expected


@given(anchor=anchors, interval=intervals, offset=st.integers(-400, 4000))
def test_next_charge_is_the_first_on_or_after(anchor: date, interval: Interval, offset: int) -> None:
    schedule = Schedule(anchor, interval)
    day = anchor + timedelta(days=offset)
    following = schedule.next_charge(day)
    assert following is not None and following >= day
    assert list(schedule.charges_between(day, following - timedelta(days=1))) == []
    assert schedule.next_charge_after(following) == schedule.next_charge(following + timedelta(days=1))


@given(
    anchor=anchors,
    interval=intervals,
    pause_start=st.integers(0, 1500),
    pause_days=st.one_of(st.none(), st.integers(1, 400)),
    cancel_after=st.one_of(st.none(), st.integers(0, 2000)),
    end_count=st.one_of(st.none(), st.integers(1, 50)),
)
def test_pauses_cancellations_and_ends_remove_charges(
    anchor: date,
    interval: Interval,
    pause_start: int,
    pause_days: int | None,
    cancel_after: int | None,
    end_count: int | None,
) -> None:
    start = anchor + timedelta(days=pause_start)
    pause = Pause(start, None if pause_days is None else start + timedelta(days=pause_days))
    cancelled_on = None if cancel_after is None else anchor + timedelta(days=cancel_after)
    plain = Schedule(anchor, interval)
    schedule = Schedule(anchor, interval, pauses=(pause,), cancelled_on=cancelled_on, end_count=end_count)
    horizon = anchor + timedelta(days=2500)
    charges = list(schedule.charges_between(anchor, horizon))
    everything = list(plain.charges_between(anchor, horizon))
    assert set(charges) <= set(everything)
    for charge in charges:
        assert not pause.covers(charge)
        assert cancelled_on is None or charge < cancelled_on
        assert end_count is None or everything.index(charge) < end_count
    # Nothing is removed that no rule removes.
    for k, charge in enumerate(everything):
        kept = (
            not pause.covers(charge)
            and (cancelled_on is None or charge < cancelled_on)
            and (end_count is None or k < end_count)
        )
        assert (charge in charges) == kept
    following = schedule.next_charge(anchor)
    assert following == (charges[0] if charges else schedule.next_charge(anchor))


@given(interval=intervals)
def test_interval_text_round_trips(interval: Interval) -> None:
    assert parse_interval(str(interval)) == interval
    assert parse_interval(interval.describe()) == interval


@given(anchor=anchors, interval=intervals, day=st.integers(0, 5000))
def test_first_index_on_or_after_is_minimal(anchor: date, interval: Interval, day: int) -> None:
    schedule = Schedule(anchor, interval)
    target = anchor + timedelta(days=day)
    k = schedule.first_index_on_or_after(target)
    occurrence = schedule.occurrence(k)
    assert occurrence is not None and occurrence >= target
    if k > 0:
        previous = schedule.occurrence(k - 1)
        assert previous is not None and previous < target


def test_dates_near_the_end_of_the_calendar_stop_instead_of_failing() -> None:
    schedule = Schedule(date(9990, 1, 31), parse_interval("1 year"))
    assert list(schedule.charges_between(date(9990, 1, 1), date(9999, 12, 31)))[-1].year == 9998


@given(
    anchor=st.one_of(anchors, month_end_anchors),
    interval=intervals,
    periods=st.integers(0, 40),
    keep=st.booleans(),
    lag=st.integers(0, 4000),
    span=st.integers(0, 800),
)
def test_schedules_of_one_phase_charge_on_the_same_days_once_both_have_begun(
    anchor: date, interval: Interval, periods: int, keep: bool, lag: int, span: int
) -> None:
    first = Schedule(anchor, interval, keep_clipped_day=keep)
    # The same plan begun some whole periods later (a month-end day only where that month has it).
    later = first.occurrence(periods)
    assert later is not None
    if interval.months:
        try:
            later = later.replace(day=anchor.day)
        except ValueError:
            later = anchor  # no such day that month: compare the schedule with itself
    second = Schedule(later, interval, keep_clipped_day=keep)
    if first.phase() is None:  # a Google Play month-end plan: its day depends on what it has been clipped to
        assert anchor.day > 28 and keep and interval.months
        return
    assert first.phase() == second.phase()
    start = later + timedelta(days=lag)
    end = start + timedelta(days=span)
    assert first.charge_list(start, end) == second.charge_list(start, end)


short_intervals = st.builds(Interval, st.integers(1, 14), st.sampled_from(list(Unit)))


@given(
    anchor=anchors, interval=short_intervals, other=anchors, other_interval=short_intervals, lag=st.integers(0, 2000)
)
def test_schedules_of_different_phases_differ_once_both_have_begun(
    anchor: date, interval: Interval, other: date, other_interval: Interval, lag: int
) -> None:
    first, second = Schedule(anchor, interval), Schedule(other, other_interval)
    start = max(anchor, other) + timedelta(days=lag)
    # Eight of the longer cycles, counted in years, reach a leap year: a plan begun on 29 February differs from
    # one begun on the 28th only then.
    end = start + timedelta(days=8 * 366 * max(interval.count, other_interval.count))
    same = first.charge_list(start, end) == second.charge_list(start, end)
    assert same == (first.phase() == second.phase())


def test_an_ending_pause_or_clipped_day_rule_gives_a_schedule_no_shared_phase() -> None:
    monthly = Schedule(date(2026, 1, 31), parse_interval("1 month"))
    assert monthly.phase() == (0, 1, 0, 31)
    assert Schedule(date(2026, 1, 31), parse_interval("1 month"), keep_clipped_day=True).phase() is None
    assert Schedule(date(2026, 1, 5), parse_interval("1 month"), end_count=3).phase() is None
    assert Schedule(date(2026, 1, 5), parse_interval("1 month"), end_date=date(2027, 1, 1)).phase() is None
    assert Schedule(date(2026, 1, 5), parse_interval("1 month"), cancelled_on=date(2027, 1, 1)).phase() is None
    assert Schedule(date(2026, 1, 5), parse_interval("1 month"), pauses=(Pause(date(2026, 3, 1)),)).phase() is None
    assert Schedule(date(2026, 1, 5), parse_interval("2 weeks")).phase() == (
        14,
        0,
        date(2026, 1, 5).toordinal() % 14,
        0,
    )
