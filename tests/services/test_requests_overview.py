"""The Requests tab's one read gives exactly what the separate reads it replaced give."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.domain.errors import NotFoundError
from renewaltracker.domain.requests import Outcome, RequestKind
from renewaltracker.services.contacts import ContactService
from renewaltracker.services.requests import RequestService
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import open_database
from tests.factories import make_subscription

_numbers = itertools.count()

# Per request: which subscription, its kind, whether it is about a charge (which one), whether it is resolved.
requests_drawn = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from(list(RequestKind)), st.none() | st.integers(0, 3), st.booleans()),
    max_size=5,
)
# Per contact: which subscription, which request (or none), and its hour (equal hours tie on the id).
contacts_drawn = st.lists(st.tuples(st.integers(0, 2), st.none() | st.integers(0, 4), st.integers(0, 3)), max_size=8)


@pytest.fixture
def fresh_db(migrated_template: Path, tmp_path: Path) -> Callable[[], Path]:
    def make() -> Path:
        path = tmp_path / f"requests{next(_numbers)}.sqlite3"
        shutil.copyfile(migrated_template, path)
        return path

    return make


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn_requests=requests_drawn, drawn_contacts=contacts_drawn)
def test_the_overview_equals_the_separate_reads(
    fresh_db: Callable[[], Path],
    clock: FixedClock,
    drawn_requests: list[tuple[int, RequestKind, int | None, bool]],
    drawn_contacts: list[tuple[int, int | None, int]],
) -> None:
    database = open_database(fresh_db())
    try:
        service = SubscriptionService(database, clock)
        requests, contacts = RequestService(database, clock), ContactService(database, clock)
        ids = []
        for number in range(3):
            saved = service.add(
                make_subscription(name=f"Plan {number}", amount=Decimal("9.99"), anchor=date(2026, 1, 5))
            )
            assert saved.id is not None
            ids.append(saved.id)
        charges = {
            sid: [service.record_charge(sid, date(2026, 1, 5) + timedelta(days=31 * n), force=True) for n in range(2)]
            for sid in ids[:2]
        }
        opened = []
        for which, kind, charge, resolved in drawn_requests:
            sid = ids[which]
            about = charges[sid][charge % 2].id if charge is not None and sid in charges else None
            request = requests.open(sid, kind, about)
            if resolved and request.id is not None:
                request = requests.resolve(request.id, Outcome.WON, "1.00")
            opened.append(request)
        for which, request_number, hour in drawn_contacts:
            sid = ids[which]
            own = [r for r in opened if r.subscription_id == sid]
            request_id = own[request_number % len(own)].id if own and request_number is not None else None
            at = datetime(2026, 3, 1, 9 + hour, tzinfo=clock.now().tzinfo)
            contacts.add(Contact(sid, at, Channel.PHONE, summary=f"about {request_id}", request_id=request_id))

        for sid in ids:
            overview = requests.overview(sid)
            assert overview.requests == requests.all(sid)
            for request in overview.requests:
                assert request.id is not None
                assert overview.charge(request.id) == requests.charge(request)
                assert overview.contacts_of(request.id) == requests.contacts(request.id)
        with pytest.raises(NotFoundError):
            requests.overview(max(ids) + 1)
    finally:
        database.close()
