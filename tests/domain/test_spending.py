from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.costs import charges_per_year, is_running, totals, totals_by_category, yearly_figure
from renewaltracker.domain.events import Event, EventKind
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.money import quantize
from renewaltracker.domain.prices import PriceHistory, PriceStep
from renewaltracker.domain.spending import (
    add_months,
    charge_totals,
    charges_by_month,
    most_expensive,
    renewals_between,
    running_totals,
    year_ahead_end,
)
from renewaltracker.domain.subscription import Status, Subscription
from tests.factories import make_subscription

TODAY = date(2026, 3, 10)


def test_add_months_crosses_years() -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 1)
    assert add_months(date(2026, 3, 10), 0) == date(2026, 3, 1)


def test_charges_by_month_counts_the_users_share_from_today() -> None:
    monthly = make_subscription(amount=Decimal("20.00"), anchor=date(2026, 1, 5), split_between=2)
    yearly = make_subscription(name="Domain", amount=Decimal("12.00"), interval="1 year", anchor=date(2025, 5, 1))
    months = charges_by_month([monthly, yearly], TODAY, 3)
    # March's charge on the 5th is already past on the 10th.
    assert months == [{}, {"USD": Decimal("10.00")}, {"USD": Decimal("22.00")}]


def test_most_expensive_ranks_within_each_currency_and_skips_cancelled() -> None:
    cheap = make_subscription(name="Cheap", amount=Decimal("1.00"))
    dear = make_subscription(name="Dear", amount=Decimal("9.00"))
    yen = make_subscription(name="Yen", amount=Decimal("2400"), currency="JPY", interval="1 year")
    gone = make_subscription(
        name="Gone", amount=Decimal("99.00"), status=Status.CANCELLED, cancelled_on=date(2026, 2, 1)
    )
    ranked = most_expensive([cheap, yen, dear, gone], TODAY, limit=5)
    assert [(r.subscription.name, r.per_year) for r in ranked] == [
        ("Dear", Decimal("108.00")),
        ("Cheap", Decimal("12.00")),
        ("Yen", Decimal("2400")),
    ]


def test_renewals_between_lists_dates_and_totals_soonest_first() -> None:
    monthly = make_subscription(name="Monthly", amount=Decimal("5.00"), anchor=date(2026, 1, 20))
    yearly = make_subscription(name="Yearly", amount=Decimal("50.00"), interval="1 year", anchor=date(2025, 3, 15))
    found = renewals_between([monthly, yearly], TODAY, date(2026, 5, 31))
    assert [(r.subscription.name, len(r.dates), r.total) for r in found] == [
        ("Yearly", 1, Decimal("50.00")),
        ("Monthly", 3, Decimal("15.00")),
    ]


amounts = st.decimals(min_value=0, max_value=1000, places=2)
kinds = st.sampled_from([EventKind.CHARGE, EventKind.CANCEL_BY, EventKind.TRIAL_END])


@given(st.lists(st.tuples(amounts, st.sampled_from(["USD", "EUR"]), kinds), max_size=30))
def test_running_totals_end_at_the_per_currency_totals(items: list[tuple[Decimal, str, EventKind]]) -> None:
    events = [
        Event(TODAY + timedelta(days=n), kind, n, f"S{n}", amount, code, TODAY)
        for n, (amount, code, kind) in enumerate(items)
    ]
    running = running_totals(events)
    last: dict[str, Decimal] = {}
    for event, total in zip(events, running, strict=True):
        assert (total is None) == (event.kind is not EventKind.CHARGE)
        if total is not None:
            assert total == last.get(event.currency, Decimal(0)) + event.amount
            last[event.currency] = total
    assert charge_totals(events) == dict(sorted(last.items()))


def test_the_twelve_months_start_next_month_when_nothing_is_left_to_charge_in_this_one() -> None:
    from renewaltracker.domain.spending import months_start

    monthly = make_subscription(anchor=date(2026, 1, 3))
    assert months_start([monthly], date(2026, 11, 30)) == date(2026, 12, 1)
    assert months_start([monthly], date(2026, 11, 2)) == date(2026, 11, 2)  # the 3rd is still to come
    assert months_start([], date(2026, 11, 30)) == date(2026, 12, 1)


@given(st.floats(min_value=0.01, max_value=1e7, allow_nan=False))
def test_axis_ticks_are_round_and_cover_the_largest_bar(largest: float) -> None:
    from renewaltracker.domain.spending import nice_axis

    top, ticks = nice_axis(largest)
    step = top / (ticks - 1)
    assert top >= largest and 2 <= ticks <= 6
    assert step == int(step) and str(int(step)).rstrip("0") in ("1", "2", "5"), (largest, top, ticks)


@given(st.dates(date(2001, 1, 1), date(2090, 12, 31)))
def test_the_twelve_months_ahead_end_the_day_before_the_same_date_next_year(today: date) -> None:
    end = year_ahead_end(today)
    following = end + timedelta(days=1)
    # The next day is the same date a year on (29 February: the first day after 28 February next year).
    if (today.month, today.day) == (2, 29):
        assert (following.year, following.month, following.day) == (today.year + 1, 3, 1)
    else:
        assert following == today.replace(year=today.year + 1)


@given(st.dates(date(2001, 1, 1), date(2090, 12, 31)), st.integers(0, 400))
def test_a_yearly_renewal_within_twelve_months_is_listed_as_renewing(today: date, ahead: int) -> None:
    # A renewal on the 10th of next year's month was lost when "12 months" ended at that month's first day.
    anchor = today + timedelta(days=ahead)
    yearly = make_subscription(name="Yearly", anchor=anchor, interval="1 year")
    listed = renewals_between([yearly], today, year_ahead_end(today))
    assert bool(listed) == (anchor <= year_ahead_end(today))
    assert all(today <= day <= year_ahead_end(today) for renewal in listed for day in renewal.dates)


costed = st.builds(
    Subscription,
    name=st.sampled_from(["Alpha", "Beta", "Gamma"]),
    amount=st.decimals(min_value=0, max_value=10_000, places=3),
    currency=st.sampled_from(["USD", "EUR", "JPY", "BHD"]),
    interval=st.builds(Interval, st.integers(1, 14), st.sampled_from(list(Unit))),
    anchor=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    category=st.sampled_from(["", "Music", "News"]),
    status=st.sampled_from([Status.ACTIVE, Status.TRIAL]),
    split_between=st.one_of(st.none(), st.integers(1, 7)),
    end_date=st.one_of(st.none(), st.dates(min_value=date(2028, 1, 1), max_value=date(2029, 1, 1))),
)


@given(st.lists(costed, max_size=10), st.lists(st.tuples(st.integers(-400, 400), st.integers(0, 99_999)), max_size=3))
def test_every_total_is_the_sum_of_the_yearly_figures_shown_beside_it(
    generated: list[Subscription], steps: list[tuple[int, int]]
) -> None:
    from dataclasses import replace

    items = [replace(s, id=n) for n, s in enumerate(generated, start=1)]
    base = items[0].amount if items else Decimal(0)
    prices = {1: PriceHistory(base, [PriceStep(TODAY + timedelta(days=d), Decimal(c) / 100) for d, c in steps])}
    cost = totals(items, TODAY, prices=prices)
    figures: dict[str, Decimal] = {}
    for item in filter(lambda s: is_running(s, TODAY), items):
        figure = yearly_figure(item, TODAY, prices)
        assert figure == quantize(figure, item.currency)
        figures[item.currency] = figures.get(item.currency, Decimal(0)) + figure
    # Per currency, never across: the rows', the categories' and the ranking's figures add up to the total.
    assert cost.per_year == figures
    assert cost.per_month == {code: quantize(value / 12, code) for code, value in figures.items()}
    by_category: dict[str, Decimal] = {}
    for per in totals_by_category(items, TODAY, prices).values():
        for code, value in per.items():
            by_category[code] = by_category.get(code, Decimal(0)) + value
    assert by_category == cost.per_year
    ranked = {(r.subscription.id, r.per_year) for r in most_expensive(items, TODAY, limit=len(items), prices=prices)}
    assert ranked == {(s.id, yearly_figure(s, TODAY, prices)) for s in items if is_running(s, TODAY)}


@given(
    st.builds(Interval, st.integers(1, 1000), st.sampled_from(list(Unit))), st.dates(date(1900, 1, 1), date(2500, 1, 1))
)
def test_charges_per_year_is_the_calendars_average(interval: Interval, anchor: date) -> None:
    # The Gregorian calendar repeats every 400 years: the charges in them are 400 average years' worth.
    plan = make_subscription(interval=interval, anchor=anchor, keep_clipped_day=True)
    later = date(anchor.year + 400, anchor.month, anchor.day)  # the same weekday and place in the leap cycle
    made = plan.schedule.first_index_on_or_after(later)  # the charges from the anchor up to that day
    assert abs(made - charges_per_year(interval) * 400) <= 1
