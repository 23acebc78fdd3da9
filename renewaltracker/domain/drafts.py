"""Draft emails about a subscription: the kinds, the tones, the facts a template may use, and the finished draft."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from babel.numbers import format_currency

from renewaltracker.domain.contacts import Contact
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.payment import last_four
from renewaltracker.domain.requests import Request
from renewaltracker.domain.subscription import Charge, Subscription

_MONTHS = (
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
)
DEFAULT_REPLY_DAYS = 14
WITHDRAWAL_DAYS = 14


class DraftKind(StrEnum):
    CANCEL = "cancel"
    REFUND = "refund"
    TRIAL_REFUND = "trial-refund"
    DISPUTE = "dispute"
    PRICE_INCREASE = "price-increase"
    FOLLOW_UP = "follow-up"
    BANK_STOP = "bank-stop"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def names_a_charge(self) -> bool:
        """Kinds written about one particular charge."""
        return self in (DraftKind.REFUND, DraftKind.TRIAL_REFUND, DraftKind.DISPUTE, DraftKind.PRICE_INCREASE)


_KIND_LABELS = {
    DraftKind.CANCEL: "Cancel the subscription",
    DraftKind.REFUND: "Refund an unwanted renewal",
    DraftKind.TRIAL_REFUND: "Refund after a trial converted",
    DraftKind.DISPUTE: "Unrecognised or duplicate charge",
    DraftKind.PRICE_INCREASE: "Object to a price increase",
    DraftKind.FOLLOW_UP: "Follow up on an earlier contact",
    DraftKind.BANK_STOP: "Ask my bank to stop the payments",
}


class Tone(StrEnum):
    FRIENDLY = "friendly"
    NEUTRAL = "neutral"
    FIRM = "firm"


class Draft(NamedTuple):
    """A finished email: recipient (may be empty), one-line subject, plain-text body."""

    to: str
    subject: str
    body: str


def parse_kind(text: str) -> DraftKind:
    cleaned = (text or "").strip().lower().replace("_", "-")
    try:
        return DraftKind(cleaned)
    except ValueError:
        raise ValidationError("kind", f"{text!r} is not one of: {', '.join(DraftKind)}") from None


def parse_tone(text: str) -> Tone:
    try:
        return Tone((text or "").strip().lower())
    except ValueError:
        raise ValidationError("tone", f"{text!r} is not one of: {', '.join(Tone)}") from None


def one_line(text: str) -> str:
    """User text squeezed onto one line, as a detail or a subject needs it."""
    return " ".join(text.split())


def format_day(day: date) -> str:
    """ "9 March 2026": unambiguous on both sides of the Atlantic and independent of the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_money(amount: Decimal, currency: str) -> str:
    return str(format_currency(amount, currency, locale="en"))


def _plural_days(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


@dataclass(frozen=True, slots=True)
class DraftFacts:
    """Everything known that a draft may mention; unknown facts are empty and are left out of the text."""

    subscription: Subscription
    today: date
    user_name: str = ""
    user_email: str = ""
    region: str = ""
    charge: Charge | None = None
    contacts: tuple[Contact, ...] = ()
    new_amount: Decimal | None = None
    previous_amount: Decimal | None = None
    reply_days: int = DEFAULT_REPLY_DAYS
    cancel_by: date | None = None
    next_charge: date | None = None
    zone: tzinfo | None = None  # the user's time zone, for the dates of earlier contacts
    request: Request | None = None  # what a follow-up follows up on


# -- consumer rights: one cautious sentence per (region, kind); absent means no sentence -------------------
_WITHDRAWAL = (
    "As I understand it, consumers can generally withdraw from a contract made online within {days} days, "
    "and I took out this one on {purchase}, so please also treat this message as my notice of withdrawal."
)
_UK_CPA = (
    "I understand that under the Payment Services Regulations a card issuer must stop a recurring card "
    "payment (continuous payment authority) when the cardholder asks, without needing the merchant's agreement."
)
_CALIFORNIA = (
    "California's automatic renewal law (Business and Professions Code section 17602) requires that a "
    "subscription taken out online can also be cancelled online, so please treat this email as my cancellation."
)
_REGION_ALIASES = {"eu": "EU", "uk": "UK", "gb": "UK", "us-ca": "US-CA", "california": "US-CA"}
# The regions with consumer-rights sentences; the `region` setting takes only these (or nothing).
SUPPORTED_REGIONS = ("EU", "UK", "US-CA")


def normalize_region(text: str) -> str:
    """ "eu", "GB", "california" → "EU", "UK", "US-CA"; any other region has no rights sentences."""
    return _REGION_ALIASES.get(text.strip().lower(), text.strip().upper())


def rights_sentence(region: str, kind: DraftKind, facts: DraftFacts) -> str:
    """The consumer-rights sentence for this region and kind, or "" where we know of none that applies."""
    region = normalize_region(region)
    purchase = facts.subscription.purchase_date
    if region in ("EU", "UK") and kind in (DraftKind.CANCEL, DraftKind.REFUND, DraftKind.TRIAL_REFUND):
        # Only a new contract qualifies: the purchase date must be known and recent.
        if purchase is not None and 0 <= (facts.today - purchase).days <= WITHDRAWAL_DAYS:
            return _WITHDRAWAL.format(days=WITHDRAWAL_DAYS, purchase=format_day(purchase))
        return ""
    if region == "UK" and kind is DraftKind.BANK_STOP:
        return _UK_CPA
    if region == "US-CA" and kind is DraftKind.CANCEL:
        return _CALIFORNIA
    return ""


# -- tone ------------------------------------------------------------------------------------------------
def _tone_phrases(tone: Tone, facts: DraftFacts, kind: DraftKind, vendor: str) -> dict[str, str]:
    addressee = "Dear card services team," if kind is DraftKind.BANK_STOP else f"Dear {vendor} support team,"
    if tone is Tone.FRIENDLY:
        greeting = "Hello," if kind is DraftKind.BANK_STOP else f"Hello {vendor} team,"
        return {
            "greeting": greeting,
            "thanks": "Thank you very much for your help!",
            "sign_off": "Best wishes,",
            "reply_request": "",
        }
    if tone is Tone.NEUTRAL:
        return {
            "greeting": addressee,
            "thanks": "Thank you for your help.",
            "sign_off": "Kind regards,",
            "reply_request": "",
        }
    deadline = format_day(facts.today + timedelta(days=facts.reply_days))
    return {
        "greeting": addressee,
        "thanks": "Thank you.",
        "sign_off": "Regards,",
        "reply_request": f"Please reply within {_plural_days(facts.reply_days)}, by {deadline}.",
    }


def _price_change(facts: DraftFacts) -> tuple[Decimal | None, Decimal | None]:
    """(old, new) price: an announced higher price against today's, else today's against an earlier lower one."""
    current = facts.subscription.amount
    if facts.new_amount is not None and facts.new_amount > current:
        return current, facts.new_amount
    if facts.previous_amount is not None and facts.previous_amount < current:
        return facts.previous_amount, current
    return None, None


# -- the template context ----------------------------------------------------------------------------------
def _contact_line(contact: Contact, zone: tzinfo | None) -> str:
    moment = contact.at.astimezone(zone) if zone is not None else contact.at
    parts = [f"{format_day(moment.date())} by {contact.channel.label}"]
    if contact.case_number:
        parts.append(f"case {contact.case_number}")
    if contact.agent:
        parts.append(f"with {contact.agent}")
    line = ", ".join(parts)
    if contact.outcome:
        line += f": {one_line(contact.outcome)}"
    elif contact.summary:
        line += f": {one_line(contact.summary)}"
    return line


def _charge_text(charge: Charge) -> str:
    text = f"{format_money(charge.amount, charge.currency)} on {format_day(charge.date)}"
    if charge.reference:
        text += f" (reference {one_line(charge.reference)})"
    return text


def draft_context(kind: DraftKind, tone: Tone, facts: DraftFacts) -> dict[str, Any]:
    """The variables a template sees: strings ("" when unknown), booleans and lists; never None."""
    sub = facts.subscription
    vendor = one_line(sub.vendor) or one_line(sub.name)
    plan = one_line(sub.name) if one_line(sub.vendor) else ""
    price = f"{format_money(sub.amount, sub.currency)} {sub.interval.describe()}"
    charge = facts.charge
    payment = one_line(sub.payment_method)
    card = last_four(payment) or ""
    refund_end = charge.date + timedelta(days=sub.refund_days) if charge and sub.refund_days else None
    within_refund = refund_end is not None and charge is not None and charge.date <= facts.today <= refund_end
    old_amount, new_amount = _price_change(facts)
    block_from = facts.next_charge
    contacts = sorted(facts.contacts, key=lambda c: c.at)

    candidates: list[tuple[str, str]]
    if kind is DraftKind.BANK_STOP:
        candidates = [
            ("Cardholder", one_line(facts.user_name)),
            ("Card", payment if card else ""),  # a label without the last four digits does not name a card
            ("Merchant", vendor),
            ("Amount", price),
            ("First payment to block", format_day(block_from) if block_from else ""),
        ]
    else:
        candidates = [
            ("Name", one_line(facts.user_name)),
            ("Account", one_line(sub.account)),
            ("Plan", f"{plan}, {price}" if plan else price),
            ("Order number", one_line(sub.order_number)),
            ("Purchase date", format_day(sub.purchase_date) if sub.purchase_date else ""),
            ("Charge in question", _charge_text(charge) if charge and kind.names_a_charge else ""),
            ("Payment method", payment),
        ]
    details = [(label, value) for label, value in candidates if value]
    context: dict[str, Any] = {
        "kind": kind.value,
        "tone": tone.value,
        "friendly": tone is Tone.FRIENDLY,
        "neutral": tone is Tone.NEUTRAL,
        "firm": tone is Tone.FIRM,
        "user_name": one_line(facts.user_name),
        "user_email": one_line(facts.user_email),
        "vendor": vendor,
        "plan": plan,
        "subscription": f"{plan} subscription" if plan else "subscription",
        "price": price,
        "account": one_line(sub.account),
        "order_number": one_line(sub.order_number),
        "purchase_date": format_day(sub.purchase_date) if sub.purchase_date else "",
        "payment_method": payment,
        "card_last_four": card,
        "charge": _charge_text(charge) if charge else "",
        "charge_date": format_day(charge.date) if charge else "",
        "charge_amount": format_money(charge.amount, charge.currency) if charge else "",
        "charge_reference": one_line(charge.reference) if charge else "",
        "within_refund_window": within_refund,
        "refund_days": _plural_days(sub.refund_days) if sub.refund_days else "",
        "refund_window_end": format_day(refund_end) if refund_end else "",
        "trial_end": format_day(sub.trial_end) if sub.trial_end else "",
        "cancel_by": format_day(facts.cancel_by) if facts.cancel_by else "",
        "next_charge": format_day(facts.next_charge) if facts.next_charge else "",
        "block_from": format_day(block_from) if block_from else "",
        "new_amount": format_money(new_amount, sub.currency) if new_amount is not None else "",
        "old_amount": format_money(old_amount, sub.currency) if old_amount is not None else "",
        "details": details,
        "contacts": [_contact_line(c, facts.zone) for c in contacts],
        "last_case_number": next((c.case_number for c in reversed(contacts) if c.case_number), ""),
        "rights": rights_sentence(facts.region, kind, facts),
    }
    context.update(_tone_phrases(tone, facts, kind, vendor))
    return context


# -- from rendered text to a draft -------------------------------------------------------------------------
_SUBJECT = re.compile(r"^Subject:[ \t]*(.*)$")
_BLANK_RUNS = re.compile(r"\n{3,}")


class DraftFormatError(ValueError):
    """A rendered template that is not "Subject: …", a blank line, then the body."""


def finish_draft(to: str, rendered: str) -> Draft:
    """Split "Subject: …" off the rendered text and tidy the body: no trailing spaces, single blank lines."""
    first, _, rest = rendered.lstrip("\n").partition("\n")
    match = _SUBJECT.match(first)
    if match is None:
        raise DraftFormatError("the first line must be 'Subject: …'")
    subject = one_line(match.group(1))
    if not subject:
        raise DraftFormatError("the subject is empty")
    lines = [line.rstrip() for line in rest.replace("\r\n", "\n").split("\n")]
    body = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n") + "\n"
    return Draft(to=one_line(to), subject=subject, body=body)
