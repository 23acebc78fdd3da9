"""The draft service picks the right charge, dates and settings from the stored records."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.domain.drafts import DraftKind, Tone
from renewaltracker.domain.errors import NotFoundError, ValidationError
from renewaltracker.domain.requests import RequestKind
from renewaltracker.domain.subscription import ChargeStatus
from renewaltracker.services.contacts import ContactService
from renewaltracker.services.draft_templates import TemplateLibrary
from renewaltracker.services.drafts import DraftService
from renewaltracker.services.requests import RequestService
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
    with pytest.raises(ValidationError, match="no charge on 6 January 2026"):
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


def test_letters_quote_the_price_in_force_not_the_one_saved_before_a_planned_step(
    service: SubscriptionService, drafts: DraftService, clock: FixedClock
) -> None:
    sid = _add(service, vendor="Streamly", name="Premium", amount=Decimal("14.99"), anchor=date(2026, 1, 3))
    service.change_price(sid, Decimal("17.99"), date(2026, 4, 3))  # planned: the plan's saved price stays 14.99
    clock.set(datetime(2026, 4, 10, 9, tzinfo=UTC))  # the step is in force now; nothing was edited since
    refund = drafts.compose(DraftKind.REFUND, sid, Tone.NEUTRAL).draft.body
    assert "on 3 April 2026 and I was charged $17.99" in refund and "$14.99" not in refund
    assert "- Plan: Premium, $17.99 monthly" in drafts.compose(DraftKind.CANCEL, sid, Tone.NEUTRAL).draft.body
    # A charge from before the step was taken at the price of its own day.
    march = drafts.compose(DraftKind.REFUND, sid, Tone.NEUTRAL, charge_date=date(2026, 3, 3)).draft.body
    assert "on 3 March 2026 and I was charged $14.99" in march
    assert drafts.charge_choices(sid)[0].amount == Decimal("17.99")


def test_earlier_contacts_keep_the_date_of_their_own_daylight_saving_time(
    service: SubscriptionService, drafts: DraftService, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The machine's zone is Berlin, and the clock's `now()` carries only today's fixed offset, as SystemClock's."""
    sid = _add(service, vendor="Acme")
    # 23:30 on 28 March in Berlin (winter time, UTC+1); the letter is written in summer time (UTC+2).
    at = datetime(2026, 3, 28, 23, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    drafts.contacts.add(Contact(sid, at, Channel.PHONE, case_number="Q-7"))
    clock.set(datetime(2026, 7, 1, 12, tzinfo=timezone(timedelta(hours=2))))
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        for language, line in (("en", "- 28 March 2026 by phone, case Q-7"), ("de", "- 28. März 2026 telefonisch")):
            assert line in drafts.compose(DraftKind.FOLLOW_UP, sid, language=language).draft.body
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_follow_up_on_one_request_quotes_only_its_own_cases_and_contacts(
    service: SubscriptionService, drafts: DraftService, database: Database, clock: FixedClock
) -> None:
    """A refund settled in February had case OLD-1; the follow-up on March's cancellation is not "on case OLD-1",
    and the German and French letters (which list contacts) leave February's call out."""
    sid = _add(service, vendor="Acme", anchor=date(2026, 1, 5))
    requests = RequestService(database, clock)
    charge = service.record_charge(sid, date(2026, 2, 5))
    refund = requests.open(sid, RequestKind.REFUND, charge.id, on=date(2026, 2, 6))
    drafts.contacts.add(
        Contact(sid, datetime(2026, 2, 6, 10, tzinfo=UTC), Channel.PHONE, case_number="OLD-1", request_id=refund.id)
    )
    # The call about the cancellation was logged first; the request was opened by hand a week later.
    call = drafts.contacts.add(Contact(sid, datetime(2026, 3, 2, 10, tzinfo=UTC), Channel.EMAIL, summary="asked"))
    cancel = requests.open(sid, RequestKind.CANCEL)
    drafts.contacts.edit(call.id or 0, request_id=cancel.id)
    for language in ("en", "de", "fr"):
        draft = drafts.compose(DraftKind.FOLLOW_UP, sid, Tone.NEUTRAL, request_id=cancel.id, language=language).draft
        assert "OLD-1" not in draft.subject + draft.body, language
    english = drafts.compose(DraftKind.FOLLOW_UP, sid, Tone.NEUTRAL, request_id=cancel.id).draft.body
    assert "On 2 March 2026 I asked you for the cancellation" in english  # not the day the request was opened
    assert "no further charge will be taken.\n\nMy details:" in english
