"""The periodic review: unused subscriptions are flagged, items ordered, the next review date."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.review import UNUSED_DAYS, days_unused, is_unused, next_review, review_items
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import Status
from tests.factories import make_subscription

TODAY = date(2026, 3, 10)


def test_not_used_for_60_days_is_flagged_unknown_use_is_not() -> None:
    used_long_ago = make_subscription(last_used=date(2026, 1, 9))  # 60 days before TODAY
    used_lately = make_subscription(last_used=date(2026, 1, 10))
    never_recorded = make_subscription()
    cancelled = make_subscription(last_used=date(2025, 1, 1), status=Status.CANCELLED, cancelled_on=date(2026, 2, 1))
    assert days_unused(used_long_ago, TODAY) == UNUSED_DAYS and is_unused(used_long_ago, TODAY)
    assert not is_unused(used_lately, TODAY)
    assert days_unused(never_recorded, TODAY) is None and not is_unused(never_recorded, TODAY)
    assert not is_unused(cancelled, TODAY), "a cancelled subscription costs nothing more"


def test_review_lists_running_subscriptions_unused_first_then_by_yearly_cost() -> None:
    cheap = make_subscription(id=1, name="Cheap", amount="1.00")
    dear = make_subscription(id=2, name="Dear", amount="50.00")
    idle = make_subscription(id=3, name="Idle", amount="2.00", last_used=date(2025, 12, 1))
    cancelled = make_subscription(id=4, name="Gone", status=Status.CANCELLED, cancelled_on=date(2026, 1, 1))
    items = review_items([cheap, dear, idle, cancelled], TODAY)
    assert [i.subscription.name for i in items] == ["Idle", "Dear", "Cheap"]
    assert items[1].yearly == 600


def test_next_review_is_months_after_the_last_or_the_first_subscription() -> None:
    assert next_review(6, date(2026, 3, 10), date(2020, 1, 1)) == date(2026, 9, 10)
    assert next_review(6, None, date(2026, 1, 15)) == date(2026, 7, 15)
    assert next_review(0, date(2026, 3, 10), None) is None, "0 turns the review off"
    assert next_review(6, None, None) is None


@given(st.integers(1, 24), st.dates(date(2000, 1, 1), date(2090, 1, 1)))
def test_the_next_review_is_always_after_the_last(months: int, last: date) -> None:
    upcoming = next_review(months, last, None)
    assert upcoming is not None and upcoming > last


def test_a_review_finished_at_a_month_end_is_due_a_whole_month_later_not_the_next_day() -> None:
    """The next review fell on the first of a month: one month after 31 March was 1 April, the next day."""
    assert next_review(1, date(2026, 3, 31), None) == date(2026, 4, 30)
    assert next_review(1, date(2026, 1, 31), None) == date(2026, 2, 28)
    assert next_review(12, date(2024, 2, 29), None) == date(2025, 2, 28)
    assert next_review(48, date(2024, 2, 29), None) == date(2028, 2, 29)


@given(st.integers(1, 120), st.dates(date(1990, 1, 1), date(2090, 1, 1)))
def test_the_next_review_falls_on_the_same_day_months_later_or_that_months_last_day(months: int, last: date) -> None:
    upcoming = next_review(months, last, None)
    assert upcoming is not None
    assert (upcoming.year - last.year) * 12 + upcoming.month - last.month == months
    next_day = upcoming + timedelta(days=1)
    assert upcoming.day == last.day or (upcoming.day < last.day and next_day.month != upcoming.month)


def test_a_plan_paused_today_is_not_flagged_as_unused_though_its_pause_has_an_end() -> None:
    """A pause with an end keeps the stored status: the ⚠ "still charging, not used" was shown on a paused plan."""
    paused = make_subscription(last_used=date(2025, 1, 1), pauses=(Pause(date(2026, 3, 1), date(2026, 6, 1)),))
    assert paused.status_on(TODAY) is Status.PAUSED and not is_unused(paused, TODAY)
    assert is_unused(paused, date(2026, 6, 1)), "charging again once the pause is over"
    assert [i.unused for i in review_items([paused], TODAY)] == [False]


@given(
    st.dates(date(2025, 1, 1), date(2027, 1, 1)),
    st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2027, 6, 1))),
    st.lists(st.tuples(st.dates(date(2025, 1, 1), date(2027, 1, 1)), st.integers(1, 200)), max_size=2),
    st.sampled_from([Status.ACTIVE, Status.TRIAL]),
)
def test_only_a_plan_charging_today_is_flagged_unused(
    today: date, last_used: date | None, pauses: list[tuple[date, int]], status: Status
) -> None:
    plan = make_subscription(
        last_used=last_used,
        status=status,
        trial_end=date(2026, 2, 1) if status is Status.TRIAL else None,
        pauses=tuple(Pause(start, start + timedelta(days=length)) for start, length in pauses),
    )
    if is_unused(plan, today):
        assert plan.status_on(today) in (Status.ACTIVE, Status.TRIAL) and plan.next_charge(today) is not None
        assert last_used is not None and (today - last_used).days >= UNUSED_DAYS
    days = days_unused(plan, today)
    assert days is None or days >= 0
