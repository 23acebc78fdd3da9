"""What a new user meets on a page with nothing to show: a sentence that says so, never an empty frame or chart."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import cast

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from renewaltracker.domain.events import events_between
from renewaltracker.domain.exchange import RateTable
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import Status, Subscription
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.ui.composition import Features
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.spending_view import SpendingView, spending_figures
from renewaltracker.ui.upcoming_view import UpcomingView
from tests.factories import make_subscription
from tests.ui.menus import action
from tests.ui.waiting import household_shown, open_details

TODAY = date(2026, 12, 1)


@st.composite
def plans(draw: st.DrawFn, *, running: bool) -> list[Subscription]:
    """Plans that charge nothing from today on (paused or cancelled today), plus one that runs when `running`."""
    found = []
    for number in range(1, draw(st.integers(0, 3)) + 2):
        stopped = not running or number > 1
        how = draw(st.sampled_from(["paused", "cancelled"])) if stopped else "running"
        found.append(
            make_subscription(
                id=number,
                name=f"Plan {number}",
                anchor=draw(st.dates(date(2024, 1, 1), TODAY + timedelta(days=900 if running else 0))),
                amount=Decimal(draw(st.integers(1, 9_999))),
                currency=draw(st.sampled_from(["USD", "EUR", "JPY"])),
                interval=draw(st.sampled_from(["1 week", "1 month", "1 year"])),
                status={"paused": Status.PAUSED, "cancelled": Status.CANCELLED}.get(how, Status.ACTIVE),
                pauses=(Pause(TODAY),) if how == "paused" else (),
                cancelled_on=TODAY if how == "cancelled" else None,
            )
        )
    return found if running or draw(st.booleans()) else []  # an empty list: the very first start


def _spending(subscriptions: list[Subscription]) -> SpendingView:
    view = SpendingView(Formatter("en_US"), lambda: TODAY, lambda: subscriptions)
    view.deleteLater()
    for _step in view._show(spending_figures(subscriptions, {}, TODAY, "", RateTable([]), None)):
        pass
    return view


@given(plans(running=False))
def test_spending_with_nothing_to_chart_says_so_instead_of_empty_charts(
    qapp: QApplication, subscriptions: list[Subscription]
) -> None:
    view = _spending(subscriptions)
    # Before: two charts with a 0-to-1 axis and no bars, and a "Charts in" list with nothing to choose.
    assert view.months_chart.isHidden() and view.category_chart.isHidden()
    assert view.currency_combo.isHidden() and view.charts_in_label.isHidden()
    assert not view.charts_note.isHidden()
    assert "active or in trial" in view.charts_note.text()


@given(plans(running=True))
def test_spending_with_a_running_plan_draws_its_charts(qapp: QApplication, subscriptions: list[Subscription]) -> None:
    view = _spending(subscriptions)
    for shown in (view.months_chart, view.category_chart, view.currency_combo, view.charts_in_label):
        assert not shown.isHidden()
    assert view.charts_note.isHidden()
    assert view.months_chart.chart().series()


def _upcoming(subscriptions: list[Subscription], days: int) -> UpcomingView:
    # The view reads only the clock and the look-ahead setting from its service.
    clock = SimpleNamespace(today=lambda: TODAY)
    service = SimpleNamespace(clock=clock, setting=lambda key: str(days), set_setting=lambda *a: None)
    view = UpcomingView(cast(SubscriptionService, service), Formatter("en_US"), lambda: subscriptions)
    view.deleteLater()
    view.refresh()
    return view


@given(st.one_of(plans(running=False), plans(running=True)), st.integers(1, 400))
def test_upcoming_with_nothing_due_says_so_and_names_the_next_charge(
    qapp: QApplication, subscriptions: list[Subscription], days: int
) -> None:
    view = _upcoming(subscriptions, days)
    events = events_between(subscriptions, TODAY, TODAY + timedelta(days=days))
    if events:
        assert view.empty_label.isHidden() and not view.table.isHidden()
        return
    # Before: an empty table under its headers, and nothing saying whether that is right.
    assert view.table.isHidden() and not view.empty_label.isHidden()
    text = view.empty_label.text()
    assert f"Nothing due in the next {days} day" in text
    upcoming = [(c, s.name) for s in subscriptions if (c := s.next_charge(TODAY)) is not None]
    if upcoming:
        day, name = min(upcoming)
        assert f"The next charge: {name} on {Formatter('en_US').date(day)}" in text
    elif subscriptions:
        assert "paused, cancelled or ended" in text
    else:
        assert "New renewal" in text


SELECTION_ENTRIES = ("&Draft email", "&Log a support contact…", "&Household: who pays, who uses…", "&Attach a file…")


def test_the_subscription_menu_offers_only_what_works_without_a_selection(
    qtbot: QtBot, context: AppContext, features: Features
) -> None:
    window = features.window
    window.show()
    qtbot.waitUntil(lambda: window.model.loaded)
    menu = window.menu("subscription")
    # Before: enabled on an empty list, where each could only answer "Select a subscription first."
    for text in SELECTION_ENTRIES:
        assert not action(menu, text).isEnabled(), text
    saved = context.service.add(make_subscription())
    assert saved.id is not None
    open_details(qtbot, window, saved.id)
    for text in SELECTION_ENTRIES:
        assert action(menu, text).isEnabled(), text
    window.subscriptions.table.clearSelection()
    qtbot.waitUntil(lambda: window.selected_subscription_id() is None)
    for text in SELECTION_ENTRIES:
        assert not action(menu, text).isEnabled(), text


def test_remove_member_is_offered_only_with_a_member_selected(qtbot: QtBot, features: Features) -> None:
    view = household_shown(qtbot, features)
    (remove,) = [b for b in view.findChildren(QPushButton) if b.text() == "&Remove member"]
    # Before: enabled over an empty list, and a click did nothing at all.
    assert not remove.isEnabled()
    with qtbot.waitSignal(view.background.applied):
        features.household.household.add_member("Alice")
    assert not remove.isEnabled()  # a member, but none chosen
    view.table.selectRow(0)
    assert remove.isEnabled()
    with qtbot.waitSignal(view.background.applied):
        remove.click()
    assert view.model.rowCount() == 0 and not remove.isEnabled()
