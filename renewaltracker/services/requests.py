"""Requests to vendors (open, wait, resolve) and the savings ledger they feed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from renewaltracker.domain.clock import Clock
from renewaltracker.domain.contacts import Contact
from renewaltracker.domain.money import parse_amount
from renewaltracker.domain.requests import Outcome, Request, RequestKind
from renewaltracker.domain.savings import PLAIN, Ledger, Wording, ledger
from renewaltracker.domain.subscription import Charge
from renewaltracker.services.listeners import Listeners
from renewaltracker.storage.contacts import ContactRepository
from renewaltracker.storage.database import Database
from renewaltracker.storage.repositories import ChargeRepository, SubscriptionRepository
from renewaltracker.storage.requests import PriceRepository, RequestRepository


@dataclass(frozen=True, slots=True)
class RequestsOverview:
    """A subscription's requests, oldest first, each with its charge and its contacts, as of one snapshot."""

    requests: list[Request]
    charges: dict[int, Charge] = field(default_factory=dict)  # by request id, for those about a charge
    contacts: dict[int, list[Contact]] = field(default_factory=dict)  # by request id, oldest first

    def charge(self, request_id: int) -> Charge | None:
        return self.charges.get(request_id)

    def contacts_of(self, request_id: int) -> list[Contact]:
        return self.contacts.get(request_id, [])


class RequestService:
    """Opens and resolves requests; listeners get the subscription id after each committed change."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock
        self._notify: Listeners[[int]] = Listeners("request")

    def subscribe(self, listener: Callable[[int], None]) -> Callable[[], None]:
        return self._notify.add(listener)

    def open(
        self,
        subscription_id: int,
        kind: RequestKind,
        charge_id: int | None = None,
        amount: Decimal | str | None = None,
        on: date | None = None,
    ) -> Request:
        """A new request; a refund or dispute of a charge asks for the whole charge unless an amount is given."""
        with self.database.transaction() as session:
            subscription = SubscriptionRepository(session).get(subscription_id)
            charge: Charge | None = None
            if charge_id is not None:
                charge = ChargeRepository(session).require(charge_id, subscription_id)
            asked = parse_amount(amount) if amount is not None else None
            if asked is None and charge is not None and kind in (RequestKind.REFUND, RequestKind.DISPUTE):
                asked = charge.amount
            request = Request(
                subscription_id=subscription_id,
                kind=kind,
                opened_on=on or self.clock.today(),
                currency=subscription.currency,
                charge_id=charge_id,
                amount=asked,
            )
            saved = RequestRepository(session).add(request)
        self._notify(subscription_id)
        return saved

    def get(self, request_id: int) -> Request:
        with self.database.transaction() as session:
            return RequestRepository(session).get(request_id)

    def all(self, subscription_id: int | None = None) -> list[Request]:
        with self.database.transaction() as session:
            if subscription_id is not None:
                SubscriptionRepository(session).get(subscription_id)
            return RequestRepository(session).all(subscription_id)

    def overview(self, subscription_id: int) -> RequestsOverview:
        """What the Requests tab shows in one transaction: `all`, and `charge` and `contacts` of each request."""
        with self.database.transaction() as session:
            SubscriptionRepository(session).get(subscription_id)
            requests = RequestRepository(session).all(subscription_id)
            charges = ChargeRepository(session)
            about = {
                r.id: charges.require(r.charge_id, subscription_id)
                for r in requests
                if r.id is not None and r.charge_id is not None
            }
            found = ContactRepository(session).for_subscription(subscription_id) if requests else []
        contacts: dict[int, list[Contact]] = {}
        for contact in sorted(found, key=lambda c: (c.at, c.id or 0)):
            if contact.request_id is not None:
                contacts.setdefault(contact.request_id, []).append(contact)
        return RequestsOverview(requests, about, contacts)

    def contacts(self, request_id: int) -> list[Contact]:
        """The request's contacts, oldest first, as a letter retells them."""
        with self.database.transaction() as session:
            request = RequestRepository(session).get(request_id)
            found = ContactRepository(session).for_subscription(request.subscription_id)
        return sorted((c for c in found if c.request_id == request_id), key=lambda c: (c.at, c.id or 0))

    def charge(self, request: Request) -> Charge | None:
        if request.charge_id is None:
            return None
        with self.database.transaction() as session:
            return ChargeRepository(session).require(request.charge_id, request.subscription_id)

    def resolve(self, request_id: int, outcome: Outcome, recovered: Decimal | str | None = None) -> Request:
        with self.database.transaction() as session:
            repository = RequestRepository(session)
            amount = parse_amount(recovered) if recovered is not None else None
            saved = repository.update(repository.get(request_id).resolve(outcome, self.clock.today(), amount))
        self._notify(saved.subscription_id)
        return saved

    def savings(self, words: Wording = PLAIN) -> Ledger:
        """Money recovered and renewals avoided, with the items behind each figure (their texts worded by `words`)."""
        with self.database.transaction() as session:
            return ledger(
                SubscriptionRepository(session).all(),
                ChargeRepository(session).all(),
                RequestRepository(session).all(),
                PriceRepository(session).all(),
                words,
            )
