"""Use cases: one transaction per action, a failed change leaves everything as it was."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from renewaltracker.domain.errors import NotFoundError, ValidationError
from renewaltracker.domain.subscription import ChargeStatus, Status
from renewaltracker.services.subscriptions import Change, SubscriptionService
from renewaltracker.storage.models import SettingRow
from tests.factories import make_subscription


def test_add_edit_and_notify(service: SubscriptionService) -> None:
    seen: list[tuple[Change, int | None]] = []
    service.subscribe(lambda change, sid: seen.append((change, sid)))
    saved = service.add(make_subscription(name="Gym", anchor=date(2026, 1, 5)))
    assert saved.id is not None
    edited = service.edit(saved.id, amount=Decimal("45.00"))
    assert edited.amount == Decimal("45.00") and edited.revision == 1
    assert seen == [(Change.ADDED, saved.id), (Change.UPDATED, saved.id)]


def test_failed_edit_changes_nothing_and_notifies_no_one(service: SubscriptionService) -> None:
    saved = service.add(make_subscription())
    assert saved.id is not None
    seen: list[Change] = []
    service.subscribe(lambda change, _sid: seen.append(change))
    with pytest.raises(ValidationError):
        service.edit(saved.id, amount=Decimal("-3"))
    with pytest.raises(ValidationError):
        service.edit(saved.id, currency="ZZZ", name="Changed")
    assert service.get(saved.id) == saved
    assert seen == []


def test_unknown_id_is_reported(service: SubscriptionService) -> None:
    with pytest.raises(NotFoundError, match="no subscription with id 42"):
        service.get(42)
    with pytest.raises(NotFoundError):
        service.cancel(42)


def test_cancel_pause_resume(service: SubscriptionService) -> None:
    saved = service.add(make_subscription(anchor=date(2026, 1, 15)))
    assert saved.id is not None
    paused = service.pause(saved.id, date(2026, 3, 11))
    assert paused.status is Status.PAUSED and paused.next_charge(date(2026, 3, 11)) is None
    with pytest.raises(ValidationError, match="already paused"):
        service.pause(saved.id)
    resumed = service.resume(saved.id, date(2026, 5, 1))
    assert resumed.status is Status.ACTIVE
    assert resumed.next_charge(date(2026, 3, 11)) == date(2026, 5, 15)
    cancelled = service.cancel(saved.id, date(2026, 6, 1))
    assert cancelled.status is Status.CANCELLED
    assert cancelled.next_charge(date(2026, 6, 1)) is None
    assert cancelled.next_charge(date(2026, 5, 16)) is None
    assert cancelled.next_charge(date(2026, 5, 1)) == date(2026, 5, 15)


def test_charges_default_to_the_price_and_go_with_the_subscription(
    service: SubscriptionService,
) -> None:
    saved = service.add(make_subscription(amount=Decimal("9.99")))
    assert saved.id is not None
    first = service.record_charge(saved.id, date(2026, 1, 31), reference="INV-1")
    second = service.record_charge(saved.id, date(2026, 2, 28), Decimal("12.99"))
    skipped = service.record_charge(saved.id, date(2026, 3, 1), status=ChargeStatus.NOT_CHARGED)
    assert [c.amount for c in service.charges(saved.id)] == [Decimal("9.99"), Decimal("12.99"), Decimal("9.99")]
    assert first.reference == "INV-1" and second.currency == "USD" and skipped.status is ChargeStatus.NOT_CHARGED
    with pytest.raises(ValidationError, match="future"):
        service.record_charge(saved.id, date(2026, 4, 30))
    deleted = service.delete_undoable(saved.id)
    with pytest.raises(NotFoundError):
        service.charges(saved.id)
    restored = service.restore(deleted)
    assert restored.id == saved.id and service.charges(saved.id) == deleted.charges


def test_a_charge_is_deleted_only_through_its_own_subscription(service: SubscriptionService) -> None:
    mine, other = (service.add(make_subscription(name=name)) for name in ("Mine", "Other"))
    assert mine.id is not None and other.id is not None
    charge = service.record_charge(other.id, date(2026, 1, 31))
    assert charge.id is not None
    with pytest.raises(NotFoundError):
        service.delete_charge(mine.id, charge.id)
    assert service.charges(other.id) == [charge]
    service.delete_charge(other.id, charge.id)
    assert service.charges(other.id) == []


def test_a_record_beyond_todays_limits_still_opens_and_can_be_corrected(service: SubscriptionService) -> None:
    saved = service.add(make_subscription(anchor=date(2026, 1, 15)))
    with service.transaction() as session:  # as an older version, without the limits, could have saved it
        session.execute(text("UPDATE subscriptions SET anchor = '0001-01-15', end_count = 1000000000000"))
    assert service.get(saved.id or 0).anchor == date(1, 1, 15) and len(service.all()) == 1
    with pytest.raises(ValidationError, match="start"):
        service.edit(saved.id or 0, notes="still out of range")
    fixed = service.edit(saved.id or 0, anchor=date(2026, 1, 15), end_count=None)
    assert fixed.next_charge(date(2026, 3, 10)) == date(2026, 3, 15)


def test_upcoming_is_sorted_and_validated(service: SubscriptionService) -> None:
    service.add(make_subscription(name="B", anchor=date(2026, 3, 20)))
    service.add(make_subscription(name="A", anchor=date(2026, 3, 12), notice_days=5))
    events = service.upcoming(date(2026, 3, 10), date(2026, 3, 31))
    assert [(e.date, e.name, e.kind.value) for e in events] == [
        (date(2026, 3, 12), "A", "charge"),
        (date(2026, 3, 20), "B", "charge"),
    ]
    with pytest.raises(ValidationError, match="before"):
        service.upcoming(date(2026, 3, 10), date(2026, 3, 1))


def test_settings_are_validated(service: SubscriptionService) -> None:
    assert service.default_lead_days() == (7, 1)
    service.set_setting("reminder_days", "3, 14")
    assert service.default_lead_days() == (14, 3)
    with pytest.raises(ValidationError, match="reminder_days"):
        service.set_setting("reminder_days", "soon")
    with pytest.raises(ValidationError, match="unknown setting"):
        service.set_setting("colour", "blue")
    assert service.default_lead_days() == (14, 3)


def test_several_settings_are_saved_together_or_not_at_all(service: SubscriptionService) -> None:
    seen: list[Change] = []
    service.subscribe(lambda change, _sid: seen.append(change))
    with pytest.raises(ValidationError, match="reminder_time"):
        service.set_settings({"default_currency": "EUR", "reminder_time": "noon"})
    assert service.settings()["default_currency"] == "USD" and seen == []
    service.set_settings({"default_currency": "EUR", "reminder_time": "08:30"})
    assert (service.setting("default_currency"), service.settings()["reminder_time"]) == ("EUR", "08:30")
    assert seen == [Change.SETTINGS]


@pytest.mark.expect_log_warnings
def test_a_bad_stored_setting_never_breaks_start_up(service: SubscriptionService) -> None:
    with service.transaction() as session:
        session.add(SettingRow(key="upcoming_days", value="99999999999999999999"))
    assert service.setting("upcoming_days") == 30


def test_settings_are_stored_normalised(service: SubscriptionService) -> None:
    service.set_settings({"default_currency": "euro", "region": "california"})
    assert service.settings()["default_currency"] == "EUR" and service.setting("region") == "US-CA"
