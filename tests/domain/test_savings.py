"""The savings ledger: renewals avoided are the charges a cancellation really stopped, each at its own price."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.charges import Charge
from renewaltracker.domain.prices import PriceStep
from renewaltracker.domain.savings import SavingKind, ledger
from renewaltracker.domain.spending import year_ahead_end
from renewaltracker.domain.subscription import ChargeStatus, Status, Subscription
from tests.factories import make_subscription


def cancelled(**overrides: object) -> Subscription:
    values: dict[str, object] = {"id": 1, "amount": "10.00", "anchor": date(2026, 1, 15), "status": Status.CANCELLED}
    return make_subscription(**(values | overrides))


def test_a_charge_made_after_cancelling_and_refunded_is_recovered_not_also_avoided() -> None:
    plan = cancelled(cancelled_on=date(2026, 3, 1))
    refunded = Charge(
        1,
        date(2026, 3, 15),
        Decimal("10.00"),
        "USD",
        status=ChargeStatus.REFUNDED,
        id=1,
        refunded_amount=Decimal("10.00"),
        refunded_on=date(2026, 3, 20),
    )
    result = ledger([plan], [refunded], [], {})
    assert result.totals(SavingKind.RECOVERED) == {"USD": Decimal("10.00")}
    assert result.totals(SavingKind.AVOIDED) == {"USD": Decimal("110.00")}  # 11 of the 12, not 12


def test_a_disputed_charge_or_one_booked_a_day_late_happened() -> None:
    plan = cancelled(cancelled_on=date(2026, 3, 1))
    charges = [
        Charge(1, date(2026, 3, 16), Decimal("10.00"), "USD", id=1),  # the bank booked the 15th's charge late
        Charge(1, date(2026, 4, 15), Decimal("10.00"), "USD", status=ChargeStatus.DISPUTED, id=2),
        Charge(1, date(2026, 5, 15), Decimal("10.00"), "USD", status=ChargeStatus.NOT_CHARGED, id=3),
    ]
    assert ledger([plan], charges, [], {}).totals(SavingKind.AVOIDED) == {"USD": Decimal("100.00")}


def test_the_last_charge_before_the_cancellation_booked_after_it_is_not_one_it_stopped() -> None:
    plan = cancelled(anchor=date(2026, 1, 28), cancelled_on=date(2026, 3, 1))
    booked_late = Charge(1, date(2026, 3, 2), Decimal("10.00"), "USD", id=1)  # the charge of 28 February
    assert ledger([plan], [booked_late], [], {}).totals(SavingKind.AVOIDED) == {"USD": Decimal("120.00")}


def test_each_avoided_charge_counts_at_the_price_it_would_have_had() -> None:
    # Cancelled before an introductory price ends: what it saved is the full price from then on.
    plan = cancelled(amount="1.99", anchor=date(2026, 1, 3), cancelled_on=date(2026, 3, 1))
    result = ledger([plan], [], [], {1: [PriceStep(date(2026, 4, 3), Decimal("14.99"))]})
    assert result.totals(SavingKind.AVOIDED) == {"USD": Decimal("166.88")}  # 1.99 + 11 × 14.99
    assert [item.what for item in result.items] == [
        "1 charge of 1.99 USD not made after cancelling",
        "11 charges of 14.99 USD not made after cancelling",
    ]


def test_the_twelve_months_after_a_cancellation_reach_a_leap_day() -> None:
    plan = cancelled(anchor=date(2024, 2, 29), interval="1 year", cancelled_on=date(2027, 3, 1))
    assert ledger([plan], [], [], {}).totals(SavingKind.AVOIDED) == {"USD": Decimal("10.00")}


@given(
    st.sampled_from(["1 week", "2 weeks", "1 month", "3 months", "1 year", "10 days"]),
    st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    st.dates(date(2024, 1, 1), date(2028, 12, 31)),
    st.lists(st.tuples(st.integers(0, 400), st.sampled_from(list(ChargeStatus))), max_size=6),
    st.lists(st.tuples(st.integers(-100, 400), st.integers(1, 3000)), max_size=3),
)
def test_avoided_is_the_charges_the_schedule_would_have_made_less_those_that_happened(
    every: str,
    anchor: date,
    effective: date,
    recorded: list[tuple[int, ChargeStatus]],
    steps: list[tuple[int, int]],
) -> None:
    from datetime import timedelta

    plan = cancelled(interval=every, anchor=anchor, cancelled_on=max(effective, anchor))
    effective = max(effective, anchor)
    horizon = year_ahead_end(effective)
    charges = [
        Charge(1, effective + timedelta(days=offset), Decimal("10.00"), "USD", status=status, id=number)
        for number, (offset, status) in enumerate(recorded, start=1)
    ]
    price_steps = [PriceStep(effective + timedelta(days=offset), Decimal(cents) / 100) for offset, cents in steps]
    result = ledger([plan], charges, [], {1: price_steps})
    avoided = [item for item in result.items if item.kind is SavingKind.AVOIDED]
    # Would have charged: the plan's dates in the twelve months from the effective date.
    active = make_subscription(interval=every, anchor=anchor, id=1, amount="10.00")
    would = active.schedule.charge_list(effective, horizon)
    happened = [c for c in charges if c.status is not ChargeStatus.NOT_CHARGED and effective <= c.date <= horizon]
    count = sum(int(item.what.split()[0]) for item in avoided)
    assert max(len(would) - len(happened), 0) <= count <= len(would)
    # A charge due in the week before the cancellation may be booked after it and stand for itself (the nearest
    # date); with none due then, every charge recorded is one the cancellation did not stop.
    if not active.schedule.charge_list(effective - timedelta(days=7), effective - timedelta(days=1)):
        assert count == max(len(would) - len(happened), 0)
    prices = sorted({Decimal("10.00"), *(s.amount for s in price_steps)})
    assert all(item.amount >= 0 and item.currency == "USD" and item.day == effective for item in avoided)
    assert sum((i.amount for i in avoided), Decimal(0)) <= count * max(prices)
    assert sum((i.amount for i in avoided), Decimal(0)) >= count * min(prices)


SHARES = st.one_of(
    st.none().map(lambda _: {}),
    st.integers(1, 5).map(lambda people: {"split_between": people}),
    st.integers(1, 1000).map(lambda cents: {"fixed_share": Decimal(cents) / 100}),
)


@given(
    st.sampled_from(["1 week", "1 month", "3 months", "1 year"]),
    st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    st.integers(0, 400),
    SHARES,
    st.lists(st.tuples(st.integers(-100, 400), st.integers(1, 3000)), max_size=3),
)
def test_what_a_cancellation_saved_is_the_users_share_the_totals_would_have_counted(
    every: str, anchor: date, after: int, share: dict[str, object], steps: list[tuple[int, int]]
) -> None:
    """The money the user no longer pays is their share, at each charge's price: what the Spending totals count."""
    from datetime import timedelta

    from renewaltracker.domain.prices import PriceHistory

    effective = anchor + timedelta(days=after)
    plan = cancelled(interval=every, anchor=anchor, cancelled_on=effective, amount="10.00", **share)
    price_steps = [PriceStep(effective + timedelta(days=offset), Decimal(cents) / 100) for offset, cents in steps]
    history = PriceHistory(plan.amount, price_steps)
    running = make_subscription(interval=every, anchor=anchor, id=1, amount="10.00", **share)
    would = running.schedule.charge_list(effective, year_ahead_end(effective))
    expected = sum((running.share_of(history.price_on(day)) for day in would), Decimal(0))
    assert ledger([plan], [], [], {1: price_steps}).totals(SavingKind.AVOIDED) == ({"USD": expected} if would else {})


@given(SHARES, st.integers(1, 1000))
def test_a_refund_on_a_shared_plan_recovers_the_users_share_of_it(share: dict[str, object], cents: int) -> None:
    plan = cancelled(cancelled_on=date(2026, 3, 1), amount="10.00", **share)
    refunded = Charge(
        1,
        date(2026, 2, 15),
        Decimal("10.00"),
        "USD",
        status=ChargeStatus.REFUNDED,
        id=1,
        refunded_amount=Decimal(min(cents, 1000)) / 100,
        refunded_on=date(2026, 3, 20),
    )
    (recovered,) = [i for i in ledger([plan], [refunded], [], {}).items if i.kind is SavingKind.RECOVERED]
    whole = plan.share_of(Decimal("10.00"))
    assert recovered.amount == (refunded.refunded_amount * whole / Decimal("10.00")).quantize(Decimal("0.01"))
    assert ("your share" in recovered.what) is plan.is_shared
