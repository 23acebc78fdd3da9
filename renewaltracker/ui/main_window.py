"""The main window: menus, the subscriptions table and the other views, and the detail pane.

It is built in two steps so it can show before the heavy modules load: the frame (menus, toolbar, tabs and a
"Loading your renewals…" page, PySide6 only) and then `attach(context)`, which builds the views over the data.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QSplitter, QTabWidget, QToolBar, QVBoxLayout, QWidget

from renewaltracker import APP_ID, APP_NAME
from renewaltracker.i18n import N_, _
from renewaltracker.ui.icons import icon
from renewaltracker.ui.screen_fit import fit_on_screen

if TYPE_CHECKING:  # the frame needs none of these: they load in `attach`, after the first paint
    from renewaltracker.domain.prices import PriceHistories
    from renewaltracker.domain.subscription import Subscription
    from renewaltracker.ui.actions import SubscriptionActions
    from renewaltracker.ui.calendar_view import CalendarView
    from renewaltracker.ui.context import AppContext
    from renewaltracker.ui.detail_pane import DetailsTab
    from renewaltracker.ui.formatting import Formatter
    from renewaltracker.ui.spending_view import SpendingView
    from renewaltracker.ui.subscription_model import SubscriptionTableModel
    from renewaltracker.ui.subscriptions_view import SubscriptionsView
    from renewaltracker.ui.upcoming_view import UpcomingView

# The views of the frame, in tab order: (key, title, icon); each gets Ctrl+1… in the View menu.
MAIN_VIEWS = (
    ("subscriptions", N_("&Renewals"), "list"),
    ("calendar", N_("&Calendar"), "calendar"),
    ("upcoming", N_("&Upcoming"), "upcoming"),
    ("spending", N_("S&pending"), "spending"),
)


def window_settings() -> QSettings:
    """Where window size, position and column widths are remembered (the user's config folder)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_ID, "window")


class DeferredView(QWidget):
    """A tab's page whose view is built the first time it is shown (or asked for), not with the window."""

    def __init__(self, build: Callable[[], QWidget], ready: Callable[[], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self._ready = ready  # False while the window is only a frame: the view is built when it attaches
        self.view: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def built(self) -> QWidget:
        if self.view is None:
            self.view = self._build()
            self._layout.addWidget(self.view)
        return self.view

    def showEvent(self, event: QShowEvent) -> None:
        if self._ready():
            self.built()
        super().showEvent(event)


class MainWindow(QMainWindow):
    """Menus are reachable by key (`menu("tools")`) so features can add their actions in `install` functions."""

    selection_changed = Signal(object)  # the selected subscription id, or None

    def __init__(
        self,
        context: AppContext | None = None,
        parent: QWidget | None = None,
        formatter: Formatter | None = None,
        *,
        demo: bool = False,
    ) -> None:
        """The frame only, unless `context` is given (then `attach` follows at once); the rows load after showing."""
        super().__init__(parent)
        self.demo = context.demo if context is not None else demo
        # Qt appends the application name itself, unless the title already ends with it.
        self.setWindowTitle(_("Demo data — {APP_NAME}").format(APP_NAME=APP_NAME) if self.demo else APP_NAME)
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
        self.quit_action = QAction(_("&Close the demo") if self.demo else _("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.menu("file").addAction(self.quit_action)
        self.toolbar = QToolBar(_("Main toolbar"), self)
        self.toolbar.setObjectName("MainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(self.toolbar)

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
        if self.demo:
            self.setCentralWidget(self._with_demo_banner(self.splitter))
        else:
            self.setCentralWidget(self.splitter)
        self.splitter.setSizes([880, 420])
        # Until `attach`, the Renewals tab says what is happening; the other views are built when first shown.
        self.loading = QLabel(_("Loading your renewals…"), self)
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._pages: dict[str, DeferredView] = {}
        for number, (key, title, icon_name) in enumerate(MAIN_VIEWS, start=1):
            if key == "subscriptions":
                self.add_view(self.loading, _(title), icon_name, f"Ctrl+{number}")
            else:
                page = DeferredView(functools.partial(self._build_view, key), self._attached, self)
                self._pages[key] = page
                self.add_view(page, _(title), icon_name, f"Ctrl+{number}")
        self._built: dict[str, list[Callable[[Any], object]]] = {}
        self.resize(1280, 780)
        self._restore_frame()
        if context is not None:
            self.attach(context, formatter)

    def show_table(self, formatter: Formatter | None = None) -> SubscriptionTableModel:
        """The renewals table in place of the loading page, with a model that has no service yet: start-up fills it
        with rows read by sqlite3 alone (`model.load_in_background(read)`) before `attach` brings the services."""
        if hasattr(self, "model"):
            return self.model
        from renewaltracker.ui.formatting import Formatter
        from renewaltracker.ui.subscription_model import SubscriptionTableModel
        from renewaltracker.ui.subscriptions_view import SubscriptionsView

        self.formatter = formatter or Formatter.system()
        self.model: SubscriptionTableModel = SubscriptionTableModel(None, self.formatter, self)
        self.model.read_failed.connect(self._read_failed)
        self.subscriptions: SubscriptionsView = SubscriptionsView(self.model, self)
        # The real table takes the place of the frame's loading page, in the same tab.
        index = self.views.indexOf(self.loading)
        current = self.views.currentIndex()
        self.views.blockSignals(True)
        self.views.insertTab(index, self.subscriptions, self.views.tabIcon(index), self.views.tabText(index))
        self.views.removeTab(index + 1)
        self.views.setCurrentIndex(current)
        self.views.blockSignals(False)
        self.loading.deleteLater()
        self.subscriptions.selected.connect(self.selection_changed)
        self.menu("view").addSeparator()
        self.menu("view").addMenu(self.subscriptions.columns_menu)
        self._restore_columns()
        return self.model

    def attach(self, context: AppContext, formatter: Formatter | None = None) -> None:
        """Build the table (unless `show_table` did), the detail pane and the commands over `context`; the rows
        are read on a worker unless the table already has them."""
        from renewaltracker.ui.actions import SubscriptionActions
        from renewaltracker.ui.detail_pane import DetailsTab
        from renewaltracker.ui.read_only import HeldDisabled

        self.show_table(formatter)
        self.context = context
        # What writes, as the features build it: all disabled if the file can no longer be written (ui/read_only.py).
        self.writes = HeldDisabled(self)
        self.model.serve(context.service)
        context.signals.changed.connect(self.model.on_changed)
        self.details: DetailsTab = DetailsTab(
            context,
            self.formatter,
            self,
            name_of=self._name_of,
            hold=self.writes.hold,
            list_empty=lambda: self.model.loaded and self.model.rowCount() == 0,
        )
        # The first renewal added, or the last one deleted: the hint on what to do changes with it.
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(lambda *_args: self.details.show_hint())
        self.add_detail_tab(self.details, _("Details"))
        self.commands: SubscriptionActions = SubscriptionActions(self)
        self.subscriptions.activated.connect(self.commands.edit_id)
        self.subscriptions.add_requested.connect(self.commands.add)
        self.refresh_action = QAction(_("Re&fresh"), self)
        self.refresh_action.setShortcut(QKeySequence("F5"))  # the standard key adds Ctrl+R, taken by Record
        self.refresh_action.setStatusTip(
            _("Read the renewals again (changes by other programs also show by themselves)")
        )
        self.refresh_action.triggered.connect(context.signals.reload_all)
        self.menu("view").addAction(self.refresh_action)
        for page in self._pages.values():
            if page.isVisible():
                page.built()  # shown before the data was there
        if self.isVisible() and not self.model.loaded:
            self.model.load_in_background()

    def _read_failed(self, problem: str) -> None:
        """One sentence where the rows would be (or in the status bar when older rows are still shown)."""
        message = _("{problem}\nPress F5 to try again.").format(problem=problem)
        self.subscriptions.loading.setText(message)
        self.statusBar().showMessage(message.replace("\n", " "), 15000)

    # -- views built on first show ---------------------------------------------
    def _attached(self) -> bool:
        return hasattr(self, "context")

    def _build_view(self, key: str) -> QWidget:
        """The calendar, upcoming or spending view, following the table's rows (needs `attach` first)."""
        today = self.context.clock.today
        view: CalendarView | UpcomingView | SpendingView
        if key == "calendar":
            from renewaltracker.ui.calendar_view import CalendarView

            view = CalendarView(self.formatter, today, self.all_subscriptions, self)
            view.open_requested.connect(self.open_subscription)
        elif key == "upcoming":
            from renewaltracker.ui.upcoming_view import UpcomingView

            view = UpcomingView(self.context.service, self.formatter, self.all_subscriptions, self)
            view.open_requested.connect(self.open_subscription)
        else:
            from renewaltracker.services.requests import RequestService
            from renewaltracker.ui.spending_view import SpendingView

            requests = RequestService(self.context.database, self.context.clock)
            from renewaltracker.domain.savings import Wording

            # The items' texts in the interface's language, as every other figure on the page.
            words = Wording(self.formatter.money, self.formatter.date)
            view = SpendingView(
                self.formatter, today, self.all_subscriptions, self, savings=lambda: requests.savings(words)
            )
        view.follow(self.model)
        view.prices = self.price_histories
        for configure in self._built.pop(key, []):
            configure(view)
        return view

    def when_built(self, key: str, configure: Callable[[Any], object]) -> None:
        """Run `configure(view)` on a deferred view once it exists (now, if it already does)."""
        page = self._pages[key]
        if page.view is not None:
            configure(page.view)
        else:
            self._built.setdefault(key, []).append(configure)

    def _view(self, key: str) -> Any:
        return self._pages[key].built()

    @property
    def calendar(self) -> CalendarView:
        view: CalendarView = self._view("calendar")
        return view

    @property
    def upcoming(self) -> UpcomingView:
        view: UpcomingView = self._view("upcoming")
        return view

    @property
    def spending(self) -> SpendingView:
        view: SpendingView = self._view("spending")
        return view

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
        index = self.views.count() - 1  # the table later takes the loading page's place, so go by position
        action = QAction(title, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda: self.views.setCurrentIndex(index))
        self.menu("view").addAction(action)

    def show_view(self, widget: QWidget) -> None:
        for page in self._pages.values():
            if page.view is widget:
                widget = page
        self.views.setCurrentWidget(widget)

    def add_detail_tab(self, widget: QWidget, title: str) -> None:
        """Add a tab to the detail pane; a widget with `set_subscription(id | None)` follows the selection."""
        self.detail_tabs.addTab(widget, title)
        setter = getattr(widget, "set_subscription", None)
        if callable(setter):
            self.selection_changed.connect(setter)
            setter(self.selected_subscription_id())

    def needs_selection(self, *actions: QAction) -> None:
        """Enable `actions` only while a subscription is selected: without one each could only ask for one."""

        def follow(*_selected: object) -> None:
            for item in actions:
                item.setEnabled(self.selected_subscription_id() is not None)

        self.selection_changed.connect(follow)
        follow()

    # -- selection -------------------------------------------------------------
    def all_subscriptions(self) -> list[Subscription]:
        """Every subscription as the table model holds it; none while the worker still reads them (the views
        follow the model, so they refresh when the rows arrive)."""
        if not self.model.loading:
            self.load()
        return [record.subscription for record in self.model.records()]

    def price_histories(self) -> PriceHistories:
        """Every plan's price history as the table model read it with the subscriptions (no read here)."""
        if not self.model.loading:
            self.load()
        return self.model.prices

    def _name_of(self, subscription_id: int) -> str | None:
        """The name the table shows for a subscription (the detail pane's title before its own read is back)."""
        row = self.model.row_of_id(subscription_id)
        return None if row is None else self.model.subscription(row).name

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
        fit_on_screen(self)  # the first start's size, or one remembered from a larger screen
        super().showEvent(event)
        if hasattr(self, "context") and not self.model.loaded:
            self.model.load_in_background()  # a worker reads the rows; the window stays responsive meanwhile

    def load(self) -> None:
        """Read the subscriptions now, on this thread, unless that already happened."""
        if not self.model.loaded:
            self.model.refresh()

    # -- remembered layout -----------------------------------------------------
    def _restore_frame(self) -> None:
        settings = window_settings()
        for key, restore in (
            ("geometry", self.restoreGeometry),
            ("state", self.restoreState),
            ("splitter", self.splitter.restoreState),
        ):
            value: Any = settings.value(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                restore(value)

    def _restore_columns(self) -> None:
        """The remembered widths, order and hidden columns; a fresh window's (or an unreadable state's) defaults."""
        value: Any = window_settings().value("columns")
        header = self.subscriptions.table.horizontalHeader()
        if not (isinstance(value, QByteArray) and not value.isEmpty() and header.restoreState(value)):
            self.subscriptions.first_columns()
        self.subscriptions.name_takes_spare_width()

    def save_layout(self) -> None:
        settings = window_settings()
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("state", self.saveState())
        settings.setValue("splitter", self.splitter.saveState())
        if hasattr(self, "subscriptions"):  # closed before the table was built: keep the remembered widths
            settings.setValue("columns", self.subscriptions.table.horizontalHeader().saveState())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)
