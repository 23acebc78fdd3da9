"""ReminderService: exactly once across calls, restarts, crashes and two processes; snoozes and pauses."""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.events import Event, EventKind
from renewaltracker.domain.reminders import notice_for
from renewaltracker.services.reminders import STALE_CLAIM, ReminderService
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.backup import backup_database
from renewaltracker.storage.database import Database, open_database
from tests.factories import make_subscription

BERLIN = ZoneInfo("Europe/Berlin")


def reminders_for(database: Database, clock: FixedClock, **kwargs: object) -> ReminderService:
    return ReminderService(database, SubscriptionService(database, clock), clock, **kwargs)  # type: ignore[arg-type]


def at(day: int, hour: int = 9, minute: int = 30, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


def test_a_claimed_reminder_is_never_claimed_again(service: SubscriptionService, clock: FixedClock) -> None:
    service.add(make_subscription(anchor=date(2026, 3, 17), name="Netflix"))
    reminders = ReminderService(service.database, service, clock)
    assert [r.key.lead_days for r in reminders.due(at(10))] == [7]
    first = reminders.claim_due(at(10))
    reminders.confirm(first)
    assert [r.key.lead_days for r in first] == [7]
    assert reminders.claim_due(at(10)) == []
    assert reminders.due(at(10)) == []
    assert reminders.next_due_time(at(10)) == datetime(2026, 3, 16, 9, 0, tzinfo=BERLIN)


def test_catch_up_after_a_gap_is_one_summary_with_one_reminder_per_event(
    service: SubscriptionService, clock: FixedClock
) -> None:
    for name, day in (("Alpha", 12), ("Beta", 13), ("Gamma", 30)):
        service.add(make_subscription(anchor=date(2026, 3, day), name=name))
    reminders = ReminderService(service.database, service, clock)
    # Closed from 1 March until the 12th at noon: Alpha's and Beta's 7- and 1-day reminders all fell due.
    batch = reminders.claim_due(at(12, 12))
    reminders.confirm(batch)
    assert [(r.event.name, r.key.lead_days) for r in batch] == [("Alpha", 1), ("Beta", 1)]
    notice = notice_for(batch, date(2026, 3, 12))
    assert notice.is_summary
    # The superseded 7-day reminders were recorded too, so they never come later as stragglers.
    assert reminders.claim_due(at(12, 13)) == []
    assert reminders.next_due_time(at(12, 13)) == datetime(2026, 3, 23, 9, 0, tzinfo=BERLIN)


def test_reminders_for_events_already_past_are_not_delivered(service: SubscriptionService, clock: FixedClock) -> None:
    service.add(make_subscription(anchor=date(2026, 3, 5), interval="1 year"))
    reminders = ReminderService(service.database, service, clock)
    assert reminders.claim_due(at(10)) == []


def test_snooze_until_tomorrow_brings_it_back_once(service: SubscriptionService, clock: FixedClock) -> None:
    service.add(make_subscription(anchor=date(2026, 3, 17)))
    reminders = ReminderService(service.database, service, clock)
    (shown,) = reminders.claim_due(at(10))
    reminders.confirm([shown])
    tomorrow = reminders.tomorrow_at_reminder_time(at(10))
    assert tomorrow == datetime(2026, 3, 11, 9, 0, tzinfo=BERLIN)
    reminders.snooze(shown.key, tomorrow)
    assert reminders.claim_due(at(11, 8)) == []
    assert reminders.next_due_time(at(10, 12)) == tomorrow
    again = reminders.claim_due(at(11, 9, 0))
    assert [r.key for r in again] == [shown.key]
    reminders.confirm(again)
    assert reminders.claim_due(at(11, 10)) == []


def test_pause_holds_reminders_back_until_it_ends(service: SubscriptionService, clock: FixedClock) -> None:
    service.add(make_subscription(anchor=date(2026, 3, 17)))
    reminders = ReminderService(service.database, service, clock)
    reminders.pause(at(10, 13))
    assert reminders.paused_until() == at(10, 13)
    assert reminders.claim_due(at(10, 10)) == []
    assert reminders.next_due_time(at(10, 10)) == at(10, 13)
    assert len(reminders.claim_due(at(10, 13))) == 1
    reminders.pause(None)
    assert reminders.paused_until() is None


@pytest.mark.expect_log_warnings
def test_a_claim_a_crash_left_unconfirmed_is_delivered_again_once(
    service: SubscriptionService, clock: FixedClock
) -> None:
    service.add(make_subscription(anchor=date(2026, 3, 17)))
    reminders = ReminderService(service.database, service, clock)
    claimed = reminders.claim_due(at(10))  # ... and the process dies before showing or confirming it
    assert reminders.claim_due(at(10) + STALE_CLAIM / 2) == []
    recovered = reminders.claim_due(at(10) + STALE_CLAIM * 2)
    assert [r.key for r in recovered] == [r.key for r in claimed]
    reminders.confirm(recovered)
    assert reminders.claim_due(at(10) + STALE_CLAIM * 10) == []


@pytest.mark.expect_log_warnings
def test_a_merged_notice_a_crash_left_unconfirmed_comes_back_merged(
    service: SubscriptionService, clock: FixedClock
) -> None:
    # A trial that ends on its first charge day: one notice, "trial ends … — also charges … that day".
    service.add(make_subscription(anchor=None, trial_end=date(2026, 3, 17), name="Netflix"))
    reminders = ReminderService(service.database, service, clock)
    [claimed] = reminders.claim_due(at(16))  # ... and the process dies before showing or confirming it
    assert len(claimed.keys) == 2
    recovered = reminders.claim_due(at(16) + STALE_CLAIM * 2)
    assert [r.keys for r in recovered] == [claimed.keys]
    assert [r.title() for r in recovered] == [claimed.title()]


@pytest.mark.expect_log_warnings
def test_follow_ups_from_an_extra_source_are_reminded_on_the_day(
    service: SubscriptionService, clock: FixedClock
) -> None:
    sub = service.add(make_subscription(anchor=date(2026, 6, 1)))
    assert sub.id is not None
    follow = Event(
        date(2026, 3, 11), EventKind.FOLLOW_UP, sub.id, sub.name, sub.amount, sub.currency, date(2026, 3, 11)
    )

    def source(first: date, last: date) -> list[Event]:
        return [follow] if first <= follow.date <= last else []

    def broken(first: date, last: date) -> list[Event]:
        raise RuntimeError("contact log is broken")

    reminders = ReminderService(service.database, service, clock, extra_sources=[broken, source])
    batch = reminders.claim_due(at(11, 10))
    assert [(r.key.kind, r.key.lead_days) for r in batch] == [(EventKind.FOLLOW_UP, 0)]


checks = st.lists(st.integers(0, 60 * 24 * 40), min_size=1, max_size=12).map(sorted)


@settings(max_examples=15)
@given(
    offsets=checks,
    restarts=st.sets(st.integers(0, 11)),
    anchors=st.lists(st.dates(date(2026, 3, 1), date(2026, 4, 30)), min_size=1, max_size=3),
    notice=st.sampled_from([None, 3, 10]),
)
def test_no_reminder_twice_and_none_lost_across_restarts(
    migrated_template: Path, offsets: list[int], restarts: set[int], anchors: list[date], notice: int | None
) -> None:
    """The app checks at random times, with gaps of up to 40 days, and restarts (a fresh service) between some."""
    start = datetime(2026, 3, 1, 0, 0, tzinfo=BERLIN)
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(shutil.copyfile(migrated_template, Path(folder) / "db.sqlite3"))
        clock = FixedClock(start)
        setup = SubscriptionService(database, clock)
        for number, anchor in enumerate(anchors):
            setup.add(make_subscription(name=f"S{number}", anchor=anchor, interval="1 month", notice_days=notice))
        reminders = reminders_for(database, clock)
        delivered = []
        for index, minutes in enumerate(offsets):
            if index in restarts:
                reminders = reminders_for(database, clock)
            now = start + timedelta(minutes=minutes)
            clock.set(now)
            batch = reminders.claim_due(now)
            reminders.confirm(batch)
            delivered.extend((now, r) for r in batch)
            # However long the gap, a batch (one summary) names each event once.
            events = [(r.key.subscription_id, r.key.kind, r.key.event_date) for r in batch]
            assert len(events) == len(set(events))
        # Every event with a reminder due by some check, whose date had not passed at that check, was warned.
        oracle = reminders_for(database, FixedClock(start))
        expected = set()
        for minutes in offsets:
            now = start + timedelta(minutes=minutes)
            plan = oracle._plan(start - timedelta(days=40), now, oracle._read_state())
            expected |= {
                (r.key.subscription_id, r.key.kind, r.key.event_date) for r in plan if r.event.date >= now.date()
            }
        database.close()
    keys = [r.key for _, r in delivered]
    assert len(keys) == len(set(keys)), "a reminder was delivered twice"
    assert {(k.subscription_id, k.kind, k.event_date) for k in keys} == expected
    for now, reminder in delivered:
        assert reminder.due_at <= now


def _claim_all(database: Database, moments: list[str], barrier: object | None = None) -> list[str]:
    service = reminders_for(database, FixedClock(datetime.fromisoformat(moments[0])))
    won: list[str] = []
    for text in moments:
        if barrier is not None:
            barrier.wait(timeout=30)  # type: ignore[attr-defined]
        batch = service.claim_due(datetime.fromisoformat(text))
        service.confirm(batch)
        won.extend(r.key.text() for r in batch)
    return won


def _claim_in_process(db_path: str, moments: list[str], barrier: object, out: multiprocessing.Queue[list[str]]) -> None:
    database = open_database(Path(db_path))
    try:
        out.put(_claim_all(database, moments, barrier))
    finally:
        database.close()


def test_two_processes_claiming_at_the_same_moment_deliver_each_reminder_once(db_path: Path) -> None:
    database = open_database(db_path)
    setup = SubscriptionService(database, FixedClock(at(1)))
    for number in range(12):
        setup.add(make_subscription(name=f"S{number}", anchor=date(2026, 3, 2 + number * 2), notice_days=2))
    sequential_copy = db_path.with_name("sequential.sqlite3")
    backup_database(db_path, sequential_copy)
    database.close()
    moments = [(at(1, 0) + timedelta(hours=9 * step)).isoformat() for step in range(40)]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    queue: multiprocessing.Queue[list[str]] = context.Queue()
    workers = [
        context.Process(target=_claim_in_process, args=(str(db_path), moments, barrier, queue)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    both = results[0] + results[1]
    assert len(both) == len(set(both)), "two processes delivered the same reminder"
    # Together they delivered exactly what one process alone delivers: nothing lost in the race.
    alone = open_database(sequential_copy)
    try:
        assert sorted(both) == sorted(_claim_all(alone, moments))
    finally:
        alone.close()
    assert len(both) >= 24


def test_in_the_repeated_dst_hour_reminders_follow_real_time_not_the_wall_clock(
    service: SubscriptionService, clock: FixedClock
) -> None:
    """Berlin repeats 02:00–03:00 on 25 October 2026; a 02:30 reminder takes the first 02:30 (00:30 UTC)."""
    service.set_setting("reminder_time", "02:30")
    service.add(make_subscription(anchor=date(2026, 10, 26), reminder_days=(1,)))
    reminders = ReminderService(service.database, service, clock)
    before = datetime(2026, 10, 25, 0, 15, tzinfo=UTC).astimezone(BERLIN)
    assert reminders.next_due_time(before) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert reminders.claim_due(before) == []
    # 02:15 in the second pass (01:15 UTC): by the wall clock 02:30 is still ahead, in real time it has passed.
    second_pass = datetime(2026, 10, 25, 2, 15, fold=1, tzinfo=BERLIN)
    (due,) = reminders.claim_due(second_pass)
    assert due.due_at.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_refund_window_reminders_come_once_and_stop_once_the_charge_is_refunded(
    service: SubscriptionService, clock: FixedClock
) -> None:

    sub = service.add(make_subscription(anchor=date(2026, 3, 2), refund_days=3, name="The Magazine"))
    assert sub.id is not None
    reminders = ReminderService(service.database, service, clock)
    # Away over the charge on 2 March: one notice on opening the app on the 3rd, then the 1-day reminder.
    away = reminders.claim_due(at(3, 12))
    reminders.confirm(away)
    assert [(r.kind, r.event.date) for r in away] == [("charged_while_away", date(2026, 3, 5))]
    assert reminders.claim_due(at(3, 13)) == []
    charge = service.record_charge(sub.id, date(2026, 3, 2))
    assert [r.kind for r in reminders.due(at(4, 9, 0))] == ["refund_window_end"]
    assert charge.id is not None
    service.refund_charge(sub.id, charge.id)
    assert reminders.due(at(4, 9, 0)) == []


def test_the_refund_reminder_lead_is_a_setting(service: SubscriptionService, clock: FixedClock) -> None:
    service.add(make_subscription(anchor=date(2026, 3, 2), refund_days=14))
    service.set_setting("refund_window_reminder_days", "3")
    reminders = ReminderService(service.database, service, clock)
    reminders.confirm(reminders.claim_due(at(2, 9, 0)))  # the app runs on the charge day: nothing said
    assert reminders.next_due_time(at(2, 9, 0)) == datetime(2026, 3, 13, 9, 0, tzinfo=BERLIN)


def test_a_snoozed_deadline_does_not_come_back_once_it_has_passed(
    service: SubscriptionService, clock: FixedClock
) -> None:
    """Snoozed on the last day to cancel, "cancel 1 day ago (…)" the next morning would be a deadline in the past
    presented as one to act on."""
    service.add(make_subscription(anchor=date(2026, 3, 20), notice_days=9, reminder_days=(0,), name="Gym"))
    reminders = ReminderService(service.database, service, clock)
    (deadline,) = reminders.claim_due(at(11))
    reminders.confirm([deadline])
    assert (deadline.key.kind, deadline.event.date) == (EventKind.CANCEL_BY, date(2026, 3, 11))
    reminders.snooze(deadline.key, reminders.tomorrow_at_reminder_time(at(11)))
    assert reminders.claim_due(at(12, 10)) == []
    with reminders.store.transaction() as data:
        assert data.pending_snoozes() == []  # closed, not rebuilt at every later check


def test_a_snoozed_reminder_of_a_trial_cancelled_meanwhile_does_not_come_back(
    service: SubscriptionService, clock: FixedClock
) -> None:
    sub = service.add(make_subscription(anchor=None, trial_end=date(2026, 3, 17), name="Music", reminder_days=(7,)))
    assert sub.id is not None
    reminders = ReminderService(service.database, service, clock)
    shown = reminders.claim_due(at(10))
    reminders.confirm(shown)
    assert [r.key.kind for r in shown] == [EventKind.TRIAL_END]
    reminders.snooze(shown[0].key, reminders.tomorrow_at_reminder_time(at(10)))
    service.cancel(sub.id, date(2026, 3, 10))
    assert reminders.claim_due(at(11, 10)) == []


def test_a_snoozed_charge_reminder_does_not_come_back_once_the_charge_is_recorded(
    service: SubscriptionService, clock: FixedClock
) -> None:
    sub = service.add(make_subscription(anchor=date(2026, 3, 11), reminder_days=(1,), name="News"))
    assert sub.id is not None
    reminders = ReminderService(service.database, service, clock)
    (shown,) = reminders.claim_due(at(10))
    reminders.confirm([shown])
    reminders.snooze(shown.key, at(11, 12, 0))
    clock.set(at(11, 11))
    service.record_charge(sub.id, date(2026, 3, 11))
    assert reminders.claim_due(at(11, 12, 30)) == []


def test_a_charge_booked_a_day_early_silences_the_reminders_of_the_charge_it_is(
    service: SubscriptionService, clock: FixedClock
) -> None:
    """Due on the 13th, booked (and recorded, say from a statement) on the 12th: "charges tomorrow" on the 12th would
    announce money already gone; the next month's charge is still announced."""
    sub = service.add(make_subscription(anchor=date(2026, 3, 13), reminder_days=(1,), name="News"))
    assert sub.id is not None
    reminders = ReminderService(service.database, service, clock)
    clock.set(at(12, 8))
    service.record_charge(sub.id, date(2026, 3, 12))
    assert reminders.claim_due(at(12, 10)) == []
    shown = reminders.claim_due(at(12, 10, month=4))
    assert [(r.event.name, r.event.charge_date) for r in shown] == [("News", date(2026, 4, 13))]


def test_longer_lead_times_set_after_a_warning_do_not_repeat_it(
    service: SubscriptionService, clock: FixedClock
) -> None:
    """Warned 7 days ahead, then the lead times become 14 and 3: the 14-day warning (due a week ago, never shown)
    says nothing the 7-day one did not; only the 3-day one is still to come."""
    service.add(make_subscription(anchor=date(2026, 3, 17), name="Netflix"))
    service.add(make_subscription(anchor=date(2026, 3, 22), name="Later"))
    reminders = ReminderService(service.database, service, clock)
    shown = reminders.claim_due(at(10))
    reminders.confirm(shown)
    assert [(r.event.name, r.key.lead_days) for r in shown] == [("Netflix", 7)]
    service.set_setting("reminder_days", "14,3")
    # Later's 14-day warning (due 8 March) was never given in any form: it comes now, as a catch-up.
    caught_up = reminders.claim_due(at(10, 10))
    reminders.confirm(caught_up)
    assert [(r.event.name, r.key.lead_days) for r in caught_up] == [("Later", 14)]
    assert [(r.event.name, r.key.lead_days) for r in reminders.claim_due(at(14, 9, 5))] == [("Netflix", 3)]
