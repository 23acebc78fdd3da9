"""Every letter kind × tone × state: no sentence contradicts the data. The letters' dates and amounts are
parsed back out of the text and compared with the facts they were written from."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.domain.drafts import (
    DraftFacts,
    DraftKind,
    Tone,
    draft_refusal,
    format_day,
    price_change,
)
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.events import next_cancel_by
from renewaltracker.domain.prices import PriceHistory, PriceStep
from renewaltracker.domain.requests import Request, RequestKind
from renewaltracker.domain.subscription import Charge
from renewaltracker.services.draft_templates import TemplateLibrary
from renewaltracker.services.drafts import compose_from_facts
from tests.factories import make_subscription

LIBRARY = TemplateLibrary()
TODAY = date(2026, 3, 10)
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(_MONTHS) + r") (\d{4})\b")
_MONEY = re.compile(r"([$€])(\d[\d,]*\.\d{2})")
# (vendor, name): the cases that used to read "Netflix Netflix", "my The New York Times subscription" or
# lost the name from a subject.
NAMES = [
    ("Netflix", "Netflix"),
    ("Netflix", "Premium"),
    ("The New York Times", "The New York Times"),
    ("", "The New York Times"),
    ("", "Headspace"),
    ("Acme Press", "Acme Press Digital"),
    ("New York Times", "The New York Times"),
]


def _dates(text: str) -> list[date]:
    return [date(int(y), _MONTHS.index(m) + 1, int(d)) for d, m, y in _DATE.findall(text)]


def _after(phrase: str, text: str) -> date | None:
    """The date right after `phrase`, if the phrase is there."""
    match = re.search(re.escape(phrase) + r" " + _DATE.pattern, text)
    if match is None:
        return None
    day, month, year = match.group(1), match.group(2), match.group(3)
    return date(int(year), _MONTHS.index(month) + 1, int(day))


@st.composite
def states(draw: st.DrawFn) -> DraftFacts:
    vendor, name = draw(st.sampled_from(NAMES))
    trial = draw(st.sampled_from(["none", "running", "ended"]))
    offset = draw(st.integers(0, 40))
    trial_end = {"none": None, "running": TODAY + timedelta(days=offset), "ended": TODAY - timedelta(days=offset + 1)}
    anchor = draw(st.dates(date(2025, 1, 1), date(2026, 6, 30))) if trial == "none" or draw(st.booleans()) else None
    subscription = make_subscription(
        id=1,
        vendor=vendor,
        name=name,
        amount=draw(st.sampled_from([Decimal("9.99"), Decimal("39.99"), Decimal("1200.00")])),
        currency=draw(st.sampled_from(["USD", "EUR"])),
        interval=draw(st.sampled_from(["1 month", "1 year", "2 weeks"])),
        anchor=anchor,
        trial_end=trial_end[trial],
        notice_days=draw(st.none() | st.integers(1, 40)),
        refund_days=draw(st.none() | st.integers(1, 30)),
        account=draw(st.sampled_from(["", "zoe@example.com"])),
        order_number=draw(st.sampled_from(["", "ORD-77"])),
        payment_method=draw(st.sampled_from(["", "Visa ending 4242", "4111 1111 1111 1111"])),
    )
    charge = None
    if draw(st.booleans()):
        day = TODAY - timedelta(days=draw(st.integers(0, 60)))  # in or out of the refund window
        charge = Charge(1, day, draw(st.sampled_from([subscription.amount, Decimal("12.50")])), subscription.currency)
    price = draw(st.sampled_from(["up", "down", "none", "history"]))
    new_amount = {"up": subscription.amount + 5, "down": subscription.amount - Decimal("1.00")}.get(price)
    previous = subscription.amount - 3 if price == "history" else None
    next_charge = subscription.next_charge(TODAY)
    deadline = next_cancel_by(subscription, TODAY)
    return DraftFacts(
        subscription=subscription,
        today=TODAY,
        user_name="Zoë O'Neil",
        charge=charge,
        new_amount=new_amount,
        previous_amount=previous,
        reply_days=draw(st.integers(1, 60)),
        cancel_by=deadline[0] if deadline and deadline[1] == next_charge else None,
        next_charge=next_charge,
        unused=draw(st.booleans()),
        policy=draw(st.booleans()),
    )


def check_letter(kind: DraftKind, facts: DraftFacts, subject: str, body: str) -> None:
    sub = facts.subscription
    text = subject + "\n" + body
    charge = facts.charge if kind.names_a_charge else None
    refund_end = charge.date + timedelta(days=sub.refund_days) if charge and sub.refund_days else None
    within = refund_end is not None and charge is not None and charge.date <= TODAY <= refund_end
    change = price_change(facts) if kind is DraftKind.PRICE_INCREASE else None
    # Every date is one of the facts'.
    known = {TODAY, sub.trial_end, facts.cancel_by, facts.next_charge, facts.reply_by, refund_end}
    known |= {charge.date} if charge else set()
    for day in _dates(text):
        assert day in known, f"{format_day(day)} is not a date of this subscription"
    # Every amount is the price, the charge, or the old or new price.
    amounts = {sub.amount} | ({charge.amount} if charge else set()) | set(change or ())
    for _, figure in _MONEY.findall(text):
        assert Decimal(figure.replace(",", "")) in amounts, f"{figure} is no amount of this subscription"
    # The reply deadline: as many days as it says, and before the next charge.
    match = re.search(r"Please reply within (\d+) days?, by " + _DATE.pattern, body)
    if match:
        reply = _dates(match.group(0))[0]
        assert (reply - TODAY).days == int(match.group(1)) > 0
        assert facts.next_charge is None or reply < facts.next_charge
    # Trial state.
    ends = _after("before my free trial ends on", body)
    assert ends is None or (ends == sub.trial_end and ends >= TODAY)
    ended = _after("which ended on", body)
    assert ended is None or (ended == sub.trial_end and ended < TODAY)
    if kind is DraftKind.CANCEL and facts.in_trial:
        assert ends == sub.trial_end and "no charge is taken" in body
    assert kind is not DraftKind.TRIAL_REFUND or not facts.in_trial
    # A letter about a converted trial only where a trial is recorded: never one invented for a plain plan.
    assert kind is not DraftKind.TRIAL_REFUND or sub.trial_end is not None
    # Notice period: a cancel-by date named only while it is still open, with the renewal it guards.
    cancel_by = _after("before the cancellation deadline of", body)
    assert cancel_by is None or (cancel_by == facts.cancel_by and cancel_by >= TODAY)
    renewal = _after("ahead of the renewal due on", body)
    assert renewal is None or renewal == facts.next_charge
    if kind is DraftKind.CANCEL and facts.cancel_by is not None and facts.cancel_by >= TODAY:
        assert cancel_by == facts.cancel_by
    # Prices: named from old to new, and only upwards.
    rise = re.search(r"has gone up from ([$€][\d,.]+) to ([$€][\d,.]+)", body)
    if kind is DraftKind.PRICE_INCREASE:
        assert rise is not None and change is not None
        old, new = (Decimal(_MONEY.match(g).group(2).replace(",", "")) for g in rise.groups())  # type: ignore[union-attr]
        assert (old, new) == change and old < new
    # Refunds: the window, the policy and the unused term only when true and said so.
    window = re.search(r"I am asking within (\d+) days? of the charge", body)
    assert window is None or (within and charge is not None and int(window.group(1)) == sub.refund_days)
    assert ("as your refund policy allows" in body) == (facts.policy and within and kind in _REFUNDS)
    assert ("I have not used" in body) == (facts.unused and kind in _REFUNDS)
    if kind in _REFUNDS:
        assert "Please confirm the refund in writing." in body
        reference = sub.account or sub.order_number
        assert not reference or reference in subject
    # Names: said once, never "my The …", never lost from the subject.
    assert not re.search(r"\bmy (The|the|A|An) ", text)
    assert not re.search(r"\b(\w[\w ]*\w) \1 subscription", text)
    if kind is not DraftKind.BANK_STOP:
        assert sub.name.removeprefix("The ") in subject or (sub.vendor and sub.vendor in subject)
    if "4111" in sub.payment_method or sub.payment_method.startswith("card"):
        assert "4111" not in text and "my ending" not in text and "card ending 1111" in text
    # The dispute letter does not call the vendor's charge unknown while listing the plan it belongs to.
    if kind is DraftKind.DISPUTE:
        assert "do not recognise" not in text


_REFUNDS = (DraftKind.REFUND, DraftKind.TRIAL_REFUND)


@settings(max_examples=150, deadline=None)
@given(facts=states())
def test_no_letter_contradicts_its_data(facts: DraftFacts) -> None:
    for kind in DraftKind:
        if kind is DraftKind.FOLLOW_UP:
            continue  # the follow-up letter is built from requests and contacts, tested with them
        for tone in Tone:
            if draft_refusal(kind, facts) is not None:
                with pytest.raises(ValidationError):
                    compose_from_facts(LIBRARY, kind, tone, facts)
                continue
            draft = compose_from_facts(LIBRARY, kind, tone, facts).draft
            check_letter(kind, facts, draft.subject, draft.body)


def test_the_checker_catches_a_letter_that_lies() -> None:
    """The property above can fail: a reply date after the next charge and a made-up amount are caught."""
    facts = DraftFacts(make_subscription(id=1, vendor="Acme"), TODAY, next_charge=date(2026, 3, 12), reply_days=14)
    with pytest.raises(AssertionError):
        check_letter(DraftKind.CANCEL, facts, "Please cancel my Acme subscription", "Please reply by 24 March 2026.")
    with pytest.raises(AssertionError):
        check_letter(DraftKind.CANCEL, facts, "Please cancel my Acme subscription", "I was charged $12.34.")
    with pytest.raises(AssertionError):
        check_letter(DraftKind.CANCEL, facts, "Please cancel my subscription", "Fine.")  # the name is lost


@st.composite
def price_histories(draw: st.DrawFn) -> PriceHistory:
    """A plan's steps around TODAY: rises and drops, past and planned, some undone again."""
    prices = st.sampled_from([Decimal("9.99"), Decimal("12.99"), Decimal("14.99"), Decimal("17.99")])
    offsets = draw(st.lists(st.integers(-400, 200), max_size=5, unique=True))
    steps = [PriceStep(TODAY + timedelta(days=offset), draw(prices)) for offset in offsets]
    return PriceHistory(draw(prices), steps)


@settings(max_examples=300, deadline=None)
@given(prices=price_histories(), tone=st.sampled_from(Tone))
def test_a_price_increase_letter_names_a_rise_that_is_still_true(prices: PriceHistory, tone: Tone) -> None:
    """The rise the letter quotes is a planned one, or the last past rise whose new price is still in force;
    a rise undone since (a promotion ended back at the old price) is no rise to complain about."""
    facts = DraftFacts(make_subscription(id=1, vendor="Acme", amount=prices.base), TODAY, prices=prices)
    if draft_refusal(DraftKind.PRICE_INCREASE, facts) is not None:
        assert prices.next_step_up(TODAY) is None
        for day, _, new in prices.step_ups(date.min, TODAY)[-1:]:
            assert any(step.amount != new for step in prices.steps if day < step.effective <= TODAY)
        return
    body = compose_from_facts(LIBRARY, DraftKind.PRICE_INCREASE, tone, facts).draft.body
    planned = re.search(r"is to go up from \$([\d.]+) to \$([\d.]+) on " + _DATE.pattern, body)
    past = re.search(r"has gone up from \$([\d.]+) to \$([\d.]+) since " + _DATE.pattern, body)
    assert (planned is None) != (past is None), body
    found = planned or past
    assert found is not None
    old, new, day = Decimal(found.group(1)), Decimal(found.group(2)), _dates(found.group(0))[0]
    assert old < new
    assert (old, new) == (prices.price_on(day - timedelta(days=1)), prices.price_on(day))
    if planned:
        assert day > TODAY
    else:
        assert day <= TODAY and all(step.amount == new for step in prices.steps if day < step.effective <= TODAY)


def test_a_rise_undone_since_is_refused() -> None:
    """10 → 12 in June, back to 10 in January: on 10 March there is nothing to object to."""
    steps = [PriceStep(date(2025, 6, 5), Decimal("12.00")), PriceStep(date(2026, 1, 5), Decimal("10.00"))]
    facts = DraftFacts(make_subscription(id=1), TODAY, prices=PriceHistory(Decimal("10.00"), steps))
    assert draft_refusal(DraftKind.PRICE_INCREASE, facts) is not None


BERLIN = ZoneInfo("Europe/Berlin")
_LISTS = {"en": ("So far:", "What has happened so far:"), "de": ("Bisheriger Verlauf:",), "fr": ("Historique :",)}


@st.composite
def follow_ups(draw: st.DrawFn) -> DraftFacts:
    """Contacts at any moment of two years (both sides of each DST change), some under request 1 or 2."""
    moments = st.datetimes(datetime(2025, 1, 1), datetime(2026, 3, 9, 23, 59), timezones=st.just(UTC))
    contacts = tuple(
        Contact(
            1,
            draw(moments),
            draw(st.sampled_from(Channel)),
            case_number=draw(st.sampled_from(["", "Q-1", "Q-2", "Z-90"])),
            agent=draw(st.sampled_from(["", "Ana", "Jérôme"])),
            summary=draw(st.sampled_from(["", "asked for a refund"])),
            request_id=draw(st.sampled_from([None, 1, 2])),
            id=number,
        )
        for number in range(1, draw(st.integers(0, 5)) + 1)
    )
    request = None
    if draw(st.booleans()):
        opened = TODAY - timedelta(days=draw(st.integers(0, 500)))
        request = Request(1, draw(st.sampled_from(RequestKind)), opened, "USD", id=1)
    return DraftFacts(
        make_subscription(id=1, vendor="Acme"),
        TODAY,
        contacts=contacts,
        request=request,
        zone=BERLIN,
        language=draw(st.sampled_from(["en", "de", "fr"])),
    )


@settings(max_examples=200, deadline=None)
@given(facts=follow_ups(), tone=st.sampled_from(Tone))
def test_a_follow_up_quotes_the_contacts_of_its_request_in_order_on_their_local_dates(
    facts: DraftFacts, tone: Tone
) -> None:
    draft = compose_from_facts(LIBRARY, DraftKind.FOLLOW_UP, tone, facts).draft
    request = facts.request
    mine = sorted(
        (c for c in facts.contacts if request is None or c.request_id == request.id), key=lambda c: (c.at, c.id or 0)
    )
    lines: list[str] = []
    for header in _LISTS[facts.language]:
        if header in draft.body:
            listing = draft.body.split(header + "\n", 1)[1].split("\n\n", 1)[0]
            lines = listing.splitlines()
    assert len(lines) == len(mine)
    for line, contact in zip(lines, mine, strict=True):
        assert line.startswith("- " + format_day(contact.at.astimezone(BERLIN).date(), facts.language) + " ")
        assert (contact.case_number in line) if contact.case_number else True
        assert (contact.agent in line) if contact.agent else True
    quoted = set(re.findall(r"[QZ]-\d+", draft.subject + draft.body))
    assert quoted == {c.case_number for c in mine if c.case_number}
    if request is not None and facts.language == "en":
        first = min([request.opened_on, *(c.at.astimezone(BERLIN).date() for c in mine)])
        assert f"On {format_day(first)} I asked you for " in draft.body
