"""The review is a reminder delivered exactly once; channel letters; household changes notify the views."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from renewaltracker.domain.channels import Channel
from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.drafts import DraftKind, Tone
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.events import EventKind
from renewaltracker.services.contacts import ContactService
from renewaltracker.services.draft_templates import TemplateLibrary
from renewaltracker.services.drafts import DraftService
from renewaltracker.services.household import HouseholdService
from renewaltracker.services.reminders import ReminderService
from renewaltracker.services.review import ReviewService
from renewaltracker.services.subscriptions import Change, SubscriptionService
from tests.factories import make_subscription

BERLIN = ZoneInfo("Europe/Berlin")


def test_the_review_reminder_is_delivered_once_then_moves_on(service: SubscriptionService, clock: FixedClock) -> None:
    service.add(make_subscription(anchor=date(2026, 1, 5), reminder_days=()))
    review = ReviewService(service)
    service.set_setting("review_months", "3")
    service.set_setting("last_review", "2026-01-10")
    assert review.next_review() == date(2026, 4, 10)
    reminders = ReminderService(service.database, service, clock, extra_sources=[review.review_events])
    moment = datetime(2026, 4, 10, 9, 30, tzinfo=BERLIN)
    first = reminders.claim_due(moment)
    reminders.confirm(first)
    assert [(r.event.kind, r.event.date) for r in first if r.event.kind is EventKind.REVIEW] == [
        (EventKind.REVIEW, date(2026, 4, 10))
    ]
    assert "review" in first[0].title().lower()
    assert [r for r in reminders.claim_due(moment) if r.event.kind is EventKind.REVIEW] == []
    clock.set(datetime(2026, 4, 11, 8, tzinfo=UTC))
    assert review.finish() == date(2026, 7, 11)
    service.set_setting("review_months", "0")
    assert review.next_review() is None and review.review_events(date(2026, 1, 1), date(2030, 1, 1)) == []


def test_used_today_never_moves_the_last_use_back(service: SubscriptionService) -> None:
    sid = service.add(make_subscription(last_used=date(2026, 3, 9))).id
    assert sid is not None
    review = ReviewService(service)
    assert review.mark_used(sid, date(2026, 2, 1)).last_used == date(2026, 3, 9)
    assert review.mark_used(sid).last_used == date(2026, 3, 10)


def test_a_use_in_the_future_is_refused_by_add_edit_and_the_editor_s_save_too(service: SubscriptionService) -> None:
    """The clock says 2026-03-10: every way of setting the last use refuses a later day and writes nothing."""
    with pytest.raises(ValidationError, match="future"):
        service.add(make_subscription(name="Ahead", last_used=date(2026, 3, 11)))
    assert [s.name for s in service.all()] == []
    stored = service.add(make_subscription(last_used=date(2026, 3, 1)))
    assert stored.id is not None
    with pytest.raises(ValidationError, match="future"):
        service.edit(stored.id, last_used=date(2026, 4, 1))
    with pytest.raises(ValidationError, match="future"):
        service.update(replace(service.get(stored.id), last_used=date(2026, 4, 1)))
    assert service.get(stored.id).last_used == date(2026, 3, 1)
    assert service.edit(stored.id, last_used=date(2026, 3, 10)).last_used == date(2026, 3, 10)


def test_a_future_use_stored_before_does_not_block_other_edits(service: SubscriptionService) -> None:
    stored = service.add(make_subscription(last_used=date(2026, 3, 1)))
    assert stored.id is not None
    with service.transaction() as session:  # as an older version could have stored it
        from renewaltracker.storage.repositories import SubscriptionRepository

        repository = SubscriptionRepository(session)
        repository.update(replace(repository.get(stored.id), last_used=date(2099, 1, 1)), service.clock.now())
    assert service.edit(stored.id, name="Renamed").name == "Renamed"


def test_a_use_in_the_future_is_refused_and_changes_nothing(service: SubscriptionService) -> None:
    """'used 1 --on 2099-01-01' was stored, and since a later use is never overwritten, every real use after it
    was silently dropped and the plan never flagged."""
    sid = service.add(make_subscription(last_used=date(2026, 3, 1))).id
    assert sid is not None
    review = ReviewService(service)
    with pytest.raises(ValidationError, match="future"):
        review.mark_used(sid, date(2026, 3, 11))
    assert service.get(sid).last_used == date(2026, 3, 1)
    assert review.mark_used(sid).last_used == date(2026, 3, 10)


def test_an_app_store_refund_is_text_for_apples_form_not_an_email(
    service: SubscriptionService, clock: FixedClock, tmp_path: Path
) -> None:
    drafts = DraftService(service, ContactService(service.database, clock), TemplateLibrary(tmp_path / "templates"))
    apple = service.add(
        make_subscription(name="Music", vendor="Tunes", channel=Channel.APP_STORE, support_email="help@tunes.example")
    )
    paypal = service.add(make_subscription(name="Gym", vendor="FitCo", channel=Channel.PAYPAL))
    card = service.add(make_subscription(name="News", support_email="help@news.example", channel=Channel.CARD))
    assert apple.id and paypal.id and card.id
    composed = drafts.compose(DraftKind.REFUND, apple.id, Tone.NEUTRAL).draft
    assert composed.to == "" and "reportaproblem.apple.com" in composed.body and "Dear" not in composed.body
    bank = drafts.compose(DraftKind.BANK_STOP, paypal.id, Tone.NEUTRAL).draft
    assert "PayPal billing agreement" in bank.body and "PayPal" in bank.subject
    usual = drafts.compose(DraftKind.REFUND, card.id, Tone.NEUTRAL).draft
    assert usual.to == "help@news.example" and "Apple" not in usual.body


def test_assigning_members_tells_the_views(service: SubscriptionService) -> None:
    heard: list[tuple[Change, int | None]] = []
    service.subscribe(lambda change, sid: heard.append((change, sid)))
    household = HouseholdService(service)
    household.add_member("Ann")
    sid = service.add(make_subscription()).id
    assert sid is not None
    household.assign(sid, "ann", ["Ann"])
    assert heard[-1] == (Change.UPDATED, sid)
    assert household.names(household.assignment(sid)) == ("Ann", ("Ann",))
