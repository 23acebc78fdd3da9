"""Waiting for work the window does on its worker threads (the detail pane's and the detail tabs' reads)."""

from __future__ import annotations

from collections import deque
from datetime import date

from pytestqt.qtbot import QtBot

from renewaltracker.domain.exchange import RateTable
from renewaltracker.domain.subscription import Subscription
from renewaltracker.ui.composition import Features
from renewaltracker.ui.contact_log import ContactLogWidget
from renewaltracker.ui.household import HouseholdView
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.requests_view import RequestsTab
from renewaltracker.ui.spending_view import SpendingView, spending_figures


def details_shown(qtbot: QtBot, window: MainWindow) -> None:
    """Until the detail pane shows what it last asked its worker to read (at once when it asked for nothing)."""
    qtbot.waitUntil(lambda: not window.details.background.busy)


def open_details(qtbot: QtBot, window: MainWindow, subscription_id: int) -> None:
    """Select a subscription and wait for the detail pane to show it."""
    window.open_subscription(subscription_id)
    details_shown(qtbot, window)


def tab_read(qtbot: QtBot, tab: ContactLogWidget | RequestsTab) -> None:
    """Until a detail tab shows the rows it last asked its worker for (it must be in front to ask at all)."""
    qtbot.waitUntil(lambda: not tab.reads.busy and not tab.reads.waiting)


def requests_tab(features: Features) -> RequestsTab:
    """The window's Requests tab in the detail pane."""
    tabs = features.window.detail_tabs
    (tab,) = [tabs.widget(i) for i in range(tabs.count()) if isinstance(tabs.widget(i), RequestsTab)]
    assert isinstance(tab, RequestsTab)
    return tab


def loaded_window(qtbot: QtBot, features: Features) -> MainWindow:
    """The window shown, once its table has read every row."""
    window = features.window
    window.show()
    qtbot.waitUntil(lambda: window.model.loaded)
    return window


def front_tab(qtbot: QtBot, window: MainWindow, tab: ContactLogWidget | RequestsTab) -> None:
    """Bring a detail tab to the front (a hidden one does not read) and wait for its rows."""
    window.detail_tabs.setCurrentWidget(tab)
    tab_read(qtbot, tab)


def household_shown(qtbot: QtBot, features: Features) -> HouseholdView:
    """Show the window's Household view and wait for the figures its worker reads when it is first shown."""
    view = features.household.view
    assert view is not None
    features.window.show()
    with qtbot.waitSignal(view.background.applied):
        features.window.show_view(view)
    return view


def spending_shown(
    subscriptions: list[Subscription], today: date, home: str = "", rates: RateTable | None = None
) -> SpendingView:
    """A Spending page that has shown these subscriptions' figures, every step of its show run at once."""
    from renewaltracker.ui.formatting import Formatter

    view = SpendingView(Formatter("en_US"), lambda: today, lambda: subscriptions)
    view.deleteLater()  # once the example is done: a hundred examples' pages would pile up otherwise
    deque(view._show(spending_figures(subscriptions, {}, today, home, rates or RateTable([]), None)), maxlen=0)
    return view
