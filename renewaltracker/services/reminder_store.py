"""What a reminder check reads and writes, as one interface over two stores: the ORM (services/reminder_data.py)
and plain sqlite3 for the command line (storage/quick_reminders.py). The reminder service, the follow-up and
review sources and the exactly-once log rules are the same code on both; only the store differs."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from renewaltracker.domain.errors import check_span
from renewaltracker.domain.events import EVENT_LABELS, Event, EventKind
from renewaltracker.domain.prices import PriceStep
from renewaltracker.domain.reminders import ReminderKey
from renewaltracker.domain.review import REVIEW_ID, next_review
from renewaltracker.domain.subscription import Charge, Subscription

FollowUpRow = tuple[date, int, str, Decimal, str]


class ReminderData(Protocol):
    """One transaction's reads and writes: settings, the reminder log, recorded charges, prices, follow-ups."""

    def setting(self, key: str) -> Any: ...
    def set_setting(self, key: str, text: str) -> Any: ...
    def fingerprint(self) -> tuple[object, ...]: ...
    def first_created(self) -> datetime | None: ...
    def price_steps(self) -> dict[int, list[PriceStep]]: ...
    def refund_window_charges(self) -> list[Charge]: ...
    def recorded_between(self, first: date, last: date) -> set[tuple[int, date]]: ...
    def follow_ups_between(self, start: date, end: date) -> list[FollowUpRow]: ...
    def claimed(self, keys: Iterable[ReminderKey]) -> set[ReminderKey]:
        """The keys in the log of the events of these keys, at any lead time."""

    def claim(self, key: ReminderKey, due_at: datetime, now: datetime) -> bool: ...
    def confirm(self, keys: Iterable[ReminderKey], now: datetime) -> None: ...
    def unconfirmed_before(self, cutoff: datetime) -> list[tuple[ReminderKey, datetime]]: ...
    def reclaim(self, key: ReminderKey, claimed_at: datetime, now: datetime) -> bool: ...
    def snooze(self, key: ReminderKey, until: datetime) -> None: ...
    def pending_snoozes(self) -> list[tuple[ReminderKey, datetime]]: ...
    def claim_snooze(self, key: ReminderKey, now: datetime) -> bool: ...


class ReminderStore(Protocol):
    """Every subscription, one subscription, and transactions (`write`: this one claims or confirms)."""

    def all(self) -> list[Subscription]: ...
    def get(self, subscription_id: int) -> Subscription: ...
    def transaction(self, *, write: bool = False) -> AbstractContextManager[ReminderData]: ...


def follow_up_events(rows: Iterable[FollowUpRow], start: date, end: date) -> list[Event]:
    """One FOLLOW_UP event per (follow-up date, subscription id, name, amount, currency) row, in event order."""
    check_span(start, end)
    events = [
        Event(day, EventKind.FOLLOW_UP, sid, name, amount, currency, day) for day, sid, name, amount, currency in rows
    ]
    events.sort(key=Event.sort_key)
    return events


def review_events(due: date | None, currency: str, start: date, end: date) -> list[Event]:
    """The next review (`due`) as a reminder event when it falls within [start, end]: the reminder log then
    delivers it exactly once, like any other reminder."""
    if due is None or not start <= due <= end:
        return []
    name = EVENT_LABELS[EventKind.REVIEW].soon.capitalize()
    return [Event(due, EventKind.REVIEW, REVIEW_ID, name, Decimal(0), currency, due)]


def next_review_in(data: ReminderData) -> date | None:
    """When the next review falls due, from the oldest subscription's date and the settings alone."""
    first = data.first_created()
    months: int = data.setting("review_months")
    last: date | None = data.setting("last_review")
    return next_review(months, last, first.date() if first is not None else None)


class StoreSources:
    """Follow-ups and the periodic review as reminder event sources, read from a store."""

    def __init__(self, store: ReminderStore) -> None:
        self.store = store

    def follow_up_events(self, start: date, end: date) -> list[Event]:
        check_span(start, end)
        with self.store.transaction() as data:
            rows = data.follow_ups_between(start, end)
        return follow_up_events(rows, start, end)

    def review_events(self, start: date, end: date) -> list[Event]:
        with self.store.transaction() as data:
            due = next_review_in(data)
        if due is None or not start <= due <= end:
            return []
        with self.store.transaction() as data:
            currency: str = data.setting("home_currency") or data.setting("default_currency")
        return review_events(due, currency, start, end)
