"""What a follow-up letter says about a request: the original ask, every contact, case numbers and promises."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo
from typing import Any

from renewaltracker.domain.contacts import Contact
from renewaltracker.domain.drafts import format_day as _day
from renewaltracker.domain.drafts import format_money
from renewaltracker.domain.requests import Request, RequestKind
from renewaltracker.domain.subscription import Charge


def _money(request: Request, charge: Charge | None) -> str:
    if request.amount is not None:
        return format_money(request.amount, request.currency)
    return format_money(charge.amount, charge.currency) if charge is not None else ""


def _charge(charge: Charge | None) -> str:
    if charge is None:
        return ""
    text = f"the charge of {format_money(charge.amount, charge.currency)} on {_day(charge.date)}"
    return text + (f" (reference {' '.join(charge.reference.split())})" if charge.reference else "")


def original_ask(request: Request, charge: Charge | None) -> str:
    """ "a refund of $39.99 for the charge of $39.99 on 3 March 2026": what was asked, about what, for how much."""
    amount = _money(request, charge)
    about = _charge(charge)
    if request.kind is RequestKind.REFUND:
        return f"a refund of {amount}" + (f" for {about}" if about else "") if amount else "a refund"
    if request.kind is RequestKind.DISPUTE:
        return "a correction of " + (about or "a charge I did not agree to") + (f", {amount} in all" if amount else "")
    if request.kind is RequestKind.STOP_PAYMENT:
        return "that no further payments be taken"
    if request.kind is RequestKind.PRICE:
        return "that my price not be raised" + (f" ({about})" if about else "")
    return "the cancellation of my subscription, with no further charge"


def wanted_now(request: Request, charge: Charge | None) -> str:
    """One plain sentence: what the user wants done now."""
    amount = _money(request, charge)
    if request.kind in (RequestKind.REFUND, RequestKind.DISPUTE):
        target = f"the {amount}" if amount else "the money"
        return f"Please refund {target} now and confirm the refund to me in writing."
    if request.kind is RequestKind.STOP_PAYMENT:
        return "Please stop every further payment now and confirm this to me in writing."
    if request.kind is RequestKind.PRICE:
        return "Please confirm in writing the price I will pay from now on."
    return "Please confirm in writing that my subscription is cancelled and that no further charge will be taken."


def _local_day(contact: Contact, zone: tzinfo | None) -> date:
    return (contact.at.astimezone(zone) if zone is not None else contact.at).date()


def _contact_line(contact: Contact, zone: tzinfo | None) -> str:
    parts = [f"{_day(_local_day(contact, zone))} by {contact.channel.label}"]
    if contact.case_number:
        parts.append(f"case {contact.case_number}")
    if contact.agent:
        parts.append(f"with {contact.agent}")
    line = ", ".join(parts) + ":"
    said = " ".join(contact.summary.split())
    outcome = " ".join(contact.outcome.split())
    line += f" {said.rstrip('.')}." if said else ""
    line += f" Outcome: {outcome.rstrip('.')}." if outcome else ""
    if contact.promised:
        promised = " ".join(contact.promised.split()).rstrip(".")
        due = f" by {_day(contact.promised_by)}" if contact.promised_by else ""
        line += f" I was promised: {promised}{due}."
    return line


def follow_up_context(
    request: Request | None, charge: Charge | None, contacts: Sequence[Contact], today: date, zone: tzinfo | None
) -> dict[str, Any]:
    """Template variables for a follow-up; empty (and `has_request` false) without a request."""
    ordered = sorted(contacts, key=lambda c: (c.at, c.id or 0))
    cases = list(dict.fromkeys(c.case_number for c in ordered if c.case_number))
    promises = [
        {
            "what": " ".join(c.promised.split()).rstrip("."),
            "by": _day(c.promised_by) if c.promised_by else "",
            "overdue": c.promised_by is not None and c.promised_by < today,
        }
        for c in ordered
        if c.promised
    ]
    # A request opened by hand after its first contact was made on that contact's day.
    asked = [request.opened_on, *(_local_day(c, zone) for c in ordered)] if request else []
    return {
        "has_request": request is not None,
        "request_opened": _day(min(asked)) if asked else "",
        "original_ask": original_ask(request, charge) if request else "",
        "wanted_now": wanted_now(request, charge) if request else "",
        "request_contacts": [_contact_line(c, zone) for c in ordered],
        "case_numbers": cases,
        "promises": promises,
    }
