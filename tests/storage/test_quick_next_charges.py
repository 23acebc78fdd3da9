"""`QuickReader.next_charges` (the window's first screenful is chosen by it) gives each subscription's own
`next_charge`, through its shortcut for plain schedules and its `Schedule` for the others alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.schedule import Pause, month_length
from renewaltracker.domain.subscription import Subscription
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import open_database
from renewaltracker.storage.quick_read import open_quick_reader
from tests.factories import make_subscription, saved
from tests.storage.test_quick_read import CLOCK, FUNCTION_FIXTURES, fresh_db
from tests.test_field_round_trip import every_field_set

__all__ = ["fresh_db"]  # the fixture, shared with the storage tests

_days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
_month_ends = _days.map(lambda d: d.replace(day=min(28 + d.day % 4, month_length(d.year, d.month))))


@st.composite
def _plain(draw: st.DrawFn) -> Subscription:
    """A schedule of an anchor (or a trial's end) and an interval, the clipped day kept or not."""
    start = draw(st.one_of(_days, _month_ends))
    dates = {"anchor": start} if draw(st.booleans()) else {"anchor": None, "trial_end": start}
    # At most one ending or pause (each decides the charges on its own; `every_field_set` gives them all).
    ending = draw(st.sampled_from(["", "", "end_count", "cancelled_on", "pause"]))
    later = start + timedelta(days=draw(st.integers(1, 400)))
    if ending == "end_count":
        dates["end_count"] = draw(st.integers(1, 5))
    elif ending == "cancelled_on":
        dates["cancelled_on"] = later
    elif ending == "pause":
        dates["pauses"] = (Pause(later, later + timedelta(days=draw(st.integers(1, 90)))),)
    return make_subscription(
        interval=Interval(draw(st.one_of(st.integers(1, 3), st.integers(1, 40))), draw(st.sampled_from(list(Unit)))),
        keep_clipped_day=draw(st.booleans()),
        **dates,
    )


@settings(FUNCTION_FIXTURES, max_examples=50)
@given(
    drawn=st.lists(st.one_of(_plain(), every_field_set()), min_size=1, max_size=4),
    step=st.integers(5, 31),
)
def test_every_next_charge_is_the_subscriptions(fresh_db: Any, drawn: list[Subscription], step: int) -> None:
    path = saved(fresh_db(), (replace(subscription, id=None) for subscription in drawn), CLOCK)
    reader = open_quick_reader(path)
    assert reader is not None
    try:
        whole = reader.all()
        # Days around each schedule's start, where its clipped days and endings show.
        for day in {s.anchor_date + timedelta(days=offset) for s in whole for offset in range(-40, 600, step)}:
            assert reader.next_charges(day) == [(s.id, s.next_charge(day)) for s in whole]
    finally:
        reader.close()


def test_a_kept_clipped_day_is_not_taken_for_a_plain_schedule(fresh_db: Any) -> None:
    """Google Play's rule: after February the 31st charges on the 29th, which only the `Schedule` knows."""
    path = fresh_db()
    database = open_database(path)
    try:
        service = SubscriptionService(database, CLOCK)
        for keep in (True, False):
            service.add(make_subscription(name=f"Kept {keep}", anchor=date(2024, 1, 31), keep_clipped_day=keep))
    finally:
        database.close()
    reader = open_quick_reader(path)
    assert reader is not None
    try:
        charges = [charge for _sid, charge in reader.next_charges(date(2024, 3, 1))]
    finally:
        reader.close()
    assert charges == [date(2024, 3, 31), date(2024, 3, 29)]  # "Kept False" sorts first
