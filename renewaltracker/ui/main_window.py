"""The main window: menus, the subscriptions table and the other views, and the detail pane."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QSplitter, QTabWidget, QToolBar, QVBoxLayout, QWidget

from renewaltracker import APP_ID, APP_NAME
from renewaltracker.domain.prices import PriceHistories
from renewaltracker.domain.subscription import Subscription
from renewaltracker.i18n import _
from renewaltracker.services.requests import RequestService
from renewaltracker.ui.actions import SubscriptionActions
from renewaltracker.ui.calendar_view import CalendarView
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.detail_pane import DetailsTab
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.icons import icon
from renewaltracker.ui.spending_view import SpendingView
from renewaltracker.ui.subscription_model import SubscriptionTableModel
from renewaltracker.ui.subscriptions_view import SubscriptionsView
from renewaltracker.ui.upcoming_view import UpcomingView


def window_settings() -> QSettings:
    """Where window size, position and column widths are remembered (the user's config folder)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_ID, "window")


class MainWindow(QMainWindow):
    """Menus are reachable by key (`menu("tools")`) so features can add their actions in `install` functions."""

    selection_changed = Signal(object)  # the selected subscription id, or None

    def __init__(self, context: AppContext, parent: QWidget | None = None, formatter: Formatter | None = None) -> None:
        """The subscriptions are read after the window first shows (or when something needs them), so it opens fast."""
        super().__init__(parent)
        self.context = context
        self.formatter = formatter or Formatter.system()
        # Qt appends the application name itself, unless the title already ends with it.
        self.setWindowTitle(_("Demo data — {APP_NAME}").format(APP_NAME=APP_NAME) if context.demo else APP_NAME)
        self.setWindowIcon(icon("app"))
        self.setObjectName("MainWindow")
        self._menus: dict[str, QMenu] = {}
        for key, title in (
            ("file", _("&File")),
            ("edit", _("&Edit")),
            ("subscription", _("&Subscription")),
            ("view", _("&View")),
            ("tools", _("&Tools")),
            ("help", _("&Help")),
        ):
            self._menus[key] = self.menuBar().addMenu(title)
        # The demo runs as its own process beside the user's window: this closes only the demo, and says so.
        self.quit_action = QAction(_("&Close the demo") if context.demo else _("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.menu("file").addAction(self.quit_action)
        self.toolbar = QToolBar(_("Main toolbar"), self)
        self.toolbar.setObjectName("MainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(self.toolbar)

        self.model = SubscriptionTableModel(context.service, self.formatter, self)
        context.signals.changed.connect(self.model.on_changed)
        today = context.clock.today
        self.subscriptions = SubscriptionsView(self.model, self)
        self.calendar = CalendarView(self.formatter, today, self.all_subscriptions, self)
        self.upcoming = UpcomingView(context.service, self.formatter, self.all_subscriptions, self)
        requests = RequestService(context.database, context.clock)
        self.spending = SpendingView(self.formatter, today, self.all_subscriptions, self, savings=requests.savings)
        for view in (self.calendar, self.upcoming, self.spending):
            view.follow(self.model)
            view.prices = self.price_histories
        self.views = QTabWidget(self)
        self.views.setAccessibleName(_("Views"))
        self.views.setDocumentMode(True)
        self.detail_tabs = QTabWidget(self)
        self.detail_tabs.setAccessibleName(_("Subscription details"))
        self.splitter = QSplitter(self)
        self.splitter.setObjectName("MainSplitter")
        self.splitter.addWidget(self.views)
        self.splitter.addWidget(self.detail_tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        if context.demo:
            self.setCentralWidget(self._with_demo_banner(self.splitter))
        else:
            self.setCentralWidget(self.splitter)
        self.splitter.setSizes([880, 420])

        self.subscriptions.selected.connect(self.selection_changed)
        for view in (self.calendar, self.upcoming):
            view.open_requested.connect(self.open_subscription)
        self.details = DetailsTab(context, self.formatter, self)
        self.add_detail_tab(self.details, _("Details"))
        self.commands = SubscriptionActions(self)
        self.subscriptions.activated.connect(self.commands.edit_id)
        self.subscriptions.add_requested.connect(self.commands.add)
        for number, (widget, title, icon_name) in enumerate(
            (
                (self.subscriptions, _("&Renewals"), "list"),
                (self.calendar, _("&Calendar"), "calendar"),
                (self.upcoming, _("&Upcoming"), "upcoming"),
                (self.spending, _("S&pending"), "spending"),
            ),
            start=1,
        ):
            self.add_view(widget, title, icon_name, f"Ctrl+{number}")
        self.refresh_action = QAction(_("Re&fresh"), self)
        self.refresh_action.setShortcut(QKeySequence("F5"))  # the standard key adds Ctrl+R, taken by Record
        self.refresh_action.setStatusTip(
            _("Read the renewals again (changes by other programs also show by themselves)")
        )
        self.refresh_action.triggered.connect(context.signals.reload_all)
        self.menu("view").addSeparator()
        self.menu("view").addAction(self.refresh_action)
        self.resize(1280, 780)
        self.restore_layout()

    def _with_demo_banner(self, content: QWidget) -> QWidget:
        """A strip above everything saying this is example data, so nobody mistakes it for their own."""
        banner = QLabel(
            _(
                "<b>Demo data</b> — example renewals to try things out. Changes here stay in the demo; "
                "your own list is not touched."
            ),
            self,
        )
        banner.setObjectName("DemoBanner")
        banner.setAccessibleName(_("Demo data"))
        banner.setWordWrap(True)
        banner.setContentsMargins(8, 5, 8, 5)
        banner.setStyleSheet("QLabel#DemoBanner { background: #fff4ce; color: #3d2e00; }")
        holder = QWidget(self)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(banner)
        layout.addWidget(content, 1)
        self.demo_banner = banner
        return holder

    # -- extension points ------------------------------------------------------
    def menu(self, key: str) -> QMenu:
        """One of: file, edit, subscription, view, tools, help."""
        return self._menus[key]

    def add_view(self, widget: QWidget, title: str, icon_name: str = "", shortcut: str = "") -> None:
        """Add a main view (a tab beside the renewals table) with a View-menu entry."""
        self.views.addTab(widget, icon(icon_name) if icon_name else icon("app"), title.replace("&", ""))
        action = QAction(title, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda: self.show_view(widget))
        self.menu("view").addAction(action)

    def show_view(self, widget: QWidget) -> None:
        self.views.setCurrentWidget(widget)

    def add_detail_tab(self, widget: QWidget, title: str) -> None:
        """Add a tab to the detail pane; a widget with `set_subscription(id | None)` follows the selection."""
        self.detail_tabs.addTab(widget, title)
        setter = getattr(widget, "set_subscription", None)
        if callable(setter):
            self.selection_changed.connect(setter)
            setter(self.selected_subscription_id())

    # -- selection -------------------------------------------------------------
    def all_subscriptions(self) -> list[Subscription]:
        """Every subscription as the table model holds it (kept current from the service's change signal)."""
        self.load()
        return [record.subscription for record in self.model.records()]

    def price_histories(self) -> PriceHistories:
        """Every plan's price history as the table model read it with the subscriptions (no read here)."""
        self.load()
        return self.model.prices

    def selected_subscription_id(self) -> int | None:
        """The subscription selected in the main view, if any."""
        return self.subscriptions.selected_id()

    def open_subscription(self, subscription_id: int) -> None:
        """Bring the window forward with this subscription selected (e.g. from a notification)."""
        self.load()
        self.show_and_raise()
        self.show_view(self.subscriptions)
        already = self.selected_subscription_id() == subscription_id
        if self.subscriptions.select_id(subscription_id) and already:
            self.selection_changed.emit(subscription_id)

    def show_and_raise(self) -> None:
        if self.isMinimized() or not self.isVisible():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.model.loaded:
            # After the first paint, so the window is on screen while a large database loads.
            QTimer.singleShot(0, self.load)

    def load(self) -> None:
        """Read the subscriptions now unless that already happened."""
        if not self.model.loaded:
            self.model.refresh()

    # -- remembered layout -----------------------------------------------------
    def restore_layout(self) -> None:
        settings = window_settings()
        for key, restore in (
            ("geometry", self.restoreGeometry),
            ("state", self.restoreState),
            ("splitter", self.splitter.restoreState),
            ("columns", self.subscriptions.table.horizontalHeader().restoreState),
        ):
            value: Any = settings.value(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                restore(value)
        self.subscriptions.name_takes_spare_width()

    def save_layout(self) -> None:
        settings = window_settings()
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("state", self.saveState())
        settings.setValue("splitter", self.splitter.saveState())
        settings.setValue("columns", self.subscriptions.table.horizontalHeader().saveState())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)
