"""The reminder store (services/reminder_store.py) on plain sqlite3, for `remind` on a current database: the same
statements as storage/reminder_log.py and the repositories, so a claim is won by exactly one process whichever
path each process takes (the unique key of `delivered_reminders` decides, as it does for the ORM)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from renewaltracker.domain.events import EventKind
from renewaltracker.domain.prices import PriceStep
from renewaltracker.domain.reminders import ReminderKey
from renewaltracker.domain.requests import RequestState
from renewaltracker.domain.subscription import Charge, Subscription
from renewaltracker.storage.quick_read import QuickReader
from renewaltracker.storage.quick_write import QuickWriter, QuickWrites
from renewaltracker.storage.subscription_rows import (
    CHARGE_DECODERS,
    charge_from_row,
    decode_decimal,
    decode_utc,
    encode_date,
    encode_utc,
    steps_by_subscription,
)

_KEY = "subscription_id = ? AND kind = ? AND event_date = ? AND lead_days = ?"
_day = date.fromisoformat


def _key(row: tuple[Any, ...]) -> ReminderKey:
    return ReminderKey(row[0], EventKind(row[1]), _day(row[2]), row[3])


def _values(key: ReminderKey) -> tuple[Any, ...]:
    return (key.subscription_id, key.kind.value, encode_date(key.event_date), key.lead_days)


def _utc(value: str | None) -> datetime | None:
    return decode_utc(value) if value is not None else None


class PlainReminderData(QuickWrites):
    """One transaction's reads and writes, in the statements the ORM path sends."""

    def _all(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[Any]:
        return self.connection.execute(sql, parameters).fetchall()

    def fingerprint(self) -> tuple[object, ...]:
        count, updated, total = self._all("SELECT count(id), max(updated_at), total(revision) FROM subscriptions")[0]
        return count, _utc(updated), total

    def first_created(self) -> datetime | None:
        return _utc(self._all("SELECT min(created_at) FROM subscriptions")[0][0])

    def price_steps(self) -> dict[int, list[PriceStep]]:
        rows = self._all("SELECT subscription_id, effective, amount FROM prices ORDER BY effective")
        return steps_by_subscription((sid, _day(day), decode_decimal(amount)) for sid, day, amount in rows)

    def refund_window_charges(self) -> list[Charge]:
        cursor = self.connection.execute(
            "SELECT * FROM charges WHERE subscription_id IN (SELECT id FROM subscriptions WHERE refund_days > 0) "
            "ORDER BY date, id"
        )
        names = [column[0] for column in cursor.description]
        charges = []
        for row in cursor.fetchall():
            values = dict(zip(names, row, strict=True))
            for name, decode in CHARGE_DECODERS.items():
                if values[name] is not None:
                    values[name] = decode(values[name])
            charges.append(charge_from_row(values.__getitem__))
        return charges

    def recorded_between(self, first: date, last: date) -> set[tuple[int, date]]:
        rows = self._all(
            "SELECT subscription_id, date FROM charges WHERE date >= ? AND date <= ?",
            (encode_date(first), encode_date(last)),
        )
        return {(sid, _day(day)) for sid, day in rows}

    def follow_ups_between(self, start: date, end: date) -> list[tuple[date, int, str, Decimal, str]]:
        rows = self._all(
            "SELECT contacts.follow_up, subscriptions.id, subscriptions.name, subscriptions.amount, "
            "subscriptions.currency FROM contacts JOIN subscriptions ON subscriptions.id = contacts.subscription_id "
            "LEFT OUTER JOIN requests ON requests.id = contacts.request_id "
            "WHERE contacts.follow_up >= ? AND contacts.follow_up <= ? "
            # A resolved request needs no more chasing: its follow-ups stop being reminders.
            "AND (requests.id IS NULL OR requests.state != ?)",
            (encode_date(start), encode_date(end), RequestState.RESOLVED.value),
        )
        return [
            (_day(day), sid, name, decode_decimal(amount), currency)
            for day, sid, name, amount, currency in rows
            if day is not None
        ]

    # -- the log: storage/reminder_log.py, statement for statement ------------------------------------------
    def claimed(self, keys: Iterable[ReminderKey]) -> set[ReminderKey]:
        events = {key.event_id for key in keys}
        if not events:
            return set()
        dates = sorted({encode_date(event[2]) for event in events})
        rows = self._all(
            "SELECT subscription_id, kind, event_date, lead_days FROM delivered_reminders "
            f"WHERE event_date IN ({', '.join('?' * len(dates))})",
            tuple(dates),
        )
        return {key for key in map(_key, rows) if key.event_id in events}

    def claim(self, key: ReminderKey, due_at: datetime, now: datetime) -> bool:
        """Insert the key; False when someone claimed it first (the insert meets the unique constraint)."""
        cursor = self.connection.execute(
            "INSERT INTO delivered_reminders (subscription_id, kind, event_date, lead_days, due_at, claimed_at, "
            "confirmed_at) VALUES (?, ?, ?, ?, ?, ?, NULL) ON CONFLICT DO NOTHING",
            (*_values(key), encode_utc(due_at), encode_utc(now)),
        )
        return bool(cursor.rowcount)

    def confirm(self, keys: Iterable[ReminderKey], now: datetime) -> None:
        for key in keys:
            self.connection.execute(
                f"UPDATE delivered_reminders SET confirmed_at = ? WHERE {_KEY} AND confirmed_at IS NULL",
                (encode_utc(now), *_values(key)),
            )

    def unconfirmed_before(self, cutoff: datetime) -> list[tuple[ReminderKey, datetime]]:
        rows = self._all(
            "SELECT subscription_id, kind, event_date, lead_days, claimed_at FROM delivered_reminders "
            "WHERE confirmed_at IS NULL AND claimed_at < ?",
            (encode_utc(cutoff),),
        )
        return [(_key(row), decode_utc(row[4])) for row in rows]

    def reclaim(self, key: ReminderKey, claimed_at: datetime, now: datetime) -> bool:
        """Take over a stale claim; compare-and-set so two processes cannot both take it."""
        cursor = self.connection.execute(
            f"UPDATE delivered_reminders SET claimed_at = ? WHERE {_KEY} AND confirmed_at IS NULL AND claimed_at = ?",
            (encode_utc(now), *_values(key), encode_utc(claimed_at)),
        )
        return bool(cursor.rowcount)

    def snooze(self, key: ReminderKey, until: datetime) -> None:
        self.connection.execute(
            "INSERT INTO reminder_snoozes (subscription_id, kind, event_date, lead_days, until, delivered_at) "
            "VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (subscription_id, kind, event_date, lead_days) "
            "DO UPDATE SET until = excluded.until, delivered_at = NULL",
            (*_values(key), encode_utc(until)),
        )

    def pending_snoozes(self) -> list[tuple[ReminderKey, datetime]]:
        rows = self._all(
            "SELECT subscription_id, kind, event_date, lead_days, until FROM reminder_snoozes "
            "WHERE delivered_at IS NULL"
        )
        return [(_key(row), decode_utc(row[4])) for row in rows]

    def claim_snooze(self, key: ReminderKey, now: datetime) -> bool:
        cursor = self.connection.execute(
            f"UPDATE reminder_snoozes SET delivered_at = ? WHERE {_KEY} AND delivered_at IS NULL",
            (encode_utc(now), *_values(key)),
        )
        return bool(cursor.rowcount)


class PlainReminderStore:
    """Subscriptions read through storage/quick_read.py's mapping, transactions on a plain writer."""

    def __init__(self, writer: QuickWriter) -> None:
        self.writer = writer

    def _reader(self) -> QuickReader:
        # A reader over the writer's connection (never closed here): each call reads afresh, nothing is kept.
        return QuickReader(self.writer.connection, self.writer.path)

    def all(self) -> list[Subscription]:
        with self.writer.transaction(immediate=False):  # pauses and rows from one snapshot, as the ORM reads them
            return self._reader().planned()  # only planned from, never saved back or shown

    def get(self, subscription_id: int) -> Subscription:
        with self.writer.transaction(immediate=False):
            return self._reader().get(subscription_id)

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[PlainReminderData]:
        """`write`: take the write lock at BEGIN (a claim); a read takes none."""
        with self.writer.transaction(immediate=write) as writes:
            yield PlainReminderData(writes.connection)
