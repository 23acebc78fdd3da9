"""The reminder store on the ORM: the repositories within one session, and the subscriptions through the service
(which tells the reminder plan of each change)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from renewaltracker.domain.prices import PriceStep
from renewaltracker.domain.reminders import ReminderKey
from renewaltracker.domain.subscription import Charge, Subscription
from renewaltracker.services.reminder_store import FollowUpRow
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.contacts import ContactRepository
from renewaltracker.storage.reminder_log import ReminderLog
from renewaltracker.storage.repositories import ChargeRepository, SettingsRepository, SubscriptionRepository
from renewaltracker.storage.requests import PriceRepository


class SessionReminderData:
    """What one transaction of a reminder check reads and writes, through the repositories."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.log = ReminderLog(session)

    def setting(self, key: str) -> Any:
        return SettingsRepository(self.session).get(key)

    def set_setting(self, key: str, text: str) -> Any:
        return SettingsRepository(self.session).set(key, text)

    def fingerprint(self) -> tuple[object, ...]:
        return SubscriptionRepository(self.session).fingerprint()

    def first_created(self) -> datetime | None:
        return SubscriptionRepository(self.session).first_created()

    def price_steps(self) -> dict[int, list[PriceStep]]:
        return PriceRepository(self.session).all()

    def refund_window_charges(self) -> list[Charge]:
        return ChargeRepository(self.session).with_refund_window()

    def recorded_between(self, first: date, last: date) -> set[tuple[int, date]]:
        return ChargeRepository(self.session).recorded_between(first, last)

    def follow_ups_between(self, start: date, end: date) -> list[FollowUpRow]:
        return ContactRepository(self.session).follow_ups_between(start, end)

    def claimed(self, keys: Iterable[ReminderKey]) -> set[ReminderKey]:
        return self.log.claimed(keys)

    def claim(self, key: ReminderKey, due_at: datetime, now: datetime) -> bool:
        return self.log.claim(key, due_at, now)

    def confirm(self, keys: Iterable[ReminderKey], now: datetime) -> None:
        self.log.confirm(keys, now)

    def unconfirmed_before(self, cutoff: datetime) -> list[tuple[ReminderKey, datetime]]:
        return self.log.unconfirmed_before(cutoff)

    def reclaim(self, key: ReminderKey, claimed_at: datetime, now: datetime) -> bool:
        return self.log.reclaim(key, claimed_at, now)

    def snooze(self, key: ReminderKey, until: datetime) -> None:
        self.log.snooze(key, until)

    def pending_snoozes(self) -> list[tuple[ReminderKey, datetime]]:
        return self.log.pending_snoozes()

    def claim_snooze(self, key: ReminderKey, now: datetime) -> bool:
        return self.log.claim_snooze(key, now)


class ServiceReminderStore:
    """Subscriptions through the subscription service, transactions on its database."""

    def __init__(self, service: SubscriptionService) -> None:
        self.service = service

    def all(self) -> list[Subscription]:
        return self.service.all()

    def get(self, subscription_id: int) -> Subscription:
        return self.service.get(subscription_id)

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[SessionReminderData]:
        """`write` changes nothing here: the ORM takes the write lock at the first write."""
        with self.service.transaction() as session:
            yield SessionReminderData(session)
