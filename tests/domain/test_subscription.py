"""Validation and derived values of a subscription."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.costs import charges_per_year, monthly_cost, totals, yearly_cost
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.events import EventKind, events_between, next_cancel_by
from renewaltracker.domain.interval import parse_interval
from renewaltracker.domain.money import Money, currency_codes, quantize
from renewaltracker.domain.payment import redact_card_numbers
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import Charge, Status, StatusChange, parse_lead_days, trial_status
from tests.factories import make_subscription


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"amount": Decimal("-1")}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"amount": Decimal("NaN")}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"anchor": None}, "start"),
        ({"notice_days": -1}, "notice-days"),
        ({"refund_days": 9999}, "refund-days"),
        ({"support_email": "not-an-address"}, "support-email"),
        ({"cancel_url": "javascript:alert(1)"}, "cancel-url"),
        ({"split_between": 0}, "split"),
        ({"fixed_share": Decimal("100")}, "share"),
        ({"status": Status.CANCELLED}, "status"),
        ({"end_date": date(2025, 1, 1)}, "end"),
        ({"end_count": 0}, "end-count"),
        ({"amount": Decimal("1e30")}, "amount"),
    ],
)
def test_invalid_values_name_the_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make_subscription(**overrides)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_count": 10**20}, "end-count"),
        ({"split_between": 10**20}, "split"),
        ({"anchor": date(1, 1, 1)}, "start"),
        ({"anchor": date(9999, 12, 31)}, "start"),
        ({"purchase_date": date(9999, 12, 31)}, "purchase-date"),
        ({"pauses": (Pause(date(2026, 3, 1), date(9999, 1, 1)),)}, "until"),
    ],
)
def test_limits_are_checked_before_saving_not_when_loading(overrides: dict[str, object], field: str) -> None:
    subscription = make_subscription(**overrides)  # an old record beyond the limits still loads
    with pytest.raises(ValidationError) as caught:
        subscription.check_limits()
    assert caught.value.field == field


def test_negative_zero_is_stored_as_zero() -> None:
    assert str(make_subscription(amount=Decimal("-0"), currency="EUR").amount) == "0.00"


def test_interval_must_be_at_least_one() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_interval("0 months")
    assert caught.value.field == "every"


def test_amount_is_rounded_to_the_currency_minor_units() -> None:
    assert make_subscription(amount=Decimal("1200.4"), currency="jpy").amount == Decimal("1200")
    assert make_subscription(amount=Decimal("9.999"), currency="BHD").amount == Decimal("9.999")
    assert make_subscription(amount=Decimal("9.995"), currency="EUR").amount == Decimal("10.00")
    assert str(Money.of("39.9", "usd")) == "39.90 USD"


def test_trial_without_anchor_charges_first_at_trial_end() -> None:
    trial = make_subscription(anchor=None, trial_end=date(2026, 4, 2), status=Status.TRIAL)
    assert trial.next_charge(date(2026, 3, 10)) == date(2026, 4, 2)
    kinds = [e.kind for e in events_between([trial], date(2026, 3, 1), date(2026, 4, 30))]
    assert kinds == [EventKind.TRIAL_END, EventKind.CHARGE]


def test_cancel_by_and_refund_window_events_follow_each_charge() -> None:
    subscription = make_subscription(id=7, anchor=date(2026, 1, 31), notice_days=30, refund_days=14)
    events = events_between([subscription], date(2026, 3, 1), date(2026, 3, 31))
    assert [(e.date, e.kind, e.charge_date) for e in events] == [
        (date(2026, 3, 1), EventKind.CANCEL_BY, date(2026, 3, 31)),
        (date(2026, 3, 14), EventKind.REFUND_WINDOW_END, date(2026, 2, 28)),
        (date(2026, 3, 31), EventKind.CANCEL_BY, date(2026, 4, 30)),
        (date(2026, 3, 31), EventKind.CHARGE, date(2026, 3, 31)),
    ]
    assert next_cancel_by(subscription, date(2026, 3, 2)) == (date(2026, 3, 31), date(2026, 4, 30))


def test_lead_days_parse_and_sort() -> None:
    assert parse_lead_days("1, 7,7") == (7, 1)
    with pytest.raises(ValidationError):
        parse_lead_days("seven")


@given(digits=st.text(alphabet="0123456789", min_size=5, max_size=19), prefix=st.sampled_from(["Visa ", "MC ", ""]))
def test_card_numbers_keep_at_most_the_last_four_digits(digits: str, prefix: str) -> None:
    grouped = " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
    label = redact_card_numbers(prefix + grouped)
    assert label.endswith(digits[-4:])
    assert sum(ch.isdigit() for ch in label) == 4
    stored = make_subscription(payment_method=prefix + digits).payment_method
    assert sum(ch.isdigit() for ch in stored) == 4 and stored.endswith(digits[-4:])


@given(
    digits=st.text(alphabet="0123456789", min_size=13, max_size=19),
    prefix=st.sampled_from(["Visa ", "Carte Bleue ", "Kreditkarte ", "Mastercard endet auf ", ""]),
    field=st.sampled_from(["payment_method", "notes"]),
)
def test_a_cut_card_number_is_the_brand_and_the_last_four_in_no_language(digits: str, prefix: str, field: str) -> None:
    """What the app writes in place of a card number has no English word in it: the user's text stays as typed."""
    grouped = " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
    stored = getattr(make_subscription(**{field: prefix + grouped}), field)
    assert stored == f"{prefix}•••• {digits[-4:]}"


def test_short_labels_are_kept() -> None:
    assert redact_card_numbers("Visa ending 4242") == "Visa ending 4242"
    assert redact_card_numbers("Amex 3782 822463 10005") == "Amex •••• 0005"
    assert redact_card_numbers("Visa ending 4111 1111 1111 1111") == "Visa ending •••• 1111"


def test_card_numbers_pasted_into_free_text_keep_the_last_four_only() -> None:
    notes = "Paid with 4111 1111 1111 1111; order 12345678 kept."
    subscription = make_subscription(notes=notes)
    assert "4111 1111" not in subscription.notes
    assert "•••• 1111" in subscription.notes and "12345678" in subscription.notes
    charge = Charge(1, date(2026, 1, 1), Decimal("5"), "EUR", note="card 5555-5555-5555-4444")
    assert charge.note == "card •••• 4444"


@given(
    amount=st.decimals(min_value=0, max_value=10**6, places=2), currency=st.sampled_from(["USD", "EUR", "JPY", "BHD"])
)
def test_costs_are_consistent(amount: Decimal, currency: str) -> None:
    for text in ("1 week", "2 weeks", "1 month", "3 months", "1 year", "10 days"):
        subscription = make_subscription(amount=amount, currency=currency, interval=text)
        assert monthly_cost(subscription) * 12 == yearly_cost(subscription)
        assert yearly_cost(subscription) == subscription.amount * charges_per_year(subscription.interval)


def test_totals_use_the_users_share_and_skip_cancelled() -> None:
    today = date(2026, 3, 10)
    subscriptions = [
        make_subscription(amount=Decimal("12.00"), interval="1 month"),
        make_subscription(amount=Decimal("120.00"), interval="1 year", split_between=4),
        make_subscription(amount=Decimal("10.00"), interval="1 month", fixed_share=Decimal("2.50")),
        make_subscription(amount=Decimal("99.00"), status=Status.CANCELLED, cancelled_on=date(2026, 3, 1)),
        make_subscription(amount=Decimal("1000"), currency="JPY", interval="1 month"),
    ]
    result = totals(subscriptions, today)
    assert result.per_year == {"JPY": Decimal("12000"), "USD": Decimal("144.00") + Decimal("30.00") + Decimal("30.00")}
    assert result.per_month["USD"] == quantize(Decimal("204") / 12, "USD")


def test_currency_list_is_iso_4217() -> None:
    codes = currency_codes()
    assert {"USD", "EUR", "JPY", "GBP", "CHF"} <= codes
    assert "XAU" not in codes


@given(steps=st.lists(st.sampled_from(["pause", "cancel", "resume"]), min_size=1, max_size=6))
def test_status_always_agrees_with_the_schedule(steps: list[str]) -> None:
    # Once pause → cancel → resume left an open pause under "active": no charge and no reminder, ever.
    subscription = make_subscription(anchor=date(2026, 1, 15))
    day = date(2026, 3, 1)
    for step in steps:
        day = date.fromordinal(day.toordinal() + 10)
        try:
            if step == "pause":
                subscription = subscription.pause(day)
            elif step == "cancel":
                subscription = subscription.cancel(day)
            else:
                subscription = subscription.resume(day)
        except ValidationError:
            continue
        running = subscription.status in (Status.ACTIVE, Status.TRIAL)
        assert running == (subscription.next_charge(day) is not None), (steps, subscription)


def test_a_trial_becomes_active_once_its_end_has_passed() -> None:
    trial = make_subscription(anchor=None, trial_end=date(2026, 4, 2), status=Status.TRIAL)
    assert trial.status_on(date(2026, 4, 2)) is Status.TRIAL
    assert trial.status_on(date(2026, 4, 3)) is Status.ACTIVE
    cancelled = make_subscription(status=Status.CANCELLED, cancelled_on=date(2026, 3, 1), trial_end=date(2026, 2, 1))
    assert cancelled.status_on(date(2026, 4, 3)) is Status.CANCELLED


@given(
    start=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    length=st.one_of(st.none(), st.integers(1, 400)),
    offset=st.integers(-60, 500),
    trial=st.booleans(),
)
def test_a_day_inside_a_pause_shows_paused_and_a_day_outside_one_does_not(
    start: date, length: int | None, offset: int, trial: bool
) -> None:
    from datetime import timedelta

    plain = make_subscription(
        anchor=date(2025, 12, 15),
        trial_end=date(2026, 3, 1) if trial else None,
        status=Status.TRIAL if trial else Status.ACTIVE,
    )
    until = None if length is None else start + timedelta(days=length)
    paused = plain.pause(start, until)
    day = start + timedelta(days=offset)
    inside = start <= day and (until is None or day < until)
    shown = paused.status_on(day)
    if until is None:
        assert shown is Status.PAUSED  # paused from a day ahead: said at once, as a cancellation from a day ahead is
    elif inside:
        assert shown is Status.PAUSED
    else:
        assert shown is plain.status_on(day)


@pytest.mark.parametrize("breaker", ["\n", "\r\n", "\t", "\x0b", "\x85", "\u2028", "\x1b"])
def test_names_and_vendors_are_single_line(breaker: str) -> None:
    s = make_subscription(name=f"Two{breaker}lines ", vendor=f" Acme{breaker}Corp", category=f"A{breaker}B")
    assert (s.name, s.vendor, s.category) == ("Two lines", "Acme Corp", "A B")


@given(st.text(alphabet=st.characters(exclude_characters="\x00"), min_size=1, max_size=50))
def test_no_name_carries_a_line_break(text: str) -> None:
    try:
        s = make_subscription(name=text + "x", vendor=text)
    except ValidationError:
        return
    assert not any(ch in s.name + s.vendor for ch in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
    assert "\n".join([s.name]).splitlines() == [s.name]


@pytest.mark.parametrize("field", ["name", "vendor"])
def test_a_nul_in_a_name_is_refused(field: str) -> None:
    with pytest.raises(ValidationError, match=f"{field}: contains a NUL character"):
        make_subscription(**{field: "A\x00B"})


def test_trial_status_is_trial_until_the_trial_has_ended() -> None:
    day = date(2026, 3, 10)
    assert [trial_status(end, day) for end in (None, day, date(2026, 3, 9))] == [
        Status.ACTIVE,
        Status.TRIAL,
        Status.ACTIVE,
    ]


def test_a_card_number_in_notes_or_as_the_payment_method_becomes_its_last_four() -> None:
    from tests.factories import make_subscription as make

    sub = make(notes="paid with 4111 1111 1111 1111, my card 4000000000000002", payment_method="4111111111111111")
    assert sub.notes == "paid with •••• 1111, my card •••• 0002"
    assert sub.payment_method == "•••• 1111"


CARD_SEPARATORS = [" ", "  ", "\t", "\u00a0", "\u202f", ".", "/", "_", "-", " - ", "–"]


@given(
    digits=st.text(alphabet="0123456789", min_size=13, max_size=19),
    separators=st.lists(st.sampled_from(CARD_SEPARATORS), min_size=5, max_size=5),
    before=st.sampled_from(["", "Paid with ", "card: ", "Visa\t"]),
    after=st.sampled_from(["", " exp 12/28", ".", " thanks"]),
)
def test_a_card_number_with_any_separator_is_cut_in_every_field_that_promises_it(
    digits: str, separators: list[str], before: str, after: str
) -> None:
    groups = [digits[i : i + 4] for i in range(0, len(digits), 4)]
    written = groups[0] + "".join(sep + group for sep, group in zip(separators, groups[1:], strict=False))
    text = before + written + after
    subscription = make_subscription(payment_method=text, notes=text, account=text)
    charge = Charge(1, date(2026, 1, 1), Decimal("5"), "EUR", note=text)
    for stored in (subscription.payment_method, subscription.notes, subscription.account, charge.note):
        kept = "".join(ch for ch in stored if ch.isdigit())
        assert digits[:-4] not in kept, stored
        assert f"•••• {digits[-4:]}" in stored


@given(
    start=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    length=st.integers(1, 400),
    offset=st.integers(-60, 500),
    trial=st.booleans(),
)
def test_a_pause_with_an_end_can_be_resumed_early_on_any_day_it_covers(
    start: date, length: int, offset: int, trial: bool
) -> None:
    from datetime import timedelta

    plain = make_subscription(
        anchor=date(2025, 12, 15),
        trial_end=date(2026, 3, 1) if trial else None,
        status=Status.TRIAL if trial else Status.ACTIVE,
    )
    until = start + timedelta(days=length)
    paused = plain.pause(start, until)
    day = start + timedelta(days=offset)
    if not start <= day < until:
        assert not paused.allows(StatusChange.RESUME, day)
        return
    assert paused.allows(StatusChange.RESUME, day) and not paused.allows(StatusChange.RESUME)
    resumed = paused.resume(day)
    assert resumed.status_on(day) is plain.status_on(day)
    # From the day it was resumed on, the plan charges as if it had never been paused.
    assert resumed.next_charge(day) == plain.next_charge(day)
    assert resumed.schedule.charge_list(day, day + timedelta(days=400)) == plain.schedule.charge_list(
        day, day + timedelta(days=400)
    )
