"""The contact log's use cases: add, edit, delete, list and search contacts, and their follow-up dates as events."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from renewaltracker.domain.clock import Clock
from renewaltracker.domain.contacts import Contact
from renewaltracker.domain.errors import ValidationError, check_span
from renewaltracker.domain.events import Event
from renewaltracker.domain.requests import Request
from renewaltracker.i18n import _
from renewaltracker.services.listeners import Listeners
from renewaltracker.services.reminder_store import follow_up_events
from renewaltracker.storage.contacts import ContactRepository
from renewaltracker.storage.database import Database
from renewaltracker.storage.repositories import SubscriptionRepository
from renewaltracker.storage.requests import RequestRepository

ContactListener = Callable[[int], None]


class ContactService:
    """Contacts per subscription; listeners get the subscription id after each committed change."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock
        self._notify: Listeners[[int]] = Listeners("contact")

    def subscribe(self, listener: ContactListener) -> Callable[[], None]:
        """Call `listener(subscription_id)` after each committed change; returns an unsubscribe function."""
        return self._notify.add(listener)

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with self.database.transaction() as session:
            yield session

    # -- queries -------------------------------------------------------------
    def get(self, contact_id: int) -> Contact:
        with self._transaction() as session:
            return ContactRepository(session).get(contact_id)

    def list_for(self, subscription_id: int) -> list[Contact]:
        """The subscription's contacts, newest first."""
        with self._transaction() as session:
            SubscriptionRepository(session).get(subscription_id)
            return ContactRepository(session).for_subscription(subscription_id)

    def search(self, text: str, subscription_id: int | None = None) -> list[Contact]:
        """Contacts with every word of `text` in their channel, case, agent, summary, outcome or date."""
        words = text.casefold().split()
        with self._transaction() as session:
            repository = ContactRepository(session)
            if not words:
                return repository.all() if subscription_id is None else repository.for_subscription(subscription_id)
            found = repository.search(words, subscription_id)
        return [contact for contact in found if contact.matches(text)]

    def follow_up_events(self, start: date, end: date) -> list[Event]:
        """One FOLLOW_UP event per contact whose follow-up date lies within [start, end]."""
        check_span(start, end)
        with self._transaction() as session:
            follow_ups = ContactRepository(session).follow_ups_between(start, end)
        return follow_up_events(follow_ups, start, end)  # as the command line's plain store makes them

    # -- changes -------------------------------------------------------------
    def add(self, contact: Contact) -> Contact:
        """Log a contact; one about an open request means the vendor now has it (the request is waiting)."""
        with self._transaction() as session:
            if contact.request_id is not None:
                requests = RequestRepository(session)
                request = _request_of(requests, contact)
                requests.update(request.waiting())
            saved = ContactRepository(session).add(replace(contact, id=None))
        self._notify(saved.subscription_id)
        return saved

    def edit(self, contact_id: int, **changes: Any) -> Contact:
        """Apply field changes; a validation failure leaves the stored contact untouched."""
        with self._transaction() as session:
            repository = ContactRepository(session)
            before = repository.get(contact_id)
            changed = replace(before, **changes)
            moved = (changed.request_id, changed.subscription_id) != (before.request_id, before.subscription_id)
            if changed.request_id is not None and moved:
                _request_of(RequestRepository(session), changed)  # an unknown or another plan's request is refused
            saved = repository.update(changed)
        self._notify(before.subscription_id)
        if saved.subscription_id != before.subscription_id:
            self._notify(saved.subscription_id)
        return saved

    def delete(self, contact_id: int) -> Contact:
        with self._transaction() as session:
            removed = ContactRepository(session).delete(contact_id)
        self._notify(removed.subscription_id)
        return removed


def _request_of(requests: RequestRepository, contact: Contact) -> Request:
    """The request a contact is linked to; a ValidationError unless it is about the contact's subscription."""
    assert contact.request_id is not None
    request = requests.get(contact.request_id)
    if request.subscription_id != contact.subscription_id:
        raise ValidationError(
            "request",
            _("request {id} is about subscription {subscription_id}").format(
                id=request.id, subscription_id=request.subscription_id
            ),
        )
    return request
