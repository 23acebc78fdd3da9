"""Draft emails about a subscription: the kinds, the tones, the facts a template may use, and the finished draft."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from decimal import Decimal
from typing import Any, NamedTuple

from babel.numbers import format_currency

from renewaltracker.domain.contacts import Contact

# Re-exported: the kinds and tones live in draft_kinds so the command line's help can name them cheaply.
from renewaltracker.domain.draft_kinds import DraftKind as DraftKind
from renewaltracker.domain.draft_kinds import Tone as Tone
from renewaltracker.domain.draft_kinds import parse_kind as parse_kind
from renewaltracker.domain.draft_kinds import parse_tone as parse_tone
from renewaltracker.domain.payment import last_four
from renewaltracker.domain.requests import Request
from renewaltracker.domain.subscription import Charge, Status, Subscription, trial_status

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


class Draft(NamedTuple):
    """A finished email: recipient (may be empty), one-line subject, plain-text body."""

    to: str
    subject: str
    body: str


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
    unused: bool = False  # the user says the renewed term has not been used
    policy: bool = False  # the user says the refund window is the vendor's own policy
    user_address: str = ""
    user_phone: str = ""

    @property
    def in_trial(self) -> bool:
        """A free trial that has not ended yet (the one trial rule of the subscription editor)."""
        return trial_status(self.subscription.trial_end, self.today) is Status.TRIAL

    @property
    def reply_by(self) -> date | None:
        """The firm reply deadline: `reply_days` from today, but never after the next charge; None when the
        next charge is too close for a deadline before it."""
        deadline = self.today + timedelta(days=self.reply_days)
        if self.next_charge is not None and deadline >= self.next_charge:
            deadline = self.next_charge - timedelta(days=1)
        return deadline if deadline > self.today else None

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
    deadline = facts.reply_by
    if deadline is not None:
        days = (deadline - facts.today).days
        reply = f"Please reply within {_plural_days(days)}, by {format_day(deadline)}."
    elif facts.next_charge is not None:
        reply = f"Please reply as soon as possible, before the next charge on {format_day(facts.next_charge)}."
    else:
        reply = "Please reply as soon as possible."
    return {"greeting": addressee, "thanks": "Thank you.", "sign_off": "Regards,", "reply_request": reply}


def price_change(facts: DraftFacts) -> tuple[Decimal, Decimal] | None:
    """(old, new) price, the one place a letter learns them: an announced new price against today's, else
    today's price against the last lower one paid (the price history). None when neither is known."""
    current = facts.subscription.amount
    if facts.new_amount is not None:
        return current, facts.new_amount
    if facts.previous_amount is not None and facts.previous_amount < current:
        return facts.previous_amount, current
    return None


def draft_refusal(kind: DraftKind, facts: DraftFacts) -> str | None:
    """Why this letter would say something untrue today, or None when it can be written."""
    sub = facts.subscription
    if kind is DraftKind.TRIAL_REFUND and facts.in_trial:
        assert sub.trial_end is not None
        return (
            f"the free trial has not ended yet (it ends on {sub.trial_end.isoformat()}): "
            "draft 'cancel' instead, so that no charge is taken"
        )
    if kind is DraftKind.PRICE_INCREASE:
        change = price_change(facts)
        if change is None:
            return "no price increase is known: give the new price with --new-price"
        old, new = change
        if new <= old:
            return f"the new price {new} {sub.currency} is not higher than the current {old} {sub.currency}"
    return None


_ARTICLE = re.compile(r"^(the|a|an)\s", re.IGNORECASE)


def _same_name(first: str, second: str) -> bool:
    def bare(text: str) -> str:
        return _ARTICLE.sub("", text).casefold().strip()

    return bare(first) == bare(second)


def product_names(subscription: Subscription) -> tuple[str, str, str]:
    """(vendor, product, "… subscription" phrase): the product names the vendor once ("Netflix Premium", not
    "Netflix Netflix"), and a name with an article reads "subscription to The New York Times"."""
    vendor = one_line(subscription.vendor)
    name = one_line(subscription.name)
    if not vendor or _same_name(vendor, name) or vendor.casefold() in name.casefold():
        product = name
    elif name.casefold() in vendor.casefold():
        product = vendor
    else:
        product = f"{vendor} {name}"
    phrase = f"subscription to {product}" if _ARTICLE.match(product) else f"{product} subscription"
    return vendor or name, product, phrase


def address_lines(text: str) -> list[str]:
    """A postal address written on one line: semicolons between its lines, or else commas."""
    separator = ";" if ";" in text else ","
    return [part.strip() for part in text.split(separator) if part.strip()]


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


def _reference(subscription: Subscription) -> str:
    """The account or order number a subject quotes, so the vendor finds the customer at once."""
    if subscription.account:
        return f"account {one_line(subscription.account)}"
    if subscription.order_number:
        return f"order {one_line(subscription.order_number)}"
    return ""


def _charge_text(charge: Charge) -> str:
    text = f"{format_money(charge.amount, charge.currency)} on {format_day(charge.date)}"
    if charge.reference:
        text += f" (reference {one_line(charge.reference)})"
    return text


def draft_context(kind: DraftKind, tone: Tone, facts: DraftFacts) -> dict[str, Any]:
    """The variables a template sees: strings ("" when unknown), booleans and lists; never None."""
    sub = facts.subscription
    vendor, product, subscription = product_names(sub)
    plan = one_line(sub.name) if one_line(sub.vendor) and not _same_name(sub.vendor, sub.name) else ""
    price = f"{format_money(sub.amount, sub.currency)} {sub.interval.describe()}"
    charge = facts.charge
    payment = one_line(sub.payment_method)
    card = last_four(payment) or ""
    refund_end = charge.date + timedelta(days=sub.refund_days) if charge and sub.refund_days else None
    within_refund = refund_end is not None and charge is not None and charge.date <= facts.today <= refund_end
    old_amount, new_amount = price_change(facts) or (None, None)
    cancel_by = facts.cancel_by if facts.cancel_by is not None and facts.cancel_by >= facts.today else None
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
        "product": product,
        "subscription": subscription,
        "reference": _reference(sub),
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
        "policy": facts.policy and within_refund,
        "unused": facts.unused,
        "in_trial": facts.in_trial,
        "refund_days": _plural_days(sub.refund_days) if sub.refund_days else "",
        "refund_window_end": format_day(refund_end) if refund_end else "",
        "trial_end": format_day(sub.trial_end) if sub.trial_end else "",
        "cancel_by": format_day(cancel_by) if cancel_by else "",
        "notice_passed": bool(sub.notice_days) and cancel_by is None and facts.next_charge is not None,
        "next_charge": format_day(facts.next_charge) if facts.next_charge else "",
        "block_from": format_day(block_from) if block_from else "",
        "new_amount": format_money(new_amount, sub.currency) if new_amount is not None else "",
        "price_went_up": old_amount is not None and new_amount is not None and new_amount > old_amount,
        "old_amount": format_money(old_amount, sub.currency) if old_amount is not None else "",
        "details": details,
        "contacts": [_contact_line(c, facts.zone) for c in contacts],
        "last_case_number": next((c.case_number for c in reversed(contacts) if c.case_number), ""),
        "rights": rights_sentence(facts.region, kind, facts),
    }
    context.update(_tone_phrases(tone, facts, kind, vendor))
    return context


# -- a letter on paper ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Letter:
    """A draft set out as a postal letter: the sender's and recipient's address blocks, the date, the subject
    line and the body; front ends only lay it out."""

    sender: tuple[str, ...]
    recipient: tuple[str, ...]
    date: str
    subject: str
    body: str


def paper_letter(kind: DraftKind, facts: DraftFacts, draft: Draft) -> Letter:
    """The draft as a letter for vendors (or banks) that only accept written notice."""
    sub = facts.subscription
    sender = [one_line(facts.user_name), *address_lines(facts.user_address)]
    if facts.user_phone:
        sender.append(f"Phone: {one_line(facts.user_phone)}")
    if facts.user_email:
        sender.append(f"Email: {one_line(facts.user_email)}")
    if kind is DraftKind.BANK_STOP:
        recipient = ["Card services"]
    else:
        vendor, _, _ = product_names(sub)
        recipient = [vendor] if not address_lines(sub.postal_address) else []
        recipient += address_lines(sub.postal_address)
    return Letter(
        sender=tuple(line for line in sender if line),
        recipient=tuple(recipient),
        date=format_day(facts.today),
        subject=draft.subject,
        body=draft.body,
    )


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
