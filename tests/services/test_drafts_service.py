"""The draft service picks the right charge, dates and settings from the stored records."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.domain.drafts import DraftKind, Tone
from renewaltracker.domain.errors import NotFoundError, ValidationError
from renewaltracker.domain.subscription import ChargeStatus
from renewaltracker.services.contacts import ContactService
from renewaltracker.services.draft_templates import TemplateLibrary
from renewaltracker.services.drafts import DraftService
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import Database
from tests.factories import make_subscription


@pytest.fixture
def drafts(service: SubscriptionService, database: Database, clock: FixedClock, tmp_path: Path) -> DraftService:
    return DraftService(service, ContactService(database, clock), TemplateLibrary(tmp_path / "templates"))


def _add(service: SubscriptionService, **fields: object) -> int:
    saved = service.add(make_subscription(**fields))
    assert saved.id is not None
    return saved.id


def test_charge_choices_recorded_newest_first_else_the_latest_scheduled(
    service: SubscriptionService, drafts: DraftService
) -> None:
    sid = _add(service, anchor=date(2026, 1, 5))
    [scheduled] = drafts.charge_choices(sid)
    assert (scheduled.date, scheduled.id, scheduled.amount) == (date(2026, 3, 5), None, Decimal("39.99"))
    service.record_charge(sid, date(2026, 2, 5), reference="B")
    service.record_charge(sid, date(2026, 3, 5), status=ChargeStatus.NOT_CHARGED)
    service.record_charge(sid, date(2026, 1, 5), reference="A")
    assert [c.reference for c in drafts.charge_choices(sid)] == ["B", "A"]
    future = _add(service, anchor=date(2026, 6, 1))
    assert drafts.charge_choices(future) == []


def test_find_charge(service: SubscriptionService, drafts: DraftService) -> None:
    sid = _add(service, anchor=date(2026, 1, 5))
    service.record_charge(sid, date(2026, 2, 5), amount="41.00", reference="R")
    assert drafts.find_charge(sid, date(2026, 2, 5)).amount == Decimal("41.00")
    assert drafts.find_charge(sid, date(2026, 1, 5)).id is None  # scheduled, not recorded
    with pytest.raises(ValidationError, match="no charge on 2026-01-06"):
        drafts.find_charge(sid, date(2026, 1, 6))
    with pytest.raises(NotFoundError):
        drafts.compose(DraftKind.CANCEL, 99)


def test_facts_from_records_and_settings(service: SubscriptionService, drafts: DraftService, clock: FixedClock) -> None:
    sid = _add(service, anchor=date(2026, 1, 31), notice_days=10)
    service.set_setting("user_name", "Ana")
    service.set_setting("region", "UK")
    service.set_setting("draft_reply_days", "5")
    facts = drafts.facts(DraftKind.CANCEL, sid)
    assert (facts.user_name, facts.region, facts.reply_days) == ("Ana", "UK", 5)
    assert facts.next_charge == date(2026, 3, 31) and facts.cancel_by == date(2026, 3, 21)
    assert facts.charge is None  # a cancellation is not about one charge
    clock.set(datetime(2026, 3, 25, 9, tzinfo=UTC))  # the deadline for 31 March has passed
    assert drafts.facts(DraftKind.CANCEL, sid).cancel_by is None


def test_follow_up_uses_the_contact_log_and_the_default_tone(
    service: SubscriptionService, drafts: DraftService
) -> None:
    sid = _add(service, vendor="Acme")
    drafts.contacts.add(Contact(sid, datetime(2026, 3, 2, 10, tzinfo=UTC), Channel.PHONE, case_number="Q-7"))
    service.set_setting("draft_tone", "firm")
    assert drafts.default_tone() is Tone.FIRM
    draft = drafts.compose(DraftKind.FOLLOW_UP, sid).draft
    assert "case Q-7" in draft.subject and "- 2 March 2026 by phone, case Q-7" in draft.body
    assert "Please reply within 14 days" in draft.body
    assert "Q-7" not in drafts.compose(DraftKind.CANCEL, sid, Tone.NEUTRAL).draft.body


def test_earlier_contacts_are_dated_in_the_users_zone(service: SubscriptionService, drafts: DraftService) -> None:
    sid = _add(service)
    # 23:30 UTC on 1 March is already 2 March in Berlin, the clock's zone.
    drafts.contacts.add(Contact(sid, datetime(2026, 3, 1, 23, 30, tzinfo=UTC), Channel.CHAT, case_number="Z"))
    assert "- 2 March 2026 by chat, case Z" in drafts.compose(DraftKind.FOLLOW_UP, sid).draft.body
