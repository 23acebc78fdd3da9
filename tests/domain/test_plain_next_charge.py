"""`plain_next_charge` (the shortcut of the window's first rows and `Subscription.next_charge`) gives exactly
`Schedule.next_charge`, at every date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.schedule import Pause, Schedule, month_length, plain_next_charge
from renewaltracker.domain.subscription import Subscription
from tests.factories import make_subscription

anchors = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)),
    # Month ends (the clipped days), and anchors near the end of the calendar (the schedule runs out there).
    st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)).map(
        lambda d: d.replace(day=min(28 + d.day % 4, month_length(d.year, d.month)))
    ),
    st.dates(min_value=date(9990, 1, 1), max_value=date(9998, 12, 31)),
)
intervals = st.builds(Interval, st.integers(1, 1000), st.sampled_from(list(Unit)))


@given(anchor=anchors, interval=intervals, asked=st.one_of(st.dates(), anchors))
def test_the_plain_next_charge_is_the_schedules(anchor: date, interval: Interval, asked: date) -> None:
    expected = Schedule(anchor, interval).next_charge(asked)
    assert plain_next_charge(anchor, interval.days, interval.months, asked) == expected


@given(
    anchor=anchors,
    count=st.integers(1, 36),
    unit=st.sampled_from(list(Unit)),
    offset=st.integers(-400, 40_000),
)
def test_near_the_anchor_too(anchor: date, count: int, unit: Unit, offset: int) -> None:
    interval = Interval(count, unit)
    asked = date.fromordinal(max(1, min(anchor.toordinal() + offset, date.max.toordinal())))
    expected = Schedule(anchor, interval).next_charge(asked)
    assert plain_next_charge(anchor, interval.days, interval.months, asked) == expected


@pytest.mark.parametrize(
    ("anchor", "interval", "asked", "expected"),
    [
        # The calendar's last charges: on its last day, and none after it (as the schedule, not an error).
        (date(9998, 12, 24), Interval(1, Unit.WEEK), date(9998, 12, 25), date(9998, 12, 31)),
        (date(9998, 12, 24), Interval(1, Unit.WEEK), date(9999, 1, 1), None),
        (date(9998, 11, 30), Interval(1, Unit.MONTH), date(9998, 12, 1), date(9998, 12, 30)),
        (date(9998, 11, 30), Interval(1, Unit.MONTH), date(9998, 12, 31), None),
        # A clipped day returns after the short month; the anchor itself when asked before it.
        (date(2024, 1, 31), Interval(1, Unit.MONTH), date(2024, 2, 1), date(2024, 2, 29)),
        (date(2024, 1, 31), Interval(1, Unit.MONTH), date(2024, 3, 1), date(2024, 3, 31)),
        (date(2024, 1, 31), Interval(3, Unit.MONTH), date(2020, 3, 1), date(2024, 1, 31)),
    ],
)
def test_examples(anchor: date, interval: Interval, asked: date, expected: date | None) -> None:
    assert Schedule(anchor, interval).next_charge(asked) == expected
    assert plain_next_charge(anchor, interval.days, interval.months, asked) == expected


_month_ends = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)).map(
    lambda d: d.replace(day=min(28 + d.day % 4, month_length(d.year, d.month)))
)


@st.composite
def _subscriptions(draw: st.DrawFn) -> Subscription:
    """Plain schedules (an anchor or a trial's end, any interval, the clipped day kept or not) and ones with an
    ending or a pause, each alone."""
    start = draw(st.one_of(_month_ends, st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))))
    values: dict[str, Any] = {"anchor": start} if draw(st.booleans()) else {"anchor": None, "trial_end": start}
    later = start + timedelta(days=draw(st.integers(0, 400)))
    ending = draw(st.sampled_from(["", "", "end_date", "end_count", "cancelled_on", "pause"]))
    if ending == "end_date":
        values["end_date"] = later
    elif ending == "end_count":
        values["end_count"] = draw(st.integers(1, 5))
    elif ending == "cancelled_on":
        values["cancelled_on"] = later
    elif ending == "pause":
        values["pauses"] = (Pause(later, later + timedelta(days=draw(st.integers(1, 400)))),)
    count = draw(st.one_of(st.integers(1, 3), st.integers(1, 40)))
    return make_subscription(
        interval=Interval(count, draw(st.sampled_from(list(Unit)))), keep_clipped_day=draw(st.booleans()), **values
    )


@given(subscription=_subscriptions(), offsets=st.lists(st.integers(-40, 900), min_size=1, max_size=20))
def test_a_subscriptions_next_charge_is_its_schedules(subscription: Subscription, offsets: list[int]) -> None:
    asked = [subscription.anchor_date + timedelta(days=offset) for offset in offsets]
    for day in [*asked, *(pause.start for pause in subscription.pauses)]:  # a pause's first day: a charge skipped
        assert subscription.next_charge(day) == subscription.schedule.next_charge(day)


def test_a_kept_clipped_day_walks_the_schedule() -> None:
    kept = make_subscription(anchor=date(2024, 1, 31), keep_clipped_day=True)
    assert kept.next_charge(date(2024, 3, 1)) == date(2024, 3, 29)
    assert replace(kept, keep_clipped_day=False).next_charge(date(2024, 3, 1)) == date(2024, 3, 31)
