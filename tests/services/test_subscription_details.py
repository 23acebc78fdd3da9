"""The detail pane's one read gives exactly what the separate service reads it replaced give."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewaltracker.domain.errors import NotFoundError
from renewaltracker.services.attachments import AttachmentService
from renewaltracker.services.household import HouseholdService
from renewaltracker.services.rates import RateService
from renewaltracker.services.subscription_details import read_details
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import open_database
from renewaltracker.storage.household import HouseholdRepository
from tests.storage.test_quick_read import CLOCK, _fill, collections

FUNCTION_FIXTURES = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_numbers = itertools.count()

# Besides the collection: charges (which, days after the anchor), a home currency, a rate and attached files.
extras = st.tuples(
    st.lists(st.tuples(st.integers(0, 4), st.integers(0, 60)), max_size=4),
    st.sampled_from(["", "EUR", "USD", "JPY"]),
    st.booleans(),
    st.lists(st.integers(0, 4), max_size=2),
)


@pytest.fixture
def fresh_db(migrated_template: Path, tmp_path: Path) -> Iterator[Any]:
    def make() -> Path:
        path = tmp_path / f"details{next(_numbers)}.sqlite3"
        shutil.copyfile(migrated_template, path)
        return path

    yield make


@FUNCTION_FIXTURES
@given(drawn=collections, more=extras)
def test_one_read_gives_what_the_separate_reads_give(
    fresh_db: Any, tmp_path: Path, drawn: tuple[Any, ...], more: tuple[Any, ...]
) -> None:
    path = fresh_db()
    ids = _fill(path, drawn)
    charges, home, with_rate, attached = more
    database = open_database(path)
    try:
        service = SubscriptionService(database, CLOCK)
        for which, days in charges:
            subscription = service.get(ids[which % len(ids)])
            day = min(subscription.anchor_date + timedelta(days), CLOCK.today())
            service.record_charge(ids[which % len(ids)], day, force=True)
        if home:
            service.set_setting("home_currency", home)
        rates = RateService(service)
        if with_rate:
            for currency in ("USD", "GBP", "CHF", "JPY"):
                rates.set_rate("EUR", currency, "1.25", date(2025, 1, 1))
        files = AttachmentService(service)
        receipt = tmp_path / "receipt.pdf"
        receipt.write_bytes(b"%PDF")
        for which in attached:
            files.attach(ids[which % len(ids)], receipt)
        household = HouseholdService(service)
        for subscription_id in ids:
            details = read_details(service, subscription_id)
            assert details.subscription == service.get(subscription_id)
            separate = service.prices(subscription_id)
            assert (details.prices.base, details.prices.steps) == (separate.base, separate.steps)
            assert details.charges == service.charges(subscription_id)
            assert (details.payer, details.users) == household.names(household.assignment(subscription_id))
            assert details.default_lead_days == service.default_lead_days()
            assert details.attachments == files.list_for(subscription_id)
            amount = Decimal("123.45")
            expected = rates.convert(amount, details.subscription.currency, CLOCK.today())
            if details.subscription.currency == home:
                expected = None  # the pane names no conversion into the currency the plan is billed in
            assert details.converted(amount, CLOCK.today()) == expected
        with pytest.raises(NotFoundError):
            read_details(service, max(ids) + 1)
        with service.transaction() as session:
            repository = HouseholdRepository(session)
            every = repository.assignments()
            for subscription_id in [*ids, max(ids) + 1]:
                assert repository.assignment(subscription_id) == every.get(subscription_id, type(every[ids[0]])())
    finally:
        database.close()
