"""Start-up: the no-display guard, demo mode, and the window every feature is installed into."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.domain.events import EventKind
from renewaltracker.services.contacts import ContactService
from renewaltracker.ui import actions, app
from renewaltracker.ui.composition import Collaborators, Features, build_main_window
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.draft_dialog import DraftDialog
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.notifier import NoticeAction
from tests.factories import make_subscription
from tests.ui.fakes import FakeNotifier


def test_build_main_window_has_the_extension_points(features: Features) -> None:
    window = features.window
    assert isinstance(window, MainWindow)
    for key in ("file", "edit", "subscription", "view", "tools", "help"):
        assert window.menu(key) is not None
    assert window.detail_tabs.tabText(0) == "Details"
    assert [window.views.tabText(i) for i in range(window.views.count())] == [
        "Renewals",
        "Calendar",
        "Upcoming",
        "Spending",
        "Household",
    ]
    assert not window.windowIcon().isNull()


def test_demo_mode_fills_an_empty_demo_database(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, collaborators: Collaborators, notifier: FakeNotifier
) -> None:
    shown: list[Features] = []

    # The database opens after the frame's first paint, inside the event loop: run it until the rows are in.
    def run_until_loaded(self: object) -> int:
        qtbot.waitUntil(lambda: bool(shown) and shown[0].window.model.loaded)
        return 0

    monkeypatch.setattr(app.QApplication, "exec", run_until_loaded)

    def build(ctx: AppContext, system: Collaborators, frame: MainWindow | None = None) -> Features:
        assert system.notifier is not notifier.factory  # main asks for the real ones; the test swaps in fakes
        assert frame is not None and frame.isVisible()  # the frame was already on screen
        shown.append(build_main_window(ctx, collaborators, frame))
        qtbot.addWidget(shown[-1].window)
        return shown[-1]

    monkeypatch.setattr(app, "build_main_window", build)
    assert app.main(["--demo"]) == 0
    window = shown[0].window
    assert notifier.closed  # main released the notifier after the event loop
    assert window.context.demo and window.windowTitle() == "Demo data — Renewal Tracker"  # Qt adds no second name
    assert window.demo_banner.isVisible() and "Demo data" in window.demo_banner.text()
    assert window.quit_action.text() == "&Close the demo"
    assert window.model.rowCount() >= 12
    assert window.context.database.path.name == "demo.sqlite3"


def test_deferred_loading_shows_a_loading_page_first(
    qtbot: QtBot, context: AppContext, collaborators: Collaborators
) -> None:
    context.service.add(make_subscription())
    window = build_main_window(context, collaborators).window
    qtbot.addWidget(window)
    view = window.subscriptions
    assert view.stack.currentWidget() is view.loading
    window.show()
    qtbot.waitUntil(lambda: view.stack.currentWidget() is view.table)
    assert window.model.rowCount() == 1


def test_open_demo_starts_a_separate_process(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(actions.subprocess, "Popen", lambda args: started.append(args))
    window.commands.demo.trigger()
    assert started == [[actions.sys.executable, "-m", "renewaltracker", "--demo"]]
    assert window.commands.demo in window.menu("help").actions()


def test_reminders_open_cancellation_drafts_and_remind_of_follow_ups(
    qtbot: QtBot, context: AppContext, features: Features
) -> None:
    window, tray = features.window, features.tray
    saved = context.service.add(make_subscription(support_email="help@example.com"))
    assert saved.id is not None
    assert NoticeAction.DRAFT in tray.scheduler.actions
    assert tray.open_draft is not None
    tray.open_draft(saved.id)
    dialogs = window.findChildren(DraftDialog)
    assert len(dialogs) == 1 and dialogs[0].to.text() == "help@example.com"
    dialogs[0].close()
    contact = Contact(
        subscription_id=saved.id,
        at=datetime(2026, 3, 9, 10, tzinfo=UTC),
        channel=Channel.PHONE,
        summary="Asked for a refund",
        follow_up=date(2026, 3, 10),
    )
    ContactService(context.database, context.clock).add(contact)
    due = tray.reminders.due(context.clock.now())
    assert [r.event.date for r in due if r.event.kind is EventKind.FOLLOW_UP] == [date(2026, 3, 10)]


def test_the_demo_window_does_not_offer_to_open_the_demo(qtbot: QtBot, context: AppContext) -> None:
    context.demo = True
    window = MainWindow(context)
    qtbot.addWidget(window)
    assert not window.commands.demo.isEnabled()


def test_help_menu_adds_the_app_to_the_applications_menu(
    features: Features, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    window = features.window
    (entry,) = [a for a in window.menu("help").actions() if a.objectName() == "action_install_desktop"]
    entry.trigger()
    assert (tmp_path / "applications" / "renewaltracker.desktop").is_file()
    assert (tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "renewaltracker.svg").is_file()
    assert "Added to the applications menu" in window.statusBar().currentMessage()


def test_adding_to_the_applications_menu_names_the_folder_it_could_not_write(
    features: Features, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "share"
    blocker.write_text("a file where the data folder should be")  # refused even to root, unlike a read-only folder
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    told: list[str] = []
    monkeypatch.setattr(actions, "warn", lambda _parent, _title, text: told.append(text))
    features.window.commands.add_to_applications_menu()
    assert len(told) == 1 and str(blocker / "applications") in told[0], told


def test_a_first_start_with_an_unusable_data_folder_says_which_and_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """XDG_DATA_HOME pointing at a file: a message naming the folder and exit status 2, not a traceback."""
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    monkeypatch.delenv("RENEWALTRACKER_DB", raising=False)
    told: list[str] = []
    monkeypatch.setattr(app, "tell_cannot_start", told.append, raising=False)
    assert app.main([]) == 2
    assert len(told) == 1 and str(blocker / "renewaltracker") in told[0]
    assert "Traceback" not in capsys.readouterr().err


def test_the_reason_a_start_stops_is_a_sentence_in_its_box_and_a_clause_on_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from renewaltracker.ui import plain_text

    boxed: list[str] = []
    monkeypatch.setattr(plain_text, "alarm", lambda _parent, _title, text: boxed.append(text))
    app.tell_cannot_start("cannot create the folder /nowhere: Not a directory")
    assert boxed == ["Cannot create the folder /nowhere: Not a directory"]
    assert capsys.readouterr().err == "renewaltracker: error: cannot create the folder /nowhere: Not a directory\n"
