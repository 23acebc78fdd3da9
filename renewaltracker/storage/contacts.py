"""The contact log's repository: ContactRow ↔ Contact."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.domain.errors import NotFoundError
from renewaltracker.storage.models import ContactRow, SubscriptionRow


def _to_domain(row: ContactRow) -> Contact:
    return Contact(
        id=row.id,
        subscription_id=row.subscription_id,
        at=row.at,
        channel=Channel(row.channel),
        case_number=row.case_number,
        agent=row.agent,
        summary=row.summary,
        outcome=row.outcome,
        follow_up=row.follow_up,
    )


def _copy_into(row: ContactRow, contact: Contact) -> None:
    row.subscription_id = contact.subscription_id
    row.at = contact.at
    row.channel = contact.channel.value
    row.case_number = contact.case_number
    row.agent = contact.agent
    row.summary = contact.summary
    row.outcome = contact.outcome
    row.follow_up = contact.follow_up


class ContactRepository:
    """Contacts within one session (one transaction per user action)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, contact_id: int) -> ContactRow:
        row = self.session.get(ContactRow, contact_id)
        if row is None:
            raise NotFoundError(f"no contact with id {contact_id}")
        return row

    def _check_subscription(self, subscription_id: int) -> None:
        if self.session.get(SubscriptionRow, subscription_id) is None:
            raise NotFoundError(f"no subscription with id {subscription_id}")

    def add(self, contact: Contact) -> Contact:
        self._check_subscription(contact.subscription_id)
        row = ContactRow()
        _copy_into(row, contact)
        self.session.add(row)
        self.session.flush()
        return _to_domain(row)

    def get(self, contact_id: int) -> Contact:
        return _to_domain(self._row(contact_id))

    def update(self, contact: Contact) -> Contact:
        if contact.id is None:
            raise ValueError("cannot update a contact that was never saved")
        self._check_subscription(contact.subscription_id)
        row = self._row(contact.id)
        _copy_into(row, contact)
        self.session.flush()
        return _to_domain(row)

    def delete(self, contact_id: int) -> Contact:
        row = self._row(contact_id)
        removed = _to_domain(row)
        self.session.delete(row)
        self.session.flush()
        return removed

    def for_subscription(self, subscription_id: int) -> list[Contact]:
        """Newest first, as a timeline reads."""
        rows = self.session.scalars(
            select(ContactRow)
            .where(ContactRow.subscription_id == subscription_id)
            .order_by(ContactRow.at.desc(), ContactRow.id.desc())
        )
        return [_to_domain(row) for row in rows]

    def all(self) -> list[Contact]:
        rows = self.session.scalars(select(ContactRow).order_by(ContactRow.at.desc(), ContactRow.id.desc()))
        return [_to_domain(row) for row in rows]

    def with_follow_up_between(self, start: date, end: date) -> list[Contact]:
        rows = self.session.scalars(
            select(ContactRow).where(ContactRow.follow_up >= start, ContactRow.follow_up <= end)
        )
        return [_to_domain(row) for row in rows]
