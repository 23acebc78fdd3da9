"""The window after another version migrated its file: a banner says so for the rest of the run, with Restart
(the same command line again, once this run has closed) and Quit, and every action that would write is disabled."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.domain.drafts import DraftKind
from renewaltracker.domain.requests import Outcome, RequestKind
from renewaltracker.domain.review import Decision
from renewaltracker.i18n import _, install_language
from renewaltracker.services.autostart import IN_TRAY_ENV
from renewaltracker.services.secrets import MemorySecretStore
from renewaltracker.storage.errors import SCHEMA_CHANGED_MESSAGE
from renewaltracker.ui import app, requests_view
from renewaltracker.ui.composition import Collaborators, Features, build_main_window
from renewaltracker.ui.contact_log import ContactDialog
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.draft_dialog import DraftDialog
from renewaltracker.ui.export_dialog import ExportDialog
from renewaltracker.ui.formatting import Formatter, first_upper
from renewaltracker.ui.read_only import SchemaChangedBanner
from renewaltracker.ui.requests_view import RequestsTab
from renewaltracker.ui.restart import Restart
from tests.factories import make_subscription
from tests.storage.test_schema_changed import newer_version_migrates
from tests.ui.fakes import FakeNotifier
from tests.ui.menus import action
from tests.ui.waiting import front_tab, open_details

Exec = tuple[str, list[str], dict[str, str]]


def faked_restart(execs: list[Exec]) -> Restart:
    """A restart that records the command it would run, from a run started hidden in the tray at login."""
    return Restart(exec_command=lambda *command: execs.append(command), environ={"HOME": "/h", IN_TRAY_ENV: "1"})


def migrated_window(
    qtbot: QtBot,
    context: AppContext,
    db_path: Path,
    quits: list[int],
    restart: Restart,
    before: Callable[[Features, int], object] = lambda _features, _id: None,
) -> tuple[Features, int]:
    """The whole window over one subscription with a charge due, shown, then (after `before`, which may open dialogs)
    migrated by a newer version."""
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
    before(features, saved.id)
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
    reading += [action(subscription, "Draft e&mail"), action(tools, "Email &templates folder")]
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


# -- every path that writes, held disabled -----------------------------------------------------------------------------
# Qt's names for the containers our widgets sit in (a tab's page, a scroll area's viewport): not parts of Qt's own.
QT_CONTAINERS = ("qt_tabwidget_stackedwidget", "qt_scrollarea_viewport")


def qt_own(item: QObject) -> bool:
    """Qt's own parts of a widget (a table's corner button, a line edit's clear button, a calendar's month
    navigation, a message box's button): they scroll, clear or close, and never write."""
    walked: QObject | None = item
    while walked is not None:
        name = walked.objectName()
        if (name.startswith(("qt_", "_q_")) and name not in QT_CONTAINERS) or isinstance(walked.parent(), QLineEdit):
            return True
        walked = walked.parent()
    return False


def reachable(features: Features, menus: Iterable[QMenu]) -> list[QAction | QAbstractButton]:
    """Every action and button of the window a user can trigger now: the enabled entries of its menus (only through
    enabled submenus), toolbar and tray menu, and of `menus` (context menus built when asked for), and every enabled
    button (shown or not: a hidden one may show later) with the entries of its own menu."""
    window = features.window
    found: list[QAction | QAbstractButton] = []

    def walk(entries: Iterable[QAction]) -> None:
        for entry in entries:
            if entry.isSeparator() or not entry.isEnabled() or entry in found:
                continue
            found.append(entry)
            submenu = entry.menu()
            if isinstance(submenu, QMenu):
                walk(submenu.actions())

    walk(window.menuBar().actions())
    walk(window.toolbar.actions())
    walk(features.tray.menu.actions())
    for menu in menus:
        walk(menu.actions())
    for button in window.findChildren(QAbstractButton):
        if button.isEnabled():
            found.append(button)
            if isinstance(button, QToolButton) and button.menu() is not None:
                walk(button.menu().actions())
    return [item for item in found if not qt_own(item)]


def requests_tab_of(features: Features) -> RequestsTab:
    tabs = features.window.detail_tabs
    (tab,) = [tabs.widget(i) for i in range(tabs.count()) if isinstance(tabs.widget(i), RequestsTab)]
    assert isinstance(tab, RequestsTab)
    return tab


def test_nothing_a_user_can_trigger_in_read_only_mode_writes(qtbot: QtBot, context: AppContext, db_path: Path) -> None:
    """Walks every menu entry, toolbar button, tray entry, context menu and button of the window: each one still
    enabled must be one that only shows, reads, copies, exports or leaves. A new writing path fails here until it is
    held disabled (or named below because it only reads)."""

    def with_every_view(features: Features, subscription_id: int) -> None:
        window = features.window
        for view in (window.calendar, window.upcoming, window.spending):  # built when first shown: build them all
            assert view is not None
        window.subscriptions.empty  # noqa: B018 - the first-run page with its "Add a renewal…" button, built now
        features.household.household.add_member("Alex")
        requests = requests_tab_of(features)
        requests.requests.open(subscription_id, RequestKind.REFUND)
        front_tab(qtbot, window, requests)
        features.letters.contacts.add(Contact(subscription_id, context.clock.now(), Channel.PHONE, summary="Asked"))
        front_tab(qtbot, window, features.letters.contact_tab)
        contacts = features.letters.contact_tab
        contacts.view.setCurrentIndex(contacts.model.index(0, 0))

    features, _id = migrated_window(qtbot, context, db_path, [], faked_restart([]), with_every_view)
    window = features.window
    requests = requests_tab_of(features)
    front_tab(qtbot, window, requests)
    requests.table.selectRow(0)
    window.details.history.selectRow(0)
    features.tray.refresh()  # the tray menu as it is built when it opens
    commands = window.commands
    file, subscription, tools = window.menu("file"), window.menu("subscription"), window.menu("tools")
    drafting = action(subscription, "Draft e&mail")
    view = window.menu("view")
    reading: list[QAction | QAbstractButton] = [*window.menuBar().actions()]  # the menus' titles: they only open
    reading += [window.quit_action, commands.find, commands.demo, commands.about, commands.install_desktop]
    reading += [action(file, "&Export calendar…"), action(tools, "Email &templates folder"), drafting]
    reading += drafting.menu().actions()  # drafts are copied, saved as files, sent: nothing is written here
    reading += [a for a in view.actions() if a is not window.refresh_action]  # the views and the columns shown
    reading += window.subscriptions.columns_menu.actions()
    banner = banner_of(features)
    reading += [banner.restart_button, banner.quit_button]
    tray = features.tray.menu
    reading += [action(tray, "&Open Renewal Tracker"), action(tray, "&Quit")]
    reading += [
        a for a in tray.actions() if a.text() in {label for label, _sid, _charge in features.tray.upcoming_events()}
    ]
    menus = [requests.menu(), window.details.history_actions.menu()]
    left = [item for item in reachable(features, menus) if item not in reading]
    named = [f"{type(item).__name__} {item.text()!r}" for item in left]
    assert not named, "enabled in read-only mode: " + ", ".join(named)


def test_the_requests_insert_key_and_a_double_click_on_a_contact_open_no_dialog(
    qtbot: QtBot, context: AppContext, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def with_a_request_and_a_contact(features: Features, subscription_id: int) -> None:
        requests_tab_of(features).requests.open(subscription_id, RequestKind.REFUND)
        features.letters.contacts.add(Contact(subscription_id, context.clock.now(), Channel.PHONE, summary="Asked"))

    features, _id = migrated_window(qtbot, context, db_path, [], faked_restart([]), with_a_request_and_a_contact)
    window = features.window
    asked: list[str] = []
    monkeypatch.setattr(requests_view, "ask_item", lambda _parent, title, *rest: (asked.append(title), ("", False))[1])
    requests = requests_tab_of(features)
    front_tab(qtbot, window, requests)
    requests.table.setFocus()
    qtbot.keyClick(requests.table, Qt.Key.Key_Insert)
    assert asked == []
    contacts = features.letters.contact_tab
    front_tab(qtbot, window, contacts)
    index = contacts.model.index(0, 0)
    contacts.view.setCurrentIndex(index)
    contacts.view.doubleClicked.emit(index)
    assert contacts.findChild(ContactDialog) is None


def test_a_draft_offers_neither_the_contact_log_nor_the_email_settings(
    qtbot: QtBot, context: AppContext, db_path: Path
) -> None:
    drafts: list[DraftDialog] = []

    def with_a_draft_open(features: Features, subscription_id: int) -> None:
        drafts.append(features.letters.open_draft(DraftKind.CANCEL, subscription_id))  # type: ignore[arg-type]

    features, subscription_id = migrated_window(qtbot, context, db_path, [], faked_restart([]), with_a_draft_open)
    after = features.letters.open_draft(DraftKind.REFUND, subscription_id)
    assert after is not None
    for dialog in (*drafts, after):
        qtbot.addWidget(dialog)
        dialog.copy_to_clipboard()  # copying still works, and then offers to record it
        assert dialog.record_bar.isVisible() and dialog.copy_button.isEnabled()
        assert not dialog.record_button.isEnabled() and not dialog.settings_button.isEnabled()


def test_the_review_opened_from_its_reminder_leaves_out_what_writes(
    qtbot: QtBot, context: AppContext, db_path: Path
) -> None:
    features, _id = migrated_window(
        qtbot, context, db_path, [], faked_restart([]), lambda features, _id: features.household.open_review()
    )
    dialog = features.household.open_review()  # as the review's reminder opens it
    qtbot.addWidget(dialog)
    writing = {_("&Used it today"), _("Used &on…"), Decision.DOWNGRADE.label, _("&Finish review")}
    buttons = {button.text(): button for button in dialog.findChildren(QPushButton)}
    assert writing <= set(buttons)
    assert [text for text in writing if buttons[text].isEnabled()] == []
    assert buttons[Decision.CANCEL.label].isEnabled()  # opens the cancellation letter: drafting only reads


def test_exporting_the_calendar_still_works(
    qtbot: QtBot, context: AppContext, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    features, _id = migrated_window(qtbot, context, db_path, [], faked_restart([]))
    target = tmp_path / "mine.ics"
    shown: list[bool] = []

    def exec_exporting(dialog: ExportDialog) -> int:
        shown.append(dialog.auto_enabled.isEnabled() or dialog.auto_path.isEnabled())
        dialog.path.setText(str(target))
        dialog.amounts.setChecked(False)  # a choice the auto-export would remember
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ExportDialog, "exec", exec_exporting)
    features.calendar.export()
    assert b"Gym" in target.read_bytes()
    assert features.window.statusBar().currentMessage().startswith("Wrote ")
    assert shown == [False], "the file kept up to date is a setting: it cannot be chosen now"


def test_the_tray_menu_built_again_leaves_nothing_behind_to_hold(features: Features, qtbot: QtBot) -> None:
    """Each build of the tray menu names its pause and settings entries; the last build's are deleted with it,
    so what the window holds does not grow with every change."""
    tray = features.tray
    for _build in range(5):
        tray.refresh()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    pausing, settings = action(tray.menu, "&Pause reminders"), action(tray.menu, "&Settings…")
    texts = (pausing.text(), settings.text())
    held = [item for item in features.window.writes.held if isinstance(item, QAction) and item.text() in texts]
    assert held == [pausing, settings]


def test_an_editor_open_when_the_file_changes_can_no_longer_save(
    qtbot: QtBot, context: AppContext, db_path: Path
) -> None:
    """The box says why over the open editor; its Save (and the status buttons, which save too) stay disabled
    whatever is typed next, so nothing is lost at a Save that cannot succeed."""
    features, _id = migrated_window(
        qtbot, context, db_path, [], faked_restart([]), lambda features, _id: features.window.commands.edit_selected()
    )
    dialog = features.window.commands.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.name_edit.setText("Gym and pool")  # an edit re-checks the form, which enables Save as usual
    writing = [dialog.save_button, dialog.cancel_sub_button, dialog.pause_button, dialog.resume_button]
    assert [button.text() for button in writing if button.isEnabled()] == []


def test_dialogs_open_when_the_window_goes_read_only_can_no_longer_save(
    features: Features, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Contact, household, settings, email and CalDAV settings, charge and price step, and the money-back prompts
    (a request's kind, outcome and amount recovered; a refund's amount), a charge's reference or different amount, a
    new household member and the home currency: each one open when the window goes read
    only keeps its Save (or OK) disabled, whatever enables it next, as the editor does."""
    from PySide6.QtWidgets import QApplication, QDialog

    from renewaltracker.ui import price_steps
    from renewaltracker.ui.caldav_dialog import CalDAVDialog
    from renewaltracker.ui.charge_history import ChargeDialog
    from renewaltracker.ui.price_steps import PriceStepDialog
    from renewaltracker.ui.settings_dialog import SettingsDialog
    from renewaltracker.ui.widgets import saving_buttons

    window = features.window
    context = window.context
    saved = context.service.add(make_subscription(name="Gym", anchor=date(2026, 1, 5)))
    assert saved.id is not None
    context.service.record_charge(saved.id, date(2026, 3, 5))
    unrecorded = context.service.add(make_subscription(name="Pool", anchor=date(2026, 1, 5)))
    assert unrecorded.id is not None
    window.show()
    open_details(qtbot, window, saved.id)
    opened: dict[str, list[QAbstractButton]] = {}

    def keep(name: str, dialog: QDialog, buttons: list[QAbstractButton] | None = None) -> None:
        qtbot.addWidget(dialog)
        opened[name] = buttons if buttons is not None else list(saving_buttons(dialog))
        assert opened[name], f"{name} has a button that saves"

    contacts = features.letters.contact_tab
    contacts.set_subscription(saved.id)
    keep("contact (tab)", contacts.add_contact())  # type: ignore[arg-type]
    keep("contact (menu)", features.letters.log_contact())  # type: ignore[arg-type]
    keep("household", features.household.assign_selected())  # type: ignore[arg-type]
    keep("email settings", features.letters.open_mail_settings())
    draft = features.letters.open_draft(DraftKind.CANCEL, saved.id)
    assert draft is not None
    keep("email settings (draft)", draft.open_mail_settings())
    features.tray.open_settings()
    keep("settings", window.findChildren(SettingsDialog)[-1])

    def modal(name: str, buttons: Callable[[QDialog], list[QAbstractButton]]) -> Callable[[QDialog], int]:
        def exec_(dialog: QDialog) -> int:
            keep(name, dialog, buttons(dialog))
            window.writes.engage()  # the file changed while this one was open
            return QDialog.DialogCode.Rejected.value

        return exec_

    monkeypatch.setattr(ChargeDialog, "exec", modal("charge", saving_buttons))
    monkeypatch.setattr(PriceStepDialog, "exec", modal("price step", saving_buttons))
    monkeypatch.setattr(CalDAVDialog, "exec", modal("CalDAV", lambda d: [d.test_button, d.sync_button]))  # type: ignore[attr-defined]
    monkeypatch.setattr(price_steps, "ask_price_step", price_steps.ask_price_step)
    # A prompt is gone once answered: whether its OK still enables is seen while it is up, the file changing then.
    prompted: dict[str, bool] = {}

    def prompting(*answers: tuple[str, str | None]) -> None:
        """Answer the next prompts in turn (None: back out), each kept as the window goes read only under it."""
        pending, seen = list(answers), []

        def look() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, QInputDialog) or any(dialog is up for up in seen) or not pending:
                return
            seen.append(dialog)
            name, answer = pending.pop(0)
            window.writes.engage()
            buttons = saving_buttons(dialog)
            for button in buttons:
                button.setEnabled(True)
            prompted[name] = not buttons or any(button.isEnabled() for button in buttons)
            if answer is None:
                dialog.reject()
            else:
                dialog.setTextValue(answer)
                dialog.accept()

        timer = QTimer(window)
        timer.timeout.connect(look)
        timer.start(5)

    requests = requests_tab_of(features)
    requests.requests.open(saved.id, RequestKind.REFUND)
    requests.set_subscription(saved.id)
    front_tab(qtbot, window, requests)
    requests.table.selectRow(0)
    prompting(("request kind", None), ("request outcome", first_upper(Outcome.WON.label)), ("amount recovered", None))
    requests._ask_open()
    requests._ask_resolve()
    window.details.history.selectRow(0)
    prompting(("refunded amount", None))
    window.details.history_actions.refund()
    prompting(("charge reference", None), ("different amount", None), ("member", None), ("home currency", None))
    open_details(qtbot, window, unrecorded.id)
    assert window.details.due, "a charge to record"
    window.details.record_asking()
    window.details._record_different()
    features.household.view.add_member()
    features.household.set_home_currency()
    window.details.history_actions.edit()
    window.details.price_steps.add_step()
    features.calendar.settings()
    window.writes.engage()
    for buttons in opened.values():
        for button in buttons:
            button.setEnabled(True)  # as a form's own check does after an edit
    enabled = [name for name, buttons in opened.items() if any(button.isEnabled() for button in buttons)]
    enabled += [name for name, up in prompted.items() if up]
    assert sorted(prompted) == [
        "amount recovered",
        "charge reference",
        "different amount",
        "home currency",
        "member",
        "refunded amount",
        "request kind",
        "request outcome",
    ]
    assert enabled == [], "can still save: " + ", ".join(enabled)


def test_what_is_deleted_while_the_window_goes_read_only_is_let_go(qtbot: QtBot) -> None:
    """An item deleted while `engage` disables the others (a collected action, a menu rebuilt) is skipped, not
    touched after its deletion: going read only must not fail halfway, leaving the rest enabled."""
    import shiboken6
    from PySide6.QtWidgets import QWidget

    from renewaltracker.ui.read_only import HeldDisabled

    owner = QWidget()
    qtbot.addWidget(owner)
    held = HeldDisabled(owner)
    first, doomed, last = QAction("first", owner), QAction("doomed", owner), QAction("last", owner)
    first.changed.connect(lambda: shiboken6.isValid(doomed) and shiboken6.delete(doomed))
    held.hold([first, doomed, last])
    held.engage()
    assert not first.isEnabled() and not last.isEnabled()
    assert held.held == [first, last]


def test_an_entry_deleted_before_its_destroyed_signal_arrives_is_skipped_not_raised(qtbot: QtBot) -> None:
    import shiboken6

    from renewaltracker.ui.read_only import HeldDisabled

    owner = QWidget()
    qtbot.addWidget(owner)
    held = HeldDisabled(owner)
    kept = QAction("kept", owner)
    held.hold([kept])
    gone = QAction("gone", owner)
    held.held.append(gone)  # as if its `destroyed` had not reached the list yet
    shiboken6.delete(gone)
    held.engage()
    assert held.held == [kept] and not kept.isEnabled()


def test_every_prompt_that_writes_goes_through_a_held_prompt() -> None:
    """A static `QInputDialog.get…` is out of the hold's reach: prompts go through `ask_text` / `ask_item`, save the
    mail password's, which writes nothing to the file (it goes to the keyring, or only into one send); widgets.py holds
    the held prompts themselves."""
    import renewaltracker.ui

    ui = Path(renewaltracker.ui.__file__).parent
    static = [
        f"{path.name}:{number}"
        for path in sorted(ui.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "QInputDialog.get" in line and path.name not in ("draft_dialog.py", "widgets.py")
    ]
    assert static == []
