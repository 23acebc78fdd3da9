"""The event engine (bucketed, cached per subscription) gives exactly what a plain reference expansion gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.events import KIND_ORDER, Event, EventKind, clear_cache, events_between
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.prices import PriceHistory, PriceStep
from renewaltracker.domain.schedule import Schedule
from renewaltracker.domain.subscription import Subscription
from tests.domain.test_events_properties import subscriptions


def reference_events(items: list[Subscription], start: date, end: date, prices: dict[int, PriceHistory]) -> list[Event]:
    """One subscription and one charge at a time, then one comparison sort: slow and obviously right."""
    found: list[tuple[int, Event]] = []
    for order, item in enumerate(items):
        history = prices.get(item.id) if item.id is not None else None

        def price(day: date, history: PriceHistory | None = history, item: Subscription = item) -> Decimal:
            return history.price_on(day) if history else item.amount

        def event(day: date, kind: EventKind, charge: date, item: Subscription = item) -> Event:
            return Event(day, kind, item.id or 0, item.name, price(charge), item.currency, charge)

        notice = timedelta(days=item.notice_days or 0)
        refund = timedelta(days=item.refund_days or 0)
        for charge in item.schedule.charges_between(start - refund, end + notice):
            if start <= charge <= end:
                found.append((order, event(charge, EventKind.CHARGE, charge)))
            if item.notice_days and start <= charge - notice <= end:
                found.append((order, event(charge - notice, EventKind.CANCEL_BY, charge)))
            if item.refund_days and start <= charge + refund <= end:
                found.append((order, event(charge + refund, EventKind.REFUND_WINDOW_END, charge)))
        if item.trial_end is not None and start <= item.trial_end <= end:
            # At the price of the first charge after the trial: a price change may fall in between.
            paid = price(item.next_charge(item.trial_end) or item.trial_end)
            ending = Event(
                item.trial_end, EventKind.TRIAL_END, item.id or 0, item.name, paid, item.currency, item.trial_end
            )
            found.append((order, ending))
    found.sort(key=lambda pair: (pair[1].date, KIND_ORDER[pair[1].kind], pair[0]))
    return [e for _, e in found]


price_steps = st.lists(
    st.builds(
        PriceStep,
        effective=st.dates(date(2020, 1, 1), date(2028, 1, 1)),
        amount=st.decimals(min_value=0, max_value=500, places=2),
    ),
    max_size=3,
)


@given(
    st.lists(subscriptions, max_size=8),
    st.dates(date(2021, 1, 1), date(2027, 1, 1)),
    st.integers(0, 400),
    st.lists(price_steps, max_size=8),
    st.booleans(),
)
def test_the_engine_gives_what_the_reference_gives(
    generated: list[Subscription], start: date, span: int, steps: list[list[PriceStep]], cold: bool
) -> None:
    items = [replace(item, id=number) for number, item in enumerate(generated, start=1)]
    prices = {number: PriceHistory(Decimal(1), chosen) for number, chosen in enumerate(steps, start=1) if chosen}
    end = start + timedelta(days=span)
    if cold:
        clear_cache()
    expected = reference_events(items, start, end, prices)
    found = events_between(items, start, end, prices)
    assert found == expected
    assert all(type(event) is Event for event in found)  # built in bulk, each still an Event
    # Asked again (the cached expansions), in another order and with one subscription changed.
    assert events_between(items, start, end, prices) == expected
    reordered = items[::-1]
    assert events_between(reordered, start, end, prices) == reference_events(reordered, start, end, prices)
    if items:
        changed = [replace(items[0], anchor=items[0].anchor + timedelta(days=1), name="Changed"), *items[1:]]
        assert events_between(changed, start, end, prices) == reference_events(changed, start, end, prices)
        # Some cached, some new, one object twice, one not yet saved (no id): each in its place.
        mixed = [*changed[:2], items[0], changed[0], replace(items[-1], id=None), *items[1:]]
        assert events_between(mixed, start, end, prices) == reference_events(mixed, start, end, prices)


@given(
    st.lists(subscriptions, min_size=1, max_size=4),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 30), st.integers(0, 60), st.integers(0, 30)), max_size=12),
    st.dates(date(2021, 1, 1), date(2027, 1, 1)),
    st.integers(0, 400),
)
def test_plans_sharing_their_charge_days_give_what_the_reference_gives(
    generated: list[Subscription], copies: list[tuple[int, int, int, int]], start: date, span: int
) -> None:
    # Copies of a plan begun some months (or weeks) later: those begun whole periods later share its charge days
    # once begun (one computation for all of them in the engine), the others do not; each with its own notice
    # and refund periods.
    items = list(generated)
    for original, periods, notice, refund in copies:
        item = generated[original % len(generated)]
        step = Interval(1, Unit.MONTH if item.interval.months else Unit.WEEK)
        anchor = Schedule(item.anchor_date, step).occurrence(periods) or item.anchor_date
        items.append(replace(item, anchor=anchor, notice_days=notice or None, refund_days=refund or None))
    items = [replace(item, id=number, name=f"{number} {item.name}") for number, item in enumerate(items, start=1)]
    end = start + timedelta(days=span)
    clear_cache()
    assert events_between(items, start, end) == reference_events(items, start, end, {})


def test_a_changed_subscription_or_price_history_is_expanded_again() -> None:
    item = Subscription(
        name="Cloud",
        amount=Decimal("5.00"),
        currency="EUR",
        interval=Interval(1, Unit.MONTH),
        anchor=date(2026, 1, 10),
        id=7,
    )
    start, end = date(2026, 1, 1), date(2026, 3, 31)
    assert [e.date.day for e in events_between([item], start, end)] == [10, 10, 10]
    moved = replace(item, anchor=date(2026, 1, 20))
    assert [e.date.day for e in events_between([moved], start, end)] == [20, 20, 20]
    dearer = {7: PriceHistory(Decimal("5.00"), [PriceStep(date(2026, 2, 1), Decimal("6.00"))])}
    assert [e.amount for e in events_between([moved], start, end, dearer)] == [Decimal(5), Decimal(6), Decimal(6)]
    assert [e.amount for e in events_between([moved], start, end)] == [Decimal("5.00")] * 3


def test_one_day_holding_every_kind_keeps_urgency_then_input_order() -> None:
    # 10 March 2026: B's cancel-by (its charge on the 20th), A's and C's trial ends and charges, D's refund-window
    # end (its charge on the 3rd); within a kind, the order the subscriptions were given in.
    def plan(name: str, number: int, anchor: date) -> Subscription:
        monthly = Interval(1, Unit.MONTH)
        return Subscription(
            name=name, amount=Decimal(number), currency="EUR", interval=monthly, anchor=anchor, id=number
        )

    items = [
        replace(plan("C", 3, date(2026, 1, 10)), trial_end=date(2026, 3, 10)),
        replace(plan("D", 4, date(2026, 1, 3)), refund_days=7),
        replace(plan("A", 1, date(2026, 1, 10)), trial_end=date(2026, 3, 10)),
        replace(plan("B", 2, date(2026, 1, 20)), notice_days=10),
    ]
    day = date(2026, 3, 10)
    for cold in (True, False):
        if cold:
            clear_cache()
        found = [(e.kind, e.name) for e in events_between(items, day, day)]
        assert found == [
            (EventKind.CANCEL_BY, "B"),
            (EventKind.TRIAL_END, "C"),
            (EventKind.TRIAL_END, "A"),
            (EventKind.CHARGE, "C"),
            (EventKind.CHARGE, "A"),
            (EventKind.REFUND_WINDOW_END, "D"),
        ]
        assert events_between(items, day, day) == reference_events(items, day, day, {})


@given(
    st.lists(subscriptions, max_size=4), st.dates(date(2000, 1, 1), date(2030, 1, 1)), st.sampled_from([-3, 3650, 4000])
)
def test_windows_longer_than_the_day_buckets_or_empty_give_what_the_reference_gives(
    generated: list[Subscription], start: date, span: int
) -> None:
    items = [replace(item, id=number) for number, item in enumerate(generated, start=1)]
    end = start + timedelta(days=span)
    clear_cache()
    assert events_between(items, start, end) == reference_events(items, start, end, {})


@given(st.lists(subscriptions, min_size=1, max_size=6), st.dates(date(2021, 1, 1), date(2027, 1, 1)))
def test_the_same_call_again_gives_the_callers_own_list_and_a_changed_call_splits_what_was_kept(
    generated: list[Subscription], start: date
) -> None:
    # A cold call keeps its events as built (per kind, not per subscription) and the result: asked again with the
    # very same subscriptions, the result comes back as a new list; asked for others, the kept events are split
    # per subscription first.
    items = [replace(item, id=number, trial_end=None) for number, item in enumerate(generated, start=1)]
    end = start + timedelta(days=120)
    expected = reference_events(items, start, end, {})
    clear_cache()
    first = events_between(items, start, end)
    assert first == expected
    first.clear()
    again = events_between(items, start, end)
    assert again == expected
    assert again is not events_between(items, start, end)
    # Dates made from schedules are the window's own objects, one per day (the day buckets find them by identity).
    assert len({id(event.date) for event in again}) == len({event.date for event in again})
    fewer = items[1:]
    assert events_between(fewer, start, end) == reference_events(fewer, start, end, {})


@given(st.lists(subscriptions, min_size=4, max_size=12), st.dates(date(2021, 1, 1), date(2027, 1, 1)), st.data())
def test_a_few_subscriptions_changed_in_their_places_give_what_the_reference_gives(
    generated: list[Subscription], start: date, data: st.DataObject
) -> None:
    # The kept events of the same subscriptions in the same places, with a few changed ones' spliced in.
    items = [replace(item, id=number) for number, item in enumerate(generated, start=1)]
    end = start + timedelta(days=200)
    clear_cache()
    assert events_between(items, start, end) == reference_events(items, start, end, {})
    prices: dict[int, PriceHistory] = {}
    for _ in range(2):
        places = data.draw(st.sets(st.integers(0, len(items) - 1), min_size=1, max_size=len(items) // 4))
        for place in places:
            item = items[place]
            items[place] = replace(item, anchor=item.anchor + timedelta(days=3), notice_days=7, name=f"{item.name}!")
        if data.draw(st.booleans()):
            # A new price history for one subscription: the same object otherwise.
            prices = {**prices, items[-1].id or 0: PriceHistory(Decimal(2), [PriceStep(start, Decimal(3))])}
        assert events_between(items, start, end, prices) == reference_events(items, start, end, prices)
