"""The window after another version migrated its file: a banner that says so for as long as it lasts, with
Restart and Quit, and every action that would write held disabled (nothing typed is lost at a refused Save)."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMenu, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from renewaltracker import APP_NAME
from renewaltracker.i18n import _
from renewaltracker.ui.formatting import first_upper
from renewaltracker.ui.main_window import MainWindow

# Menus whose entries write unless they are named in `reading_actions`; those of Edit, View and Help only show,
# find or explain, and stay usable.
WRITING_MENUS = ("file", "subscription", "tools")


class HeldDisabled(QObject):
    """The window's actions and widgets that write, named as they are built (`hold`): once the window is read only
    (`engage`) they are disabled and kept so, whatever their own updates (a new selection, a read) set later."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.engaged = False
        self.held: list[QAction | QWidget] = []

    def hold(self, items: Iterable[QAction | QWidget]) -> None:
        """Name what writes: disabled now if the window is read only already, else when it becomes so. A dialog
        opened before that (a draft, the review) is disabled then too; what is deleted meanwhile is let go."""
        for item in items:
            self.held.append(item)
            item.destroyed.connect(lambda _gone=None, item=item: self._forget(item))
            if self.engaged:
                self._disable(item)

    def engage(self) -> None:
        """From now on nothing held writes."""
        if not self.engaged:
            self.engaged = True
            for item in list(self.held):
                # One deleted while the others are disabled (a collected action, a menu rebuilt) is let go by then;
                # one deleted before its `destroyed` reached `_forget` (the tray's pause submenu) is no longer valid.
                if isValid(item) and any(item is kept for kept in self.held):
                    self._disable(item)
            self.held = [item for item in self.held if isValid(item)]

    def _forget(self, gone: QAction | QWidget) -> None:
        self.held = [item for item in self.held if item is not gone]

    def _disable(self, item: QAction | QWidget) -> None:
        item.setEnabled(False)
        if isinstance(item, QAction):
            item.enabledChanged.connect(lambda enabled, action=item: enabled and action.setEnabled(False))
        else:
            item.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.EnabledChange and isinstance(watched, QWidget) and watched.isEnabled():
            watched.setEnabled(False)
        return False


def reading_actions(window: MainWindow) -> set[QAction]:
    """The entries of the writing menus that only read, copy, export or leave: they stay usable."""
    kept = {window.quit_action, window.commands.demo}
    for menu in WRITING_MENUS:
        for action in window.menu(menu).actions():
            submenu = action.menu()
            # Drafts are copied, saved as files or sent; calendars exported; the templates are files of their own.
            if isinstance(submenu, QMenu) and action.text() == _("Draft e&mail"):
                kept.add(action)
            if action.objectName() in ("action_export_calendar", "action_templates_folder"):
                kept.add(action)
    return kept


def writing_actions(window: MainWindow) -> list[QAction]:
    """Every entry of the menus (and so of the toolbar, which shares them) that would write, and View ▸ Refresh,
    which would read the new schema with this version's models."""
    kept = reading_actions(window)
    found = [window.refresh_action]
    for menu in WRITING_MENUS:
        found.extend(a for a in window.menu(menu).actions() if not a.isSeparator() and a not in kept)
    return found


class SchemaChangedBanner(QFrame):
    """A strip above everything: the file was migrated by another version or replaced by another program, and
    nothing more is saved here."""

    def __init__(self, text: str, restart: Callable[[], None], quit_app: Callable[[], None], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("SchemaChangedBanner")
        self.setStyleSheet("QFrame#SchemaChangedBanner { background: #fde7e9; } QLabel { color: #5c0a12; }")
        # Rich text for the bold word: the sentence (with the file's path in it) is escaped.
        sentence = html.escape(first_upper(text), quote=False)
        self.label = QLabel(_("<b>Read only</b> — {sentence}.").format(sentence=sentence), self)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setAccessibleName(_("Read only"))
        self.restart_button = QPushButton(_("&Restart {APP_NAME}").format(APP_NAME=APP_NAME), self)
        self.restart_button.setToolTip(
            _("Quit and start again: the new start opens the file there now, or says why it cannot")
        )
        self.restart_button.clicked.connect(restart)
        self.quit_button = QPushButton(_("&Quit"), self)
        self.quit_button.clicked.connect(quit_app)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 5, 8, 5)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.restart_button)
        layout.addWidget(self.quit_button)


def show_banner(window: MainWindow, banner: QWidget) -> None:
    """Put `banner` above the window's content (the demo strip, the splitter), for the rest of the run."""
    content = window.takeCentralWidget()
    holder = QWidget(window)
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(banner)
    if content is not None:
        layout.addWidget(content, 1)
    window.setCentralWidget(holder)
    # Shown now: a layout shows the children it is given only at the next turn of the event loop.
    banner.show()
    holder.show()


def enter_read_only(
    window: MainWindow, text: str, restart: Callable[[], None] | None, quit_app: Callable[[], None]
) -> SchemaChangedBanner:
    """From now on the window only shows: the banner says why, and whatever would write is disabled (the menus'
    entries, the detail pane's buttons, the charge history's menu and keys, and all the features named with
    `window.writes.hold` as they built them). `restart` None: the banner offers Quit alone."""
    held = window.writes
    held.hold(writing_actions(window))
    details = window.details
    held.hold(
        [
            details.record_action,
            details.record_button,
            details.price_steps.add_button,
            details.price_steps.remove_button,
            window.commands.undo_bar.button,
            window.subscriptions.add_button,  # the first-run page's, which opens the editor
        ]
    )
    held.engage()
    details.history_actions.writable = False
    # A double-click or Enter on a row, and the empty list's button, open the editor: nothing to open now.
    window.subscriptions.activated.disconnect(window.commands.edit_id)
    window.subscriptions.add_requested.disconnect(window.commands.add)
    banner = SchemaChangedBanner(text, restart or quit_app, quit_app, window)
    banner.restart_button.setVisible(restart is not None)
    show_banner(window, banner)
    return banner
