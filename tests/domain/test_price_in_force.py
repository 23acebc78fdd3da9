"""Every projection reads the price in force on its date; a planned rise is reminded once, before it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.events import EventKind, events_between
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.prices import PriceHistory, PriceStep
from renewaltracker.domain.reminders import Reminder, reminders_between
from renewaltracker.domain.spending import charges_by_month
from renewaltracker.domain.subscription import Subscription

START = date(2026, 1, 10)


def plan(**kw: object) -> Subscription:
    fields: dict[str, object] = {
        "name": "Streamly",
        "amount": Decimal("9.99"),
        "currency": "USD",
        "interval": Interval(1, Unit.MONTH),
        "anchor": START,
        "id": 1,
    }
    fields.update(kw)
    return Subscription(**fields)  # type: ignore[arg-type]


steps = st.lists(
    st.builds(
        PriceStep,
        st.dates(min_value=date(2025, 6, 1), max_value=date(2027, 6, 1)),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999"), places=2),
    ),
    max_size=6,
)


@given(steps, st.integers(min_value=0, max_value=30))
def test_each_event_amount_is_the_price_on_its_charge_date(history_steps: list[PriceStep], notice: int) -> None:
    subscription = plan(notice_days=notice or None, refund_days=3)
    history = PriceHistory(subscription.amount, history_steps)
    events = events_between([subscription], date(2026, 1, 1), date(2027, 3, 1), {1: history})
    assert events
    for event in events:
        assert event.amount == history.price_on(event.charge_date)
        if event.kind is EventKind.CHARGE:
            assert event.charge_date == event.date


def test_months_ahead_use_the_intro_price_then_the_full_price() -> None:
    history = PriceHistory(
        Decimal("9.99"), [PriceStep(START, Decimal("1.99")), PriceStep(date(2026, 3, 10), Decimal("9.99"))]
    )
    months = charges_by_month([plan()], date(2026, 1, 1), 4, {1: history})
    assert [m["USD"] for m in months] == [Decimal("1.99"), Decimal("1.99"), Decimal("9.99"), Decimal("9.99")]


def _reminders(history: PriceHistory) -> list[Reminder]:
    return list(
        reminders_between(
            [plan()],
            datetime(2026, 1, 1, tzinfo=UTC),
            datetime(2026, 12, 31, tzinfo=UTC),
            default_lead_days=(3, 1),
            time_of_day=time(9),
            zone=UTC,
            prices={1: history},
        )
    )


def test_a_step_up_is_reminded_exactly_once_before_it_and_names_both_prices() -> None:
    rise = date(2026, 4, 10)
    history = PriceHistory(Decimal("1.99"), [PriceStep(START, Decimal("1.99")), PriceStep(rise, Decimal("14.99"))])
    found = [
        r
        for r in reminders_between(
            [plan()],
            datetime(2026, 1, 1, tzinfo=UTC),
            datetime(2026, 12, 31, tzinfo=UTC),
            default_lead_days=(3, 1),
            time_of_day=time(9),
            zone=UTC,
            prices={1: history},
        )
        if r.event.kind is EventKind.PRICE_STEP
    ]
    assert len(found) == 1
    (step,) = found
    assert step.due_at.date() == rise - timedelta(days=3)
    assert "from $1.99 to $14.99 on 10 April 2026" in step.title()
    charge = [r for r in _reminders(history) if r.event.kind is EventKind.CHARGE and r.event.date == rise]  # type: ignore[attr-defined]
    assert charge and charge[0].event.amount == Decimal("14.99")  # type: ignore[attr-defined]


def test_a_step_down_is_not_reminded() -> None:
    history = PriceHistory(
        Decimal("14.99"), [PriceStep(START, Decimal("14.99")), PriceStep(date(2026, 4, 10), Decimal("9.99"))]
    )
    assert not [r for r in _reminders(history) if r.event.kind is EventKind.PRICE_STEP]  # type: ignore[attr-defined]


def test_the_next_step_up_skips_drops_and_names_the_price_before_it() -> None:
    history = PriceHistory(
        Decimal("1.99"),
        [
            PriceStep(date(2026, 3, 3), Decimal("9.99")),
            PriceStep(date(2026, 6, 3), Decimal("4.99")),  # a drop is no step up
            PriceStep(date(2026, 9, 3), Decimal("14.99")),
        ],
    )
    assert history.next_step_up(date(2026, 1, 1)) == (date(2026, 3, 3), Decimal("1.99"), Decimal("9.99"))
    assert history.next_step_up(date(2026, 3, 3)) == (date(2026, 9, 3), Decimal("4.99"), Decimal("14.99"))
    assert history.next_step_up(date(2026, 9, 3)) is None


def test_review_household_and_home_currency_ranking_cost_a_year_at_todays_price() -> None:
    from renewaltracker.domain.exchange import Rate, RateTable, most_expensive_in
    from renewaltracker.domain.household import Assignment, Member, household_costs
    from renewaltracker.domain.review import review_items

    s = plan()
    today = date(2026, 6, 1)
    prices = {1: PriceHistory(Decimal("9.99"), [PriceStep(START, Decimal("1.99")), PriceStep(today, Decimal("5"))])}
    assert review_items([s], today, prices)[0].yearly == Decimal("60.00")
    assert review_items([s], today)[0].yearly == Decimal("119.88")  # without the history: the stored amount
    costs = household_costs([s], [Member("Alex", 7)], {1: Assignment(7, (7,))}, today, prices)
    assert costs.total == {"USD": Decimal("60.00")} and costs.members[0].pays == {"USD": Decimal("60.00")}
    table = RateTable([Rate("EUR", "USD", today, Decimal("2"))])
    ranked = most_expensive_in([s], today, table, "EUR", prices=prices)
    assert ranked[0].per_year == Decimal("60.00") and ranked[0].converted is not None
    assert ranked[0].converted.amount == Decimal("30.00")
