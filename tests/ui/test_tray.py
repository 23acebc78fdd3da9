"""The tray: its menu, a notification's click and buttons, the no-tray fallback and close-to-tray (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.events import Event, EventKind
from renewaltracker.domain.subscription import Status
from renewaltracker.storage.database import Database
from renewaltracker.ui import tray as tray_module
from renewaltracker.ui.composition import Features
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.notifier import NoticeAction
from renewaltracker.ui.tray import NO_TRAY_MESSAGE, ReminderTray, install
from tests.factories import make_subscription
from tests.ui.fakes import FakeNotifier
from tests.ui.menus import action, texts

BERLIN = ZoneInfo("Europe/Berlin")


class Setup:
    def __init__(self, context: AppContext, window: MainWindow, tray: ReminderTray, notifier: FakeNotifier) -> None:
        self.context, self.window, self.tray, self.notifier = context, window, tray, notifier
        self.quits = 0
        self.drafts: list[int] = []


@pytest.fixture
def context(database: Database, clock: FixedClock) -> Iterator[AppContext]:
    built = AppContext.create(database, clock)
    yield built
    built.signals.detach()


def make_setup(qtbot: QtBot, context: AppContext, *, tray_available: bool = True, reaches_user: bool = True) -> Setup:
    window = MainWindow(context)
    qtbot.addWidget(window)
    notifier = FakeNotifier(reaches_user)
    holder: list[Setup] = []

    def quit_app() -> None:
        holder[0].quits += 1

    def open_draft(subscription_id: int) -> None:
        holder[0].drafts.append(subscription_id)

    tray = install(window, notifier=notifier, tray_available=tray_available, quit_app=quit_app, open_draft=open_draft)
    holder.append(Setup(context, window, tray, notifier))
    return holder[0]


def started(qtbot: QtBot, context: AppContext, **options: bool) -> Setup:
    """A setup whose tray has started and finished its first reminder check."""
    setup = make_setup(qtbot, context, **options)
    setup.tray.start()
    qtbot.waitUntil(lambda: not setup.tray.scheduler.busy, timeout=5000)
    return setup


def test_tray_menu_lists_upcoming_charges_and_opens_one(qtbot: QtBot, context: AppContext) -> None:
    netflix = context.service.add(make_subscription(name="Netflix", anchor=date(2026, 3, 17), currency="EUR"))
    context.service.add(make_subscription(name="Gym", anchor=date(2026, 3, 12), amount="30"))
    setup = make_setup(qtbot, context)
    menu = setup.tray.menu
    # The menu is built from the table's rows once the window has read them (after its first paint).
    setup.window.load()
    qtbot.waitUntil(lambda: "Loading your renewals…" not in texts(menu))
    assert texts(menu) == [
        "Coming up",
        "Mar 12, 2026: Gym, $30.00",
        "Mar 17, 2026: Netflix, €39.99",
        "&Open Renewal Tracker",
        "&Pause reminders",
        "&Settings…",
        "&Quit",
    ]
    assert setup.tray.icon.toolTip() == "Renewal Tracker\nNext charge: Mar 12, 2026: Gym, $30.00"
    with qtbot.waitSignal(setup.window.selection_changed) as opened:
        action(menu, "Mar 17, 2026: Netflix, €39.99").trigger()
    assert opened.args == [netflix.id]
    action(menu, "&Quit").trigger()
    assert setup.quits == 1


def test_tray_menu_lists_trial_ends_and_cancel_by_deadlines_too(qtbot: QtBot, context: AppContext) -> None:
    context.service.add(make_subscription(name="News", anchor=date(2026, 3, 14), trial_end=date(2026, 3, 14)))
    context.service.add(make_subscription(name="Paper", anchor=date(2026, 3, 20), notice_days=5))
    setup = make_setup(qtbot, context)
    setup.window.load()
    qtbot.waitUntil(lambda: "Loading your renewals…" not in texts(setup.tray.menu))
    shown = texts(setup.tray.menu)
    assert "Mar 14, 2026: News — trial ends" in shown
    assert "Mar 15, 2026: Paper — cancel-by deadline" in shown
    assert "Mar 20, 2026: Paper, $39.99" in shown


def test_tray_menu_follows_data_changes(qtbot: QtBot, context: AppContext) -> None:
    setup = make_setup(qtbot, context)
    assert "Loading your renewals…" in texts(setup.tray.menu)  # until the window has read the subscriptions
    setup.window.load()
    qtbot.waitUntil(lambda: "Nothing in the coming days" in texts(setup.tray.menu))
    assert setup.tray.icon.toolTip() == "Renewal Tracker: no charges coming up"
    with qtbot.waitSignal(setup.tray.refresh_later.timeout):
        for day in (20, 21, 22):
            context.service.add(make_subscription(name="Cloud", anchor=date(2026, 3, day)))
    assert "Mar 20, 2026: Cloud, $39.99" in texts(setup.tray.menu)
    assert setup.tray.icon.toolTip() == "Renewal Tracker\nNext charge: Mar 20, 2026: Cloud, $39.99"


def test_pause_menu_pauses_and_resumes(qtbot: QtBot, context: AppContext, clock: FixedClock) -> None:
    setup = make_setup(qtbot, context)
    pause_menu = action(setup.tray.menu, "&Pause reminders").menu()
    assert texts(pause_menu) == ["For 1 hour", "For 4 hours", "Until tomorrow", "&Resume reminders"]
    assert not action(pause_menu, "&Resume reminders").isEnabled()
    action(pause_menu, "For 1 hour").trigger()
    assert setup.tray.reminders.paused_until() == clock.now() + timedelta(hours=1)
    setup.tray.menu.aboutToShow.emit()  # the user opens the menu again
    paused_menu = action(setup.tray.menu, "Reminders paused until Tue 10:30").menu()
    action(paused_menu, "Until tomorrow").trigger()
    assert setup.tray.reminders.paused_until() == datetime(2026, 3, 11, 9, 0, tzinfo=BERLIN)
    setup.tray.menu.aboutToShow.emit()
    action(action(setup.tray.menu, "Reminders paused until Wed 09:00").menu(), "&Resume reminders").trigger()
    assert setup.tray.reminders.paused_until() is None


def test_a_due_reminder_is_shown_once_and_its_click_opens_the_subscription(
    qtbot: QtBot, context: AppContext, clock: FixedClock
) -> None:
    netflix = context.service.add(
        make_subscription(name="Netflix", anchor=date(2026, 3, 17), notice_days=2, reminder_days=(7,))
    )
    clock.set(datetime(2026, 3, 8, 9, 30, tzinfo=BERLIN))
    setup = started(qtbot, context)
    ((deadline, _),) = setup.notifier.shown
    assert deadline.title == "Cancel Netflix by 15 March 2026 to avoid the next charge"
    clock.set(datetime(2026, 3, 10, 9, 30, tzinfo=BERLIN))
    setup.tray.scheduler.check_now()
    qtbot.waitUntil(lambda: not setup.tray.scheduler.busy, timeout=5000)
    (notice, actions) = setup.notifier.shown[-1]
    assert notice.title == "Netflix charges $39.99 on 17 March 2026"
    assert "Cancel by 15 March 2026 to avoid this charge." in notice.body
    assert actions == [NoticeAction.SNOOZE, NoticeAction.CANCEL, NoticeAction.DRAFT]
    setup.tray.scheduler.check_now()
    qtbot.waitUntil(lambda: not setup.tray.scheduler.busy, timeout=5000)
    assert len(setup.notifier.shown) == 2, "shown twice"
    with qtbot.waitSignal(setup.window.selection_changed) as opened:
        setup.notifier.activated.emit(notice, NoticeAction.OPEN.value)
    assert opened.args == [netflix.id]
    setup.notifier.activated.emit(notice, NoticeAction.DRAFT.value)
    assert setup.drafts == [netflix.id]


def test_snooze_and_mark_cancelled_from_a_notification(qtbot: QtBot, context: AppContext, clock: FixedClock) -> None:
    netflix = context.service.add(make_subscription(name="Netflix", anchor=date(2026, 3, 17)))
    setup = started(qtbot, context)
    ((notice, _),) = setup.notifier.shown
    setup.notifier.activated.emit(notice, NoticeAction.SNOOZE.value)
    qtbot.waitUntil(lambda: not setup.tray.scheduler.busy, timeout=5000)
    tomorrow = datetime(2026, 3, 11, 9, 0, tzinfo=BERLIN)
    assert setup.tray.scheduler.next_due == tomorrow
    clock.set(tomorrow)
    setup.tray.scheduler.check_now()
    qtbot.waitUntil(lambda: not setup.tray.scheduler.busy, timeout=5000)
    assert [n.title for n, _ in setup.notifier.shown] == [notice.title, notice.title]
    setup.notifier.activated.emit(notice, NoticeAction.CANCEL.value)
    assert netflix.id is not None
    assert context.service.get(netflix.id).status is Status.CANCELLED


def test_snoozing_a_summary_brings_back_every_reminder_it_carried(
    qtbot: QtBot, context: AppContext, clock: FixedClock
) -> None:
    """A summary of two plans, one of them a trial ending on its first charge day (one line, two reminders):
    snoozed, all three come back tomorrow, the trial end and its charge again as one line."""
    context.service.add(make_subscription(name="Music", anchor=date(2026, 3, 17), trial_end=date(2026, 3, 17)))
    context.service.add(make_subscription(name="Gym", anchor=date(2026, 3, 16), amount="30"))
    setup = started(qtbot, context)
    ((notice, _),) = setup.notifier.shown
    assert notice.is_summary and sum(len(r.keys) for r in notice.reminders) == 3
    setup.notifier.activated.emit(notice, NoticeAction.SNOOZE.value)
    qtbot.waitUntil(lambda: not setup.tray.scheduler.busy, timeout=5000)
    clock.set(datetime(2026, 3, 11, 9, 0, tzinfo=BERLIN))
    setup.tray.scheduler.check_now()
    qtbot.waitUntil(lambda: not setup.tray.scheduler.busy, timeout=5000)
    (_first, (again, _)) = setup.notifier.shown
    assert sorted(r.keys for r in again.reminders) == sorted(r.keys for r in notice.reminders)


def test_a_summary_about_several_plans_offers_no_button_that_needs_one(
    qtbot: QtBot, context: AppContext, clock: FixedClock
) -> None:
    """ "Mark cancelled" or "Draft cancellation email" on "2 renewal reminders" could not say which plan: pressed,
    they did nothing (and at login opened the window for nothing). A summary about one plan keeps them."""
    # Its cancel-by (15 March, due on the 8th) and its charge (due on the 10th) caught up together.
    context.service.add(make_subscription(name="Gym", anchor=date(2026, 3, 17), notice_days=2))
    setup = started(qtbot, context)
    ((one_plan, offered),) = setup.notifier.shown
    assert one_plan.is_summary and one_plan.subscription_id == 1
    assert offered == [NoticeAction.SNOOZE, NoticeAction.CANCEL, NoticeAction.DRAFT]
    clock.set(datetime(2026, 3, 11, 9, 30, tzinfo=BERLIN))
    context.service.add(make_subscription(name="Music", anchor=date(2026, 3, 18)))
    context.service.add(make_subscription(name="Radio", anchor=date(2026, 3, 18)))
    qtbot.waitUntil(lambda: len(setup.notifier.shown) == 2, timeout=5000)
    (_first, (several, offered)) = setup.notifier.shown
    assert several.is_summary and several.subscription_id is None
    assert offered == [NoticeAction.SNOOZE]


@pytest.mark.expect_log_warnings
def test_without_a_tray_the_window_shows_the_reminders_and_says_why_once(
    qtbot: QtBot, context: AppContext, qtmodeltester: object
) -> None:
    context.service.add(make_subscription(name="Alpha", anchor=date(2026, 3, 12)))
    context.service.add(make_subscription(name="Beta", anchor=date(2026, 3, 13)))
    setup = started(qtbot, context, tray_available=False, reaches_user=False)
    dialog = setup.tray.dialog
    assert dialog is not None and dialog.isVisible() and setup.window.isVisible()
    assert dialog.explanation.text() == NO_TRAY_MESSAGE
    model = dialog.model
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 2
    assert "Alpha charges $39.99 on 12 March 2026" in model.data(model.index(0, 0))
    with qtbot.waitSignal(setup.window.selection_changed) as opened:
        dialog.view.doubleClicked.emit(model.index(1, 0))
    assert opened.args == [model.reminder(1).subscription_id]
    # Without a tray, closing the window is a real close: the app quits instead of hiding somewhere unseen.
    setup.window.close()
    qtbot.waitUntil(lambda: setup.quits == 1)


def test_a_catch_up_summary_click_lists_every_reminder(qtbot: QtBot, context: AppContext) -> None:
    for name, day in (("Alpha", 12), ("Beta", 13), ("Gamma", 14)):
        context.service.add(make_subscription(name=name, anchor=date(2026, 3, day)))
    setup = started(qtbot, context)
    ((notice, _),) = setup.notifier.shown
    assert notice.is_summary and notice.title == "3 renewal reminders"
    setup.notifier.activated.emit(notice, NoticeAction.OPEN.value)
    assert setup.tray.dialog is not None and setup.tray.dialog.model.rowCount() == 3
    assert setup.tray.dialog.explanation.isHidden()


def test_closing_the_window_keeps_the_app_in_the_tray_unless_turned_off(qtbot: QtBot, context: AppContext) -> None:
    setup = make_setup(qtbot, context)
    setup.window.show()
    qtbot.waitExposed(setup.window)
    setup.window.close()
    assert not setup.window.isVisible() and setup.quits == 0
    setup.window.show()
    setup.window.close()  # told once that it still runs; the second time just hides
    assert not setup.window.isVisible() and setup.quits == 0
    setup.window.show()
    context.service.set_setting("close_to_tray", "false")
    setup.window.close()
    qtbot.waitUntil(lambda: setup.quits == 1)


def test_file_quit_quits_even_with_close_to_tray(qtbot: QtBot, context: AppContext) -> None:
    setup = make_setup(qtbot, context)
    setup.window.show()
    action(setup.window.menu("file"), "&Quit").trigger()
    assert setup.quits == 1


def test_the_app_window_installs_the_tray(features: Features, notifier: FakeNotifier) -> None:
    window, tray = features.window, features.tray
    assert tray.notifier is notifier  # the one passed in, not one found on this machine
    assert not tray.usable()  # the collaborators say there is no tray, so the window must stay the way in
    assert "&Reminders and tray…" in [a.text() for a in window.menu("tools").actions()]
    assert tray.icon.contextMenu() is tray.menu
    assert tray.menu.actions()[0].text() == "Coming up"


class ContactSignals(QObject):
    changed = Signal()


def test_a_later_feature_adds_follow_ups_and_drafts(qtbot: QtBot, context: AppContext, clock: FixedClock) -> None:
    gym = context.service.add(make_subscription(name="Gym", anchor=date(2026, 6, 1)))
    assert gym.id is not None
    window = MainWindow(context)
    qtbot.addWidget(window)
    notifier = FakeNotifier()
    tray = install(window, notifier=notifier, tray_available=True, quit_app=lambda: None)
    tray.start()
    qtbot.waitUntil(lambda: not tray.scheduler.busy, timeout=5000)
    assert notifier.shown == [] and NoticeAction.DRAFT not in tray.scheduler.actions
    follow_ups: list[Event] = []
    signals = ContactSignals()
    tray.add_event_source(lambda first, last: [e for e in follow_ups if first <= e.date <= last], signals.changed)
    drafted: list[int] = []
    tray.set_open_draft(lambda sid: None)
    tray.open_follow_up = drafted.append
    # The user logs a contact with a follow-up today: the contact log's signal brings the reminder.
    today = clock.today()
    follow_ups.append(Event(today, EventKind.FOLLOW_UP, gym.id, "Gym", gym.amount, gym.currency, today))
    with qtbot.waitSignal(tray.scheduler.delivered, timeout=3000):
        signals.changed.emit()
    ((notice, actions),) = notifier.shown
    assert notice.title == "Follow up with Gym on 10 March 2026"
    # A follow-up offers the follow-up letter, not a cancellation.
    assert NoticeAction.FOLLOW_UP in actions and NoticeAction.DRAFT not in actions
    notifier.activated.emit(notice, NoticeAction.FOLLOW_UP.value)
    assert drafted == [gym.id]


@pytest.mark.parametrize(
    ("language", "none", "next_charge"),
    [
        ("de", "Renewal Tracker: keine anstehenden Abbuchungen", "Renewal Tracker\nNächste Abbuchung: Gym, 30 €"),
        (
            "fr",
            "Renewal Tracker\u00a0: aucun prélèvement à venir",
            "Renewal Tracker\nProchain prélèvement\u00a0: Gym, 30 €",
        ),
    ],
)
def test_the_icons_tooltip_speaks_the_interface_language(language: str, none: str, next_charge: str) -> None:
    from renewaltracker.i18n import install_language
    from renewaltracker.ui.tray import tooltip

    install_language(language)  # the autouse fixture puts English back
    assert tooltip([]) == none
    assert tooltip([("Gym, 30 €", 7)]) == next_charge


def test_mark_cancelled_on_a_notice_of_a_plan_deleted_meanwhile_never_cancels_another(
    qtbot: QtBot, context: AppContext, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = context.service.add(make_subscription(name="Old magazine", anchor=date(2026, 3, 17)))
    setup = started(qtbot, context)
    ((notice, _),) = setup.notifier.shown
    warned: list[str] = []
    monkeypatch.setattr(tray_module, "warn", lambda _parent, _title, text: warned.append(text))
    # With the notification still on screen the user deletes the plan and adds another, which SQLite may give
    # the deleted one's id.
    clock.set(clock.now() + timedelta(minutes=10))
    assert old.id is not None
    context.service.delete(old.id)
    new = context.service.add(make_subscription(name="New gym", anchor=date(2026, 4, 2)))
    assert new.id is not None
    setup.notifier.activated.emit(notice, NoticeAction.CANCEL.value)
    assert context.service.get(new.id).status is Status.ACTIVE
    assert warned and "Old magazine" in warned[0]
    setup.notifier.activated.emit(notice, NoticeAction.DRAFT.value)
    setup.notifier.activated.emit(notice, NoticeAction.OPEN.value)
    assert setup.drafts == []
    assert setup.window.selected_subscription_id() != new.id


def test_mark_cancelled_still_acts_on_a_plan_whose_delete_was_undone(
    qtbot: QtBot, context: AppContext, clock: FixedClock
) -> None:
    netflix = context.service.add(make_subscription(name="Netflix", anchor=date(2026, 3, 17)))
    setup = started(qtbot, context)
    ((notice, _),) = setup.notifier.shown
    clock.set(clock.now() + timedelta(minutes=10))
    assert netflix.id is not None
    gone = context.service.delete_undoable(netflix.id)
    context.service.restore(gone)  # Edit ▸ Undo
    setup.notifier.activated.emit(notice, NoticeAction.CANCEL.value)
    assert context.service.get(netflix.id).status is Status.CANCELLED


@pytest.mark.parametrize(
    ("language", "title"),
    [("de", "Erinnerungen pausiert bis Di. 10:30"), ("fr", "Rappels en pause jusqu’à mar. 10:30")],
)
def test_the_pause_menus_title_names_the_end_in_the_interface_language(qtbot: QtBot, language: str, title: str) -> None:
    from PySide6.QtWidgets import QMenu

    from renewaltracker.i18n import install_language
    from renewaltracker.ui.tray import pause_menu

    install_language(language)  # the autouse fixture puts English back
    parent = QMenu()
    now = datetime(2026, 3, 10, 9, 30, tzinfo=BERLIN)
    menu = pause_menu(parent, now + timedelta(hours=1), now, BERLIN, lambda _length: None, lambda: None)
    assert menu.title() == title
