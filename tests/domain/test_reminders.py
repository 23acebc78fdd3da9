"""The reminder engine: due times, DST, month ends, messages, and windows that neither lose nor repeat."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from renewaltracker.domain.events import Event, EventKind
from renewaltracker.domain.reminders import (
    Reminder,
    ReminderKey,
    latest_per_event,
    local_moment,
    notice_for,
    reminders_between,
)
from renewaltracker.domain.subscription import Subscription
from tests.factories import make_subscription

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
NINE = time(9, 0)


def plan(subs: list[Subscription], start: datetime, end: datetime, **kwargs: object) -> list[Reminder]:
    options: dict[str, object] = {"default_lead_days": (7, 1), "time_of_day": NINE, "zone": BERLIN}
    options.update(kwargs)
    return reminders_between(subs, start, end, **options)  # type: ignore[arg-type]


def test_charge_reminders_fall_due_at_each_lead_time_at_the_reminder_time() -> None:
    sub = make_subscription(id=1, anchor=date(2026, 3, 17), amount=Decimal("15.99"), currency="EUR", name="Netflix")
    found = plan([sub], datetime(2026, 3, 1, tzinfo=BERLIN), datetime(2026, 3, 18, tzinfo=BERLIN))
    assert [(r.key.lead_days, r.due_at) for r in found] == [
        (7, datetime(2026, 3, 10, 9, 0, tzinfo=BERLIN)),
        (1, datetime(2026, 3, 16, 9, 0, tzinfo=BERLIN)),
    ]
    assert found[0].title() == "Netflix charges €15.99 on 17 March 2026"
    assert "in 7 days" in found[0].body(date(2026, 3, 10))


def test_subscription_lead_days_override_the_default() -> None:
    sub = make_subscription(id=1, anchor=date(2026, 3, 17), reminder_days=(3,))
    found = plan([sub], datetime(2026, 3, 1, tzinfo=BERLIN), datetime(2026, 3, 18, tzinfo=BERLIN))
    assert [r.key.lead_days for r in found] == [3]


def test_charge_with_a_notice_period_says_cancel_by_and_gets_its_own_deadline_reminders() -> None:
    sub = make_subscription(id=4, anchor=date(2026, 4, 20), notice_days=14, name="Insurance", amount=Decimal("120"))
    found = plan([sub], datetime(2026, 3, 25, tzinfo=BERLIN), datetime(2026, 4, 21, tzinfo=BERLIN))
    kinds = [(r.key.kind, r.key.event_date, r.key.lead_days) for r in found]
    assert kinds == [
        (EventKind.CANCEL_BY, date(2026, 4, 6), 7),
        (EventKind.CANCEL_BY, date(2026, 4, 6), 1),
        (EventKind.CHARGE, date(2026, 4, 20), 7),
        (EventKind.CHARGE, date(2026, 4, 20), 1),
    ]
    assert found[0].title().startswith("Cancel Insurance by 6 April 2026")
    early_charge = Reminder(found[2].key, found[2].due_at, found[2].event, date(2026, 4, 6))
    assert "Cancel by 6 April 2026 to avoid this charge" in early_charge.body(date(2026, 4, 1))
    assert "has passed" in found[2].body(date(2026, 4, 13))


def test_trial_end_and_follow_up_are_reminded() -> None:
    sub = make_subscription(id=2, anchor=None, trial_end=date(2026, 3, 20), name="Music")
    follow = Event(date(2026, 3, 15), EventKind.FOLLOW_UP, 2, "Music", Decimal("39.99"), "USD", date(2026, 3, 15))
    found = plan(
        [sub], datetime(2026, 3, 1, tzinfo=BERLIN), datetime(2026, 3, 21, tzinfo=BERLIN), extra_events=[follow]
    )
    assert [(r.key.kind, r.key.lead_days) for r in found] == [
        (EventKind.TRIAL_END, 7),
        (EventKind.CHARGE, 7),
        (EventKind.FOLLOW_UP, 0),
        (EventKind.TRIAL_END, 1),
        (EventKind.CHARGE, 1),
    ]
    assert "trial ends" in found[0].title()
    assert "contact Music again today" in found[2].body(date(2026, 3, 15))


@pytest.mark.parametrize(
    ("zone", "day", "wanted", "expected_utc"),
    [
        # Berlin springs forward 02:00 → 03:00 on 29 March 2026: 02:30 does not exist and moves on by the gap.
        (BERLIN, date(2026, 3, 29), time(2, 30), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        # Berlin falls back 03:00 → 02:00 on 25 October 2026: 02:30 happens twice; the first (CEST) is taken.
        (BERLIN, date(2026, 10, 25), time(2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (NEW_YORK, date(2026, 3, 8), time(2, 30), datetime(2026, 3, 8, 7, 30, tzinfo=UTC)),
        (NEW_YORK, date(2026, 11, 1), time(1, 30), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        (NEW_YORK, date(2026, 11, 1), time(9, 0), datetime(2026, 11, 1, 14, 0, tzinfo=UTC)),
    ],
)
def test_local_moment_across_dst_transitions(zone: ZoneInfo, day: date, wanted: time, expected_utc: datetime) -> None:
    moment = local_moment(day, wanted, zone)
    # In UTC: Python's == across zones is always False for an ambiguous local time (PEP 495).
    assert moment.astimezone(UTC) == expected_utc
    assert moment.tzinfo is zone


@given(
    zone=st.sampled_from([BERLIN, NEW_YORK]),
    day=st.dates(date(2020, 1, 1), date(2035, 12, 31)),
    wanted=st.times(),
)
def test_local_moment_never_moves_back_and_keeps_existing_times(zone: ZoneInfo, day: date, wanted: time) -> None:
    moment = local_moment(day, wanted, zone)
    naive = datetime.combine(day, wanted)
    wall = moment.replace(tzinfo=None)
    assert naive <= wall <= naive + timedelta(hours=1)
    exists = naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive
    assert (wall == naive) == exists


def test_month_end_anchor_reminds_before_each_clipped_charge() -> None:
    sub = make_subscription(id=1, anchor=date(2024, 1, 31), interval="1 month")
    found = plan(
        [sub], datetime(2024, 1, 1, tzinfo=BERLIN), datetime(2024, 5, 31, tzinfo=BERLIN), default_lead_days=(1,)
    )
    assert [r.due_at.date() for r in found] == [
        date(2024, 1, 30),
        date(2024, 2, 28),
        date(2024, 3, 30),
        date(2024, 4, 29),
        date(2024, 5, 30),
    ]


subscriptions = st.builds(
    make_subscription,
    id=st.integers(1, 5),
    anchor=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    interval=st.sampled_from(["1 week", "1 month", "3 months", "1 year", "10 days"]),
    notice_days=st.one_of(st.none(), st.integers(0, 40)),
    reminder_days=st.one_of(st.none(), st.lists(st.integers(0, 40), min_size=1, max_size=3).map(tuple)),
)
month_end_subscriptions = st.builds(
    make_subscription,
    id=st.integers(6, 9),
    anchor=st.sampled_from([date(2024, 1, 29), date(2024, 1, 30), date(2024, 1, 31), date(2025, 8, 31)]),
    interval=st.sampled_from(["1 month", "2 months", "1 year"]),
)
moments = st.datetimes(datetime(2024, 1, 1), datetime(2028, 1, 1), timezones=st.sampled_from([BERLIN, NEW_YORK]))


@given(
    subs=st.lists(st.one_of(subscriptions, month_end_subscriptions), max_size=4, unique_by=lambda s: s.id),
    cuts=st.lists(moments, min_size=2, max_size=6),
    zone=st.sampled_from([BERLIN, NEW_YORK]),
    at=st.times(),
)
def test_split_windows_neither_lose_nor_repeat_a_reminder(
    subs: list[Subscription], cuts: list[datetime], zone: ZoneInfo, at: time
) -> None:
    """Planning (a, b] then (b, c] gives exactly what planning (a, c] gives: the base of exactly-once."""
    cuts = sorted(cuts)
    whole = plan(subs, cuts[0], cuts[-1], zone=zone, time_of_day=at)
    pieces = [r for a, b in itertools.pairwise(cuts) for r in plan(subs, a, b, zone=zone, time_of_day=at)]
    assert sorted(r.key for r in pieces) == sorted(r.key for r in whole)
    assert len({r.key for r in whole}) == len(whole)
    for reminder in whole:
        assert cuts[0] < reminder.due_at <= cuts[-1]
        assert reminder.due_at.astimezone(zone).date() == reminder.key.event_date - timedelta(reminder.key.lead_days)


@given(
    sid=st.integers(0, 10**9),
    kind=st.sampled_from(list(EventKind)),
    day=st.dates(),
    lead=st.integers(0, 366),
)
def test_reminder_key_text_round_trips(sid: int, kind: EventKind, day: date, lead: int) -> None:
    key = ReminderKey(sid, kind, day, lead)
    assert ReminderKey.parse(key.text()) == key


def test_reminder_key_parse_refuses_junk() -> None:
    with pytest.raises(ValueError, match="not a reminder key"):
        ReminderKey.parse("1:charge")


def test_a_late_batch_keeps_one_reminder_per_event_and_becomes_one_summary() -> None:
    subs = [
        make_subscription(id=1, anchor=date(2026, 3, 20), name="Alpha"),
        make_subscription(id=2, anchor=date(2026, 3, 21), name="Beta"),
    ]
    found = plan(subs, datetime(2026, 3, 1, tzinfo=BERLIN), datetime(2026, 3, 20, 12, tzinfo=BERLIN))
    assert len(found) == 4
    latest = latest_per_event(found)
    assert [(r.key.subscription_id, r.key.lead_days) for r in latest] == [(1, 1), (2, 1)]
    notice = notice_for(latest, date(2026, 3, 20))
    assert notice.is_summary
    assert notice.subscription_id is None
    assert notice.title == "2 renewal reminders"
    assert "Alpha" in notice.body and "Beta" in notice.body
    single = notice_for(latest[:1], date(2026, 3, 20))
    assert not single.is_summary and single.subscription_id == 1
    with pytest.raises(ValueError, match="at least one"):
        notice_for([], date(2026, 3, 20))


def test_naive_windows_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        plan([], datetime(2026, 3, 1), datetime(2026, 3, 2))


def test_a_reminder_speaks_the_interface_language_not_the_letters() -> None:
    """Dates and money in a reminder follow the window's language: German spells the month and puts the
    currency after the amount; English keeps "3 December 2026" and "$2.99"."""
    from renewaltracker.i18n import install_language

    sub = make_subscription(id=1, anchor=date(2026, 12, 3), amount=Decimal("2.99"), currency="USD", name="iCloud")
    start, end = datetime(2026, 11, 1, tzinfo=BERLIN), datetime(2026, 12, 4, tzinfo=BERLIN)
    english = plan([sub], start, end)[0].title()
    assert "3 December 2026" in english and "$2.99" in english
    install_language("de")
    german = plan([sub], start, end)[0]
    assert "3. Dezember 2026" in german.title() and "2,99 $" in german.title()
    assert "December" not in german.body(date(2026, 11, 26))


def test_a_trial_cancelled_before_it_ends_is_not_reminded_to_cancel() -> None:
    """Cancelled during the trial, nothing is charged at its end: "then it charges … cancel before then" would lie."""
    trial = make_subscription(id=1, anchor=None, trial_end=date(2026, 12, 20), name="Trialy", notice_days=3)
    window = (datetime(2026, 12, 1, tzinfo=BERLIN), datetime(2026, 12, 31, tzinfo=BERLIN))
    assert {r.key.kind for r in plan([trial], *window)} == {EventKind.TRIAL_END, EventKind.CHARGE, EventKind.CANCEL_BY}
    assert plan([trial.cancel(date(2026, 11, 30))], *window) == []
    assert plan([trial.cancel(date(2026, 12, 20))], *window) == []
    # Cancelled from a day after the first charge, the trial still ends in a charge.
    later = plan([trial.cancel(date(2026, 12, 21))], *window)
    assert EventKind.TRIAL_END in {r.key.kind for r in later}


@st.composite
def trials(draw: st.DrawFn) -> Subscription:
    trial_end = draw(st.dates(date(2026, 1, 1), date(2026, 12, 31)))
    ends_after = draw(st.one_of(st.none(), st.integers(0, 60)))
    return make_subscription(
        id=draw(st.integers(1, 5)),
        anchor=None,
        trial_end=trial_end,
        interval=draw(st.sampled_from(["1 week", "1 month", "1 year"])),
        end_count=draw(st.one_of(st.none(), st.integers(1, 3))),
        end_date=None if ends_after is None else trial_end + timedelta(days=ends_after),
    )


@given(
    subs=st.lists(trials(), min_size=1, max_size=4, unique_by=lambda s: s.id),
    cancelled=st.lists(st.one_of(st.none(), st.dates(date(2025, 12, 1), date(2027, 1, 31))), min_size=4, max_size=4),
    paused=st.lists(st.one_of(st.none(), st.dates(date(2025, 12, 1), date(2027, 1, 31))), min_size=4, max_size=4),
)
def test_every_trial_end_reminder_is_followed_by_the_charge_it_names(
    subs: list[Subscription], cancelled: list[date | None], paused: list[date | None]
) -> None:
    """A trial-end reminder says "then it charges": true only while a charge on or after the trial's end remains."""
    changed = []
    for sub, cancel_on, pause_on in zip(subs, cancelled, paused, strict=False):
        if pause_on is not None:
            sub = sub.pause(pause_on)
        elif cancel_on is not None:
            sub = sub.cancel(cancel_on)
        changed.append(sub)
    found = plan(changed, datetime(2025, 12, 1, tzinfo=BERLIN), datetime(2027, 1, 1, tzinfo=BERLIN))
    by_id = {s.id: s for s in changed}
    for reminder in found:
        if reminder.key.kind is EventKind.TRIAL_END:
            sub = by_id[reminder.subscription_id]
            assert sub.trial_end is not None
            assert sub.next_charge(sub.trial_end) is not None, reminder.body(sub.trial_end)
    for sub in changed:
        expected = sub.trial_end is not None and sub.next_charge(sub.trial_end) is not None
        reminded = any(r.key.kind is EventKind.TRIAL_END and r.subscription_id == sub.id for r in found)
        assert reminded == expected


def test_a_price_rise_after_the_last_charge_is_not_reminded() -> None:
    """A plan that ends (or is cancelled) before its price rises never charges the new price: no warning."""
    from renewaltracker.domain.prices import PriceHistory, PriceStep

    rise = date(2026, 6, 10)
    history = PriceHistory(Decimal("9.99"), [PriceStep(rise, Decimal("14.99"))])
    base = make_subscription(id=1, anchor=date(2026, 1, 10), amount=Decimal("9.99"), currency="USD")
    window = (datetime(2026, 1, 1, tzinfo=BERLIN), datetime(2026, 12, 31, tzinfo=BERLIN))

    def steps(sub: Subscription) -> list[Reminder]:
        return [r for r in plan([sub], *window, prices={1: history}) if r.key.kind is EventKind.PRICE_STEP]

    assert len(steps(base)) == 1
    assert steps(replace(base, end_date=rise)) != []
    assert steps(replace(base, end_count=5)) == []
    assert steps(replace(base, end_date=date(2026, 6, 9))) == []
    assert steps(base.cancel(date(2026, 6, 1))) == []


def test_a_summary_notice_speaks_the_interface_language() -> None:
    from renewaltracker.i18n import install_language

    subs = [
        make_subscription(id=1, anchor=date(2026, 3, 20), name="Alpha"),
        make_subscription(id=2, anchor=date(2026, 3, 21), name="Beta"),
    ]
    found = latest_per_event(plan(subs, datetime(2026, 3, 1, tzinfo=BERLIN), datetime(2026, 3, 20, 12, tzinfo=BERLIN)))
    install_language("de")
    assert "renewal reminders" not in notice_for(found, date(2026, 3, 20)).title
    install_language("fr")
    assert "renewal reminders" not in notice_for(found, date(2026, 3, 20)).title


@given(
    gap=st.integers(0, 20),
    step_offset=st.integers(-5, 25),
    new_price=st.decimals("0.01", "999.99", places=2),
)
def test_a_trial_end_reminder_names_the_price_of_the_charge_that_follows_it(
    gap: int, step_offset: int, new_price: Decimal
) -> None:
    """ "The trial ends tomorrow; then it charges X": X is what the first charge after the trial will cost, even with a
    price change between the trial's end and that charge."""
    from renewaltracker.domain.prices import PriceHistory, PriceStep
    from renewaltracker.domain.reminders import format_money

    trial_end = date(2026, 3, 15)
    sub = make_subscription(id=1, name="Gym", anchor=trial_end + timedelta(days=gap), trial_end=trial_end)
    prices = {1: PriceHistory(sub.amount, [PriceStep(trial_end + timedelta(days=step_offset), new_price)])}
    first_charge = sub.next_charge(trial_end)
    assert first_charge is not None
    found = plan([sub], datetime(2026, 3, 1, tzinfo=BERLIN), datetime(2026, 3, 16, tzinfo=BERLIN), prices=prices)
    trial = [r for r in found if r.key.kind is EventKind.TRIAL_END]
    assert trial
    expected = format_money(prices[1].price_on(first_charge), sub.currency)
    for reminder in trial:
        assert f"then it charges {expected}." in reminder.body(reminder.due_at.date())


@given(
    zone=st.sampled_from([BERLIN, NEW_YORK, ZoneInfo("Pacific/Auckland"), ZoneInfo("Asia/Kolkata")]),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    leads=st.sets(st.integers(0, 9), min_size=1, max_size=3).map(lambda s: tuple(sorted(s, reverse=True))),
    anchor=st.dates(date(2026, 3, 1), date(2026, 11, 30)),
)
def test_a_reminder_shown_when_due_says_today_tomorrow_or_in_n_days_by_the_local_date(
    zone: ZoneInfo, at: time, leads: tuple[int, ...], anchor: date
) -> None:
    """Over DST changes and zones ahead of and behind UTC, the day word agrees with the lead time at the due moment."""
    sub = make_subscription(id=1, anchor=anchor, interval="1 year", reminder_days=leads)
    start = datetime.combine(anchor - timedelta(days=12), time()).replace(tzinfo=zone)
    found = plan([sub], start, start + timedelta(days=14), time_of_day=at, zone=zone)
    assert sorted(r.key.lead_days for r in found) == sorted(leads)
    for reminder in found:
        today = reminder.due_at.astimezone(zone).date()
        assert today == anchor - timedelta(days=reminder.key.lead_days)
        word = {0: "today", 1: "tomorrow"}.get(reminder.key.lead_days, f"in {reminder.key.lead_days} days")
        assert reminder.body(today).startswith(f"Charge {word}.")


@given(
    every=st.sampled_from(["1 day", "2 days", "4 days", "1 week", "2 weeks", "1 month", "3 months", "1 year"]),
    anchor=st.dates(date(2024, 1, 1), date(2026, 12, 31)),
    which=st.integers(0, 12),
    early=st.integers(-5, 5),
)
@example(every="1 day", anchor=date(2024, 1, 1), which=1, early=2)  # booked before the plan's first charge
def test_a_charge_recorded_stands_for_its_own_date_and_for_a_scheduled_one_it_was_booked_just_before(
    every: str, anchor: date, which: int, early: int
) -> None:
    from renewaltracker.domain.reminders import EARLY_BOOKING_DAYS, recorded_charges

    plan = make_subscription(interval=every, anchor=anchor, id=1)
    scheduled = plan.schedule.charge_list(anchor, anchor + timedelta(days=4000))
    due = scheduled[min(which, len(scheduled) - 1)]
    booked = due - timedelta(days=early)
    covered = recorded_charges({(1, booked)}, [plan])
    assert (1, booked) in covered and len(covered) <= 2
    (extra,) = covered - {(1, booked)} or {None}
    if extra is not None:
        # Only a scheduled date, after the booking, within the days a bank books early, and none nearer before it.
        stood_for = extra[1]
        assert stood_for in scheduled and booked < stood_for <= booked + timedelta(days=EARLY_BOOKING_DAYS)
        assert booked not in scheduled
        earlier = [day for day in scheduled if day < booked]
        assert not earlier or (booked - earlier[-1]) > (stood_for - booked)
    if 0 < early <= EARLY_BOOKING_DAYS and booked not in scheduled:
        # The first scheduled date after the booking (`due`, or one before it when the plan starts in between).
        after = next(day for day in scheduled if day > booked)
        earlier = [day for day in scheduled if day < booked]
        if not earlier or (booked - earlier[-1]) > (after - booked):
            assert (1, after) in covered  # booked early: the reminders of that charge have nothing left to say
