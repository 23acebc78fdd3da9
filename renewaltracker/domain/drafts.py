"""Draft emails about a subscription: the kinds, the tones, the facts a template may use, and the finished draft."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from decimal import Decimal
from typing import Any, NamedTuple

from renewaltracker.domain.contacts import Contact

# Re-exported: the kinds and tones live in draft_kinds so the command line's help can name them cheaply.
from renewaltracker.domain.draft_kinds import DraftKind as DraftKind
from renewaltracker.domain.draft_kinds import Tone as Tone
from renewaltracker.domain.draft_kinds import parse_kind as parse_kind
from renewaltracker.domain.draft_kinds import parse_tone as parse_tone
from renewaltracker.domain.errors import message_day
from renewaltracker.domain.languages import ENGLISH
from renewaltracker.domain.letter_phrases import (
    contact_channel,
    describe_interval,
    letter_language,
    phrase,
    plural_days,
)
from renewaltracker.domain.letter_phrases import (
    format_day as format_day,  # re-exported: front ends format dates the letters' way
)
from renewaltracker.domain.letter_phrases import (
    format_money as format_money,
)
from renewaltracker.domain.payment import CARD_MASK, last_four
from renewaltracker.domain.prices import PriceHistory
from renewaltracker.domain.requests import Request
from renewaltracker.domain.subscription import Charge, Status, Subscription, trial_status
from renewaltracker.i18n import _

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
    language: str = ENGLISH  # the letter's language (letter_phrases.LETTER_LANGUAGES)
    prices: PriceHistory | None = None  # the plan's recorded and planned prices

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
            return phrase(
                facts.language, "withdrawal", days=WITHDRAWAL_DAYS, purchase=format_day(purchase, facts.language)
            )
        return ""
    if region == "UK" and kind is DraftKind.BANK_STOP:
        return phrase(facts.language, "uk_cpa")
    if region == "US-CA" and kind is DraftKind.CANCEL:
        return phrase(facts.language, "california")
    return ""


# -- tone ------------------------------------------------------------------------------------------------
def _tone_phrases(tone: Tone, facts: DraftFacts, kind: DraftKind, vendor: str) -> dict[str, str]:
    """Greeting, thanks, sign-off and (firm) reply request; the deadline is computed here, worded per language."""
    lang = facts.language
    bank = kind is DraftKind.BANK_STOP
    addressee = phrase(lang, "addressee_bank") if bank else phrase(lang, "addressee_vendor", vendor=vendor)
    if tone is Tone.FRIENDLY:
        return {
            "greeting": phrase(lang, "friendly_bank") if bank else phrase(lang, "friendly_vendor", vendor=vendor),
            "thanks": phrase(lang, "thanks_friendly"),
            "sign_off": phrase(lang, "sign_off_friendly"),
            "reply_request": "",
        }
    if tone is Tone.NEUTRAL:
        return {
            "greeting": addressee,
            "thanks": phrase(lang, "thanks_neutral"),
            "sign_off": phrase(lang, "sign_off_neutral"),
            "reply_request": "",
        }
    deadline = facts.reply_by
    if deadline is not None:
        days = (deadline - facts.today).days
        reply = phrase(lang, "reply_within", days=plural_days(days, lang), date=format_day(deadline, lang))
    elif facts.next_charge is not None:
        reply = phrase(lang, "reply_before_charge", date=format_day(facts.next_charge, lang))
    else:
        reply = phrase(lang, "reply_asap")
    return {
        "greeting": addressee,
        "thanks": phrase(lang, "thanks_firm"),
        "sign_off": phrase(lang, "sign_off_firm"),
        "reply_request": reply,
    }


def price_today(facts: DraftFacts) -> Decimal:
    """The plan's price in force on the letter's date (the saved amount is the one of the last edit)."""
    return facts.prices.price_on(facts.today) if facts.prices else facts.subscription.amount


def price_rise(facts: DraftFacts) -> tuple[date, Decimal, Decimal] | None:
    """(date, old, new) of the rise the price history knows: the next planned one (what a letter can still
    stop), else the last one already in force, unless a later step has undone it."""
    if not facts.prices:
        return None
    planned = facts.prices.next_step_up(facts.today)
    if planned is not None:
        return planned
    past = facts.prices.step_ups(date.min, facts.today)
    if not past:
        return None
    day, _old, new = past[-1]
    later = (step.amount for step in facts.prices.steps if day < step.effective <= facts.today)
    return past[-1] if all(amount == new for amount in later) else None


def price_change(facts: DraftFacts) -> tuple[Decimal, Decimal] | None:
    """(old, new) price, the one place a letter learns them: an announced new price against today's, else the
    price history's rise (planned or last recorded), else today's price against the last lower one paid."""
    current = price_today(facts)
    if facts.new_amount is not None:
        return current, facts.new_amount
    rise = price_rise(facts)
    if rise is not None:
        return rise[1], rise[2]
    if facts.previous_amount is not None and facts.previous_amount < current:
        return facts.previous_amount, current
    return None


def draft_refusal(kind: DraftKind, facts: DraftFacts) -> str | None:
    """Why this letter would say something untrue today, or None when it can be written."""
    sub = facts.subscription
    if kind is DraftKind.TRIAL_REFUND and sub.trial_end is None:
        return _("no free trial is recorded for this subscription: draft 'refund' instead")
    if kind is DraftKind.TRIAL_REFUND and facts.in_trial:
        assert sub.trial_end is not None
        return _(
            "the free trial has not ended yet (it ends on {trial_end}): draft 'cancel' instead, so "
            "that no charge is taken"
        ).format(trial_end=message_day(sub.trial_end))
    if kind is DraftKind.PRICE_INCREASE:
        change = price_change(facts)
        if change is None:
            return _("no price increase is known: give the new price with --new-price, or plan it with 'price step'")
        old, new = change
        if new <= old:
            return _("the new price {new} {currency} is not higher than the current {old} {currency}").format(
                new=new, currency=sub.currency, old=old
            )
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
def _contact_line(contact: Contact, zone: tzinfo | None, lang: str) -> str:
    moment = contact.at.astimezone(zone) if zone is not None else contact.at
    how = contact_channel(contact.channel.value, contact.channel.label, lang)
    parts = [phrase(lang, "contact", date=format_day(moment.date(), lang), channel=how)]
    if contact.case_number:
        parts.append(phrase(lang, "contact_case", value=contact.case_number))
    if contact.agent:
        parts.append(phrase(lang, "contact_agent", agent=contact.agent))
    line = ", ".join(parts)
    if contact.outcome:
        line += f": {one_line(contact.outcome)}"
    elif contact.summary:
        line += f": {one_line(contact.summary)}"
    return line


def _account_kind(account: str) -> str:
    """An account that is an email address is a login ("Kundenkonto"), anything else a customer number."""
    return "login" if "@" in account else "account"


def _reference(subscription: Subscription, lang: str) -> str:
    """The account or order number a subject quotes, so the vendor finds the customer at once."""
    if subscription.account:
        key = "reference_" + _account_kind(subscription.account)
        return phrase(lang, key, value=one_line(subscription.account))
    if subscription.order_number:
        return phrase(lang, "reference_order", value=one_line(subscription.order_number))
    return ""


def _charge_text(charge: Charge, lang: str) -> str:
    amount = format_money(charge.amount, charge.currency, lang)
    text = phrase(lang, "charge", amount=amount, date=format_day(charge.date, lang))
    if charge.reference:
        text += phrase(lang, "charge_reference", value=one_line(charge.reference))
    return text


_UNNAMED_STARTS = frozenset("0123456789" + CARD_MASK[0])


def draft_context(kind: DraftKind, tone: Tone, facts: DraftFacts) -> dict[str, Any]:
    """The variables a template sees: strings ("" when unknown), booleans and lists; never None."""
    sub = facts.subscription
    lang = letter_language(facts.language)

    def day(value: date | None) -> str:
        return format_day(value, lang) if value is not None else ""

    def money(value: Decimal | None, currency: str) -> str:
        return format_money(value, currency, lang) if value is not None else ""

    vendor, product, subscription = product_names(sub)
    plan = one_line(sub.name) if one_line(sub.vendor) and not _same_name(sub.vendor, sub.name) else ""
    price = f"{format_money(price_today(facts), sub.currency, lang)} {describe_interval(sub.interval, lang)}"
    charge = facts.charge
    payment = one_line(sub.payment_method)
    card = last_four(payment) or ""
    refund_end = charge.date + timedelta(days=sub.refund_days) if charge and sub.refund_days else None
    within_refund = refund_end is not None and charge is not None and charge.date <= facts.today <= refund_end
    old_amount, new_amount = price_change(facts) or (None, None)
    rise = price_rise(facts) if facts.new_amount is None else None
    cancel_by = facts.cancel_by if facts.cancel_by is not None and facts.cancel_by >= facts.today else None
    block_from = facts.next_charge
    contacts = sorted(facts.contacts, key=lambda c: c.at)

    candidates: list[tuple[str, str]]
    if kind is DraftKind.BANK_STOP:
        candidates = [
            ("cardholder", one_line(facts.user_name)),
            ("card", payment if card else ""),  # a label without the last four digits does not name a card
            ("merchant", vendor),
            ("amount", price),
            ("first_block", day(block_from)),
        ]
    else:
        candidates = [
            ("name", one_line(facts.user_name)),
            (_account_kind(sub.account), one_line(sub.account)),
            ("plan", f"{plan}, {price}" if plan else price),
            ("order_number", one_line(sub.order_number)),
            ("purchase_date", day(sub.purchase_date)),
            ("charge_in_question", _charge_text(charge, lang) if charge and kind.names_a_charge else ""),
            ("payment_method", payment),
        ]
    details = [(phrase(lang, key), value) for key, value in candidates if value]
    context: dict[str, Any] = {
        "kind": kind.value,
        "language": lang,
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
        "reference": _reference(sub, lang),
        "price": price,
        "account": one_line(sub.account),
        "order_number": one_line(sub.order_number),
        "purchase_date": day(sub.purchase_date),
        "payment_method": payment,
        # A label that begins with a card's digits ("•••• 1111", "1234") names no brand: the letter calls it a card.
        "payment_named": phrase(lang, "unnamed_card", value=payment)
        if card and payment[:1] in _UNNAMED_STARTS
        else payment,
        "card_last_four": card,
        "charge": _charge_text(charge, lang) if charge else "",
        "charge_date": day(charge.date if charge else None),
        "charge_amount": money(charge.amount, charge.currency) if charge else "",
        "charge_reference": one_line(charge.reference) if charge else "",
        "within_refund_window": within_refund,
        "policy": facts.policy and within_refund,
        "unused": facts.unused,
        "in_trial": facts.in_trial,
        "refund_days": plural_days(sub.refund_days, lang) if sub.refund_days else "",
        "refund_days_count": sub.refund_days or 0,
        "refund_window_end": day(refund_end),
        "trial_end": day(sub.trial_end),
        "cancel_by": day(cancel_by),
        "notice_passed": bool(sub.notice_days) and cancel_by is None and facts.next_charge is not None,
        "next_charge": day(facts.next_charge),
        "block_from": day(block_from),
        "new_amount": money(new_amount, sub.currency),
        "price_went_up": old_amount is not None and new_amount is not None and new_amount > old_amount,
        "old_amount": money(old_amount, sub.currency),
        # The date of the rise the price history knows ("" with --new-price or none), and whether it is ahead.
        "price_from": day(rise[0] if rise else None),
        "price_planned": rise is not None and rise[0] > facts.today,
        "details": details,
        "contacts": [_contact_line(c, facts.zone, lang) for c in contacts],
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
        sender.append(phrase(facts.language, "phone", value=one_line(facts.user_phone)))
    if facts.user_email:
        sender.append(phrase(facts.language, "email", value=one_line(facts.user_email)))
    if kind is DraftKind.BANK_STOP:
        recipient = [phrase(facts.language, "card_services")]
    else:
        vendor, _, _ = product_names(sub)
        recipient = [vendor] if not address_lines(sub.postal_address) else []
        recipient += address_lines(sub.postal_address)
    return Letter(
        sender=tuple(line for line in sender if line),
        recipient=tuple(recipient),
        date=format_day(facts.today, facts.language),
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
    first, _newline, rest = rendered.lstrip("\n").partition("\n")
    match = _SUBJECT.match(first)
    if match is None:
        raise DraftFormatError(_("the first line must be 'Subject: …'"))
    subject = one_line(match.group(1))
    if not subject:
        raise DraftFormatError(_("the subject is empty"))
    lines = [line.rstrip() for line in rest.replace("\r\n", "\n").split("\n")]
    body = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n") + "\n"
    return Draft(to=one_line(to), subject=subject, body=body)
