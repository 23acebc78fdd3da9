"""Drafts over many generated records: every known detail present, nothing unfilled, no "None"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.domain.drafts import (
    DraftFacts,
    DraftFormatError,
    DraftKind,
    Tone,
    draft_refusal,
    finish_draft,
    format_day,
    format_money,
    one_line,
    price_change,
    product_names,
    rights_sentence,
)
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.subscription import Charge
from renewaltracker.services.draft_templates import TemplateLibrary
from renewaltracker.services.drafts import compose_from_facts
from tests.factories import make_subscription

TODAY = date(2026, 3, 10)
LIBRARY = TemplateLibrary()
# Letters from many scripts plus the characters that break naive formatting: commas, quotes, newlines.
text = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs"), include_characters=",'\"\n{}$%<>"),
    max_size=30,
)
names = text.filter(lambda value: value.strip() != "")
days = st.dates(min_value=date(2020, 1, 1), max_value=TODAY)
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2)


@st.composite
def facts_strategy(draw: st.DrawFn) -> DraftFacts:
    subscription = make_subscription(
        id=7,
        name=draw(names),
        vendor=draw(text),
        account=draw(text),
        order_number=draw(text),
        purchase_date=draw(st.none() | days),
        payment_method=draw(st.sampled_from(["", "Visa 4111 1111 1111 1234", "PayPal", "Mastercard ending 9876"])),
        amount=draw(money),
        currency=draw(st.sampled_from(["USD", "EUR", "GBP", "JPY", "BHD"])),
        refund_days=draw(st.none() | st.integers(1, 60)),
        trial_end=draw(st.none() | days),
        support_email=draw(st.sampled_from(["", "help@vendor.example"])),
    )
    charge = None
    if draw(st.booleans()):
        charge = Charge(7, draw(days), draw(money), subscription.currency, reference=draw(text))
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    channels = st.sampled_from(list(Channel))
    contacts = tuple(
        Contact(
            7, start + timedelta(days=i), draw(channels), case_number=draw(text), agent=draw(text), outcome=draw(text)
        )
        for i in range(draw(st.integers(0, 3)))
    )
    return DraftFacts(
        subscription=subscription,
        today=TODAY,
        user_name=draw(text),
        region=draw(st.sampled_from(["", "EU", "UK", "US-CA", "DE", "mars"])),
        charge=charge,
        contacts=contacts,
        new_amount=draw(st.none() | money),
        previous_amount=draw(st.none() | money),
        reply_days=draw(st.integers(1, 90)),
        next_charge=draw(st.none() | st.dates(min_value=TODAY, max_value=date(2027, 12, 31))),
    )


def _expected_details(kind: DraftKind, facts: DraftFacts) -> list[str]:
    sub = facts.subscription
    vendor = one_line(sub.vendor) or one_line(sub.name)
    if kind is DraftKind.BANK_STOP:
        expected = [vendor, one_line(facts.user_name), format_money(sub.amount, sub.currency)]
        four = re.findall(r"\d{4}", sub.payment_method)
        expected += [four[-1], one_line(sub.payment_method)] if four else []
        expected += [format_day(facts.next_charge)] if facts.next_charge else []
        return expected
    # A name that only repeats the vendor ("Netflix" at Netflix) is said once, as the vendor.
    name = one_line(sub.name) if not sub.vendor.strip() or product_names(sub)[1] != vendor else ""
    expected = [
        vendor,
        name,
        one_line(facts.user_name),
        one_line(sub.account),
        one_line(sub.order_number),
        one_line(sub.payment_method),
    ]
    if sub.purchase_date:
        expected.append(format_day(sub.purchase_date))
    if facts.charge is not None and kind.names_a_charge:
        charge = facts.charge
        expected += [format_day(charge.date), format_money(charge.amount, charge.currency), one_line(charge.reference)]
    if kind is DraftKind.PRICE_INCREASE:
        old, new = price_change(facts) or (None, None)
        assert old is not None and new is not None  # refused otherwise
        expected += [format_money(old, sub.currency), format_money(new, sub.currency)]
    if kind is DraftKind.FOLLOW_UP:
        for contact in facts.contacts:
            expected += [contact.case_number, contact.agent, contact.channel.label, format_day(contact.at.date())]
    return [value for value in expected if value]


def _user_text(facts: DraftFacts) -> str:
    sub = facts.subscription
    values = [sub.name, sub.vendor, sub.account, sub.order_number, facts.user_name]
    values += [facts.charge.reference] if facts.charge else []
    values += [f"{c.case_number} {c.agent} {c.outcome}" for c in facts.contacts]
    return " ".join(values)


@given(facts=facts_strategy())
def test_every_kind_and_tone_is_complete_and_has_no_holes(facts: DraftFacts) -> None:
    user_text = _user_text(facts)
    for kind in DraftKind:
        for tone in Tone:
            if draft_refusal(kind, facts) is not None:
                with pytest.raises(ValidationError):
                    compose_from_facts(LIBRARY, kind, tone, facts)
                continue
            composed = compose_from_facts(LIBRARY, kind, tone, facts)
            assert composed.problems == []
            draft = composed.draft
            for detail in _expected_details(kind, facts):
                assert detail in draft.body, f"{detail!r} missing from the {kind} {tone} draft"
            text = draft.subject + "\n" + draft.body
            if "None" not in user_text:
                assert "None" not in text
            if "{" not in user_text:
                assert "{{" not in text and "{%" not in text
            assert not re.search(r"^- [^:\n]+:\s*$", draft.body, re.MULTILINE), "an empty detail line"
            assert "\n\n\n" not in draft.body
            assert "\n" not in draft.subject and draft.subject.strip()
            assert draft.to == ("" if kind is DraftKind.BANK_STOP else facts.subscription.support_email)
            if tone is Tone.FIRM and facts.reply_by is not None:
                assert f"by {format_day(facts.reply_by)}." in draft.body
                assert facts.next_charge is None or facts.reply_by < facts.next_charge
            elif tone is Tone.FIRM:
                assert "Please reply as soon as possible" in draft.body
            else:
                assert "Please reply within" not in draft.body


def test_refund_names_the_window_only_inside_it() -> None:
    subscription = make_subscription(id=1, refund_days=14, vendor="Acme")
    inside = Charge(1, date(2026, 3, 1), Decimal("39.99"), "USD")
    outside = Charge(1, date(2026, 1, 31), Decimal("39.99"), "USD")
    body_inside = compose_from_facts(
        LIBRARY, DraftKind.REFUND, Tone.NEUTRAL, DraftFacts(subscription, TODAY, charge=inside)
    ).draft.body
    body_outside = compose_from_facts(
        LIBRARY, DraftKind.REFUND, Tone.NEUTRAL, DraftFacts(subscription, TODAY, charge=outside)
    ).draft.body
    assert "within 14 days of the charge." in body_inside  # "as your refund policy allows" only with --policy
    assert "within 14 days" not in body_outside


@pytest.mark.parametrize(
    ("region", "kind", "purchase", "expected"),
    [
        ("EU", DraftKind.CANCEL, date(2026, 3, 1), "withdraw from a contract made online within 14 days"),
        ("uk", DraftKind.REFUND, date(2026, 3, 1), "withdraw from a contract made online within 14 days"),
        ("EU", DraftKind.CANCEL, date(2025, 3, 1), ""),  # an old contract: no withdrawal right to claim
        ("EU", DraftKind.CANCEL, None, ""),  # unknown purchase date: say nothing rather than guess
        ("UK", DraftKind.BANK_STOP, None, "continuous payment authority"),
        ("EU", DraftKind.BANK_STOP, None, ""),
        ("US-CA", DraftKind.CANCEL, None, "17602"),
        ("US-CA", DraftKind.REFUND, None, ""),
        ("US", DraftKind.CANCEL, None, ""),
        ("DE", DraftKind.CANCEL, date(2026, 3, 1), ""),
        ("", DraftKind.CANCEL, date(2026, 3, 1), ""),
    ],
)
def test_rights_sentence_only_where_it_applies(
    region: str, kind: DraftKind, purchase: date | None, expected: str
) -> None:
    facts = DraftFacts(make_subscription(id=1, purchase_date=purchase), TODAY, region=region)
    sentence = rights_sentence(region, kind, facts)
    if expected:
        assert expected in sentence
    else:
        assert sentence == ""


def test_follow_up_lists_earlier_contacts_in_order() -> None:
    contacts = (
        Contact(1, datetime(2026, 2, 20, 15, tzinfo=UTC), Channel.CHAT, case_number="B-2", agent="Sam"),
        Contact(1, datetime(2026, 2, 1, 9, tzinfo=UTC), Channel.PHONE, case_number="A-1", outcome="promised a refund"),
    )
    facts = DraftFacts(make_subscription(id=1, vendor="Acme"), TODAY, contacts=contacts)
    draft = compose_from_facts(LIBRARY, DraftKind.FOLLOW_UP, Tone.NEUTRAL, facts).draft
    assert draft.subject.startswith("Follow-up on case B-2")
    first = draft.body.index("- 1 February 2026 by phone, case A-1: promised a refund")
    second = draft.body.index("- 20 February 2026 by chat, case B-2, with Sam")
    assert first < second


@pytest.mark.parametrize(
    ("new", "previous", "expected"),
    [
        (Decimal("45.99"), None, "has gone up from $39.99 to $45.99"),
        (Decimal("17.99"), None, "the new price 17.99 USD is not higher than the current 39.99 USD"),
        (None, Decimal("34.99"), "has gone up from $34.99 to $39.99"),
        (None, Decimal("44.99"), "no price increase is known"),  # an earlier higher price is no increase
        (None, None, "no price increase is known: give the new price with --new-price"),
    ],
)
def test_price_increase_names_old_and_new_price(new: Decimal | None, previous: Decimal | None, expected: str) -> None:
    facts = DraftFacts(make_subscription(id=1), TODAY, new_amount=new, previous_amount=previous)
    if "gone up" in expected:
        assert expected in compose_from_facts(LIBRARY, DraftKind.PRICE_INCREASE, Tone.FIRM, facts).draft.body
    else:
        with pytest.raises(ValidationError, match=expected):
            compose_from_facts(LIBRARY, DraftKind.PRICE_INCREASE, Tone.FIRM, facts)


def test_finish_draft_needs_a_subject_line() -> None:
    with pytest.raises(DraftFormatError):
        finish_draft("a@b.example", "Hello\n\nbody")
    draft = finish_draft(" a@b.example ", "Subject:  Hi  there \n\n\n\nBody   \n\n\n\nEnd\n\n")
    assert draft == ("a@b.example", "Hi there", "Body\n\nEnd\n")


@pytest.mark.parametrize(
    ("label", "stored"),
    [
        ("Visa ending 4242 (expires 2027)", "Visa ending 4242 (expires 2027)"),
        ("Visa 4242 exp 12/2027", "Visa 4242 exp 12/2027"),
        ("4111 1111 1111 4242 exp 12/28", "•••• 4242 exp 12/28"),
        ("Mastercard ending 4242, valid until 09/2028", "Mastercard ending 4242, valid until 09/2028"),
    ],
)
def test_the_card_named_is_the_cards_last_four_not_its_expiry_year(label: str, stored: str) -> None:
    subscription = make_subscription(id=7, vendor="Acme", payment_method=label)
    assert subscription.payment_method == stored
    body = compose_from_facts(LIBRARY, DraftKind.BANK_STOP, Tone.NEUTRAL, DraftFacts(subscription, TODAY)).draft.body
    assert "from my card ending 4242 to Acme" in body


@given(
    digits=st.text(alphabet="0123456789", min_size=13, max_size=19),
    separator=st.sampled_from([" ", "-", ""]),
    month=st.integers(1, 12),
    year=st.sampled_from(["27", "2031"]),
    before=st.sampled_from(["Visa ", "", "MC "]),
    between=st.sampled_from([" exp ", " ", ", valid until "]),
)
def test_a_card_number_with_its_expiry_keeps_the_last_four_and_the_letter_names_them(
    digits: str, separator: str, month: int, year: str, before: str, between: str
) -> None:
    grouped = separator.join(digits[i : i + 4] for i in range(0, len(digits), 4))
    expiry = f"{month:02d}/{year}"
    stored = make_subscription(payment_method=f"{before}{grouped}{between}{expiry}").payment_method
    assert digits[:-4] not in re.sub(r"\D", "", stored)  # never more than the last four of the card
    assert stored.endswith(expiry)
    facts = DraftFacts(make_subscription(id=7, vendor="Acme", payment_method=stored), TODAY)
    body = compose_from_facts(LIBRARY, DraftKind.BANK_STOP, Tone.FIRM, facts).draft.body
    assert f"from my card ending {digits[-4:]} to Acme" in body


@given(
    digits=st.text(alphabet="0123456789", min_size=4, max_size=19),
    kind=st.sampled_from([DraftKind.REFUND, DraftKind.CANCEL, DraftKind.TRIAL_REFUND, DraftKind.DISPUTE]),
    tone=st.sampled_from(list(Tone)),
)
def test_a_card_saved_without_its_brand_is_called_a_card_in_english_letters(
    digits: str, kind: DraftKind, tone: Tone
) -> None:
    # A full number is stored cut to "•••• 1111"; the letter read "refund … to my •••• 1111", naming nothing.
    stored = make_subscription(payment_method=digits).payment_method
    subscription = make_subscription(id=7, vendor="Acme", payment_method=stored, trial_end=TODAY - timedelta(days=3))
    charge = Charge(subscription_id=7, date=TODAY - timedelta(days=2), amount=Decimal("9.99"), currency="USD")
    facts = DraftFacts(subscription, TODAY, charge=charge)
    body = compose_from_facts(LIBRARY, kind, tone, facts).draft.body
    assert f"my card {stored}" in body
    assert f"my {stored}" not in body


@pytest.mark.parametrize("label", ["1&1", "3 Banken", "24/7 Wallet"])
def test_a_label_that_begins_with_a_digit_but_names_no_card_is_quoted_as_it_is(label: str) -> None:
    subscription = make_subscription(id=7, vendor="Acme", payment_method=label)
    body = compose_from_facts(LIBRARY, DraftKind.CANCEL, Tone.NEUTRAL, DraftFacts(subscription, TODAY)).draft.body
    assert f"to my {label}," in body
