"""Repositories: the only place that turns ORM rows into domain objects and back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from renewaltracker.domain.errors import NotFoundError
from renewaltracker.domain.schedule import Pause, check_date
from renewaltracker.domain.settings import SETTINGS, canonical_setting, parse_setting, setting_spec, stored_setting
from renewaltracker.domain.subscription import (
    CHARGE_TEXT_LIMITS,
    Charge,
    Subscription,
    check_text_limits,
)
from renewaltracker.i18n import _
from renewaltracker.storage.errors import ConflictError
from renewaltracker.storage.models import ChargeRow, PauseRow, SettingRow, SubscriptionRow
from renewaltracker.storage.subscription_rows import (
    charge_from_row,
    pauses_by_subscription,
    subscription_columns,
    subscription_from_row,
)


def _to_domain(row: Any, pauses: tuple[Pause, ...] | None = None) -> Subscription:
    """Build the domain object from an ORM row or a plain result row (then `pauses` is given)."""
    if pauses is None:
        return subscription_from_row(row.__getattribute__, tuple(Pause(p.start, p.end) for p in row.pauses))
    # A plain row is read through its mapping: attribute access on a Row costs ten times as much, 25 times a row.
    return subscription_from_row(row._mapping.__getitem__, pauses)


def _copy_into(row: SubscriptionRow, subscription: Subscription) -> None:
    for name, value in subscription_columns(subscription).items():
        setattr(row, name, value)
    wanted = [(p.start, p.end) for p in subscription.pauses]
    if [(p.start, p.end) for p in row.pauses] != wanted:
        row.pauses = [PauseRow(start=start, end=end) for start, end in wanted]


class SubscriptionRepository:
    """Subscriptions within one session (one transaction per user action)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, subscription: Subscription, now: datetime) -> Subscription:
        # An id is kept when given: undo of a delete brings the subscription back under its own id.
        row = SubscriptionRow(id=subscription.id, created_at=now, updated_at=now, revision=0)
        _copy_into(row, subscription)
        self.session.add(row)
        self.session.flush()
        return _to_domain(row)

    def _row(self, subscription_id: int) -> SubscriptionRow:
        row = self.session.get(SubscriptionRow, subscription_id)
        if row is None:
            raise NotFoundError(_("no subscription with id {subscription_id}").format(subscription_id=subscription_id))
        return row

    def get(self, subscription_id: int) -> Subscription:
        return _to_domain(self._row(subscription_id))

    def update(self, subscription: Subscription, now: datetime, *, overwrite: bool = False) -> Subscription:
        """Store `subscription` if the stored row is still at the revision it was read at; else ConflictError.

        The check and the revision bump are one UPDATE statement, so two writers that read the same revision
        cannot both succeed: the second matches no row. `overwrite` skips the check (the user chose to).
        """
        if subscription.id is None:
            raise ValueError("cannot update a subscription that was never saved")
        subscription.check_limits()
        guard = update(SubscriptionRow).where(SubscriptionRow.id == subscription.id)
        if not overwrite:
            guard = guard.where(SubscriptionRow.revision == subscription.revision)
        bumped = self.session.execute(
            guard.values(revision=func.coalesce(SubscriptionRow.revision, 0) + 1, updated_at=now)
            .returning(SubscriptionRow.revision)
            .execution_options(synchronize_session=False)
        ).first()
        if bumped is None:
            self._row(subscription.id)  # NotFoundError when it was deleted meanwhile
            raise ConflictError(subscription.id)
        # The write lock is ours from the guard on: reload the row so the ORM compares against what is stored now.
        row = self.session.get(SubscriptionRow, subscription.id, populate_existing=True)
        assert row is not None
        _copy_into(row, subscription)
        row.updated_at = now
        row.revision = bumped[0]
        self.session.flush()
        return _to_domain(row)

    def delete(self, subscription_id: int) -> Subscription:
        row = self._row(subscription_id)
        removed = _to_domain(row)
        self.session.delete(row)
        self.session.flush()
        return removed

    def all(self) -> list[Subscription]:
        # Plain rows, not ORM objects: listing is the hot path of every view and ORM identity tracking triples it.
        table = SubscriptionRow.__table__
        pauses = pauses_by_subscription(
            self.session.execute(select(PauseRow.subscription_id, PauseRow.start, PauseRow.end))
        )
        rows = self.session.execute(select(table).order_by(table.c.name, table.c.id))
        return [_to_domain(row, pauses.get(row.id, ())) for row in rows]

    def count(self) -> int:
        return int(self.session.scalar(select(func.count(SubscriptionRow.id))) or 0)

    def first_created(self) -> datetime | None:
        """When the oldest subscription was added (None without any): what the first review counts from."""
        first: datetime | None = self.session.scalar(select(func.min(SubscriptionRow.created_at)))
        return first

    def fingerprint(self) -> tuple[object, ...]:
        """Changes whenever a subscription is added, edited or deleted, by this process or another one."""
        columns = (
            func.count(SubscriptionRow.id),
            func.max(SubscriptionRow.updated_at),
            func.total(SubscriptionRow.revision),
        )
        row = self.session.execute(select(*columns)).one()
        return tuple(row)


def _charge_to_domain(row: ChargeRow) -> Charge:
    return charge_from_row(row.__getattribute__)


def _copy_charge(row: ChargeRow, charge: Charge) -> None:
    check_date(charge.date, "date")
    check_date(charge.refunded_on, "date")
    row.subscription_id = charge.subscription_id
    row.date = charge.date
    row.amount = charge.amount
    row.currency = charge.currency
    row.reference = charge.reference
    row.source = charge.source
    row.status = charge.status.value
    row.note = charge.note
    row.refunded_amount = charge.refunded_amount
    row.refunded_on = charge.refunded_on


class ChargeRepository:
    """The history of charges actually made."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, charge: Charge) -> Charge:
        check_date(charge.date, "date")
        check_text_limits(charge, CHARGE_TEXT_LIMITS)
        if self.session.get(SubscriptionRow, charge.subscription_id) is None:
            raise NotFoundError(
                _("no subscription with id {subscription_id}").format(subscription_id=charge.subscription_id)
            )
        # An id is kept when given: undo puts a deleted charge back under the id requests refer to.
        row = ChargeRow(id=charge.id)
        _copy_charge(row, charge)
        self.session.add(row)
        self.session.flush()
        return _charge_to_domain(row)

    def for_subscription(self, subscription_id: int) -> list[Charge]:
        rows = self.session.scalars(
            select(ChargeRow).where(ChargeRow.subscription_id == subscription_id).order_by(ChargeRow.date, ChargeRow.id)
        )
        return [_charge_to_domain(row) for row in rows]

    def with_refund_window(self) -> list[Charge]:
        """The recorded charges of every plan with a refund window, in one query (not one per plan)."""
        refundable = select(SubscriptionRow.id).where(SubscriptionRow.refund_days > 0)
        rows = self.session.scalars(
            select(ChargeRow).where(ChargeRow.subscription_id.in_(refundable)).order_by(ChargeRow.date, ChargeRow.id)
        )
        return [_charge_to_domain(row) for row in rows]

    def require(self, charge_id: int, subscription_id: int) -> Charge:
        """The charge; NotFoundError unless it exists and belongs to that subscription."""
        row = self.session.get(ChargeRow, charge_id)
        if row is None or row.subscription_id != subscription_id:
            raise NotFoundError(
                _("no charge with id {charge_id} for subscription {subscription_id}").format(
                    charge_id=charge_id, subscription_id=subscription_id
                )
            )
        return _charge_to_domain(row)

    def update(self, charge: Charge) -> Charge:
        if charge.id is None:
            raise ValueError("cannot update a charge that was never saved")
        row = self.session.get(ChargeRow, charge.id)
        if row is None:
            raise NotFoundError(_("no charge with id {charge_id}").format(charge_id=charge.id))
        _copy_charge(row, charge)
        self.session.flush()
        return _charge_to_domain(row)

    def recorded_between(self, first: date, last: date) -> set[tuple[int, date]]:
        """(subscription id, date) of every charge recorded within [first, last]."""
        rows = self.session.execute(
            select(ChargeRow.subscription_id, ChargeRow.date).where(ChargeRow.date >= first, ChargeRow.date <= last)
        )
        return {(sid, day) for sid, day in rows}

    def all(self) -> list[Charge]:
        rows = self.session.scalars(select(ChargeRow).order_by(ChargeRow.date, ChargeRow.id))
        return [_charge_to_domain(row) for row in rows]

    def delete(self, charge_id: int) -> None:
        result = self.session.execute(delete(ChargeRow).where(ChargeRow.id == charge_id))
        if not getattr(result, "rowcount", 0):
            raise NotFoundError(_("no charge with id {charge_id}").format(charge_id=charge_id))


class SettingsRepository:
    """Typed settings over a key/value table; unknown keys are refused."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def raw(self, key: str) -> str:
        spec = setting_spec(key)
        row = self.session.get(SettingRow, key)
        return row.value if row is not None else spec.default

    def get(self, key: str) -> Any:
        return stored_setting(key, self.raw(key))

    def set(self, key: str, text: str) -> Any:
        text = canonical_setting(key, text)
        value = parse_setting(key, text)
        row = self.session.get(SettingRow, key)
        if row is None:
            self.session.add(SettingRow(key=key, value=text))
        else:
            row.value = text
        self.session.flush()
        return value

    def all_raw(self) -> dict[str, str]:
        stored = {row.key: row.value for row in self.session.scalars(select(SettingRow))}
        return {key: stored.get(key, spec.default) for key, spec in SETTINGS.items()}
