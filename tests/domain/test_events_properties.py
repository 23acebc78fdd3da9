"""Events of many subscriptions: sorted, complete, and each deadline tied to its charge."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.events import KIND_ORDER, EventKind, events_between
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.subscription import Subscription

subscriptions = st.builds(
    Subscription,
    name=st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=20).filter(str.strip),
    amount=st.decimals(min_value=0, max_value=1000, places=2),
    currency=st.sampled_from(["USD", "EUR", "JPY"]),
    interval=st.builds(Interval, st.integers(1, 14), st.sampled_from(list(Unit))),
    anchor=st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)),
    notice_days=st.one_of(st.none(), st.integers(0, 60)),
    refund_days=st.one_of(st.none(), st.integers(0, 30)),
    trial_end=st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31))),
    id=st.integers(1, 10**6),
)


@given(st.lists(subscriptions, max_size=8), st.dates(date(2021, 1, 1), date(2027, 1, 1)), st.integers(0, 400))
def test_events_are_sorted_complete_and_consistent(generated: list[Subscription], start: date, span: int) -> None:
    items = [replace(item, id=number) for number, item in enumerate(generated, start=1)]
    end = start + timedelta(days=span)
    events = events_between(items, start, end)
    assert all(start <= e.date <= end for e in events)
    assert [(e.date, KIND_ORDER[e.kind]) for e in events] == sorted((e.date, KIND_ORDER[e.kind]) for e in events)
    for item in items:
        mine = [e for e in events if e.subscription_id == item.id]
        assert all(e.amount == item.amount and e.currency == item.currency for e in mine)
        by_kind = {kind: [e for e in mine if e.kind is kind] for kind in EventKind}
        assert [e.date for e in by_kind[EventKind.CHARGE]] == list(item.schedule.charges_between(start, end))
        notice = timedelta(days=item.notice_days or 0)
        expected_deadlines = (
            [d - notice for d in item.schedule.charges_between(start + notice, end + notice)]
            if item.notice_days
            else []
        )
        assert [e.date for e in by_kind[EventKind.CANCEL_BY]] == expected_deadlines
        refund = timedelta(days=item.refund_days or 0)
        expected_refunds = (
            [d + refund for d in item.schedule.charges_between(start - refund, end - refund)]
            if item.refund_days
            else []
        )
        assert [e.date for e in by_kind[EventKind.REFUND_WINDOW_END]] == expected_refunds
        trial = item.trial_end
        assert [e.date for e in by_kind[EventKind.TRIAL_END]] == ([trial] if trial and start <= trial <= end else [])


def test_amounts_are_decimal() -> None:
    item = Subscription(
        name="x", amount=Decimal("1.10"), currency="USD", interval=Interval(1, Unit.DAY), anchor=date(2026, 1, 1), id=1
    )
    assert {type(e.amount) for e in events_between([item], date(2026, 1, 1), date(2026, 1, 5))} == {Decimal}
