"""The fast reminder planner against a straightforward reference: the same reminders, in the same order."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from renewaltracker.domain.drafts import format_money as letter_money
from renewaltracker.domain.events import Event, EventKind, events_between, price_step_events
from renewaltracker.domain.prices import PriceHistory, PriceStep
from renewaltracker.domain.reminders import (
    EXTRA_KINDS,
    FOLLOW_UP_LEAD_DAYS,
    REMINDED_KINDS,
    Reminder,
    ReminderEntry,
    entry_order,
    event_window,
    format_money,
    local_moment,
    refund_leads,
    refund_window_events,
    reminder_entries,
    reminder_from,
    reminders_between,
)
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import Charge, ChargeStatus, Status, Subscription
from tests.factories import make_subscription

ZONES = [ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York"), ZoneInfo("Australia/Lord_Howe"), UTC]


def reference_entries(
    subscriptions: list[Subscription],
    start: datetime,
    end: datetime,
    defaults: tuple[int, ...],
    time_of_day: time,
    zone: tzinfo,
    extra: list[Event],
    charges: list[Charge] | None,
    refund_lead: int,
    prices: dict[int, PriceHistory],
) -> list[ReminderEntry]:
    """Every reminder the obvious way: each event, each of its lead times, its due moment tested on its own."""
    leads_by_id = {s.id: s.lead_days(defaults) for s in subscriptions if s.id is not None}
    notice_by_id = {s.id: s.notice_days for s in subscriptions if s.id is not None}
    all_leads = [d for leads in leads_by_id.values() for d in leads] + list(defaults) + [0, 1]
    all_leads += [s.refund_days or 0 for s in subscriptions]
    all_leads += [(e.date - e.charge_date).days for e in extra if e.kind is EventKind.REFUND_WINDOW_END]
    first, last = event_window(start, end, all_leads)
    events = [e for e in events_between(subscriptions, first, last, prices) if e.kind in REMINDED_KINDS]
    # A trial is warned about only when a charge follows its end.
    silent = {s.id for s in subscriptions if s.id is not None and s.trial_end and not s.next_charge(s.trial_end)}
    events = [e for e in events if e.kind is not EventKind.TRIAL_END or e.subscription_id not in silent]
    if prices:
        events += price_step_events(subscriptions, prices, first, last)
    kinds = EXTRA_KINDS | {EventKind.REFUND_WINDOW_END}
    events += [e for e in extra if e.kind in kinds and first <= e.date <= last]
    if charges is not None:
        events += refund_window_events(subscriptions, charges, first, last, prices)
    entries: list[ReminderEntry] = []
    for event in events:
        if event.kind in EXTRA_KINDS:
            leads = FOLLOW_UP_LEAD_DAYS
        elif event.kind is EventKind.PRICE_STEP:
            leads = (max(max(leads_by_id.get(event.subscription_id, defaults), default=1), 1),)
        elif event.kind is EventKind.REFUND_WINDOW_END:
            leads = refund_leads((event.date - event.charge_date).days, refund_lead)
        else:
            leads = leads_by_id.get(event.subscription_id, defaults)
        notice = notice_by_id.get(event.subscription_id)
        cancel_by = event.date - timedelta(days=notice) if event.kind is EventKind.CHARGE and notice else None
        for lead in leads:
            local = local_moment(event.date - timedelta(days=lead), time_of_day, zone)
            if start.astimezone(UTC) < local.astimezone(UTC) <= end.astimezone(UTC):
                entries.append((local.astimezone(UTC), local, event, lead, cancel_by))
    return entries


def reference(*args: object) -> list[Reminder]:
    entries = reference_entries(*args)  # type: ignore[arg-type]
    entries.sort(key=entry_order)
    return [reminder_from(entry) for entry in entries]


leads = st.one_of(st.none(), st.lists(st.integers(0, 20), min_size=1, max_size=3, unique=True).map(tuple))


@st.composite
def subscription(draw: st.DrawFn, number: int) -> Subscription:
    anchor = draw(st.dates(date(2025, 10, 1), date(2026, 6, 30)))
    trial = draw(st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2026, 6, 30))))
    status = Status.TRIAL if trial is not None else draw(st.sampled_from([Status.ACTIVE, Status.ACTIVE, Status.PAUSED]))
    stop = draw(st.dates(date(2026, 1, 1), date(2026, 6, 30)))
    if status in (Status.ACTIVE, Status.TRIAL) and draw(st.booleans()):
        status = Status.CANCELLED
    return make_subscription(
        pauses=(Pause(stop, None),) if status is Status.PAUSED else (),
        cancelled_on=stop if status is Status.CANCELLED else None,
        id=draw(st.sampled_from([number, number, None])),
        name=draw(st.sampled_from(["Alpha", "beta", "Alpha", "Gamma"])),
        amount=draw(st.sampled_from([Decimal("9.99"), Decimal("0"), Decimal("120")])),
        currency=draw(st.sampled_from(["EUR", "USD", "JPY"])),
        interval=draw(st.sampled_from(["1 week", "2 weeks", "1 month", "3 months", "1 year"])),
        anchor=anchor,
        status=status,
        trial_end=trial,
        notice_days=draw(st.one_of(st.none(), st.integers(1, 40))),
        refund_days=draw(st.one_of(st.none(), st.integers(1, 30))),
        reminder_days=draw(leads),
    )


@st.composite
def scenario(draw: st.DrawFn) -> tuple[object, ...]:
    subscriptions = [draw(subscription(number)) for number in range(1, draw(st.integers(0, 7)) + 1)]
    ids = [s.id for s in subscriptions if s.id is not None] or [1]
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=draw(st.integers(0, 24 * 150)))
    end = start + timedelta(hours=draw(st.integers(0, 24 * 70)))
    day = st.dates(date(2025, 12, 1), date(2026, 8, 31))
    extra = [
        Event(d, kind, draw(st.sampled_from([0, *ids])), "Extra", Decimal("5"), "EUR", d)
        for d, kind in draw(st.lists(st.tuples(day, st.sampled_from([EventKind.FOLLOW_UP, EventKind.REVIEW]))))
    ]
    extra += [
        Event(d + timedelta(days=lag), EventKind.REFUND_WINDOW_END, sid, "Refund", Decimal("5"), "EUR", d)
        for d, lag, sid in draw(st.lists(st.tuples(day, st.integers(0, 20), st.sampled_from(ids)), max_size=3))
    ]
    charges = draw(
        st.one_of(
            st.none(),
            st.lists(
                st.builds(
                    Charge,
                    id=st.integers(1, 50),
                    subscription_id=st.sampled_from(ids),
                    date=day,
                    amount=st.just(Decimal("3")),
                    currency=st.just("EUR"),
                    status=st.sampled_from(list(ChargeStatus)),
                ),
                max_size=4,
            ),
        )
    )
    prices = {
        sid: PriceHistory(Decimal("9.99"), [PriceStep(d, Decimal(f"{n + 11}.50")) for n, d in enumerate(steps)])
        for sid, steps in draw(st.dictionaries(st.sampled_from(ids), st.lists(day, max_size=3), max_size=2)).items()
    }
    defaults = draw(st.lists(st.integers(0, 14), min_size=1, max_size=3).map(tuple))
    time_of_day = time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 30])))
    zone = draw(st.sampled_from(ZONES))
    return subscriptions, start, end, defaults, time_of_day, zone, extra, charges, draw(st.integers(0, 5)), prices


@settings(max_examples=200, deadline=None)
@given(scenario())
def test_the_planner_gives_exactly_what_the_reference_gives(case: tuple[object, ...]) -> None:
    subscriptions, start, end, defaults, time_of_day, zone, extra, charges, refund_lead, prices = case
    fast = reminders_between(
        subscriptions,  # type: ignore[arg-type]
        start,  # type: ignore[arg-type]
        end,  # type: ignore[arg-type]
        default_lead_days=defaults,  # type: ignore[arg-type]
        time_of_day=time_of_day,  # type: ignore[arg-type]
        zone=zone,  # type: ignore[arg-type]
        extra_events=extra,  # type: ignore[arg-type]
        charges=charges,  # type: ignore[arg-type]
        refund_lead_days=refund_lead,  # type: ignore[arg-type]
        prices=prices,  # type: ignore[arg-type]
    )
    # Whole reminders in order: keys, due moments (with their zone), events, cancel-by dates.
    assert fast == reference(*case)
    assert [r.due_at.utcoffset() for r in fast] == [r.due_at.utcoffset() for r in reference(*case)]


def test_unsorted_entries_keep_the_reference_order_too() -> None:
    """The kept plan stores entries unsorted; they come in the order the events and lead times come."""
    subs = [make_subscription(id=1, anchor=date(2026, 3, 10), reminder_days=(3, 7, 1), notice_days=5)]
    start, end = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC)
    args = (subs, start, end, (7, 1), time(9), ZONES[0], [], None, 1, {})
    fast = reminder_entries(subs, start, end, default_lead_days=(7, 1), time_of_day=time(9), zone=ZONES[0])
    assert fast == reference_entries(*args)  # type: ignore[arg-type]
    assert len(fast) == 12, "charges and cancel-bys at each lead time due within the window"


def test_money_is_written_once_per_amount_and_still_exactly_as_letters_write_it() -> None:
    for amount, currency in [
        (Decimal("2.99"), "USD"),
        (Decimal("2.990"), "USD"),
        (Decimal("0"), "EUR"),
        (Decimal("-0"), "EUR"),
        (Decimal("1E+3"), "JPY"),
        (Decimal("1000"), "JPY"),
    ]:
        assert format_money(amount, currency) == letter_money(amount, currency, "en")
