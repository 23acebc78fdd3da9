"""Requests, corrected charges, price history and undo of a delete, at the service level."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.domain.errors import DuplicateChargeError, ValidationError
from renewaltracker.domain.prices import PriceHistory, PriceStep
from renewaltracker.domain.requests import Outcome, RequestKind, RequestState
from renewaltracker.services.attachments import AttachmentService
from renewaltracker.services.contacts import ContactService
from renewaltracker.services.household import HouseholdService
from renewaltracker.services.requests import RequestService
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import Database
from tests.factories import make_subscription


def test_undo_of_a_delete_brings_back_everything_under_the_same_ids(
    service: SubscriptionService, database: Database, clock: FixedClock
) -> None:
    saved = service.add(make_subscription(amount=Decimal("10.00"), anchor=date(2026, 1, 5)))
    other = service.add(make_subscription(name="Other"))
    assert saved.id is not None and other.id is not None
    charge = service.record_charge(saved.id, date(2026, 2, 5), reference="R-1")
    service.change_price(saved.id, Decimal("12.00"), date(2026, 3, 5))
    requests, contacts = RequestService(database, clock), ContactService(database, clock)
    request = requests.open(saved.id, RequestKind.REFUND, charge.id)
    contact = contacts.add(
        Contact(saved.id, datetime(2026, 3, 1, 9, tzinfo=UTC), Channel.PHONE, case_number="C-1", request_id=request.id)
    )
    deleted = service.delete_undoable(saved.id)
    assert requests.all() == [] and contacts.search("C-1") == []
    restored = service.restore(deleted)
    assert restored.id == saved.id
    assert service.charges(saved.id) == [charge]
    assert (
        requests.all(saved.id) == [requests.get(request.id or 0)]
        and requests.get(request.id or 0).charge_id == charge.id
    )
    assert contacts.list_for(saved.id) == [contact]
    assert service.prices(saved.id).price_on(date(2026, 3, 5)) == Decimal("12.00")


def test_the_same_charge_twice_needs_force_and_the_default_is_the_price_on_that_day(
    service: SubscriptionService,
) -> None:
    saved = service.add(make_subscription(amount=Decimal("10.00"), anchor=date(2026, 1, 5)))
    assert saved.id is not None
    service.change_price(saved.id, Decimal("12.00"), date(2026, 3, 5))
    assert service.record_charge(saved.id, date(2026, 2, 5)).amount == Decimal("10.00")
    with pytest.raises(DuplicateChargeError):
        service.record_charge(saved.id, date(2026, 2, 5))
    assert service.record_charge(saved.id, date(2026, 2, 5), force=True).amount == Decimal("10.00")
    assert service.record_charge(saved.id, date(2026, 3, 5)).amount == Decimal("12.00")
    assert service.get(saved.id).amount == Decimal("12.00"), "the price in force today is the plan's price"


def test_a_request_waits_once_contacted_and_resolves_by_the_rules(
    service: SubscriptionService, database: Database, clock: FixedClock
) -> None:
    saved = service.add(make_subscription(amount=Decimal("39.99")))
    assert saved.id is not None
    charge = service.record_charge(saved.id, date(2026, 3, 5))
    requests = RequestService(database, clock)
    request = requests.open(saved.id, RequestKind.REFUND, charge.id)
    assert request.amount == Decimal("39.99") and request.state is RequestState.OPEN
    ContactService(database, clock).add(Contact(saved.id, clock.now(), Channel.EMAIL, request_id=request.id))
    assert requests.get(request.id or 0).state is RequestState.WAITING
    with pytest.raises(ValidationError, match="--amount"):
        requests.resolve(request.id or 0, Outcome.PARTLY)
    with pytest.raises(ValidationError, match="more than"):
        requests.resolve(request.id or 0, Outcome.PARTLY, Decimal("50"))
    partly = requests.resolve(request.id or 0, Outcome.PARTLY, Decimal("20"))
    assert partly.recovered == Decimal("20.00") and partly.resolved_on == clock.today()
    with pytest.raises(ValidationError, match="already resolved"):
        requests.resolve(request.id or 0, Outcome.WON)
    assert [i.amount for i in requests.savings().items] == [Decimal("20.00")]


def test_price_on_reads_the_latest_step_on_or_before_a_date() -> None:
    history = PriceHistory(
        Decimal("10"), [PriceStep(date(2026, 3, 1), Decimal("12")), PriceStep(date(2026, 1, 1), Decimal("11"))]
    )
    assert history.price_on(date(2025, 12, 31)) == Decimal("10")
    assert history.price_on(date(2026, 1, 1)) == Decimal("11")
    assert history.price_on(date(2026, 2, 28)) == Decimal("11")
    assert history.price_on(date(2026, 3, 1)) == Decimal("12")


def test_undo_of_a_delete_brings_back_who_pays_who_uses_and_the_attached_files(
    service: SubscriptionService, tmp_path: Path
) -> None:
    """Undo brought the plan back with nobody paying or using it and its receipts gone from its list (the files
    were still in the folder, listed by nothing)."""
    household = HouseholdService(service)
    for name in ("Alex", "Sam", "Kim"):
        household.add_member(name)
    saved = service.add(make_subscription(amount=Decimal("10.00"), anchor=date(2026, 1, 5)))
    assert saved.id is not None
    charge = service.record_charge(saved.id, date(2026, 2, 5))
    household.assign(saved.id, "Alex", ["Alex", "Sam"])
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")
    files = AttachmentService(service)
    files.attach(saved.id, receipt)
    files.attach(saved.id, receipt, charge.id)
    before, listed = household.assignment(saved.id), files.list_for(saved.id)
    deleted = service.delete_undoable(saved.id)
    household.remove_member("Sam")  # gone before the undo: the plan comes back used by Alex alone
    service.restore(deleted)
    assert household.names(household.assignment(saved.id)) == ("Alex", ("Alex",))
    assert before.payer_id == household.assignment(saved.id).payer_id
    assert files.list_for(saved.id) == listed
    assert all(a.path.read_bytes() == b"%PDF-1.4 receipt" for a in listed)
