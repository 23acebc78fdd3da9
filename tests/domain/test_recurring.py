"""Recurring-charge detection: examples for each rule, and invariants checked with hypothesis."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from benchmarks.statement_generator import statement
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.recurring import detect_recurring
from renewaltracker.domain.statement import BankTransaction, RecordedCharge, normalize_payee, unrecorded
from tests.services.test_statement_import import DEBITS, PAYEES


def tx(day: date, amount: str, payee: str, kind: str = "") -> BankTransaction:
    return BankTransaction(day, Decimal(amount), "EUR", payee, kind=kind)


def monthly(payee: str, amount: str, count: int, start: date = date(2024, 1, 15)) -> list[BankTransaction]:
    out = []
    for index in range(count):
        month = start.month - 1 + index
        out.append(tx(date(start.year + month // 12, month % 12 + 1, start.day), amount, payee))
    return out


def found(transactions: list[BankTransaction]) -> set[tuple[str, Interval]]:
    return {(c.key, c.interval) for c in detect_recurring(transactions)}


def test_payee_normalisation_removes_processors_cards_dates_references_and_places() -> None:
    assert normalize_payee("PAYPAL *SPOTIFY P0123ABCD STOCKHOLM SE") == "SPOTIFY"
    assert normalize_payee("SQ *BLUE BOTTLE 12/03 #4411") == "BLUE BOTTLE"
    assert normalize_payee("NETFLIX.COM 866-579-7172 LOS GATOS CA") == "NETFLIX.COM"
    assert normalize_payee("VISA XXXX1234 AUDIBLE UK 2024-03-01 LONDON GB") == "AUDIBLE UK"
    assert normalize_payee("1PASSWORD TORONTO CA") == "1PASSWORD"


def test_monthly_needs_three_charges_and_yearly_two() -> None:
    assert found(monthly("NETFLIX.COM", "-15.49", 2)) == set()
    assert found(monthly("NETFLIX.COM", "-15.49", 3)) == {("NETFLIX.COM", Interval(1, Unit.MONTH))}
    yearly = [tx(date(2023, 3, 10), "-89.00", "ADOBE *ACROBAT"), tx(date(2024, 3, 11), "-89.00", "ADOBE *ACROBAT")]
    assert found(yearly) == {("ADOBE ACROBAT", Interval(1, Unit.YEAR))}


def test_each_cycle_is_recognised() -> None:
    start = date(2024, 1, 5)
    for days, interval in ((7, Interval(1, Unit.WEEK)), (14, Interval(2, Unit.WEEK)), (28, Interval(4, Unit.WEEK))):
        charges = [tx(start + timedelta(days=days * i), "-4.50", "NEWS WEEKLY") for i in range(8)]
        assert found(charges) == {("NEWS WEEKLY", interval)}
    quarterly = [tx(date(2024, 1 + 3 * i, 20), "-30.00", "INSURANCE GROUP") for i in range(4)]
    assert found(quarterly) == {("INSURANCE GROUP", Interval(3, Unit.MONTH))}
    half = [tx(date(2023 + i // 2, 1 + 6 * (i % 2), 2), "-60.00", "DOMAIN HOST") for i in range(3)]
    assert found(half) == {("DOMAIN HOST", Interval(6, Unit.MONTH))}


def test_last_day_of_month_and_weekend_shifts_still_match() -> None:
    days = [date(2024, 1, 31), date(2024, 2, 29), date(2024, 4, 2), date(2024, 4, 30), date(2024, 5, 31)]
    (candidate,) = detect_recurring([tx(day, "-10.99", "SPOTIFY") for day in days])
    assert candidate.interval == Interval(1, Unit.MONTH)
    assert candidate.last_day_of_month
    assert candidate.next_date == date(2024, 6, 30)


def test_a_lasting_price_change_is_one_subscription_with_the_change_flagged() -> None:
    charges = monthly("NETFLIX.COM", "-12.99", 4) + monthly("NETFLIX.COM", "-15.49", 3, date(2024, 5, 15))
    (candidate,) = detect_recurring(charges)
    assert candidate.amount == Decimal("15.49")
    assert [(c.old, c.new) for c in candidate.price_changes] == [(Decimal("12.99"), Decimal("15.49"))]
    # Small variation (exchange rates) is not a change.
    varying = [
        tx(t.date, str(t.amount * Decimal(f"1.0{i % 5}")), t.payee) for i, t in enumerate(monthly("X", "-10", 6))
    ]
    assert detect_recurring(varying)[0].price_changes == ()


def test_salary_transfers_refunds_one_offs_and_irregular_shopping_are_not_subscriptions() -> None:
    salary = [tx(t.date, "3150.00", "ACME GMBH GEHALT") for t in monthly("x", "-1", 6)]
    savings = [tx(t.date, "-500.00", "STANDING ORDER TO SAVINGS") for t in monthly("x", "-1", 6)]
    rent = [tx(t.date, "-950.00", "HAUSVERWALTUNG", kind="xfer") for t in monthly("x", "-1", 6)]
    refunds = [tx(t.date, "15.49", "NETFLIX.COM") for t in monthly("x", "-1", 6)]
    rng = random.Random(4)
    shop = [
        tx(date(2024, 1, 1) + timedelta(days=rng.randint(0, 365)), f"-{rng.uniform(5, 90):.2f}", "REWE")
        for _ in range(60)
    ]
    one_off = [tx(date(2024, 7, 2), "-249.99", "MEDIAMARKT")]
    assert detect_recurring(salary + savings + rent + refunds + shop + one_off) == []


def test_a_plan_among_one_off_purchases_at_the_same_merchant_is_found() -> None:
    prime = monthly("AMAZON PRIME", "-8.99", 8)
    shopping = [tx(date(2024, 2, 3), "-45.20", "AMAZON PRIME"), tx(date(2024, 6, 9), "-19.99", "AMAZON PRIME")]
    (candidate,) = detect_recurring(prime + shopping)
    assert len(candidate.transactions) == 8


@given(
    # At most two: three doubled months in a row are a second plan (see the household test below).
    st.lists(st.integers(0, 7), min_size=1, max_size=2, unique=True),
    st.integers(2, 3),
    st.sampled_from(["-15.49", "-8.99"]),
)
def test_a_charge_taken_twice_on_one_day_is_found_with_both(repeated: list[int], times: int, amount: str) -> None:
    """A double charge (same day, amount and text) is what a refund is asked for: the plan keeps every copy."""
    charges = monthly("NETFLIX.COM", amount, 8)
    doubled = charges + [charges[index] for index in repeated for _ in range(times - 1)]
    (candidate,) = detect_recurring(doubled)
    assert (candidate.amount, candidate.interval) == (-Decimal(amount), Interval(1, Unit.MONTH))
    assert sorted(candidate.transactions, key=lambda t: t.date) == sorted(doubled, key=lambda t: t.date)
    assert candidate.next_date == detect_recurring(charges)[0].next_date


def test_a_second_identical_charge_seen_later_is_new_and_a_known_one_is_not() -> None:
    day, amount = date(2025, 3, 5), Decimal("-15.49")
    first = BankTransaction(day, amount, "EUR", "NETFLIX.COM", reference="FIT-1")
    second = BankTransaction(day, amount, "EUR", "NETFLIX.COM", reference="FIT-2")
    known = [RecordedCharge(day, Decimal("15.49"), "FIT-1")]
    assert unrecorded([first, second], known) == [second]
    assert unrecorded([first, second], [*known, RecordedCharge(day, Decimal("15.490"), "FIT-2")]) == []
    # Another format of the same file, without the bank's ids: two recorded, two in the file, none new.
    plain = [BankTransaction(day, amount, "EUR", "NETFLIX.COM")] * 2
    assert unrecorded(plain, [*known, RecordedCharge(day, Decimal("15.49"), "FIT-2")]) == []
    assert unrecorded(plain, known) == plain[1:]


def test_two_plans_charged_on_one_day_at_two_prices_are_still_two() -> None:
    cloud = monthly("APPLE.COM BILL", "-0.99", 6)
    music = monthly("APPLE.COM BILL", "-10.99", 6)
    assert sorted(c.amount for c in detect_recurring(cloud + music)) == [Decimal("0.99"), Decimal("10.99")]


@given(st.integers(0, 10_000), st.randoms(use_true_random=False))
def test_shuffling_the_input_changes_nothing(seed: int, rng: random.Random) -> None:
    transactions, _ = statement(seed)
    shuffled = list(transactions)
    rng.shuffle(shuffled)
    end = max(t.date for t in transactions)
    assert detect_recurring(shuffled, end) == detect_recurring(transactions, end)


@given(st.integers(0, 10_000), st.lists(st.tuples(st.integers(0, 700), st.integers(1, 50_000)), max_size=40))
def test_added_one_off_noise_changes_nothing(seed: int, noise: list[tuple[int, int]]) -> None:
    transactions, _ = statement(seed)
    start = min(t.date for t in transactions)
    end = max(t.date for t in transactions)
    extra = [
        tx(
            min(end, start + timedelta(days=offset)),
            f"-{cents / 100:.2f}",
            f"ONE OFF NOISEQ{chr(65 + i % 26)}{chr(65 + i // 26)}",
        )
        for i, (offset, cents) in enumerate(noise)
    ]
    assert found(transactions + extra) == found(transactions)


@given(st.integers(0, 10_000), st.integers(-60, 60))
def test_shifting_every_date_by_whole_weeks_changes_nothing(seed: int, weeks: int) -> None:
    transactions, _ = statement(seed)
    weekly_only = [t for t in transactions if "NEWS" in t.payee or "NYTIMES" in t.payee or t.amount > 0]
    shifted = [
        BankTransaction(t.date + timedelta(weeks=weeks), t.amount, t.currency, t.payee, t.reference, t.memo, t.kind)
        for t in weekly_only
    ]
    before = {(c.key, c.interval, c.amount, len(c.transactions)) for c in detect_recurring(weekly_only)}
    after = {(c.key, c.interval, c.amount, len(c.transactions)) for c in detect_recurring(shifted)}
    day_based = {item for item in before if item[1].days}
    assert {item for item in after if item[1].days} == day_based


def test_generated_statements_are_found_with_high_precision_and_recall() -> None:
    hits = extra = missed = 0
    for seed in range(30):
        transactions, truths = statement(seed)
        want = {(t.key, t.interval) for t in truths}
        got = found(transactions)
        hits, extra, missed = hits + len(want & got), extra + len(got - want), missed + len(want - got)
    assert hits / (hits + extra) >= 0.95
    assert hits / (hits + missed) >= 0.95


@given(
    st.lists(st.integers(0, 7), min_size=1, max_size=3, unique=True),
    st.sampled_from([1, 2]),
    st.booleans(),
)
def test_a_charge_posted_again_a_day_or_two_later_keeps_the_plan(repeated: list[int], lag: int, first: bool) -> None:
    """A retried or twice-posted charge is one date of the cycle; both postings are kept (a refund may be owed)."""
    charges = monthly("NETFLIX.COM", "-15.49", 8)
    again = [
        tx(charges[index].date + timedelta(days=lag if first else -lag), "-15.49", "NETFLIX.COM") for index in repeated
    ]
    (candidate,) = detect_recurring(charges + again)
    assert (candidate.amount, candidate.interval) == (Decimal("15.49"), Interval(1, Unit.MONTH))
    assert len(candidate.transactions) == len(charges) + len(again)
    assert candidate.next_date == date(2024, 9, 15)


@given(st.integers(0, 5), st.integers(2, 3), st.lists(st.integers(0, 7), max_size=2, unique=True))
def test_identical_plans_of_one_household_at_one_merchant_are_separate_plans(
    joined: int, members: int, doubled: list[int]
) -> None:
    """Two members' plans charged on the same days are two plans of one payee, not one plan charged twice."""
    first = monthly("NETFLIX.COM", "-15.49", 8)
    others = [t for _ in range(members - 1) for t in first[joined:]]
    # A double charge the month before a member joined would be that member's first charge: not drawn.
    double = [first[index] for index in doubled if index != joined - 1]
    plans = detect_recurring(first + others + double)
    assert [(c.key, c.amount, c.interval) for c in plans] == [
        ("NETFLIX.COM", Decimal("15.49"), Interval(1, Unit.MONTH))
    ] * members
    assert sorted(len(c.transactions) for c in plans) == sorted([8 + len(double)] + [8 - joined] * (members - 1))
    assert all(len({t.date for t in c.transactions}) == len(c.transactions) for c in plans if len(c.transactions) < 8)
    assert {c.next_date for c in plans} == {date(2024, 9, 15)}


@given(st.integers(0, 7), st.integers(1, 5), st.integers(0, 2))
def test_a_charge_returned_by_the_bank_is_not_a_charge(month: int, back: int, retry: int) -> None:
    """A debit that came back (a failed direct debit, a reversed card charge) was not paid: the retry is the charge."""
    charges = monthly("NETFLIX.COM", "-15.49", 8)
    failed = charges[month]
    returned = tx(failed.date + timedelta(days=back), "15.49", "NETFLIX.COM")
    retried = [tx(returned.date + timedelta(days=1), "-15.49", "NETFLIX.COM")] if retry and back + 1 <= 4 else []
    rest = [t for i, t in enumerate(charges) if i != month]
    (candidate,) = detect_recurring([*charges, returned, *retried], date(2024, 8, 31))
    assert sorted(candidate.transactions, key=lambda t: t.date) == sorted(rest + retried, key=lambda t: t.date)
    # The last charge returned and not retried: the plan was last paid in July.
    assert candidate.next_date == date(2024, 8 if month == 7 and not retried else 9, 15)


def test_a_refunded_double_charge_is_charged_once() -> None:
    charges = monthly("NETFLIX.COM", "-15.49", 8)
    refund = tx(date(2024, 6, 2), "15.49", "NETFLIX.COM", kind="credit")
    (candidate,) = detect_recurring([*charges, charges[4], refund])
    assert candidate.transactions == tuple(charges)
    # A refund of another amount, or long after a charge that was not doubled, leaves the charges as they are.
    for other in (tx(date(2024, 5, 17), "5.00", "NETFLIX.COM"), tx(date(2024, 6, 2), "15.49", "NETFLIX.COM")):
        assert detect_recurring([*charges, other])[0].transactions == tuple(charges)


MONTH_NAMES = [
    "JAN JANUARY JANUAR JANVIER JANV",
    "FEB FEBRUARY FEBRUAR FÉVRIER FEVRIER FÉVR FEV",
    "MAR MARCH MÄRZ MAERZ MARS",
    "APR APRIL AVRIL AVR",
    "MAY MAI",
    "JUN JUNE JUNI JUIN",
    "JUL JULY JULI JUILLET JUIL",
    "AUG AUGUST AOÛT AOUT",
    "SEP SEPT SEPTEMBER SEPTEMBRE",
    "OCT OCTOBER OKT OKTOBER OCTOBRE",
    "NOV NOVEMBER NOVEMBRE",
    "DEC DECEMBER DEZ DEZEMBER DÉCEMBRE DECEMBRE DÉC",
]


@given(
    st.sampled_from(["NETFLIX {when}", "Abo {when} ZEIT ONLINE", "Facture {when} FREE MOBILE", "{when} Beitrag ADAC"]),
    st.sampled_from(["{month} {year}", "{month}-{year}", "{month}.{year}", "{month}/{year}"]),
    st.integers(2023, 2026),
    st.booleans(),
    st.data(),
)
def test_a_month_named_in_the_payee_text_does_not_split_the_plan(
    text: str, when: str, year: int, short_year: bool, data: st.DataObject
) -> None:
    """Charges whose text names the month billed ("März 2024", "Jan-24") are one payee, in English, German, French."""
    keys = set()
    for names in MONTH_NAMES:
        month = data.draw(st.sampled_from(names.split())).capitalize()
        stamp = when.format(month=month, year=year % 100 if short_year else year)
        keys.add(normalize_payee(text.format(when=stamp)))
    assert len(keys) == 1
    assert not any(name in key.split() for key in keys for names in MONTH_NAMES for name in names.split())


@given(st.integers(6, 12), st.data(), st.integers(1, 4), st.sampled_from([1, 2]))
def test_a_weekly_charge_booked_days_late_is_that_weeks_charge(
    count: int, data: st.DataObject, late: int, weeks: int
) -> None:
    """A bank holiday may move a weekly charge by 4 days: it is the late one, not the next one booked early."""
    start = date(2024, 3, 4)
    charges = [tx(start + timedelta(weeks=weeks * i), "-4.50", "NEWS WEEKLY") for i in range(count)]
    index = data.draw(st.integers(0, count - 1))
    charges[index] = tx(charges[index].date + timedelta(days=late), "-4.50", "NEWS WEEKLY")
    (candidate,) = detect_recurring(charges)
    assert (candidate.interval, candidate.transactions) == (Interval(weeks, Unit.WEEK), tuple(charges))
    assert candidate.next_date == start + timedelta(weeks=weeks * count)


@given(PAYEES, DEBITS, st.integers(1, 28), st.integers(8, 20), st.integers(3, 8), st.integers(3, 8), st.integers(0, 3))
def test_two_plans_at_one_price_on_two_days_of_the_month_are_found_as_each_alone(
    payee: str, debit: Decimal, day: int, apart: int, count: int, other_count: int, later: int
) -> None:
    """Two members' plans at one merchant and price, charged on days a week or more apart: two plans."""
    first = monthly(payee, str(debit), count, date(2024, 1, day))
    second = monthly(payee, str(debit), other_count, date(2024, 1 + later, (day - 1 + apart) % 28 + 1))
    end = max(t.date for t in first + second)
    alone = detect_recurring(first, end) + detect_recurring(second, end)
    together = detect_recurring(first + second, end)
    assert sorted(together, key=lambda c: c.first_date) == sorted(alone, key=lambda c: c.first_date)


@given(st.integers(0, 7), st.integers(1, 5), st.integers(3, 14))
def test_a_failed_debit_presented_again_days_later_is_one_charge_of_the_plan(month: int, back: int, lag: int) -> None:
    """A direct debit that came back and was taken again days later, before or after the return: the plan keeps its
    day, and the debit taken again is the month's one charge."""
    charges = monthly("NETFLIX.COM", "-15.49", 8)
    failed = charges[month]
    returned = tx(failed.date + timedelta(days=back), "15.49", "NETFLIX.COM")
    again = tx(failed.date + timedelta(days=lag), "-15.49", "NETFLIX.COM")
    (candidate,) = detect_recurring([*charges, returned, again], date(2024, 8, 31))
    kept = [t for i, t in enumerate(charges) if i != month]
    assert sorted(candidate.transactions, key=lambda t: t.date) == sorted([*kept, again], key=lambda t: t.date)
    assert (candidate.interval, candidate.next_date) == (Interval(1, Unit.MONTH), date(2024, 9, 15))


@given(st.integers(0, 7), st.integers(1, 3), st.integers(3, 7), st.integers(1, 3), st.integers(3, 7))
def test_a_debit_that_fails_twice_and_is_taken_the_third_time_keeps_the_plans_day(
    month: int, back: int, lag: int, back_again: int, lag_again: int
) -> None:
    """A direct debit returned, presented again and returned again, then taken: the third debit is the month's one
    charge, due where the first one was (not where the second, also failed, was)."""
    charges = monthly("NETFLIX.COM", "-15.49", 8)
    failed = charges[month]
    second = tx(failed.date + timedelta(days=max(lag, back + 1)), "-15.49", "NETFLIX.COM")
    third = tx(second.date + timedelta(days=max(lag_again, back_again + 1)), "-15.49", "NETFLIX.COM")
    returns = [
        tx(failed.date + timedelta(days=back), "15.49", "NETFLIX.COM"),
        tx(second.date + timedelta(days=back_again), "15.49", "NETFLIX.COM"),
    ]
    (candidate,) = detect_recurring([*charges, second, third, *returns], date(2024, 8, 31))
    kept = [t for i, t in enumerate(charges) if i != month]
    assert sorted(candidate.transactions, key=lambda t: t.date) == sorted([*kept, third], key=lambda t: t.date)
    assert (candidate.interval, candidate.next_date) == (Interval(1, Unit.MONTH), date(2024, 9, 15))
