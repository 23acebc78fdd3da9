"""The light tray (the app at login, before the window exists): its menu, pauses and snoozes on plain sqlite3, the
hand-over to the whole app for everything else, and the same database rows as the window's tray writes."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.events import EventKind
from renewaltracker.domain.reminders import ReminderKey
from renewaltracker.services.reminder_data import ServiceReminderStore
from renewaltracker.services.subscriptions import Change, SubscriptionService
from renewaltracker.storage.database import Database
from renewaltracker.storage.quick_reminders import PlainReminderStore
from renewaltracker.storage.quick_write import open_quick_writer
from renewaltracker.storage.repositories import SettingsRepository
from renewaltracker.ui import context as ui_context
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.light_tray import LightTray, open_light_tray
from renewaltracker.ui.notifier import NoticeAction
from tests.factories import make_subscription
from tests.storage.test_file_replaced import replaced_by_a_copy
from tests.ui.fakes import FakeNotifier
from tests.ui.menus import action, texts

BERLIN = ZoneInfo("Europe/Berlin")


class Harness:
    def __init__(self) -> None:
        self.opened: list[Callable[[Any], object] | None] = []
        self.quits = 0


@pytest.fixture
def harness() -> Harness:
    return Harness()


@pytest.fixture
def light(
    qtbot: QtBot, service: SubscriptionService, db_path: Path, clock: FixedClock, harness: Harness
) -> Iterator[LightTray]:
    # Due the day before yesterday (three days ahead of a charge tomorrow): delivered by the first check.
    service.add(make_subscription(name="Due now", anchor=date(2026, 3, 11), reminder_days=(3,), currency="EUR"))
    service.add(make_subscription(name="Later", anchor=date(2026, 3, 20), amount="5"))
    tray = started_light_tray(qtbot, db_path, clock, harness)
    yield tray
    tray.close()


def started_light_tray(qtbot: QtBot, db_path: Path, clock: FixedClock, harness: Harness) -> LightTray:
    """A light tray over the database, once its first check has delivered what was due and filled the menu."""
    writer = open_quick_writer(db_path, shared=True)
    assert writer is not None

    def quit_app() -> None:
        harness.quits += 1

    tray = LightTray(
        db_path, writer, clock, FakeNotifier(), harness.opened.append, quit_app, formatter=Formatter("en_US")
    )
    with qtbot.waitSignal(tray.refreshed, timeout=10_000):
        tray.start(watch_sleep=False)
    return tray


def test_the_first_check_delivers_and_fills_the_menu_like_the_windows_tray(light: LightTray) -> None:
    notifier = light.notifier
    assert isinstance(notifier, FakeNotifier)
    [(notice, actions)] = notifier.shown
    assert [r.event.name for r in notice.reminders] == ["Due now"]
    assert actions == [NoticeAction.SNOOZE, NoticeAction.CANCEL, NoticeAction.DRAFT]
    assert texts(light.menu) == [
        "Coming up",
        "Mar 11, 2026: Due now, €39.99",
        "Mar 20, 2026: Later, $5.00",
        "&Open Renewal Tracker",
        "&Pause reminders",
        "&Settings…",
        "&Quit",
    ]
    assert light.icon.toolTip() == "Renewal Tracker\nNext charge: Mar 11, 2026: Due now, €39.99"


def test_pausing_writes_what_the_window_writes_and_re_arms(
    qtbot: QtBot, light: LightTray, clock: FixedClock, database: Database
) -> None:
    action(action(light.menu, "&Pause reminders").menu(), "For 1 hour").trigger()
    until = clock.now() + timedelta(hours=1)
    assert light.reminders.paused_until() == until
    with database.transaction() as session:
        assert SettingsRepository(session).get("reminders_paused_until") == until
    qtbot.waitUntil(lambda: light.scheduler.next_due == until)  # one wake at the pause's end
    light.menu.aboutToShow.emit()
    paused = action(light.menu, "Reminders paused until Tue 10:30").menu()
    action(paused, "&Resume reminders").trigger()
    assert light.reminders.paused_until() is None


def test_a_snooze_stays_in_the_tray_and_everything_else_opens_the_window(
    qtbot: QtBot, light: LightTray, harness: Harness
) -> None:
    notifier = light.notifier
    assert isinstance(notifier, FakeNotifier)
    notice = notifier.shown[0][0]
    light.act(notice, NoticeAction.SNOOZE.value)
    assert harness.opened == []
    tomorrow = datetime(2026, 3, 11, 9, 0, tzinfo=BERLIN)
    qtbot.waitUntil(lambda: light.scheduler.next_due == tomorrow)  # the snooze's end
    light.act(notice, NoticeAction.CANCEL.value)
    assert len(harness.opened) == 1 and light.handed_over
    assert not light.icon.isVisible() and light.scheduler.timer.isActive() is False

    class Features:
        def __init__(self) -> None:
            self.tray = self
            self.acted: list[str] = []

        def act(self, _notice: object, what: str) -> None:
            self.acted.append(what)

    built = Features()
    opened = harness.opened[0]
    assert opened is not None
    opened(built)  # what the window's start-up does once its features are attached
    assert built.acted == ["cancel"]
    light.became(built)  # type: ignore[arg-type]
    light.act(notice, NoticeAction.SNOOZE.value)  # a notification still on screen: the window's tray acts now
    assert built.acted == ["cancel", "snooze"]


def test_a_snoozed_notice_that_merged_two_reminders_brings_both_back_in_the_tray(
    qtbot: QtBot, service: SubscriptionService, db_path: Path, clock: FixedClock, harness: Harness
) -> None:
    """A trial ending on its first charge day is one notice ("trial ends … — also charges … that day"): snoozed from
    the tray at login, the charge comes back with the trial end, not only the trial end."""
    service.add(make_subscription(name="Music", anchor=date(2026, 3, 17), trial_end=date(2026, 3, 17)))
    light = started_light_tray(qtbot, db_path, clock, harness)
    try:
        notifier = light.notifier
        assert isinstance(notifier, FakeNotifier)
        [(notice, _actions)] = notifier.shown
        [merged] = notice.reminders
        assert [key.kind for key in merged.keys] == [EventKind.TRIAL_END, EventKind.CHARGE]
        light.act(notice, NoticeAction.SNOOZE.value)
        tomorrow = datetime(2026, 3, 11, 9, 0, tzinfo=BERLIN)
        qtbot.waitUntil(lambda: light.scheduler.next_due == tomorrow)
        clock.set(tomorrow)
        with qtbot.waitSignal(light.scheduler.delivered, timeout=10_000):
            light.scheduler.check_now()
        [_first, (again, _)] = notifier.shown
        assert [r.keys for r in again.reminders] == [merged.keys]
        assert again.title == notice.title and harness.opened == []
    finally:
        light.close()


def test_menu_entries_open_the_window_and_quit_quits(light: LightTray, harness: Harness) -> None:
    action(light.menu, "&Open Renewal Tracker").trigger()
    assert harness.opened == [None]
    action(light.menu, "&Quit").trigger()
    assert harness.quits == 1


def test_a_database_the_plain_path_declines_gets_no_light_tray(tmp_path: Path, clock: FixedClock) -> None:
    assert open_light_tray(tmp_path / "missing.sqlite3", clock, FakeNotifier(), print) is None
    (tmp_path / "foreign.sqlite3").write_bytes(b"not a database" * 100)
    assert open_light_tray(tmp_path / "foreign.sqlite3", clock, FakeNotifier(), print) is None


def test_the_watchers_word_for_a_reload_is_the_services() -> None:
    assert Change.UPDATED.value == ui_context.UPDATED


SETTING_TEXTS = st.one_of(
    st.tuples(st.just("upcoming_days"), st.integers(-5, 400).map(str)),
    st.tuples(st.just("reminders_paused_until"), st.datetimes(timezones=st.just(BERLIN)).map(datetime.isoformat)),
    st.tuples(st.just("reminders_paused_until"), st.just("")),
    st.tuples(st.just("default_currency"), st.sampled_from(["eur", "EUR", "euro", "XYZ", "€"])),
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(change=SETTING_TEXTS)
def test_a_setting_written_on_plain_sqlite3_is_the_one_the_repository_writes(
    change: tuple[str, str], database: Database, db_path: Path
) -> None:
    key, text = change
    session = database.sessions()
    try:
        expected: Any = SettingsRepository(session).set(key, text)
        stored = SettingsRepository(session).all_raw()[key]
    except ValueError as error:
        expected, stored = type(error), None
    finally:
        session.rollback()  # leaves the database as it was for the plain writer and the next example
        session.close()
    writer = open_quick_writer(db_path)
    assert writer is not None
    try:
        with writer.transaction() as writes:
            value: Any = writes.set_setting(key, text)
            raw = writer.connection.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()[0]
            assert (value, raw) == (expected, stored)
            raise LookupError  # leaves the database as it was for the next example
    except ValueError as error:
        assert type(error) is expected
    except LookupError:
        pass
    finally:
        writer.close()


def confirmed_reminders(database: Database) -> dict[int, bool]:
    """subscription id -> whether its claimed reminder was confirmed (shown)."""
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT subscription_id, confirmed_at FROM delivered_reminders").all()
    return {sid: confirmed is not None for sid, confirmed in rows}


def test_a_check_running_when_the_window_is_asked_for_shows_what_it_claimed(
    light: LightTray, service: SubscriptionService, database: Database
) -> None:
    # Claimed by the light tray's last check and then dropped, it would wait as "claimed by a crashed process"
    # until the window's tray re-delivered it, STALE_CLAIM and a coarse re-check later.
    late = service.add(make_subscription(name="Due at hand-over", anchor=date(2026, 3, 12), reminder_days=(3,)))
    started, gate = threading.Event(), threading.Event()
    check = light.reminders.check

    def held_check(now: datetime) -> Any:
        started.set()
        gate.wait(10)
        return check(now)

    light.reminders.check = held_check  # type: ignore[method-assign]
    light.scheduler.check_now()
    assert started.wait(10)
    gate.set()  # its result reaches the GUI thread only through the event loop: after the hand-over below
    light.open_window()
    notifier = light.notifier
    assert isinstance(notifier, FakeNotifier)
    assert [r.event.name for r in notifier.shown[-1][0].reminders] == ["Due at hand-over"]
    assert confirmed_reminders(database)[late.id] is True


@pytest.mark.expect_log_warnings  # the failed check and the hand-over are logged
def test_a_database_migrated_by_a_newer_version_hands_over_to_the_normal_opening(
    qtbot: QtBot, light: LightTray, harness: Harness, db_path: Path
) -> None:
    # Every plain check would fail from now on (the schema is not this version's): the normal opening says why.
    with closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = 'from_a_newer_version'")
    with qtbot.waitSignal(light.scheduler.checked, timeout=10_000):
        light.scheduler.check_now()
    assert harness.opened == [None] and light.handed_over


@pytest.mark.expect_log_warnings  # the hand-over is logged
def test_a_file_another_program_put_in_its_place_hands_over_without_waiting_for_a_check(
    qtbot: QtBot, light: LightTray, harness: Harness, db_path: Path
) -> None:
    # The plain connection still has the old file: the folder's notice, not a check 15 minutes later, hands over.
    replaced_by_a_copy(db_path)
    qtbot.waitUntil(lambda: light.handed_over, timeout=5000)
    assert harness.opened == [None]


def test_opening_the_menu_never_waits_for_the_worker(light: LightTray, clock: FixedClock) -> None:
    # The worker holds the shared connection for a whole transaction, which may wait for another process's write
    # lock (the busy timeout): the menu shows what the last check read instead of waiting for it.
    light.pause(timedelta(hours=4))
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with light.store.transaction():
            held.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        light.menu.aboutToShow.emit()
        assert not release.is_set() and holder.is_alive()  # built while the worker still held the connection
    finally:
        release.set()
        holder.join()
    assert action(light.menu, "Reminders paused until Tue 13:30").menu() is not None


def test_a_notice_no_notifier_could_show_is_confirmed_and_handed_to_the_window(
    qtbot: QtBot, service: SubscriptionService, db_path: Path, clock: FixedClock, database: Database
) -> None:
    due = service.add(make_subscription(name="Due now", anchor=date(2026, 3, 11), reminder_days=(3,)))
    writer = open_quick_writer(db_path, shared=True)
    assert writer is not None
    opened: list[Callable[[Any], object] | None] = []
    tray = LightTray(db_path, writer, clock, FakeNotifier(reaches_user=False), opened.append, lambda: None)
    try:
        # The window is built for it: the plain connection closes, after the claim is confirmed on it.
        with qtbot.waitSignal(tray.scheduler.delivered, timeout=10_000):
            tray.start(watch_sleep=False)
        qtbot.waitUntil(lambda: tray.handed_over)
        assert len(opened) == 1 and opened[0] is not None
        assert confirmed_reminders(database) == {due.id: True}
    finally:
        tray.close()


SNOOZES = st.lists(
    st.tuples(
        st.sampled_from([EventKind.CHARGE, EventKind.TRIAL_END, EventKind.FOLLOW_UP]),
        st.sampled_from([date(2026, 3, 11), date(2026, 4, 1)]),  # few keys: snoozed again after being shown
        st.sampled_from([0, 3]),
        st.datetimes(datetime(2026, 1, 1), datetime(2028, 1, 1), timezones=st.sampled_from([BERLIN, UTC])),
        st.booleans(),  # shown again (claimed) before the next snooze
    ),
    max_size=6,
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(snoozes=SNOOZES)
def test_a_snooze_written_on_plain_sqlite3_is_the_one_the_window_writes(
    snoozes: list[tuple[EventKind, date, int, datetime, bool]], service: SubscriptionService, db_path: Path
) -> None:
    sid = service.all()[0].id if service.all() else service.add(make_subscription(name="Snoozed")).id
    assert sid is not None
    writer = open_quick_writer(db_path)
    assert writer is not None
    stores = {"window": ServiceReminderStore(service), "tray": PlainReminderStore(writer)}
    rows: dict[str, list[tuple[Any, ...]]] = {}
    try:
        for name, store in stores.items():
            with store.transaction(write=True) as data:
                for kind, day, lead, until, shown in snoozes:
                    key = ReminderKey(sid, kind, day, lead)
                    data.snooze(key, until)
                    if shown:
                        data.claim_snooze(key, until)
            with writer.transaction() as writes:  # read, then leave the table as it was for the other store
                rows[name] = writes.connection.execute("SELECT * FROM reminder_snoozes ORDER BY id").fetchall()
                writes.connection.execute("DELETE FROM reminder_snoozes")
    finally:
        writer.close()
    assert rows["tray"] == rows["window"]


def test_the_tooltip_names_the_next_charge_not_a_deadline_before_it(
    qtbot: QtBot, service: SubscriptionService, db_path: Path, clock: FixedClock
) -> None:
    """As the window's tray: a cancel-by deadline or a trial end before the charge is in the menu, not the tooltip."""
    service.add(make_subscription(name="Gym", anchor=date(2026, 3, 20), notice_days=5, amount="30"))
    service.add(make_subscription(name="Music", anchor=None, trial_end=date(2026, 3, 14), amount="9"))
    service.cancel(2, date(2026, 3, 12))  # the trial ends without a charge
    writer = open_quick_writer(db_path, shared=True)
    assert writer is not None
    tray = LightTray(
        db_path, writer, clock, FakeNotifier(), lambda then: None, lambda: None, formatter=Formatter("en_US")
    )
    try:
        with qtbot.waitSignal(tray.refreshed, timeout=10_000):
            tray.start(watch_sleep=False)
        assert "Mar 15, 2026: Gym — cancel-by deadline" in texts(tray.menu)
        assert tray.icon.toolTip() == "Renewal Tracker\nNext charge: Mar 20, 2026: Gym, $30.00"
    finally:
        tray.close()
