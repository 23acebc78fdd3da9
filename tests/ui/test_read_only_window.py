"""The window after another version migrated its file: a banner says so for the rest of the run, with Restart
(the same command line again, once this run has closed) and Quit, and every action that would write is disabled."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from renewaltracker.i18n import _, install_language
from renewaltracker.services.autostart import IN_TRAY_ENV
from renewaltracker.services.secrets import MemorySecretStore
from renewaltracker.storage.errors import SCHEMA_CHANGED_MESSAGE
from renewaltracker.ui import app
from renewaltracker.ui.composition import Collaborators, Features, build_main_window
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.read_only import SchemaChangedBanner
from renewaltracker.ui.restart import Restart
from tests.factories import make_subscription
from tests.storage.test_schema_changed import newer_version_migrates
from tests.ui.fakes import FakeNotifier
from tests.ui.menus import action
from tests.ui.waiting import open_details

Exec = tuple[str, list[str], dict[str, str]]


def faked_restart(execs: list[Exec]) -> Restart:
    """A restart that records the command it would run, from a run started hidden in the tray at login."""
    return Restart(exec_command=lambda *command: execs.append(command), environ={"HOME": "/h", IN_TRAY_ENV: "1"})


def migrated_window(
    qtbot: QtBot, context: AppContext, db_path: Path, quits: list[int], restart: Restart
) -> tuple[Features, int]:
    """The whole window over one subscription with a charge due, shown, then migrated by a newer version."""
    collaborators = Collaborators(
        MemorySecretStore(),
        FakeNotifier().factory,
        Formatter(),
        tray_available=False,
        quit_app=lambda: quits.append(1),
        restart=restart,
    )
    features = build_main_window(context, collaborators)
    window = features.window
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.model.loaded)
    saved = context.service.add(make_subscription(name="Gym", anchor=date(2026, 1, 5)))
    assert saved.id is not None
    open_details(qtbot, window, saved.id)
    assert window.commands.edit.isEnabled() and window.details.record_action.isEnabled()  # before: usable
    context.signals.watch(db_path)
    # A new column: this version's reads still work, so the window can go on showing and being read.
    newer_version_migrates(db_path, "ALTER TABLE subscriptions ADD COLUMN colour TEXT")
    qtbot.waitUntil(lambda: window.findChild(SchemaChangedBanner) is not None, timeout=2000)
    box = window.findChild(QMessageBox, "SchemaChangedBox")
    assert isinstance(box, QMessageBox)
    box.close()  # said once; the banner stays
    return features, saved.id


def banner_of(features: Features) -> SchemaChangedBanner:
    banner = features.window.findChild(SchemaChangedBanner)
    assert isinstance(banner, SchemaChangedBanner)
    return banner


def test_the_banner_says_why_in_the_interface_language_and_stays(
    qtbot: QtBot, context: AppContext, db_path: Path
) -> None:
    install_language("de")
    features, _id = migrated_window(qtbot, context, db_path, [], faked_restart([]))
    banner = banner_of(features)
    sentence = _(SCHEMA_CHANGED_MESSAGE).format(path=db_path)
    assert sentence.startswith("die Datenbank")
    assert banner.label.text() == _("<b>Read only</b> — {sentence}.").format(sentence="D" + sentence[1:])
    assert "Schreibgeschützt" in banner.label.text() and "neu starten" in banner.restart_button.text()
    qtbot.wait(700)  # the watcher's poll, and more commits: it stays up
    assert banner.isVisible() and banner.restart_button.isVisible() and banner.quit_button.isVisible()


def test_every_action_that_would_write_is_disabled_and_stays_so(
    qtbot: QtBot, context: AppContext, db_path: Path
) -> None:
    features, subscription_id = migrated_window(qtbot, context, db_path, [], faked_restart([]))
    window = features.window
    commands = window.commands
    file, subscription, tools = window.menu("file"), window.menu("subscription"), window.menu("tools")
    writing = [commands.new, commands.edit, commands.delete, commands.cancel, commands.pause, commands.record]
    writing += [action(file, "&Import calendar…"), action(file, "Import bank &statement…")]
    writing += [action(file, "&Restore from backup…"), action(subscription, "&Log a support contact…")]
    writing += [action(subscription, "&Attach a file…"), action(subscription, "&Household: who pays, who uses…")]
    writing += [a for a in tools.actions() if not a.isSeparator() and a.text() != "Email &templates folder"]
    writing += [window.refresh_action]  # reloading would read the new schema with this version's models
    reading = [window.quit_action, commands.find, commands.demo, action(file, "&Export calendar…")]
    reading += [action(subscription, "&Draft email"), action(tools, "Email &templates folder")]
    reading += [a for a in window.menu("view").actions() if a is not window.refresh_action and not a.isSeparator()]
    window.open_subscription(subscription_id)  # a new selection enables the commands again as usual, not now
    open_details(qtbot, window, subscription_id)
    commands.update_enabled()  # what every selection and change runs
    assert [a.text() for a in writing if a.isEnabled()] == []
    assert [a.text() for a in reading if not a.isEnabled()] == []
    assert all(not a.isEnabled() for a in window.toolbar.actions() if a in writing)
    details = window.details
    assert not details.record_button.isEnabled() and not details.price_steps.add_button.isEnabled()
    contacts = features.letters.contact_tab
    assert not contacts.add_button.isEnabled() and not commands.undo_bar.button.isEnabled()
    details.history.selectRow(0)
    entries = [a for a in details.history_actions.menu().actions() if not a.isSeparator()]
    assert entries and not any(a.isEnabled() for a in entries)
    # A double-click on the row opens no editor that could only fail at Save.
    window.subscriptions.activated.emit(subscription_id)
    assert commands.dialog is None


def test_restart_quits_then_starts_the_same_command_line_again(
    qtbot: QtBot, context: AppContext, db_path: Path
) -> None:
    quits: list[int] = []
    execs: list[Exec] = []
    restart = faked_restart(execs)
    features, _id = migrated_window(qtbot, context, db_path, quits, restart)
    banner_of(features).restart_button.click()
    # The app quits first (`main` restarts once the run has closed): the new start needs the lock and the window.
    assert quits == [1] and restart.asked and execs == []

    class Instance:
        released = 0

        def release(self) -> None:
            self.released += 1

    class Session:
        def __init__(self, restart: Restart | None) -> None:
            self.restart = restart

    instance = Instance()
    app._restart_if_asked(Session(faked_restart(execs)), instance)  # type: ignore[arg-type]
    assert execs == [] and instance.released == 0  # nobody asked
    app._restart_if_asked(Session(restart), instance)  # type: ignore[arg-type]
    # The same interpreter and arguments; the window shows even if this run began hidden in the tray at login.
    assert execs == [(sys.executable, list(sys.orig_argv), {"HOME": "/h"})]
    assert instance.released == 1


def test_quit_in_the_banner_quits(qtbot: QtBot, context: AppContext, db_path: Path) -> None:
    quits: list[int] = []
    execs: list[Exec] = []
    features, _id = migrated_window(qtbot, context, db_path, quits, faked_restart(execs))
    banner_of(features).quit_button.click()
    assert quits == [1] and execs == []


def test_without_a_restart_the_banner_offers_quit_alone(
    qtbot: QtBot, features: Features, context: AppContext, db_path: Path
) -> None:
    window = features.window
    window.show()
    qtbot.waitExposed(window)
    context.signals.watch(db_path)
    newer_version_migrates(db_path, "ALTER TABLE subscriptions ADD COLUMN colour TEXT")
    qtbot.waitUntil(lambda: window.findChild(SchemaChangedBanner) is not None, timeout=2000)
    banner = banner_of(features)
    assert banner.quit_button.isVisibleTo(window) and not banner.restart_button.isVisibleTo(window)
