"""Installs the calendar features into the main window: export, import, CalDAV sync and auto-export."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, QTimer
from PySide6.QtGui import QAction

from renewaltracker.i18n import _, ngettext
from renewaltracker.services.auto_export import AutoExporter, affects_calendar
from renewaltracker.services.secrets import SecretStore
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.plain_text import warn

# CalDAV, icalendar and the dialogs load when first used, not before the window's first paint.
if TYPE_CHECKING:
    from renewaltracker.services.caldav_sync import CalDAVSync, SyncOutcome, SyncPlan
    from renewaltracker.ui.caldav_dialog import BackgroundJob

# Several changes in a row (an import, a settings dialog) rewrite the auto-export file once.
AUTO_EXPORT_DELAY_MS = 400


class CalendarFeature(QObject):
    """The actions' handlers and the auto-export timer; a child of the window, so it lives as long as it."""

    def __init__(self, window: MainWindow, secrets: SecretStore) -> None:
        super().__init__(window)
        self.window = window
        service = window.context.service
        self._secrets = secrets
        self.auto_exporter = AutoExporter(service)
        self.timer = QTimer(window)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTO_EXPORT_DELAY_MS)
        self.timer.timeout.connect(self._auto_export)
        window.context.signals.changed.connect(lambda change, _id: affects_calendar(change) and self.timer.start())
        self._job: BackgroundJob | None = None
        self._export_job: BackgroundJob | None = None
        self._export_again = False

    @cached_property
    def sync(self) -> CalDAVSync:
        from renewaltracker.services.caldav_sync import CalDAVSync

        return CalDAVSync(self.window.context.service, self._secrets)

    def _auto_export(self) -> None:
        """Rewrite the file on the thread pool (thousands of subscriptions take seconds); one write at a time."""
        if self.auto_exporter.target() is None:
            return
        if self._export_job is not None:
            self._export_again = True
            return
        from renewaltracker.ui.caldav_dialog import BackgroundJob

        job = BackgroundJob(lambda _report: self.auto_exporter.export_now())
        job.signals.done.connect(self._auto_exported)
        self._export_job = job
        QThreadPool.globalInstance().start(job)

    def _auto_exported(self, _path: object) -> None:
        self._export_job = None
        if self.auto_exporter.last_error:
            self.window.statusBar().showMessage(self.auto_exporter.last_error, 10000)
        if self._export_again:
            self._export_again = False
            self._auto_export()

    def export(self) -> None:
        from renewaltracker.ui.export_dialog import ExportDialog

        dialog = ExportDialog(self.window.context, self.window.selected_subscription_id(), self.window)
        # Exporting only reads; the choice of a file kept up to date is a setting, saved in the database.
        self.window.writes.hold([dialog.auto_export])
        dialog.exec()
        if dialog.written is not None:  # closing the dialog alone said nothing: where did it go?
            count = dialog.events
            wrote = ngettext("Wrote {count} event to {path}", "Wrote {count} events to {path}", count)
            self.window.statusBar().showMessage(wrote.format(count=count, path=dialog.written), 15000)
        dialog.deleteLater()

    def import_file(self) -> None:
        from renewaltracker.services.ics_import import CalendarImporter
        from renewaltracker.ui.import_preview import open_import

        outcome = open_import(
            self.window, CalendarImporter(self.window.context.service), formatter=self.window.formatter
        )
        if outcome is not None:
            self.window.statusBar().showMessage(
                _("Imported {count} new and {count2} updated subscriptions").format(
                    count=len(outcome.added), count2=len(outcome.updated)
                ),
                8000,
            )

    def settings(self) -> None:
        from renewaltracker.ui.caldav_dialog import CalDAVDialog

        dialog = CalDAVDialog(self.sync, self.window)
        # Both save the settings first; the file may become read only while the dialog is open.
        self.window.writes.hold([dialog.test_button, dialog.sync_button])
        dialog.exec()

    def describe_sync(self, action: QAction) -> None:
        """Say what Sync now will do: with no server set up it opens the settings, which is the one way on."""
        # The address alone: asking the keyring for the password could pop up its unlock prompt over a menu.
        tip = (
            _("Send your renewals to the CalDAV calendar now")
            if self.sync.account().url
            else _("No CalDAV server is set up yet: this opens the calendar sync settings first")
        )
        action.setStatusTip(tip)
        action.setToolTip(tip)

    def sync_now(self) -> None:
        """Sync with the stored settings and password; opens the settings when something is missing."""
        from renewaltracker.services.caldav_sync import SyncError, push
        from renewaltracker.ui.caldav_dialog import BackgroundJob

        account = self.sync.account()
        password = self.sync.stored_password(account)
        if not account.url or password is None:
            self.settings()
            return
        try:
            plan = self.sync.plan(account)
        except SyncError as error:
            warn(self.window, _("Calendar sync"), error_text(error))
            return
        self.window.statusBar().showMessage(_("Syncing the calendar…"))
        job = BackgroundJob(lambda report: push(plan, password, report))
        job.signals.done.connect(lambda outcome: self._synced(plan, outcome))
        self._job = job
        QThreadPool.globalInstance().start(job)

    def _synced(self, plan: SyncPlan, outcome: SyncOutcome) -> None:
        self.sync.record(plan, outcome)
        self.window.statusBar().showMessage(outcome.summary(), 10000)
        if outcome.error:
            warn(self.window, _("Calendar sync"), outcome.summary())


def _action(window: MainWindow, text: str, slot: object) -> QAction:
    action = QAction(text, window)
    action.triggered.connect(slot)
    return action


def install(window: MainWindow, secrets: SecretStore) -> CalendarFeature:
    """Add File › Export/Import calendar and Tools › Calendar sync, and start auto-export."""
    feature = CalendarFeature(window, secrets)
    file_menu = window.menu("file")
    existing = file_menu.actions()
    before = existing[-1] if existing else None  # above Quit
    export = _action(window, _("&Export calendar…"), feature.export)
    export.setObjectName("action_export_calendar")
    imported = _action(window, _("&Import calendar…"), feature.import_file)
    imported.setObjectName("action_import_calendar")
    if before is None:
        file_menu.addActions([export, imported])
    else:
        file_menu.insertActions(before, [export, imported])
        file_menu.insertSeparator(before)
    tools = window.menu("tools")
    settings = _action(window, _("Calendar &sync (CalDAV)…"), feature.settings)
    settings.setObjectName("action_caldav_settings")
    sync = _action(window, _("Sync &now"), feature.sync_now)
    sync.setObjectName("action_caldav_sync")
    tools.addActions([settings, sync])
    # Read when the menu opens, not at start-up: the settings and the keyring are asked only then.
    tools.aboutToShow.connect(lambda: feature.describe_sync(sync))
    return feature
