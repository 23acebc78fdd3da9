"""The contact log's repository: ContactRow ↔ Contact."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.domain.errors import NotFoundError
from renewaltracker.domain.requests import RequestState
from renewaltracker.domain.schedule import check_date
from renewaltracker.i18n import _
from renewaltracker.storage.models import ContactRow, RequestRow, SubscriptionRow


def _casefold(text: str | None) -> str:
    return (text or "").casefold()


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
        request_id=row.request_id,
        promised=row.promised or "",
        promised_by=row.promised_by,
    )


def _copy_into(row: ContactRow, contact: Contact) -> None:
    # Checked when saving only: a contact saved before the limits existed still opens.
    check_date(contact.at.date(), "at")
    check_date(contact.follow_up, "follow-up")
    row.subscription_id = contact.subscription_id
    row.at = contact.at
    row.channel = contact.channel.value
    row.case_number = contact.case_number
    row.agent = contact.agent
    row.summary = contact.summary
    row.outcome = contact.outcome
    row.follow_up = contact.follow_up
    check_date(contact.promised_by, "promised-by")
    row.request_id = contact.request_id
    row.promised = contact.promised
    row.promised_by = contact.promised_by


class ContactRepository:
    """Contacts within one session (one transaction per user action)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, contact_id: int) -> ContactRow:
        row = self.session.get(ContactRow, contact_id)
        if row is None:
            raise NotFoundError(_("no contact with id {contact_id}").format(contact_id=contact_id))
        return row

    def _check_subscription(self, subscription_id: int) -> None:
        if self.session.get(SubscriptionRow, subscription_id) is None:
            raise NotFoundError(_("no subscription with id {subscription_id}").format(subscription_id=subscription_id))

    def add(self, contact: Contact) -> Contact:
        self._check_subscription(contact.subscription_id)
        row = ContactRow(id=contact.id)
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

    def search(self, words: list[str], subscription_id: int | None = None) -> list[Contact]:
        """Contacts whose text holds every (case-folded) word, newest first; the filtering runs inside SQLite."""
        # SQLite's own lower() knows only ASCII; Python's casefold() matches "Ömer" to "ömer" as users expect.
        raw = self.session.connection().connection.driver_connection
        assert raw is not None  # an open connection always has its sqlite3 connection
        raw.create_function("rt_casefold", 1, _casefold, deterministic=True)
        haystack = func.rt_casefold(
            ContactRow.case_number
            + " "
            + ContactRow.agent
            + " "
            + ContactRow.summary
            + " "
            + ContactRow.outcome
            + " "
            + func.replace(ContactRow.channel, "_", " ")
            + " "
            + func.substr(ContactRow.at, 1, 10)
        )
        query = select(ContactRow).where(*(func.instr(haystack, word) > 0 for word in words))
        if subscription_id is not None:
            query = query.where(ContactRow.subscription_id == subscription_id)
        rows = self.session.scalars(query.order_by(ContactRow.at.desc(), ContactRow.id.desc()))
        return [_to_domain(row) for row in rows]

    def follow_ups_between(self, start: date, end: date) -> list[tuple[date, int, str, Decimal, str]]:
        """(follow-up date, subscription id, name, amount, currency) for follow-ups within [start, end]."""
        rows = self.session.execute(
            select(
                ContactRow.follow_up,
                SubscriptionRow.id,
                SubscriptionRow.name,
                SubscriptionRow.amount,
                SubscriptionRow.currency,
            )
            .join(SubscriptionRow, SubscriptionRow.id == ContactRow.subscription_id)
            .outerjoin(RequestRow, RequestRow.id == ContactRow.request_id)
            .where(ContactRow.follow_up >= start, ContactRow.follow_up <= end)
            # A resolved request needs no more chasing: its follow-ups stop being reminders.
            .where(or_(RequestRow.id.is_(None), RequestRow.state != RequestState.RESOLVED.value))
        )
        return [(day, sid, name, amount, currency) for day, sid, name, amount, currency in rows if day is not None]
