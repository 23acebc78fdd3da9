"""The composition root of the window: every feature is built here from collaborators passed in, and returned."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from renewaltracker import APP_NAME
from renewaltracker.domain.drafts import DraftKind
from renewaltracker.i18n import _
from renewaltracker.services.requests import RequestService
from renewaltracker.services.secrets import KeyringSecretStore, SecretStore
from renewaltracker.ui import calendar_actions, drafts, household, restore, statement_import, tray
from renewaltracker.ui.calendar_actions import CalendarFeature
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.drafts import DraftsFeature
from renewaltracker.ui.formatting import Formatter, first_upper
from renewaltracker.ui.household import HouseholdFeature
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.notifier import NotifierFactory
from renewaltracker.ui.plain_text import plain_box
from renewaltracker.ui.read_only import enter_read_only
from renewaltracker.ui.requests_view import RequestSignals, RequestsTab
from renewaltracker.ui.restart import Restart
from renewaltracker.ui.restore import RestoreFeature
from renewaltracker.ui.statement_import import StatementImportFeature
from renewaltracker.ui.tray import ReminderTray, system_notifier


@dataclass(frozen=True)
class Collaborators:
    """What the window needs from outside the process (keyring, desktop notifications, the tray, quitting).

    The clock and the services come with the `AppContext`; production uses `system()`, tests pass fakes.
    """

    secrets: SecretStore
    notifier: NotifierFactory
    formatter: Formatter | None = None
    tray_available: bool | None = None  # None: ask the desktop
    quit_app: Callable[[], None] | None = None  # None: QApplication.quit
    restart: Restart | None = None  # what the app does after quitting to start again; None: no restart offered

    @classmethod
    def system(cls, restart: Restart | None = None) -> Collaborators:
        return cls(secrets=KeyringSecretStore(), notifier=system_notifier, restart=restart)


@dataclass(frozen=True)
class Features:
    """What `build_main_window` built, so `main` and tests reach each feature without searching the widget tree."""

    window: MainWindow
    tray: ReminderTray
    letters: DraftsFeature
    calendar: CalendarFeature
    household: HouseholdFeature
    statements: StatementImportFeature
    restore: RestoreFeature

    def start(self, *, watch_sleep: bool = True) -> bool:
        """Start reminders; True when the window should show (not when launched at login into a usable tray)."""
        if watch_sleep:
            self.tray.scheduler.watch_logind()
        self.tray.start()
        return not tray.start_in_tray(self.tray)

    def close(self) -> None:
        """Release what outlives the event loop (the notifier's thread, a reminder check still running); a delete
        still offered for undo can no longer be undone, so its files go."""
        self.window.commands.forget_deleted()
        self.tray.scheduler.stop()
        self.window.model.stop()
        self.tray.notifier.close()


def _schema_changed(window: MainWindow, reminders: ReminderTray, text: str, restart: Restart | None) -> None:
    """Another version migrated the file, or another program replaced it: no more reminder checks (each would
    fail); the user is told once in a box and for the rest of the run by a banner (Restart, Quit), and whatever
    would write is disabled. A write still tried is refused with the same sentence (storage/database.py)."""
    reminders.scheduler.stop()

    def restart_app() -> None:
        assert restart is not None
        restart.ask()
        reminders.quit()

    enter_read_only(window, text, restart_app if restart is not None else None, reminders.quit)
    # Worded as the crash handler's; the storage text is also a clause of the banner's, so it starts lower case.
    box = plain_box(QMessageBox.Icon.Warning, APP_NAME, first_upper(text), window)
    box.setObjectName("SchemaChangedBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def build_main_window(context: AppContext, collaborators: Collaborators, frame: MainWindow | None = None) -> Features:
    """The window with every feature installed, each given the one secret store and notifier passed in.

    `frame` is a window already showing its frame (start-up draws that before importing this module).
    """
    if frame is None:
        window = MainWindow(context, formatter=collaborators.formatter)
    else:
        window = frame
        window.attach(context, collaborators.formatter)
    # Features add their menus, tabs and tray here, each through its own install function.
    reminders = tray.install(
        window,
        notifier=collaborators.notifier,
        tray_available=collaborators.tray_available,
        quit_app=collaborators.quit_app,
    )
    letters = drafts.install(window, collaborators.secrets)

    def open_cancellation_draft(subscription_id: int) -> None:
        letters.open_draft(DraftKind.CANCEL, subscription_id)

    # A reminder can open a cancellation draft, and a contact's follow-up date becomes a reminder.
    reminders.set_open_draft(open_cancellation_draft)

    def open_follow_up_draft(subscription_id: int) -> None:
        letters.open_draft(DraftKind.FOLLOW_UP, subscription_id)

    reminders.open_follow_up = open_follow_up_draft
    requests = RequestService(window.context.database, window.context.clock)
    RequestSignals(requests, window.context.signals, window)
    requests_tab = RequestsTab(window.context, requests, window.formatter, window, hold=window.writes.hold)
    window.add_detail_tab(requests_tab, _("Requests"))
    reminders.add_event_source(letters.contacts.follow_up_events)  # contact changes arrive on context.signals
    calendar = calendar_actions.install(window, collaborators.secrets)
    home = household.install(window, open_cancellation_draft)
    # The periodic review is a reminder like any other; opening its notice opens the review.
    reminders.add_event_source(home.review.review_events)
    reminders.open_review = home.open_review
    statements = statement_import.install(window)

    def open_price_increase_draft(subscription_id: int) -> None:
        letters.open_draft(DraftKind.PRICE_INCREASE, subscription_id)

    # A price change found in a statement offers its price-increase letter.
    statements.open_price_letter = open_price_increase_draft
    restoring = restore.install(window)
    contacts = letters.contact_tab
    # The tabs' keys, double-clicks and context menus follow their buttons.
    window.writes.hold([contacts.add_button, contacts.edit_button, contacts.delete_button])
    window.writes.hold([requests_tab.open_button, requests_tab.resolve_button])
    database = window.context.database
    window.context.signals.schema_changed.connect(
        lambda: _schema_changed(window, reminders, database.schema_changed_text(), collaborators.restart)
    )
    window.context.signals.file_replaced.connect(
        lambda: _schema_changed(window, reminders, database.replaced_text(), collaborators.restart)
    )
    return Features(
        window=window,
        tray=reminders,
        letters=letters,
        calendar=calendar,
        household=home,
        statements=statements,
        restore=restoring,
    )
