"""The main window: menus, the subscriptions view and the detail pane."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QSplitter, QTabWidget, QWidget

from renewaltracker import APP_NAME
from renewaltracker.ui.context import AppContext


class MainWindow(QMainWindow):
    """Menus are reachable by key (`menu("tools")`) so features can add their actions in `install` functions."""

    selection_changed = Signal(object)  # the selected subscription id, or None

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(APP_NAME + (" — demo data" if context.demo else ""))
        self.setObjectName("MainWindow")
        self._menus: dict[str, QMenu] = {}
        for key, title in (("file", "&File"), ("edit", "&Edit"), ("subscription", "&Subscription"),
                           ("view", "&View"), ("tools", "&Tools"), ("help", "&Help")):  # fmt: skip
            self._menus[key] = self.menuBar().addMenu(title)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.menu("file").addAction(quit_action)

        self.splitter = QSplitter(self)
        self.main_area = QLabel("Subscriptions appear here.")
        self.detail_tabs = QTabWidget(self)
        self.detail_tabs.setAccessibleName("Subscription details")
        self.splitter.addWidget(self.main_area)
        self.splitter.addWidget(self.detail_tabs)
        self.setCentralWidget(self.splitter)
        self.resize(1100, 700)

    def menu(self, key: str) -> QMenu:
        """One of: file, edit, subscription, view, tools, help."""
        return self._menus[key]

    def selected_subscription_id(self) -> int | None:
        """The subscription selected in the main view, if any."""
        return None

    def add_detail_tab(self, widget: QWidget, title: str) -> None:
        """Add a tab to the detail pane; a widget with `set_subscription(id | None)` follows the selection."""
        self.detail_tabs.addTab(widget, title)
        setter = getattr(widget, "set_subscription", None)
        if callable(setter):
            self.selection_changed.connect(setter)

    def open_subscription(self, subscription_id: int) -> None:
        """Bring the window forward with this subscription selected (e.g. from a notification)."""
        self.show_and_raise()
        self.selection_changed.emit(subscription_id)

    def show_and_raise(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
