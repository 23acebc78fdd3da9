"""The contact log: add, edit, delete, list, search, follow-up events, and cascade with the subscription."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.contacts import Channel, Contact, parse_channel
from renewaltracker.domain.errors import NotFoundError, ValidationError
from renewaltracker.domain.events import EventKind
from renewaltracker.services.contacts import ContactService
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import Database
from tests.factories import make_subscription


@pytest.fixture
def contacts(database: Database, clock: FixedClock) -> ContactService:
    return ContactService(database, clock)


def _contact(subscription_id: int, day: int, **overrides: object) -> Contact:
    values: dict[str, object] = {
        "subscription_id": subscription_id,
        "at": datetime(2026, 3, day, 10, tzinfo=UTC),
        "channel": Channel.PHONE,
    }
    values.update(overrides)
    return Contact(**values)  # type: ignore[arg-type]


def test_add_list_edit_delete(service: SubscriptionService, contacts: ContactService) -> None:
    sid = service.add(make_subscription()).id
    assert sid is not None
    changed: list[int] = []
    contacts.subscribe(changed.append)
    first = contacts.add(_contact(sid, 1, case_number="C-1", agent="Anna", summary="asked for a refund"))
    second = contacts.add(_contact(sid, 5, channel=Channel.EMAIL, outcome="refund promised"))
    assert [c.id for c in contacts.list_for(sid)] == [second.id, first.id]  # newest first
    assert first.id is not None and second.id is not None
    edited = contacts.edit(first.id, agent="Anna B.")
    assert contacts.get(first.id) == edited and edited.agent == "Anna B."
    with pytest.raises(ValidationError):
        contacts.edit(first.id, follow_up=date(2026, 2, 1))  # before the contact itself
    assert contacts.get(first.id).follow_up is None  # the failed edit changed nothing
    contacts.delete(second.id)
    assert [c.id for c in contacts.list_for(sid)] == [first.id]
    assert changed == [sid, sid, sid, sid]
    with pytest.raises(NotFoundError):
        contacts.delete(second.id)


def test_times_keep_their_instant(service: SubscriptionService, contacts: ContactService, clock: FixedClock) -> None:
    sid = service.add(make_subscription()).id
    assert sid is not None
    saved = contacts.add(Contact(sid, clock.now(), Channel.CHAT))
    assert contacts.get(saved.id or 0).at == clock.now()


def test_search_matches_every_word(service: SubscriptionService, contacts: ContactService) -> None:
    a = service.add(make_subscription(name="A")).id
    b = service.add(make_subscription(name="B")).id
    assert a is not None and b is not None
    contacts.add(_contact(a, 1, case_number="TK-4411", agent="Ömer", summary="Billing mix-up"))
    contacts.add(_contact(b, 2, channel=Channel.WEB_FORM, summary="Refund form sent"))
    assert [c.case_number for c in contacts.search("tk-4411")] == ["TK-4411"]
    assert [c.agent for c in contacts.search("ömer billing")] == ["Ömer"]
    assert [c.subscription_id for c in contacts.search("web form")] == [b]
    assert contacts.search("refund", subscription_id=a) == []
    assert contacts.search("nothing like this") == []
    contacts.add(_contact(b, 3, agent="Weiß", summary="Filiale Hauptstraße"))
    assert [c.agent for c in contacts.search("WEISS hauptstrasse")] == ["Weiß"]  # casefold, not ASCII lower()
    assert [c.agent for c in contacts.search("2026-03-03")] == ["Weiß"]
    assert len(contacts.search("  ")) == 3


def test_follow_up_events(service: SubscriptionService, contacts: ContactService) -> None:
    sid = service.add(make_subscription(name="Gym")).id
    assert sid is not None
    contacts.add(_contact(sid, 1, follow_up=date(2026, 3, 15)))
    contacts.add(_contact(sid, 2, follow_up=date(2026, 4, 20)))
    contacts.add(_contact(sid, 3))
    events = contacts.follow_up_events(date(2026, 3, 10), date(2026, 3, 31))
    assert [(e.date, e.kind, e.subscription_id, e.name) for e in events] == [
        (date(2026, 3, 15), EventKind.FOLLOW_UP, sid, "Gym")
    ]
    assert len(contacts.follow_up_events(date(2026, 1, 1), date(2026, 12, 31))) == 2
    with pytest.raises(ValidationError):
        contacts.follow_up_events(date(2026, 3, 10), date(2026, 3, 1))


def test_contacts_go_with_their_subscription(service: SubscriptionService, contacts: ContactService) -> None:
    sid = service.add(make_subscription()).id
    assert sid is not None
    contacts.add(_contact(sid, 1))
    service.delete(sid)
    assert contacts.search("") == []
    with pytest.raises(NotFoundError):
        contacts.add(_contact(sid, 1))


def test_contact_validation() -> None:
    with pytest.raises(ValidationError, match="time zone"):
        Contact(1, datetime(2026, 3, 1, 10), Channel.PHONE)
    with pytest.raises(ValidationError, match="not one of"):
        parse_channel("pigeon")
    assert parse_channel("Web-Form") is Channel.WEB_FORM
    assert parse_channel("in person") is Channel.IN_PERSON
    contact = _contact(1, 1, case_number="  12345678 ", summary="Paid with 4111 1111 1111 1234 on order 998877")
    assert contact.case_number == "12345678"  # case numbers are kept whole
    assert "4111" not in contact.summary and "•••• 1234" in contact.summary and "998877" in contact.summary


def test_search_in_sqlite_agrees_with_the_rule(database: Database, clock: FixedClock) -> None:
    service = SubscriptionService(database, clock)
    contacts = ContactService(database, clock)
    sid = service.add(make_subscription()).id
    assert sid is not None
    words = st.text(alphabet=st.sampled_from("aAbßSsÖöı İ-_.,'\"%"), min_size=1, max_size=6)

    @settings(max_examples=25)
    @given(texts=st.lists(st.tuples(words, words), min_size=1, max_size=4), query=words)
    def agree(texts: list[tuple[str, str]], query: str) -> None:
        for old in contacts.list_for(sid):
            contacts.delete(old.id or 0)
        saved = [contacts.add(_contact(sid, 1, case_number=case, summary=summary)) for case, summary in texts]
        expected = sorted(c.id or 0 for c in saved if c.matches(query))
        assert sorted(c.id or 0 for c in contacts.search(query)) == expected

    agree()


def test_a_contact_moved_to_another_subscription_keeps_no_request_of_the_first(
    database: Database, service: SubscriptionService, contacts: ContactService, clock: FixedClock
) -> None:
    """The link is checked when either end changes: a contact moved away kept a request about its old plan."""
    from renewaltracker.domain.requests import RequestKind
    from renewaltracker.services.requests import RequestService

    first, second = (service.add(make_subscription(name=name)).id for name in ("Films", "Music"))
    assert first is not None and second is not None
    request = RequestService(database, clock).open(first, RequestKind.CANCEL)
    saved = contacts.add(_contact(first, 1, request_id=request.id))
    assert saved.id is not None
    with pytest.raises(ValidationError, match=f"request {request.id} is about subscription {first}"):
        contacts.edit(saved.id, subscription_id=second)
    assert contacts.get(saved.id) == saved
