"""The subscription use cases: one transaction per user action, and a change signal for views."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from renewaltracker.domain.clock import Clock
from renewaltracker.domain.contacts import Contact
from renewaltracker.domain.costs import CostTotals, totals
from renewaltracker.domain.errors import DuplicateChargeError, NotFoundError, ValidationError, check_span, message_day
from renewaltracker.domain.events import Event, events_between
from renewaltracker.domain.household import Assignment
from renewaltracker.domain.money import parse_amount
from renewaltracker.domain.prices import PriceHistory, PriceStep, histories
from renewaltracker.domain.requests import Request
from renewaltracker.domain.subscription import Charge, ChargeStatus, Status, Subscription
from renewaltracker.domain.unused import check_used_on
from renewaltracker.i18n import _
from renewaltracker.services.listeners import Listeners
from renewaltracker.storage.attachments import Attachment, AttachmentRepository, attachments_dir
from renewaltracker.storage.contacts import ContactRepository
from renewaltracker.storage.database import Database
from renewaltracker.storage.errors import ConflictError
from renewaltracker.storage.household import HouseholdRepository
from renewaltracker.storage.repositories import ChargeRepository, SettingsRepository, SubscriptionRepository
from renewaltracker.storage.requests import PriceRepository, RequestRepository

# How often a read-modify-write is re-applied after losing a race before the conflict reaches the user.
CONFLICT_RETRIES = 5


class Change(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    DELETED = "deleted"
    CHARGES = "charges"
    SETTINGS = "settings"


Listener = Callable[[Change, int | None], None]


@dataclass(frozen=True, slots=True)
class Deleted:
    """A deleted subscription and everything that went with it, for undo."""

    subscription: Subscription
    charges: list[Charge]
    contacts: list[Contact]
    requests: list[Request]
    prices: list[PriceStep]
    assignment: Assignment = field(default_factory=Assignment)
    attachments: tuple[Attachment, ...] = ()


def _refuse_duplicate(charge: Charge, existing: list[Charge]) -> None:
    for other in existing:
        if other.date == charge.date and other.amount == charge.amount:
            raise DuplicateChargeError(other.id, charge.date, charge.amount, charge.currency)


class SubscriptionService:
    """Adds, edits and queries subscriptions; tells listeners after each committed change."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock
        self._listeners: Listeners[[Change, int | None]] = Listeners("change")

    # -- change notification -------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(change, id)` after each committed change; returns an unsubscribe function."""
        return self._listeners.add(listener)

    def notify(self, change: Change, subscription_id: int | None) -> None:
        """Tell listeners of a change committed outside this service's own methods (e.g. a bulk import)."""
        self._listeners(change, subscription_id)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back entirely on any error."""
        with self.database.transaction() as session:
            yield session

    # -- queries -------------------------------------------------------------
    def get(self, subscription_id: int) -> Subscription:
        with self.transaction() as session:
            return SubscriptionRepository(session).get(subscription_id)

    def all(self) -> list[Subscription]:
        with self.transaction() as session:
            return SubscriptionRepository(session).all()

    def charges(self, subscription_id: int) -> list[Charge]:
        with self.transaction() as session:
            SubscriptionRepository(session).get(subscription_id)
            return ChargeRepository(session).for_subscription(subscription_id)

    def upcoming(self, start: date, end: date) -> list[Event]:
        check_span(start, end)
        return events_between(self.all(), start, end, self.price_histories())

    def totals(self) -> CostTotals:
        return totals(self.all(), self.clock.today(), prices=self.price_histories())

    def settings(self) -> dict[str, str]:
        with self.transaction() as session:
            return SettingsRepository(session).all_raw()

    def setting(self, key: str) -> Any:
        with self.transaction() as session:
            return SettingsRepository(session).get(key)

    def default_lead_days(self) -> tuple[int, ...]:
        value: tuple[int, ...] = self.setting("reminder_days")
        return value

    # -- changes -------------------------------------------------------------
    def set_setting(self, key: str, text: str) -> Any:
        with self.transaction() as session:
            value = SettingsRepository(session).set(key, text)
        self.notify(Change.SETTINGS, None)
        return value

    def set_settings(self, values: Mapping[str, str]) -> None:
        """Save several settings as one change: all are checked first, and either all are stored or none."""
        with self.transaction() as session:
            repository = SettingsRepository(session)
            for key, text in values.items():
                repository.set(key, text)
        self.notify(Change.SETTINGS, None)

    def add(self, subscription: Subscription) -> Subscription:
        self._check_use(None, subscription)
        with self.transaction() as session:
            saved = SubscriptionRepository(session).add(replace(subscription, id=None), self.clock.now())
        self.notify(Change.ADDED, saved.id)
        return saved

    def update(self, subscription: Subscription, *, overwrite: bool = False) -> Subscription:
        """Store a subscription read earlier; ConflictError when it was changed since, unless `overwrite`."""
        with self.transaction() as session:
            repository = SubscriptionRepository(session)
            if subscription.id is not None and subscription.last_used is not None:
                self._check_use(repository.get(subscription.id), subscription)
            saved = repository.update(subscription, self.clock.now(), overwrite=overwrite)
        self.notify(Change.UPDATED, saved.id)
        return saved

    def edit(self, subscription_id: int, **changes: Any) -> Subscription:
        """Apply field changes; validation failure leaves the stored record untouched."""
        return self.modify(subscription_id, lambda s: replace(s, **changes))

    def modify(self, subscription_id: int, step: Callable[[Subscription], Subscription]) -> Subscription:
        """Apply `step` to the stored subscription and save it, checked against the revision it read.

        `step` is a function of the stored state, so when another process wins the race the change is
        re-applied to the newer state (a few times) instead of overwriting it; ConflictError after that.
        """
        for attempt in range(CONFLICT_RETRIES):
            try:
                with self.transaction() as session:
                    repository = SubscriptionRepository(session)
                    stored = repository.get(subscription_id)
                    changed = step(stored)
                    self._check_use(stored, changed)
                    saved = repository.update(changed, self.clock.now())
                break
            except ConflictError:
                if attempt == CONFLICT_RETRIES - 1:
                    raise
        self.notify(Change.UPDATED, saved.id)
        return saved

    def _check_use(self, before: Subscription | None, after: Subscription) -> None:
        """A last use newly set on a day to come is refused (it would hide every real use before it); one stored
        earlier is left for the user to correct, not made to block every other edit."""
        if after.last_used is not None and (before is None or after.last_used != before.last_used):
            check_used_on(after.last_used, self.clock.today())

    def cancel(self, subscription_id: int, effective: date | None = None) -> Subscription:
        return self.modify(subscription_id, lambda s: s.cancel(effective or self.clock.today()))

    def pause(self, subscription_id: int, start: date | None = None, until: date | None = None) -> Subscription:
        return self.modify(subscription_id, lambda s: s.pause(start or self.clock.today(), until))

    def resume(self, subscription_id: int, on: date | None = None) -> Subscription:
        return self.modify(subscription_id, lambda s: s.resume(on or self.clock.today()))

    def delete(self, subscription_id: int) -> Subscription:
        """Delete for good (the command line has no undo): the attached files go with the records."""
        with self.transaction() as session:
            files = self._attachments(session).for_subscription(subscription_id)
            removed = SubscriptionRepository(session).delete(subscription_id)
        self._remove_files(files)
        self.notify(Change.DELETED, subscription_id)
        return removed

    def delete_undoable(self, subscription_id: int) -> Deleted:
        """Delete, keeping what `restore` needs: the attached files stay until `forget` says it can no longer be
        undone. Read and deleted in one transaction, so a file attached meanwhile is in the snapshot too."""
        with self.transaction() as session:
            deleted = self._snapshot(session, subscription_id)
            SubscriptionRepository(session).delete(subscription_id)
        self.notify(Change.DELETED, subscription_id)
        return deleted

    def forget(self, deleted: Deleted) -> None:
        """The undo of a delete lapsed: its files go, except any a record points to again."""
        self._remove_files(deleted.attachments)

    def _remove_files(self, attachments: Iterable[Attachment]) -> None:
        attachments = list(attachments)
        if attachments and self.database.path is not None:
            with self.transaction() as session:
                self._attachments(session).remove_unreferenced(attachments)

    def _snapshot(self, session: Session, subscription_id: int) -> Deleted:
        return Deleted(
            SubscriptionRepository(session).get(subscription_id),
            ChargeRepository(session).for_subscription(subscription_id),
            ContactRepository(session).for_subscription(subscription_id),
            RequestRepository(session).all(subscription_id),
            PriceRepository(session).for_subscription(subscription_id),
            HouseholdRepository(session).assignment(subscription_id),
            tuple(self._attachments(session).for_subscription(subscription_id)),
        )

    def _attachments(self, session: Session) -> AttachmentRepository:
        # Only the rows matter here, not where their files are: a database in memory has no folder.
        path = self.database.path
        return AttachmentRepository(session, attachments_dir(path) if path is not None else Path())

    def restore(self, deleted: Deleted) -> Subscription:
        """Undo a delete: the subscription with its charges, requests, contacts, prices, payer and users, and
        attached files (which `delete_undoable` left in the folder), under the same ids."""
        with self.transaction() as session:
            saved = SubscriptionRepository(session).add(deleted.subscription, self.clock.now())
            assert saved.id is not None
            for charge in deleted.charges:
                ChargeRepository(session).add(charge)
            for request in deleted.requests:
                RequestRepository(session).add(request)
            for contact in deleted.contacts:
                ContactRepository(session).add(contact)
            for step in deleted.prices:
                PriceRepository(session).set(saved.id, step)
            household = HouseholdRepository(session)
            # A member removed since the delete no longer pays for or uses it.
            present = {member.id for member in household.members()}
            payer = deleted.assignment.payer_id if deleted.assignment.payer_id in present else None
            users = tuple(i for i in deleted.assignment.user_ids if i in present)
            household.assign(saved.id, Assignment(payer, users))
            attachments = self._attachments(session)
            for attachment in deleted.attachments:
                attachments.put_back(attachment)
        self.notify(Change.ADDED, saved.id)
        return saved

    def record_charge(
        self,
        subscription_id: int,
        day: date,
        amount: Decimal | str | None = None,
        reference: str = "",
        status: ChargeStatus = ChargeStatus.CHARGED,
        source: str = "manual",
        note: str = "",
        *,
        force: bool = False,
    ) -> Charge:
        """Record a charge (amount defaults to the price on that day); the same date and amount twice needs `force`."""
        with self.transaction() as session:
            subscription = SubscriptionRepository(session).get(subscription_id)
            if day > self.clock.today() + timedelta(days=1):
                raise ValidationError(
                    "date", _("{day} is in the future; record a charge once it is made").format(day=message_day(day))
                )
            prices = PriceHistory(subscription.amount, PriceRepository(session).for_subscription(subscription_id))
            charge = Charge(
                subscription_id=subscription_id,
                date=day,
                amount=prices.price_on(day) if amount is None else parse_amount(amount),
                currency=subscription.currency,
                reference=reference,
                status=status,
                source=source,
                note=note,
            )
            repository = ChargeRepository(session)
            if not force:
                _refuse_duplicate(charge, repository.for_subscription(subscription_id))
            saved = repository.add(charge)
        self.notify(Change.CHARGES, subscription_id)
        return saved

    def edit_charge(self, subscription_id: int, charge_id: int, **changes: Any) -> Charge:
        """Change a recorded charge's date, amount, reference, note or state; a bad value changes nothing."""
        with self.transaction() as session:
            repository = ChargeRepository(session)
            before = repository.require(charge_id, subscription_id)
            if "amount" in changes and changes["amount"] is not None:
                changes["amount"] = parse_amount(changes["amount"])
            edited = replace(before, **changes)
            if edited.date > self.clock.today() + timedelta(days=1):
                raise ValidationError(
                    "date",
                    _("{day} is in the future; record a charge once it is made").format(day=message_day(edited.date)),
                )
            if edited.status is not ChargeStatus.REFUNDED:
                edited = replace(edited, refunded_amount=None, refunded_on=None)
            saved = repository.update(edited)
        self.notify(Change.CHARGES, subscription_id)
        return saved

    def refund_charge(
        self, subscription_id: int, charge_id: int, amount: Decimal | str | None = None, on: date | None = None
    ) -> Charge:
        """Mark a charge refunded, wholly (no amount) or partly, on `on` (default today)."""
        with self.transaction() as session:
            before = ChargeRepository(session).require(charge_id, subscription_id)
        return self.edit_charge(
            subscription_id,
            charge_id,
            status=ChargeStatus.REFUNDED,
            refunded_amount=before.amount if amount is None else parse_amount(amount),
            refunded_on=on or self.clock.today(),
        )

    def delete_charge(self, subscription_id: int, charge_id: int) -> Charge:
        """Delete a charge (there is no undo of it) with the files attached to it."""
        with self.transaction() as session:
            removed = ChargeRepository(session).require(charge_id, subscription_id)
            files = [
                a for a in self._attachments(session).for_subscription(subscription_id) if a.charge_id == charge_id
            ]
            ChargeRepository(session).delete(charge_id)
        self._remove_files(files)
        self.notify(Change.CHARGES, subscription_id)
        return removed

    # -- price history -------------------------------------------------------
    def prices(self, subscription_id: int) -> PriceHistory:
        """The plan's price over time: its first price and each dated change."""
        with self.transaction() as session:
            subscription = SubscriptionRepository(session).get(subscription_id)
            return PriceHistory(subscription.amount, PriceRepository(session).for_subscription(subscription_id))

    def price_histories(self) -> dict[int, PriceHistory]:
        """Every plan's price history that has steps, by subscription id: what projections and events read."""
        with self.transaction() as session:
            steps = PriceRepository(session).all()
            if not steps:
                return {}
            return histories(SubscriptionRepository(session).all(), steps)

    def remove_price_step(self, subscription_id: int, effective: date) -> PriceStep:
        """Forget the step on `effective`; the plan's current price follows what is then in force today."""
        with self.transaction() as session:
            repository = SubscriptionRepository(session)
            subscription = repository.get(subscription_id)
            prices = PriceRepository(session)
            steps = {step.effective: step for step in prices.for_subscription(subscription_id)}
            removed = steps.get(effective)
            if removed is None:
                raise NotFoundError(
                    _("no price step on {effective} for subscription {subscription_id}").format(
                        effective=message_day(effective), subscription_id=subscription_id
                    )
                )
            prices.remove(subscription_id, effective)
            history = PriceHistory(subscription.amount, prices.for_subscription(subscription_id))
            if history:
                repository.update(replace(subscription, amount=history.price_on(self.clock.today())), self.clock.now())
        self.notify(Change.UPDATED, subscription_id)
        return removed

    def change_price(self, subscription_id: int, amount: Decimal | str, effective: date) -> Subscription:
        """The plan costs `amount` from `effective` on; once in force it is also the plan's current price."""
        with self.transaction() as session:
            saved = self.change_price_in(session, subscription_id, amount, effective)
        self.notify(Change.UPDATED, subscription_id)
        return saved

    def change_price_in(
        self, session: Session, subscription_id: int, amount: Decimal | str, effective: date
    ) -> Subscription:
        """`change_price` inside a caller's transaction (a statement import); the caller notifies."""
        repository = SubscriptionRepository(session)
        subscription = repository.get(subscription_id)
        prices = PriceRepository(session)
        if not prices.for_subscription(subscription_id) and effective > subscription.anchor_date:
            # The first change keeps the old price as a step, so earlier dates still read it.
            prices.set(subscription_id, PriceStep(subscription.anchor_date, subscription.amount))
        value = Charge(subscription_id, effective, parse_amount(amount), subscription.currency).amount
        prices.set(subscription_id, PriceStep(effective, value))
        history = PriceHistory(subscription.amount, prices.for_subscription(subscription_id))
        current = history.price_on(self.clock.today())
        return repository.update(replace(subscription, amount=current), self.clock.now())

    def active(self) -> list[Subscription]:
        return [s for s in self.all() if s.status in (Status.ACTIVE, Status.TRIAL)]
