"""Composes a draft for a subscription from the stored facts, the settings and the templates."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from renewaltracker.domain.channel_drafts import channel_context, channel_template, is_form_text
from renewaltracker.domain.contacts import Contact
from renewaltracker.domain.drafts import (
    Draft,
    DraftFacts,
    DraftKind,
    Tone,
    draft_context,
    draft_refusal,
    finish_draft,
    parse_tone,
)
from renewaltracker.domain.errors import ValidationError, message_day
from renewaltracker.domain.events import next_cancel_by
from renewaltracker.domain.follow_up import follow_up_context
from renewaltracker.domain.letter_phrases import letter_language
from renewaltracker.domain.prices import PriceHistory
from renewaltracker.domain.requests import Request, RequestKind
from renewaltracker.domain.subscription import Charge, ChargeStatus, Subscription
from renewaltracker.i18n import _, current_language
from renewaltracker.services.contacts import ContactService
from renewaltracker.services.draft_templates import SUFFIX, TemplateLibrary, TemplateProblem
from renewaltracker.services.reminders import local_zone
from renewaltracker.services.requests import RequestService
from renewaltracker.services.subscriptions import SubscriptionService

# The request each kind of letter makes; a follow-up continues an existing one.
REQUEST_KINDS = {
    DraftKind.CANCEL: RequestKind.CANCEL,
    DraftKind.REFUND: RequestKind.REFUND,
    DraftKind.TRIAL_REFUND: RequestKind.REFUND,
    DraftKind.DISPUTE: RequestKind.DISPUTE,
    DraftKind.PRICE_INCREASE: RequestKind.PRICE,
    DraftKind.BANK_STOP: RequestKind.STOP_PAYMENT,
}

# How far back to look for the scheduled charge a refund is about, when none was recorded.
_LOOKBACK = timedelta(days=400)


@dataclass(frozen=True, slots=True)
class ComposedDraft:
    draft: Draft
    problems: list[TemplateProblem] = field(default_factory=list)
    facts: DraftFacts | None = None  # what it was written from, for the letter on paper


def _scheduled_charge(subscription: Subscription, day: date, prices: PriceHistory) -> Charge | None:
    """The charge the schedule takes on `day`, at the price in force that day (the saved price is the one of the
    last edit, stale once a planned step comes into force)."""
    assert subscription.id is not None
    if day not in subscription.schedule.charges_between(day, day):
        return None
    return Charge(subscription.id, day, prices.price_on(day), subscription.currency)


class DraftService:
    """Drafts emails about one subscription; the charge in question defaults to the latest one."""

    def __init__(
        self, subscriptions: SubscriptionService, contacts: ContactService, templates: TemplateLibrary | None = None
    ) -> None:
        self.subscriptions = subscriptions
        self.contacts = contacts
        self.templates = templates if templates is not None else TemplateLibrary()

    def charge_choices(self, subscription_id: int) -> list[Charge]:
        """Charges a draft may be about, newest first: the recorded ones, else the latest scheduled one."""
        subscription = self.subscriptions.get(subscription_id)
        recorded = [c for c in self.subscriptions.charges(subscription_id) if c.status is ChargeStatus.CHARGED]
        if recorded:
            return sorted(recorded, key=lambda c: (c.date, c.id or 0), reverse=True)
        today = self.subscriptions.clock.today()
        scheduled = list(subscription.schedule.charges_between(today - _LOOKBACK, today))
        if not scheduled:
            return []
        assert subscription.id is not None
        price = self.subscriptions.prices(subscription_id).price_on(scheduled[-1])
        return [Charge(subscription.id, scheduled[-1], price, subscription.currency)]

    def find_charge(self, subscription_id: int, day: date) -> Charge:
        """The recorded charge on `day`, else the scheduled one; refuses a day with no charge."""
        recorded = [c for c in self.subscriptions.charges(subscription_id) if c.date == day]
        if recorded:
            return max(recorded, key=lambda c: c.id or 0)
        scheduled = _scheduled_charge(
            self.subscriptions.get(subscription_id), day, self.subscriptions.prices(subscription_id)
        )
        if scheduled is None:
            raise ValidationError(
                "charge",
                _("no charge on {day}: record it with 'charge add' or give a date the subscription charges on").format(
                    day=message_day(day)
                ),
            )
        return scheduled

    def _previous_price(self, subscription: Subscription, today_price: Decimal) -> Decimal | None:
        """The latest recorded charge lower than today's price: what the user paid before an increase."""
        assert subscription.id is not None
        charged = [c for c in self.subscriptions.charges(subscription.id) if c.status is ChargeStatus.CHARGED]
        lower = [c for c in charged if c.currency == subscription.currency and c.amount < today_price]
        return max(lower, key=lambda c: (c.date, c.id or 0)).amount if lower else None

    def facts(
        self,
        kind: DraftKind,
        subscription_id: int,
        charge_date: date | None = None,
        new_amount: Decimal | None = None,
        request_id: int | None = None,
        *,
        unused: bool = False,
        policy: bool = False,
        language: str | None = None,
    ) -> DraftFacts:
        subscription = self.subscriptions.get(subscription_id)
        request = self._request(kind, subscription_id, request_id)
        today = self.subscriptions.clock.today()
        charge: Charge | None = None
        if request is not None and request.charge_id is not None and charge_date is None:
            charge = RequestService(self.subscriptions.database, self.subscriptions.clock).charge(request)
        elif charge_date is not None:
            charge = self.find_charge(subscription_id, charge_date)
        elif kind.names_a_charge:
            choices = self.charge_choices(subscription_id)
            charge = choices[0] if choices else None
        next_charge = subscription.next_charge(today)
        deadline = next_cancel_by(subscription, today)
        cancel_by = deadline[0] if deadline and deadline[1] == next_charge else None
        settings = self.subscriptions.settings()
        contacts = tuple(self.contacts.list_for(subscription_id)) if kind is DraftKind.FOLLOW_UP else ()
        prices = self.subscriptions.prices(subscription_id)
        today_price = prices.price_on(today) if prices else subscription.amount
        previous_amount = self._previous_price(subscription, today_price) if kind is DraftKind.PRICE_INCREASE else None
        return DraftFacts(
            subscription=subscription,
            today=today,
            user_name=settings["user_name"],
            user_email=settings["user_email"],
            region=settings["region"],
            charge=charge,
            contacts=contacts,
            new_amount=new_amount,
            previous_amount=previous_amount,
            reply_days=int(self.subscriptions.setting("draft_reply_days")),
            cancel_by=cancel_by,
            next_charge=next_charge,
            zone=local_zone(self.subscriptions.clock),
            unused=unused,
            policy=policy,
            user_address=settings["user_address"],
            user_phone=settings["user_phone"],
            request=request,
            language=language or self.default_language(subscription),
            prices=prices,
        )

    @staticmethod
    def default_language(subscription: Subscription) -> str:
        """The letter language: the subscription's own, else the interface's (English when it has no letters)."""
        return subscription.letter_language or letter_language(current_language())

    def _request(self, kind: DraftKind, subscription_id: int, request_id: int | None) -> Request | None:
        """The request a follow-up is about: the one named, else the latest still unresolved."""
        if kind is not DraftKind.FOLLOW_UP:
            return None
        requests = RequestService(self.subscriptions.database, self.subscriptions.clock)
        if request_id is not None:
            request = requests.get(request_id)
            if request.subscription_id != subscription_id:
                raise ValidationError(
                    "request",
                    _("request {request_id} is about subscription {subscription_id}").format(
                        request_id=request_id, subscription_id=request.subscription_id
                    ),
                )
            return request
        unresolved = [r for r in requests.all(subscription_id) if not r.is_resolved]
        return unresolved[-1] if unresolved else None

    def record(self, kind: DraftKind, contact: Contact, charge_date: date | None = None) -> Contact:
        """Log a draft as a contact, under the request it makes (opened now) or, for a follow-up, continues."""
        requests = RequestService(self.subscriptions.database, self.subscriptions.clock)
        request: Request | None
        if kind is DraftKind.FOLLOW_UP:
            request = self._request(kind, contact.subscription_id, None)
        else:
            charge: Charge | None = None
            if kind.names_a_charge:
                choices = self.charge_choices(contact.subscription_id)
                charge = (
                    self.find_charge(contact.subscription_id, charge_date) if charge_date else next(iter(choices), None)
                )
            charge_id = charge.id if charge is not None else None
            request = requests.open(contact.subscription_id, REQUEST_KINDS[kind], charge_id)
        return self.contacts.add(replace(contact, request_id=request.id if request else None))

    def default_tone(self) -> Tone:
        return parse_tone(self.subscriptions.setting("draft_tone"))

    def compose(
        self,
        kind: DraftKind,
        subscription_id: int,
        tone: Tone | None = None,
        charge_date: date | None = None,
        new_amount: Decimal | None = None,
        request_id: int | None = None,
        *,
        unused: bool = False,
        policy: bool = False,
        language: str | None = None,
    ) -> ComposedDraft:
        """The draft, in `language` (default: default_language); refuses (ValidationError) a letter that would
        not be true today."""
        facts = self.facts(
            kind,
            subscription_id,
            charge_date,
            new_amount,
            request_id,
            unused=unused,
            policy=policy,
            language=language,
        )
        return compose_from_facts(self.templates, kind, tone or self.default_tone(), facts)


def compose_from_facts(templates: TemplateLibrary, kind: DraftKind, tone: Tone, facts: DraftFacts) -> ComposedDraft:
    """Render the kind's template over the facts; refuses (ValidationError) a letter that would not be true.
    The bank letter has no known recipient, and a store's form has no address to mail to."""
    reason = draft_refusal(kind, facts)
    if reason is not None:
        raise ValidationError(kind.value, reason)
    channel = facts.subscription.channel
    form = is_form_text(kind, channel)
    to = "" if kind is DraftKind.BANK_STOP or form else facts.subscription.support_email
    if kind is DraftKind.FOLLOW_UP and facts.request is not None:
        # A follow-up on one request quotes its own contacts and case numbers, never another matter's.
        request_id = facts.request.id
        facts = replace(facts, contacts=tuple(c for c in facts.contacts if c.request_id == request_id))
    context = draft_context(kind, tone, facts) | channel_context(channel)
    if kind is DraftKind.FOLLOW_UP:
        context.update(follow_up_context(facts.request, facts.charge, facts.contacts, facts.today, facts.zone))
    name = (channel_template(kind, channel) or kind.value) + SUFFIX
    text, problems = templates.render(
        name, context, check=lambda rendered: finish_draft(to, rendered), language=context["language"]
    )
    return ComposedDraft(finish_draft(to, text), problems, facts)
