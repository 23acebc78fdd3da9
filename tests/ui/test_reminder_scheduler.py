"""The scheduler: one single-shot timer for the next reminder, capped; re-armed on changes; catches up."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time as stdlib_time
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtDBus import QDBusConnection
from pytestqt.qtbot import QtBot

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.events import EventKind
from renewaltracker.domain.reminders import Notice
from renewaltracker.services.reminders import ReminderService
from renewaltracker.storage.database import Database, open_database
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.notifier import NoticeAction, Notifier
from renewaltracker.ui.reminder_scheduler import MAX_TIMER_MS, ReminderScheduler, timer_interval_ms
from tests.factories import make_subscription

BERLIN = ZoneInfo("Europe/Berlin")


class CountingNotifier(Notifier):
    def __init__(self) -> None:
        super().__init__()
        self.notices: list[Notice] = []

    def show(self, notice: Notice, actions: list[NoticeAction]) -> bool:
        self.notices.append(notice)
        return True


@pytest.fixture
def context(database: Database, clock: FixedClock) -> Iterator[AppContext]:
    built = AppContext.create(database, clock)
    yield built
    built.signals.detach()


def settle(qtbot: QtBot, scheduler: ReminderScheduler) -> None:
    """Checks run on the scheduler's worker thread: wait until the last one has been acted on."""
    qtbot.waitUntil(lambda: not scheduler.busy, timeout=5000)


def scheduler_for(context: AppContext) -> tuple[ReminderScheduler, CountingNotifier]:
    notifier = CountingNotifier()
    reminders = ReminderService(context.database, context.service, context.clock)
    return ReminderScheduler(reminders, context.signals, context.clock, notifier), notifier


@given(seconds=st.floats(-1e9, 1e10, allow_nan=False))
def test_timer_interval_is_never_negative_and_never_overflows(seconds: float) -> None:
    now = datetime(2026, 3, 10, 9, 30, tzinfo=BERLIN)
    interval = timer_interval_ms(now, now + timedelta(seconds=seconds))
    assert 0 <= interval <= MAX_TIMER_MS < 2**31 - 1
    if 0 <= seconds < 86_400:
        assert abs(interval - seconds * 1000) <= 2


def test_the_timer_is_armed_for_the_next_reminder_only(qtbot: QtBot, context: AppContext) -> None:
    context.service.add(make_subscription(anchor=date(2026, 3, 17)))
    scheduler, notifier = scheduler_for(context)
    scheduler.start()
    settle(qtbot, scheduler)
    assert len(notifier.notices) == 1  # the 7-day reminder, due at 09:00 today
    assert scheduler.next_due == datetime(2026, 3, 16, 9, 0, tzinfo=BERLIN)
    expected = (scheduler.next_due - context.clock.now()).total_seconds() * 1000
    assert scheduler.timer.isActive() and scheduler.timer.isSingleShot()
    assert abs(scheduler.timer.remainingTime() - expected) < 5_000
    assert scheduler.recheck.interval() == 15 * 60 * 1000
    scheduler.stop()


def test_a_reminder_months_away_is_capped_below_the_qt_limit(qtbot: QtBot, context: AppContext) -> None:
    context.service.add(make_subscription(anchor=date(2026, 4, 30), interval="1 year", reminder_days=(1,)))
    scheduler, _ = scheduler_for(context)
    scheduler.start()
    settle(qtbot, scheduler)
    assert scheduler.next_due == datetime(2026, 4, 29, 9, 0, tzinfo=BERLIN)
    assert scheduler.timer.interval() == MAX_TIMER_MS
    scheduler.stop()


def test_a_data_change_re_plans_and_delivers_what_became_due(
    qtbot: QtBot, context: AppContext, clock: FixedClock
) -> None:
    scheduler, notifier = scheduler_for(context)
    scheduler.start()
    settle(qtbot, scheduler)
    assert scheduler.next_due is None and not scheduler.timer.isActive()
    context.service.add(make_subscription(name="Tomorrow", anchor=date(2026, 3, 11)))
    with qtbot.waitSignal(scheduler.delivered, timeout=3000) as delivered:
        pass
    assert delivered.args is not None and "Tomorrow" in delivered.args[0].title
    assert [n.title for n in notifier.notices] == [delivered.args[0].title]
    scheduler.stop()


def test_checks_run_off_the_gui_thread(qtbot: QtBot, context: AppContext) -> None:
    context.service.add(make_subscription(anchor=date(2026, 3, 17)))
    scheduler, notifier = scheduler_for(context)
    gui_thread = threading.get_ident()
    threads: list[int] = []
    original = scheduler.reminders.check

    def check(now: datetime) -> object:
        threads.append(threading.get_ident())
        return original(now)

    scheduler.reminders.check = check  # type: ignore[method-assign]
    scheduler.start()
    assert notifier.notices == []  # nothing is done on the GUI thread before the worker reports
    settle(qtbot, scheduler)
    assert len(notifier.notices) == 1 and threads and gui_thread not in threads
    scheduler.stop()


def test_requests_during_a_check_are_run_once_after_it(qtbot: QtBot, context: AppContext) -> None:
    scheduler, _ = scheduler_for(context)
    with qtbot.waitSignal(scheduler.checked, timeout=5000):
        scheduler.start()
        scheduler.rearm()
        scheduler.check_now()
        scheduler.check_now()
    settle(qtbot, scheduler)
    assert scheduler.reminders.plan.full_plans == 1  # the kept plan served the queued check
    scheduler.stop()


def test_waking_from_sleep_catches_up_with_one_summary(qtbot: QtBot, context: AppContext, clock: FixedClock) -> None:
    for name, day in (("Alpha", 20), ("Beta", 21)):
        context.service.add(make_subscription(name=name, anchor=date(2026, 3, day)))
    clock.set(datetime(2026, 3, 12, 8, 0, tzinfo=BERLIN))
    scheduler, notifier = scheduler_for(context)
    scheduler.start()
    settle(qtbot, scheduler)
    assert notifier.notices == []
    # Asleep for nine days: the monotonic timer stood still, the wall clock did not.
    clock.set(datetime(2026, 3, 20, 9, 30, tzinfo=BERLIN))
    scheduler._marks = (stdlib_time.monotonic(), stdlib_time.time() - 9 * 86_400)
    with qtbot.waitSignal(scheduler.slept) as slept:
        scheduler._coarse_recheck()
    settle(qtbot, scheduler)
    assert slept.args is not None and slept.args[0] > 8 * 86_400
    (summary,) = notifier.notices
    assert summary.is_summary and len(summary.reminders) == 2
    assert {r.key.lead_days for r in summary.reminders} == {1}
    scheduler.prepare_for_sleep(False)  # logind's wake signal: nothing new, nothing shown twice
    settle(qtbot, scheduler)
    assert len(notifier.notices) == 1
    scheduler.stop()


def test_the_timer_counts_real_time_across_a_dst_change() -> None:
    # Berlin skips 02:00–03:00 on 29 March 2026: from 01:30 to 03:30 is one hour, not two.
    now = datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN)
    assert timer_interval_ms(now, datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN)) == 3_600_000 + 1


def test_without_a_system_bus_the_logind_watch_reports_false(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    scheduler, _ = scheduler_for(context)
    nowhere = QDBusConnection.connectToBus(f"unix:path={tmp_path / 'no-bus'}", "renewaltracker-test-no-bus")
    try:
        assert not nowhere.isConnected()
        assert scheduler.watch_logind(nowhere) is False
    finally:
        QDBusConnection.disconnectFromBus("renewaltracker-test-no-bus")


class SystemZoneClock:
    """A stopped clock that reads the moment as the machine's local time, as `SystemClock` does (a fixed offset)."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment.astimezone()

    def today(self) -> date:
        return self.now().date()


@pytest.fixture
def system_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Sets the machine's time zone (TZ) for the test; the process reads it again only when told (`time.tzset`)."""

    def move_to(name: str) -> None:
        monkeypatch.setenv("TZ", name)

    move_to("Europe/Berlin")
    stdlib_time.tzset()
    yield move_to
    monkeypatch.undo()
    stdlib_time.tzset()


def test_a_time_zone_change_while_running_moves_the_reminders_to_the_new_local_time(
    qtbot: QtBot, database: Database, system_zone: Callable[[str], None]
) -> None:
    clock = SystemZoneClock(datetime(2026, 3, 10, 12, 0, tzinfo=BERLIN))
    built = AppContext.create(database, clock)
    try:
        built.service.add(make_subscription(anchor=date(2026, 3, 20), reminder_days=(1,)))
        scheduler, _ = scheduler_for(built)
        scheduler.start()
        settle(qtbot, scheduler)
        assert scheduler.next_due == datetime(2026, 3, 19, 9, 0, tzinfo=BERLIN)
        # The laptop flies to New York and the desktop moves the system's zone; the app keeps running.
        system_zone("America/New_York")
        clock.moment = datetime(2026, 3, 12, 12, 0, tzinfo=BERLIN)
        scheduler._coarse_recheck()
        settle(qtbot, scheduler)
        new_york = ZoneInfo("America/New_York")
        assert scheduler.next_due == datetime(2026, 3, 19, 9, 0, tzinfo=new_york)
        assert clock.now().utcoffset() == timedelta(hours=-4)  # the process reads local time in the new zone too
        tomorrow = scheduler.reminders.tomorrow_at_reminder_time(clock.now())
        assert tomorrow == datetime(2026, 3, 13, 9, 0, tzinfo=new_york)
        scheduler.stop()
    finally:
        built.signals.detach()


# A plan whose reminders a check merges: a trial ending on its first charge day, or a weekly charge whose next
# cancel-by deadline (a week's notice) falls on it; (anchor, weekly, trial, notice days, lead days).
MERGED_PLANS = st.tuples(
    st.dates(date(2026, 3, 11), date(2026, 3, 16)),  # each one due by the first check on 10 March
    st.booleans(),
    st.booleans(),
    st.sampled_from([None, 3, 7]),
    st.sampled_from([(7,), (6,)]),
)
# Reminders that go quiet once the charge they are about is recorded.
ABOUT_A_COMING_CHARGE = {EventKind.CHARGE, EventKind.TRIAL_END, EventKind.CANCEL_BY}


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans=st.lists(MERGED_PLANS, min_size=1, max_size=3), late_days=st.integers(0, 3), recorded=st.data())
def test_a_snoozed_notice_brings_back_every_reminder_it_carried_once(
    qtbot: QtBot,
    migrated_template: Path,
    plans: list[tuple[date, bool, bool, int | None, tuple[int, ...]]],
    late_days: int,
    recorded: st.DataObject,
) -> None:
    """Snoozed at its first showing, a notice comes back at the snooze's end (or the next check, if the app was closed
    then) with every reminder it carried, merged ones too, once each: but for deadlines passed and charges recorded
    meanwhile."""
    clock = FixedClock(datetime(2026, 3, 10, 9, 30, tzinfo=BERLIN))
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(shutil.copyfile(migrated_template, Path(folder) / "db.sqlite3"))
        built = AppContext.create(database, clock)
        anchors = {}
        for number, (anchor, weekly, trial, notice, leads) in enumerate(plans):
            added = built.service.add(
                make_subscription(
                    name=f"S{number}",
                    anchor=anchor,
                    interval="1 week" if weekly else "1 month",
                    trial_end=anchor if trial else None,
                    notice_days=notice,
                    reminder_days=leads,
                )
            )
            assert added.id is not None
            anchors[added.id] = anchor
        scheduler, notifier = scheduler_for(built)
        scheduler.start()
        settle(qtbot, scheduler)
        try:
            (notice,) = notifier.notices
            parts = [(r, *r.companions) for r in notice.reminders]
            carried = {part.key: part for merged in parts for part in merged}
            scheduler.handle(notice, NoticeAction.SNOOZE.value)
            settle(qtbot, scheduler)
            assert scheduler.next_due == datetime(2026, 3, 11, 9, 0, tzinfo=BERLIN)
            back_on = date(2026, 3, 11) + timedelta(days=late_days)
            clock.set(datetime.combine(back_on, time(8, 0), BERLIN))
            charged = {
                sid
                for sid, anchor in anchors.items()
                if anchor <= back_on + timedelta(days=1) and recorded.draw(st.booleans(), label=f"record S{sid}")
            }
            for sid in charged:
                built.service.record_charge(sid, anchors[sid])
            scheduler.debounce.stop()  # the checks below are the ones looked at
            clock.set(datetime.combine(back_on, time(9, 0), BERLIN))
            scheduler.check_now()
            settle(qtbot, scheduler)
            clock.set(datetime.combine(back_on, time(10, 0), BERLIN))
            scheduler.check_now()
            settle(qtbot, scheduler)
            scheduler.stop()
        finally:
            built.signals.detach()
            database.close()
    expected = {
        key
        for key, part in carried.items()
        if key.event_date >= back_on
        and not (
            key.subscription_id in charged
            and key.kind in ABOUT_A_COMING_CHARGE
            and part.event.charge_date == anchors[key.subscription_id]
        )
    }
    again = [r for later in notifier.notices[1:] for r in later.reminders if r.key in carried]
    keys = [key for r in again for key in r.keys]
    assert sorted(keys) == sorted(expected), "a reminder the snoozed notice carried was lost or came back twice"
    # As first shown: reminders of one plan about one day come back as one, not as a summary of their parts.
    days = [(r.subscription_id, r.event.date) for r in again]
    assert len(days) == len(set(days))
