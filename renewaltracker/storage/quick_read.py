"""Reads for the command line on the standard library's sqlite3 alone: importing SQLAlchemy's ORM costs more than
a `list` of 1,000 subscriptions. Only a database that is ours and at the current schema is read here;
`open_quick_reader` returns None for anything else (missing, older, newer, foreign, unreadable), and the caller
opens it the normal way, which migrates, creates or reports it in its own words.

Rows become domain objects through storage/subscription_rows.py, the same mapping the repositories use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from renewaltracker.domain.errors import NotFoundError
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.prices import PriceHistory, histories
from renewaltracker.domain.schedule import Pause, Schedule, plain_next_charge
from renewaltracker.domain.subscription import Status, Subscription
from renewaltracker.domain.subscription_fields import PLANNED_FIELDS, defaults_except
from renewaltracker.i18n import _
from renewaltracker.storage.classify import classify
from renewaltracker.storage.errors import StorageError
from renewaltracker.storage.gil_handover import install_handover
from renewaltracker.storage.schema import APPLICATION_ID, CLI_BUSY_TIMEOUT, SCHEMA_HEADS
from renewaltracker.storage.subscription_rows import (
    COPIED_FIELDS,
    RAW_DECODERS,
    decoded,
    pauses_by_subscription,
    steps_by_subscription,
    subscription_from_row,
)

if TYPE_CHECKING:  # the window's first rows need neither: households and settings load with their first read
    from renewaltracker.domain.household import Assignment, Member

# The same decoders the subscription columns use: dates as ISO text, money as exact text.
_date = RAW_DECODERS["anchor"]
_decimal = RAW_DECODERS["amount"]
_flag = RAW_DECODERS["keep_clipped_day"]


def _trusted(names: list[str], rows: list[Any], pauses: dict[int, tuple[Pause, ...]]) -> list[Subscription]:
    """`subscription_from_row(..., trusted=True)` of every row, a column at a time: each decoder runs over its
    column, the few distinct intervals, states, lead-time and tag lists are built once, and the rows' values are
    zipped together in C (`remind` reads 10,000 rows). A field whose column was not selected takes its default
    (`QuickReader.planned`). tests/storage/test_trusted_rows.py holds it equal to the checking path."""
    if not rows:
        return []
    columns = dict(zip(names, zip(*rows, strict=True), strict=True))
    copied_names = tuple(name for name in (*COPIED_FIELDS, "created_at", "updated_at") if name in columns)
    keys: list[str] = []
    values: list[Iterable[Any]] = []
    for name in copied_names:
        decode = RAW_DECODERS.get(name)
        column = columns[name]
        keys.append(name)
        values.append(column if decode is None else [None if v is None else decode(v) for v in column])
    ids = columns["id"]
    interval_keys = list(zip(columns["interval_count"], columns["interval_unit"], strict=True))
    intervals = {key: Interval(key[0], Unit(key[1])) for key in set(interval_keys)}
    statuses = {text: Status(text) for text in set(columns["status"])}
    day_lists = {text: _whole_numbers(text) for text in set(columns["reminder_days"])}
    tag_lists = {text: tuple(tag for tag in (text or "").split(",") if tag) for text in set(columns.get("tags", ()))}
    keys += ["id", "interval", "status", "pauses", "reminder_days", "tags", "revision"]
    values += [
        ids,
        map(intervals.__getitem__, interval_keys),
        map(statuses.__getitem__, columns["status"]),
        map(pauses.get, ids, repeat(())),
        map(day_lists.__getitem__, columns["reminder_days"]),
        map(tag_lists.__getitem__, columns["tags"]) if "tags" in columns else repeat((), len(ids)),
        columns.get("revision", repeat(0, len(ids))),
    ]
    left_out = defaults_except(*keys)
    keys += left_out
    values += (repeat(value, len(ids)) for value in left_out.values())
    return Subscription.many_from_normalised(dict(zip(keys, values, strict=True)))


def _whole_numbers(text: str | None) -> tuple[int, ...] | None:
    """A stored comma list of lead days ("7,1"); None stays None (the default lead times apply)."""
    return None if text is None else tuple(int(day) for day in text.split(",") if day)


# The columns holding `PLANNED_FIELDS` (the interval is stored as a count and a unit; pauses have their own table).
_PLANNED_COLUMNS = ", ".join(
    sorted((PLANNED_FIELDS - {"interval", "pauses"}) | {"interval_count", "interval_unit"}, key=str)
)


# What `Schedule` is made of (the anchor falls back to the trial's end, as `Subscription.anchor_date` does).
_SCHEDULE_COLUMNS = (
    "id, anchor, trial_end, interval_count, interval_unit, keep_clipped_day, end_date, end_count, cancelled_on"
)


def is_current(connection: sqlite3.Connection) -> bool:
    """Ours and at the newest schema: nothing to migrate, mark or refuse."""
    if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        return False
    if connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone():
        return {row[0] for row in connection.execute("SELECT version_num FROM alembic_version")} == SCHEMA_HEADS
    return False


_is_current = is_current


def open_quick_reader(path: Path, busy_timeout: float = CLI_BUSY_TIMEOUT) -> QuickReader | None:
    """A read-only reader of a current database, or None when it must be opened the normal way."""
    path = path.expanduser()
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        connection = sqlite3.connect(
            path.resolve().as_uri() + "?mode=ro", uri=True, timeout=busy_timeout, isolation_level=None
        )
    except (OSError, sqlite3.Error):
        return None
    install_handover(connection)
    try:
        connection.execute("BEGIN")  # one snapshot for the check and every read after it
        if is_current(connection):
            return QuickReader(connection, path)
    except sqlite3.Error:
        pass  # locked, damaged or not a database: the normal opening says which, in its words
    connection.close()
    return None


class QuickReader:
    """Subscriptions, prices, settings and household names of one read-only snapshot of the database."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path
        self._all: list[Subscription] | None = None

    def _failed(self, error: sqlite3.Error) -> StorageError:
        return classify(error, self.path) or StorageError(
            _("cannot read the database {path}: {error}").format(path=self.path, error=error)
        )

    def _rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[Any]:
        try:
            return self._connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise self._failed(error) from error

    def _subscriptions(
        self,
        where: str = "",
        parameters: tuple[Any, ...] = (),
        *,
        trusted: bool = False,
        columns: str = "*",
        pauses_where: str | None = None,
    ) -> list[Subscription]:
        if pauses_where is None:
            pauses_where = " WHERE subscription_id = ?" if where else ""
        pauses = self._pauses(pauses_where, parameters)
        cursor = self._connection.cursor()
        try:
            cursor.execute(f"SELECT {columns} FROM subscriptions {where} ORDER BY name, id", parameters)
            names = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
        except sqlite3.Error as error:
            raise self._failed(error) from error
        if trusted:
            return _trusted(names, rows, pauses)
        subscriptions = []
        for row in rows:
            values = decoded(dict(zip(names, row, strict=True)))
            subscriptions.append(
                subscription_from_row(values.__getitem__, pauses.get(values["id"], ()), trusted=trusted)
            )
        return subscriptions

    def _pauses(self, where: str, parameters: tuple[Any, ...] = ()) -> dict[int, tuple[Pause, ...]]:
        rows = self._rows("SELECT subscription_id, start, end FROM pauses" + where, parameters)
        return pauses_by_subscription(
            (sid, _date(start), _date(end) if end is not None else None) for sid, start, end in rows
        )

    def all(self) -> list[Subscription]:
        """Every subscription, ordered by name and id (as SubscriptionRepository.all)."""
        if self._all is None:
            self._all = self._subscriptions()
        return list(self._all)

    def all_unchecked(self) -> list[Subscription]:
        """`all` without checking each row again (Subscription.from_normalised), for a use that only looks at them
        (a reminder check): this version saved them, and this reader opens only a current database of ours."""
        return self._subscriptions(trusted=True)

    def planned(self) -> list[Subscription]:
        """`all_unchecked` holding only what planning reminders reads (`PLANNED_FIELDS`), every other field at its
        default: a reminder check reads 10,000 rows and plans from them, and half the columns cost half the read."""
        return self._subscriptions(trusted=True, columns=_PLANNED_COLUMNS)

    def next_charges(self, on_or_after: date) -> list[tuple[int, date | None]]:
        """Every subscription's id and first charge on or after the date (`Subscription.next_charge`), in `all`'s
        order, from the few columns a schedule is made of (the window orders 10,000 by it for its first screenful,
        and a whole `Subscription` each costs more): a plain schedule (no ending, pause or kept clipped day, the
        usual one) by `plain_next_charge`, any other one as a `Schedule`, each distinct one computed once."""
        pauses = self._pauses("")
        rows = self._rows(f"SELECT {_SCHEDULE_COLUMNS} FROM subscriptions ORDER BY name, id")
        steps: dict[tuple[int, str], Interval] = {}
        charges: dict[tuple[Any, ...], date | None] = {}
        found: list[tuple[int, date | None]] = []
        for row in rows:
            sid, anchor, trial_end, count, unit, keep, end, end_count, cancelled = row
            interval = steps.get((count, unit))
            if interval is None:
                interval = steps[count, unit] = Interval(count, Unit(unit))
            paused = pauses.get(sid)
            if paused is None and end is None and end_count is None and cancelled is None:
                start = _date(anchor if anchor is not None else trial_end)  # `Subscription.anchor_date`
                if not keep or interval.days or start.day <= 28:
                    found.append((sid, plain_next_charge(start, interval.days, interval.months, on_or_after)))
                    continue
            key = row[1:] if paused is None else (*row[1:], paused)  # the id decides nothing
            if key not in charges:
                charges[key] = self._schedule(row, interval, paused or ()).next_charge(on_or_after)
            found.append((sid, charges[key]))
        return found

    @staticmethod
    def _schedule(row: tuple[Any, ...], interval: Interval, pauses: tuple[Pause, ...]) -> Schedule:
        """The schedule of a row of `_SCHEDULE_COLUMNS` (as `Subscription.schedule` is made)."""
        _sid, anchor, trial_end, _count, _unit, keep, end, end_count, cancelled = row
        return Schedule(
            _date(anchor if anchor is not None else trial_end),  # `Subscription.anchor_date`
            interval,
            _flag(keep),
            None if end is None else _date(end),
            end_count,
            None if cancelled is None else _date(cancelled),
            pauses,
        )

    def some_unchecked(self, ids: Sequence[int]) -> list[Subscription]:
        """`all_unchecked` of these subscriptions only, in its order (the window's first screenful; at most 999 ids,
        SQLite's oldest limit on parameters)."""
        marks = ", ".join("?" * len(ids))
        return self._subscriptions(
            f"WHERE id IN ({marks})", tuple(ids), trusted=True, pauses_where=f" WHERE subscription_id IN ({marks})"
        )

    def price_histories_of(self, subscriptions: Sequence[Subscription]) -> dict[int, PriceHistory]:
        """`price_histories` of these subscriptions only (as read by `some_unchecked`)."""
        ids = tuple(s.id for s in subscriptions if s.id is not None)
        steps = self._steps(f"WHERE subscription_id IN ({', '.join('?' * len(ids))})", ids)
        return histories(subscriptions, steps) if steps else {}

    def get(self, subscription_id: int) -> Subscription:
        found = self._subscriptions("WHERE id = ?", (subscription_id,))
        if not found:
            raise NotFoundError(_("no subscription with id {subscription_id}").format(subscription_id=subscription_id))
        return found[0]

    def _steps(self, where: str = "", parameters: tuple[Any, ...] = ()) -> dict[int, list[Any]]:
        sql = f"SELECT subscription_id, effective, amount FROM prices {where} ORDER BY effective"
        rows = self._rows(sql, parameters)
        return steps_by_subscription((sid, _date(day), _decimal(amount)) for sid, day, amount in rows)

    def price_histories(self) -> dict[int, PriceHistory]:
        """Every plan's price history that has steps (as SubscriptionService.price_histories)."""
        steps = self._steps()
        return histories(self.all(), steps) if steps else {}

    def prices(self, subscription_id: int) -> PriceHistory:
        subscription = self.get(subscription_id)
        steps = self._steps("WHERE subscription_id = ?", (subscription_id,))
        return PriceHistory(subscription.amount, steps.get(subscription_id, []))

    def setting(self, key: str) -> Any:
        from renewaltracker.domain.settings import setting_spec, stored_setting

        spec = setting_spec(key)
        rows = self._rows("SELECT value FROM settings WHERE key = ?", (key,))
        return stored_setting(key, rows[0][0] if rows else spec.default)

    def members(self) -> list[Member]:
        from renewaltracker.domain.household import Member

        rows = self._rows("SELECT id, name FROM members ORDER BY lower(name)")
        return [Member(name, member_id) for member_id, name in rows]

    def assignment(self, subscription_id: int) -> Assignment:
        from renewaltracker.domain.household import Assignment

        payer = self._rows("SELECT payer_id FROM subscriptions WHERE id = ?", (subscription_id,))
        if not payer:
            return Assignment()
        users = self._rows("SELECT member_id FROM subscription_users WHERE subscription_id = ?", (subscription_id,))
        return Assignment(payer[0][0], tuple(sorted(member_id for (member_id,) in users)))

    def close(self) -> None:
        self._connection.close()  # ends the read transaction; nothing was written
