"""The kept reminder plan: a change re-plans only its subscription, and gives what a fresh plan gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewaltracker.domain.clock import FixedClock
from renewaltracker.services.contacts import ContactService
from renewaltracker.services.reminders import ReminderService
from renewaltracker.services.review import ReviewService
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import Database
from renewaltracker.storage.repositories import ChargeRepository, SubscriptionRepository
from tests.factories import make_subscription

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=BERLIN)


def fresh_answer(service: SubscriptionService, clock: FixedClock, now: datetime) -> tuple[object, ...]:
    fresh = ReminderService(service.database, SubscriptionService(service.database, clock), clock)
    return fresh.due(now), fresh.next_due_time(now)


def answer(reminders: ReminderService, now: datetime) -> tuple[object, ...]:
    # Whole reminders (event, due moment, cancel-by, companions), in order: a check reuses what it built before.
    return reminders.due(now), reminders.next_due_time(now)


def test_a_change_re_plans_one_subscription(service: SubscriptionService, clock: FixedClock) -> None:
    for day in range(11, 31):
        service.add(make_subscription(anchor=date(2026, 3, day), name=f"S{day}"))
    reminders = ReminderService(service.database, service, clock)
    reminders.next_due_time(NOW)
    assert (reminders.plan.full_plans, reminders.plan.partial_plans) == (1, 0)
    edited = service.edit(5, anchor=date(2026, 3, 12))
    assert answer(reminders, NOW) == fresh_answer(service, clock, NOW)
    assert (reminders.plan.full_plans, reminders.plan.partial_plans) == (1, 1)
    service.delete(edited.id or 0)
    added = service.add(make_subscription(anchor=date(2026, 3, 11), name="New"))
    assert answer(reminders, NOW) == fresh_answer(service, clock, NOW)
    assert reminders.plan.full_plans == 1 and added.id is not None


def test_changes_from_another_process_are_noticed(database: Database, clock: FixedClock) -> None:
    here = SubscriptionService(database, clock)
    here.add(make_subscription(anchor=date(2026, 3, 30)))
    reminders = ReminderService(database, here, clock)
    assert reminders.next_due_time(NOW) == datetime(2026, 3, 23, 9, 0, tzinfo=BERLIN)
    SubscriptionService(database, clock).add(make_subscription(anchor=date(2026, 3, 12), name="Elsewhere"))
    assert reminders.next_due_time(NOW) == datetime(2026, 3, 11, 9, 0, tzinfo=BERLIN)


def test_a_settings_change_re_plans_everything(service: SubscriptionService, clock: FixedClock) -> None:
    service.add(make_subscription(anchor=date(2026, 3, 30)))
    reminders = ReminderService(service.database, service, clock)
    reminders.next_due_time(NOW)
    service.set_setting("reminder_days", "3")
    assert reminders.next_due_time(NOW) == datetime(2026, 3, 27, 9, 0, tzinfo=BERLIN)
    assert reminders.plan.full_plans == 2


# The database is shared between examples on purpose: each one starts by deleting every subscription, and
# `due` and `next_due_time` only read.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(st.integers(1, 6), st.integers(0, 40), st.sampled_from([None, (0,), (3, 1), (20,)])), max_size=6
    ),
    hours=st.integers(0, 24 * 40),
)
def test_kept_plan_matches_a_fresh_plan(
    edits: list[tuple[int, int, tuple[int, ...] | None]], hours: int, database: Database, clock: FixedClock
) -> None:
    service = SubscriptionService(database, clock)
    for subscription in service.all():
        service.delete(subscription.id or 0)
    ids = [
        service.add(make_subscription(anchor=date(2026, 3, 1) + timedelta(days=3 * i), name=f"S{i}")).id
        for i in range(6)
    ]
    reminders = ReminderService(database, service, clock)
    reminders.next_due_time(NOW)
    for index, offset, leads in edits:
        current = service.get(ids[index - 1] or 0)
        service.update(replace(current, anchor=date(2026, 3, 1) + timedelta(days=offset), reminder_days=leads))
        now = NOW + timedelta(hours=hours)
        assert answer(reminders, now) == fresh_answer(service, clock, now)
        # A one-shot check (`remind`) plans just the days it asks about, and answers the same.
        once = ReminderService(database, SubscriptionService(database, clock), clock, plan_ahead=timedelta(0))
        assert answer(once, now) == fresh_answer(service, clock, now)


def test_a_check_reads_every_subscription_once_and_a_change_reads_none_again(
    service: SubscriptionService, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review date, follow-ups and refund windows ask the database small questions, never for every row again."""
    for day in range(11, 31):
        service.add(make_subscription(anchor=date(2026, 3, day), name=f"S{day}", refund_days=day % 3 or None))
    service.change_price(2, "49.99", date(2026, 4, 1))
    service.record_charge(1, date(2026, 3, 9), "39.99")
    review, contacts = ReviewService(service), ContactService(service.database, clock)
    reminders = ReminderService(
        service.database, service, clock, extra_sources=[review.review_events, contacts.follow_up_events]
    )
    reads: list[str] = []
    for name in ("all", "for_subscription"):
        owner = SubscriptionRepository if name == "all" else ChargeRepository
        original = getattr(owner, name)
        monkeypatch.setattr(owner, name, lambda self, *a, _f=original, _n=name: reads.append(_n) or _f(self, *a))
    reminders.check(NOW)
    assert reads == ["all"]
    service.edit(5, anchor=date(2026, 3, 12))
    service.change_price(2, "59.99", date(2026, 3, 20))
    reads.clear()
    assert answer(reminders, NOW) == fresh_answer(service, clock, NOW)
    assert reads.count("all") == 1, "only the fresh service read every subscription"
    assert "for_subscription" not in reads
    assert (reminders.plan.full_plans, reminders.plan.partial_plans) == (1, 2)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["record", "refund", "edit", "price", "wait"]), st.integers(0, 3), st.integers(0, 30)
        ),
        max_size=6,
    )
)
def test_kept_refund_windows_match_a_fresh_plan(
    steps: list[tuple[str, int, int]], database: Database, clock: FixedClock
) -> None:
    """Refund windows are kept per subscription between checks: a charge recorded or refunded (here or by another
    process), an edit, a price change or a later check must give what a fresh service gives."""
    service = SubscriptionService(database, clock)
    for subscription in service.all():
        service.delete(subscription.id or 0)
    ids = [
        service.add(
            make_subscription(anchor=date(2026, 2, 20) + timedelta(days=5 * i), name=f"R{i}", refund_days=14)
        ).id
        or 0
        for i in range(4)
    ]
    reminders = ReminderService(database, service, clock)
    now = NOW
    answer(reminders, now)
    for action, index, days in steps:
        sid = ids[index]
        day = date(2026, 2, 20) + timedelta(days=days)
        # Charges recorded and refunded elsewhere (the command line) change no subscription row.
        elsewhere = SubscriptionService(database, clock)
        if action == "record":
            elsewhere.record_charge(sid, date(2026, 2, 20) + timedelta(days=5 * index + days % 3), "12.00", force=True)
        elif action == "refund" and service.charges(sid):
            elsewhere.refund_charge(sid, service.charges(sid)[-1].id or 0)
        elif action == "edit":
            service.edit(sid, refund_days=days % 20 + 1)
        elif action == "price":
            service.change_price(sid, f"{days + 1}.50", day + timedelta(days=20))
        else:
            now += timedelta(hours=days * 7)
        # Whole reminders, not keys only: a refund window's amount comes from the recorded charge or price.
        fresh = ReminderService(database, SubscriptionService(database, clock), clock)
        assert (reminders.due(now), reminders.next_due_time(now)) == (fresh.due(now), fresh.next_due_time(now))
