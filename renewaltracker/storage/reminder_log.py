"""The exactly-once log: a reminder is claimed by inserting its unique key, so only one process ever wins it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from renewaltracker.domain.events import EventKind
from renewaltracker.domain.reminders import ReminderKey
from renewaltracker.storage.models import DeliveredReminderRow, ReminderSnoozeRow

_Row = type[DeliveredReminderRow] | type[ReminderSnoozeRow]


def _key_of(row: DeliveredReminderRow | ReminderSnoozeRow) -> ReminderKey:
    return ReminderKey(row.subscription_id, EventKind(row.kind), row.event_date, row.lead_days)


def _key_values(key: ReminderKey) -> dict[str, object]:
    return {
        "subscription_id": key.subscription_id,
        "kind": key.kind.value,
        "event_date": key.event_date,
        "lead_days": key.lead_days,
    }


def _matches(table: _Row, key: ReminderKey) -> ColumnElement[bool]:
    return and_(
        table.subscription_id == key.subscription_id,
        table.kind == key.kind.value,
        table.event_date == key.event_date,
        table.lead_days == key.lead_days,
    )


class ReminderLog:
    """Claims, confirmations and snoozes within one session (the caller's transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def claimed(self, keys: Iterable[ReminderKey]) -> set[ReminderKey]:
        """The keys in the log (claimed by anyone, at any time) of the events of these keys, at any lead time."""
        events = {key.event_id for key in keys}
        if not events:
            return set()
        dates = {event[2] for event in events}
        rows = self.session.scalars(select(DeliveredReminderRow).where(DeliveredReminderRow.event_date.in_(dates)))
        return {key for key in map(_key_of, rows) if key.event_id in events}

    def claim(self, key: ReminderKey, due_at: datetime, now: datetime) -> bool:
        """Insert the key; False when someone claimed it first (the insert meets the unique constraint)."""
        statement = (
            insert(DeliveredReminderRow)
            .values(**_key_values(key), due_at=due_at, claimed_at=now, confirmed_at=None)
            .on_conflict_do_nothing()
        )
        result = self.session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    def confirm(self, keys: Iterable[ReminderKey], now: datetime) -> None:
        """Record that the user was shown these reminders."""
        for key in keys:
            self.session.execute(
                update(DeliveredReminderRow)
                .where(_matches(DeliveredReminderRow, key), DeliveredReminderRow.confirmed_at.is_(None))
                .values(confirmed_at=now)
            )

    def unconfirmed_before(self, cutoff: datetime) -> list[tuple[ReminderKey, datetime]]:
        """Claims never confirmed and older than `cutoff`: their process died before showing them."""
        rows = self.session.scalars(
            select(DeliveredReminderRow).where(
                DeliveredReminderRow.confirmed_at.is_(None), DeliveredReminderRow.claimed_at < cutoff
            )
        )
        return [(_key_of(row), row.claimed_at) for row in rows]

    def reclaim(self, key: ReminderKey, claimed_at: datetime, now: datetime) -> bool:
        """Take over a stale claim; compare-and-set so two processes cannot both take it."""
        result = self.session.execute(
            update(DeliveredReminderRow)
            .where(
                _matches(DeliveredReminderRow, key),
                DeliveredReminderRow.confirmed_at.is_(None),
                DeliveredReminderRow.claimed_at == claimed_at,
            )
            .values(claimed_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    # -- snoozes -------------------------------------------------------------
    def snooze(self, key: ReminderKey, until: datetime) -> None:
        """Show this reminder again at `until` (again pending if it was snoozed and shown before)."""
        statement = insert(ReminderSnoozeRow).values(**_key_values(key), until=until, delivered_at=None)
        statement = statement.on_conflict_do_update(
            index_elements=["subscription_id", "kind", "event_date", "lead_days"],
            set_={"until": statement.excluded.until, "delivered_at": None},
        )
        self.session.execute(statement)

    def pending_snoozes(self) -> list[tuple[ReminderKey, datetime]]:
        rows = self.session.scalars(select(ReminderSnoozeRow).where(ReminderSnoozeRow.delivered_at.is_(None)))
        return [(_key_of(row), row.until) for row in rows]

    def claim_snooze(self, key: ReminderKey, now: datetime) -> bool:
        """Mark a due snooze as shown; False when another process showed it first."""
        result = self.session.execute(
            update(ReminderSnoozeRow)
            .where(_matches(ReminderSnoozeRow, key), ReminderSnoozeRow.delivered_at.is_(None))
            .values(delivered_at=now)
        )
        return bool(getattr(result, "rowcount", 0))
