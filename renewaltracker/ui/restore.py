"""File → Restore from backup…: the restore service replaces the database, then every view reloads from it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from renewaltracker.domain.errors import ValidationError
from renewaltracker.i18n import N_, _
from renewaltracker.services.data_export import restore_backup
from renewaltracker.services.subscriptions import Change
from renewaltracker.storage.errors import StorageError
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.plain_text import confirm, inform, warn

if TYPE_CHECKING:
    from renewaltracker.ui.main_window import MainWindow

TITLE = N_("Restore from backup")


class RestoreFeature:
    """The action, and `restore(path)` that the action and tests call."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.action = QAction(_("&Restore from backup…"), window)
        self.action.setStatusTip(_("Replace your data with a backup; the current database is kept aside first"))
        self.action.triggered.connect(lambda: self.open())

    def restore(self, backup: Path) -> str:
        """Replace the database with `backup` (checked first) and reload every view; the sentence to show."""
        database = self.window.context.database
        if database.path is None:
            raise ValidationError(str(backup), _("cannot replace an in-memory database"))
        # No pooled connection may keep the old file open while it is replaced; the engine reconnects on next use.
        database.close()
        try:
            aside = restore_backup(backup, database.path)
        finally:
            database.close()
            database.adopt_file()  # the file at the path is this app's again, restored or as it was
        service = self.window.context.service
        for change in (Change.SETTINGS, Change.CHARGES, Change.UPDATED):
            service.notify(change, None)  # with no id, the table reloads everything from the restored file
        self.window.model.refresh()
        restored = _("Restored from {backup}.").format(backup=backup)
        return restored + " " + _("The previous data is kept at {aside}.").format(aside=aside) if aside else restored

    def open(self, path: Path | None = None) -> None:
        """Ask for a backup (unless given) and a confirmation, restore it, and say what happened."""
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self.window,
                _(TITLE),
                str(Path.home()),
                _("Backups and exports (*.sqlite3 *.db *.json);;All files (*)"),
            )
            if not chosen:
                return
            path = Path(chosen)
        asked = _("Replace all your current data with {name}? The current database is copied aside first.")
        if not confirm(self.window, _(TITLE), asked.format(name=path.name)):
            return
        try:
            message = self.restore(path)
        except (ValidationError, StorageError) as error:
            warn(self.window, _(TITLE), _("Nothing was changed: {error}").format(error=error_text(error)))
            return
        self.window.statusBar().showMessage(message, 15000)
        inform(self.window, _(TITLE), message)


def install(window: MainWindow) -> RestoreFeature:
    """Add File → Restore from backup… above Quit."""
    feature = RestoreFeature(window)
    window.menu("file").insertAction(window.quit_action, feature.action)
    return feature
