"""Refund-window reminders: due exactly while the window is open and the charge still stands; one notice per moment."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.events import EventKind
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.reminders import (
    CHARGED_WHILE_AWAY,
    Reminder,
    latest_per_event,
    mark_late,
    merge_same_moment,
    needs_refund_reminder,
    refund_window_events,
    reminders_between,
)
from renewaltracker.domain.schedule import Schedule
from renewaltracker.domain.subscription import Charge, ChargeStatus, Subscription
from tests.domain.test_events_properties import subscriptions
from tests.factories import make_subscription

BERLIN = ZoneInfo("Europe/Berlin")
NINE = time(9, 0)


def overdue(subs: list[Subscription], charges: list[Charge], now: datetime, lead: int) -> list[Reminder]:
    """What the service's catch-up sees: everything due by `now` whose event has not passed, one per event."""
    start = now - timedelta(days=400)
    planned = reminders_between(
        subs,
        start,
        now,
        default_lead_days=(7, 1),
        time_of_day=NINE,
        zone=BERLIN,
        charges=charges,
        refund_lead_days=lead,
    )
    today = now.astimezone(BERLIN).date()
    shown, _ = mark_late(latest_per_event(r for r in planned if r.event.date >= today), now, lead)
    return merge_same_moment(shown)


# Every state a charge can be in, plus one a later version may add: anything but "charged" needs no reminder.
STATES = [*(s.value for s in ChargeStatus), "disputed"]


@given(
    charge_day=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    refund_days=st.integers(1, 60),
    lead=st.integers(0, 10),
    state=st.sampled_from(STATES),
    offset=st.integers(-20, 90),
    recorded=st.booleans(),
)
def test_a_refund_reminder_is_due_exactly_while_the_window_is_open_and_the_charge_stands(
    charge_day: date, refund_days: int, lead: int, state: str, offset: int, recorded: bool
) -> None:
    sub = make_subscription(id=1, anchor=charge_day, end_count=1, refund_days=refund_days)
    charge = Charge(1, charge_day, Decimal("39.99"), "USD", status=ChargeStatus.CHARGED)
    object.__setattr__(charge, "status", state)  # a state this version may not know yet
    now = datetime.combine(charge_day + timedelta(days=offset), time(10, 0), BERLIN)
    found = [
        r for r in overdue([sub], [charge] if recorded else [], now, lead) if r.key.kind is EventKind.REFUND_WINDOW_END
    ]
    closes = charge_day + timedelta(days=refund_days)
    stands = not recorded or needs_refund_reminder(state)
    is_open = charge_day <= now.date() <= closes
    assert bool(found) == (stands and is_open)
    for reminder in found:
        assert reminder.event.date == closes and reminder.event.charge_date == charge_day
        # Late on the charge day or after it: before the regular reminder it is the "while you were away" one.
        regular_due = closes - timedelta(days=min(lead, refund_days))
        assert (reminder.kind == CHARGED_WHILE_AWAY) == (now.date() < regular_due or regular_due == charge_day)


def test_a_refunded_or_disputed_charge_gets_no_reminder_and_a_charged_one_does() -> None:
    sub = make_subscription(id=1, anchor=date(2026, 3, 2), refund_days=3, name="The Magazine")
    now = datetime(2026, 3, 4, 9, 0, tzinfo=BERLIN)  # one day before the window of the 2 March charge closes
    charged = Charge(1, date(2026, 3, 2), Decimal("39.99"), "USD", id=1)
    [reminder] = overdue([sub], [charged], now, 1)
    assert reminder.kind == "refund_window_end"
    assert reminder.title() == "Refund window for The Magazine's charge of $39.99 closes 5 March 2026"
    assert "until 5 March 2026 (tomorrow)" in reminder.body(now.date())
    for status in (ChargeStatus.REFUNDED, ChargeStatus.NOT_CHARGED):
        settled = Charge(1, date(2026, 3, 2), Decimal("39.99"), "USD", status=status, id=2)
        assert overdue([sub], [charged, settled], now, 1) == []


def test_a_charge_made_while_away_is_one_notice_naming_the_charge_and_the_last_day() -> None:
    sub = make_subscription(id=1, anchor=date(2026, 3, 2), refund_days=14, name="The Magazine")
    now = datetime(2026, 3, 5, 12, 0, tzinfo=BERLIN)  # the app opens three days after the charge
    [reminder] = overdue([sub], [], now, 1)
    assert reminder.kind == CHARGED_WHILE_AWAY
    assert reminder.body(now.date()) == (
        "Charged on 2 March 2026 while you were away — you can still ask for a refund until 16 March 2026."
    )


def test_on_the_charge_day_with_the_app_running_the_away_notice_is_dropped() -> None:
    sub = make_subscription(id=1, anchor=date(2026, 3, 2), refund_days=14)
    on_time = datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN)
    planned = reminders_between(
        [sub],
        on_time - timedelta(minutes=1),
        on_time,
        default_lead_days=(),
        time_of_day=NINE,
        zone=BERLIN,
        charges=[],
        refund_lead_days=1,
    )
    shown, dropped = mark_late(planned, on_time, 1)
    assert shown == [] and len(dropped) == 1


def test_a_trial_end_and_the_first_charge_on_the_same_day_arrive_as_one() -> None:
    sub = make_subscription(id=1, anchor=None, trial_end=date(2026, 3, 17), name="Netflix", amount=Decimal("15.99"))
    now = datetime(2026, 3, 16, 9, 0, tzinfo=BERLIN)
    [reminder] = overdue([sub], [], now, 1)
    assert reminder.event.kind is EventKind.TRIAL_END
    assert [c.event.kind for c in reminder.companions] == [EventKind.CHARGE]
    assert len(reminder.keys) == 2
    assert reminder.title() == "Netflix: trial ends 17 March 2026 — also charges $15.99 that day"


@given(
    generated=st.lists(subscriptions, min_size=1, max_size=4),
    copies=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 30), st.integers(1, 40)), max_size=10),
    first=st.dates(date(2021, 1, 1), date(2027, 1, 1)),
    span=st.integers(0, 120),
    charged=st.lists(st.tuples(st.integers(0, 13), st.integers(0, 160), st.sampled_from(list(ChargeStatus)))),
)
def test_plans_sharing_their_charge_days_get_the_refund_windows_each_gets_alone(
    generated: list[Subscription],
    copies: list[tuple[int, int, int]],
    first: date,
    span: int,
    charged: list[tuple[int, int, ChargeStatus]],
) -> None:
    # Copies of a plan begun whole or part periods later, each with its own refund window: one call shares the
    # charge days of those of one phase, and must give what each would get on its own.
    items = [replace(item, refund_days=item.refund_days or 14) for item in generated]
    for original, periods, refund in copies:
        item = generated[original % len(generated)]
        step = Interval(1, Unit.MONTH if item.interval.months else Unit.WEEK)
        anchor = Schedule(item.anchor_date, step).occurrence(periods) or item.anchor_date
        items.append(replace(item, anchor=anchor, refund_days=refund))
    items = [replace(item, id=number) for number, item in enumerate(items, start=1)]
    last = first + timedelta(days=span)
    charges = [
        Charge(item_index % len(items) + 1, first - timedelta(days=days), Decimal("3"), "EUR", status=status, id=number)
        for number, (item_index, days, status) in enumerate(charged, start=1)
    ]
    alone = [
        event
        for item in items
        for event in refund_window_events([item], [c for c in charges if c.subscription_id == item.id], first, last)
    ]
    assert refund_window_events(items, charges, first, last) == alone
