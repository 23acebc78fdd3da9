"""The window's commands — add, edit, delete with undo, cancel, pause, resume — as menu and toolbar actions."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QWidget

from renewaltracker import APP_NAME, __version__
from renewaltracker.domain.errors import NotFoundError, ValidationError
from renewaltracker.domain.subscription import StatusChange, Subscription
from renewaltracker.i18n import _
from renewaltracker.services.subscriptions import Deleted
from renewaltracker.storage.errors import StorageError
from renewaltracker.ui.editor import SubscriptionDialog
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.icons import icon
from renewaltracker.ui.plain_text import plain_label, warn
from renewaltracker.ui.widgets import ask_date

if TYPE_CHECKING:
    from renewaltracker.ui.main_window import MainWindow

log = logging.getLogger(__name__)
UNDO_SECONDS = 20


class UndoBar(QWidget):
    """ "Deleted “X”. Undo" in the status bar, for a while after a delete."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = plain_label(self)
        self.button = QPushButton(_("&Undo"), self)
        self.button.setAccessibleName(_("Undo delete"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.hide)
        self.hide()

    def offer(self, text: str) -> None:
        self.label.setText(text)
        self.show()
        self.timer.start(UNDO_SECONDS * 1000)


class SubscriptionActions:
    """Owns the QActions; each one is a single user action and so a single service call (one transaction)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.service = window.context.service
        self.dialog: SubscriptionDialog | None = None
        self._deleted: Deleted | None = None

        def action(
            text: str,
            slot: Callable[[], object],
            shortcut: QKeySequence | str | None = None,
            icon_name: str | None = None,
            tip: str = "",
        ) -> QAction:
            created = QAction(text, window)
            if icon_name:
                created.setIcon(icon(icon_name))
            if shortcut is not None:
                created.setShortcut(QKeySequence(shortcut))
            created.setToolTip(tip or text.replace("&", "").rstrip("…"))
            created.setStatusTip(created.toolTip())
            created.triggered.connect(lambda: slot())
            return created

        std = QKeySequence.StandardKey
        self.new = action(_("&New renewal…"), self.add, QKeySequence(std.New), "add", _("Add a renewal (Ctrl+N)"))
        self.edit = action(_("&Edit…"), self.edit_selected, "Ctrl+E", "edit", _("Edit the selected renewal (Ctrl+E)"))
        self.delete = action(
            _("&Delete"),
            self.delete_selected,
            QKeySequence(std.Delete),
            "delete",
            _("Delete the selected renewal (Del); you can undo it"),
        )
        self.cancel = action(
            _("Mark &cancelled…"),
            self.cancel_selected,
            "Ctrl+Shift+K",
            "cancel",
            _("Record that you cancelled the selected renewal"),
        )
        self.pause = action(
            _("&Pause"),
            lambda: self._transition(self.service.pause),
            None,
            "pause",
            _("Pause the selected renewal from today"),
        )
        self.resume = action(
            _("Res&ume"),
            lambda: self._transition(self.service.resume),
            None,
            "resume",
            _("Let the selected renewal charge again from today"),
        )
        self.record = action(
            _("&Record the last charge"),
            self.record_last_charge,
            "Ctrl+R",
            "charge",
            _("Record the most recent charge of the selected renewal at its current price"),
        )
        self.find = action(_("&Find…"), self.focus_search, QKeySequence(std.Find), "search", _("Search (Ctrl+F)"))
        self.demo = action(
            _("Open the &demo data"),
            self.open_demo,
            None,
            "app",
            _("Open a separate window with example renewals; your own data is not touched"),
        )
        self.about = action(_("&About Renewal Tracker"), self.show_about)
        self.install_desktop = action(
            _("Add to the applications &menu"),
            self.add_to_applications_menu,
            None,
            "app",
            _("Put a launcher, the icon and the app's description where the desktop's menu finds them"),
        )
        self.install_desktop.setObjectName("action_install_desktop")
        self.install_desktop.setVisible(sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")))
        self.demo.setEnabled(not window.context.demo)  # this window already shows the demo data

        self.undo_bar = UndoBar(window)
        self.undo_bar.button.clicked.connect(self.undo_delete)
        self.undo_bar.timer.timeout.connect(self.forget_deleted)
        window.statusBar().addPermanentWidget(self.undo_bar)

        file_menu, edit_menu, sub_menu = window.menu("file"), window.menu("edit"), window.menu("subscription")
        file_menu.insertAction(window.quit_action, self.new)
        file_menu.insertAction(window.quit_action, self.demo)
        file_menu.insertSeparator(window.quit_action)
        edit_menu.addAction(self.find)
        for item in (self.edit, self.delete, None, self.cancel, self.pause, self.resume, None, self.record):
            if item is None:
                sub_menu.addSeparator()
            else:
                sub_menu.addAction(item)
        window.menu("help").addAction(self.demo)
        window.menu("help").addAction(self.install_desktop)
        window.menu("help").addAction(self.about)
        toolbar = window.toolbar
        for item in (self.new, self.edit, self.delete, None, self.cancel, self.pause, self.resume):
            if item is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(item)
        window.selection_changed.connect(self.update_enabled)
        window.context.signals.changed.connect(lambda *_: self.update_enabled())
        window.details.background.applied.connect(self.update_enabled)  # whether a charge is due comes from there
        self.update_enabled()

    # -- state -----------------------------------------------------------------
    def _selected(self) -> Subscription | None:
        subscription_id = self.window.selected_subscription_id()
        if subscription_id is None:
            return None
        try:
            return self.service.get(subscription_id)
        except NotFoundError:
            return None

    def _listed(self) -> Subscription | None:
        """The selected subscription as the table holds it: enabling the commands reads nothing on the GUI thread."""
        subscription_id = self.window.selected_subscription_id()
        row = None if subscription_id is None else self.window.model.row_of_id(subscription_id)
        return None if row is None else self.window.model.subscription(row)

    def update_enabled(self, *args: object) -> None:
        selected = self._listed()
        today = self.window.context.clock.today()
        allowed = selected.allowed_changes(today) if selected is not None else frozenset()
        for item in (self.edit, self.delete):
            item.setEnabled(selected is not None)
        for change, item in self.status_actions().items():
            item.setEnabled(change in allowed)
        self.record.setEnabled(selected is not None and bool(self.window.details.due))

    def status_actions(self) -> dict[StatusChange, QAction]:
        return {StatusChange.CANCEL: self.cancel, StatusChange.PAUSE: self.pause, StatusChange.RESUME: self.resume}

    def _report(self, error: Exception) -> None:
        log.warning("action failed: %s", error)
        warn(self.window, APP_NAME, error_text(error))

    # -- commands --------------------------------------------------------------
    def add(self) -> SubscriptionDialog:
        return self._open_dialog(None)

    def edit_selected(self) -> SubscriptionDialog | None:
        selected = self._selected()
        return self._open_dialog(selected) if selected is not None else None

    def edit_id(self, subscription_id: int) -> SubscriptionDialog | None:
        try:
            return self._open_dialog(self.service.get(subscription_id))
        except NotFoundError:
            return None

    def _open_dialog(self, subscription: Subscription | None) -> SubscriptionDialog:
        """Open the dialog window-modal without blocking, so tests and the event loop keep running."""
        dialog = SubscriptionDialog(
            self.window.context, self.window.formatter, subscription, self.window.model.categories(), self.window
        )
        dialog.accepted.connect(lambda: self._saved(dialog))
        dialog.finished.connect(dialog.deleteLater)
        # The file may become read only while it is open (ui/read_only.py): these are then disabled.
        saving = [dialog.save_button, dialog.cancel_sub_button, dialog.pause_button, dialog.resume_button]
        self.window.writes.hold(saving)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, dialog: SubscriptionDialog) -> None:
        if dialog.saved is not None and dialog.saved.id is not None:
            self.window.open_subscription(dialog.saved.id)
            self.window.statusBar().showMessage(_("Saved “{name}”.").format(name=dialog.saved.name), 5000)

    def delete_selected(self) -> None:
        selected = self._selected()
        if selected is None or selected.id is None:
            return
        self.forget_deleted()  # one Undo at a time: the previous delete can no longer be undone
        try:
            deleted = self.service.delete_undoable(selected.id)
        except (NotFoundError, StorageError) as error:
            self._report(error)
            return
        self._deleted = deleted
        self.undo_bar.offer(_("Deleted “{name}”.").format(name=selected.name))

    def undo_delete(self) -> Subscription | None:
        if self._deleted is None:
            return None
        try:
            restored = self.service.restore(self._deleted)
        except (ValidationError, StorageError) as error:
            self._report(error)
            return None
        self._deleted = None
        # A clicked Undo holds the focus; hiding it would pass the focus to the tab bar, away from the list.
        clicked = self.undo_bar.button.hasFocus()
        self.undo_bar.hide()
        if restored.id is not None:
            self.window.open_subscription(restored.id)
        if clicked:
            self.window.subscriptions.table.setFocus()
        return restored

    def forget_deleted(self) -> None:
        """The Undo offer is over (lapsed, replaced, or the app quits): the deleted renewal's files can go."""
        deleted, self._deleted = self._deleted, None
        self.undo_bar.hide()
        if deleted is None:
            return
        try:
            self.service.forget(deleted)
        except StorageError:
            # A busy, replaced or read-only file: the files stay, unlisted, rather than the window failing.
            log.warning("could not remove the attached files of a deleted renewal", exc_info=True)

    def cancel_selected(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        today = self.window.context.clock.today()
        upcoming = selected.next_charge(today)
        question = _(
            "When does the cancellation of “{name}” take effect? Charges from that day on are dropped."
        ).format(name=selected.name)
        effective = ask_date(
            self.window, _("Mark cancelled"), question, upcoming or today, self.window.formatter.locale
        )
        if effective is not None:
            self._transition(lambda sid: self.service.cancel(sid, effective))

    def _transition(self, step: Callable[[int], Subscription]) -> None:
        subscription_id = self.window.selected_subscription_id()
        if subscription_id is None:
            return
        try:
            step(subscription_id)
        except (ValidationError, NotFoundError, StorageError) as error:
            self._report(error)

    def record_last_charge(self) -> None:
        self.window.details.record_asking()

    def focus_search(self) -> None:
        self.window.show_view(self.window.subscriptions)
        self.window.subscriptions.search.setFocus()
        self.window.subscriptions.search.selectAll()

    def open_demo(self) -> None:
        """A second process on the demo database, so the user's own window and data stay as they are."""
        subprocess.Popen([sys.executable, "-m", "renewaltracker", "--demo"])

    def add_to_applications_menu(self) -> None:
        from renewaltracker.services.desktop_entry import install_desktop_files

        try:
            written = install_desktop_files()
        except OSError as error:
            # The folder or file it could not write, named as install-desktop names it.
            problem = error.strerror or str(error)
            if error.filename:
                problem = _("cannot write {out}: {strerror}").format(out=error.filename, strerror=problem)
            warn(self.window, APP_NAME, _("Could not add the launcher: {strerror}").format(strerror=problem))
            return
        self.window.statusBar().showMessage(_("Added to the applications menu: {value}").format(value=written[0]), 8000)

    def show_about(self) -> None:
        QMessageBox.about(
            self.window,
            APP_NAME,
            _(
                "<b>{APP_NAME}</b> {__version__}<br>Every automatic renewal in one calendar. Your data stays on "
                "this computer."
            ).format(APP_NAME=APP_NAME, __version__=__version__),
        )
