"""What a new user meets on a page with nothing to show: a sentence that says so, never an empty frame or chart."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import cast

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from renewaltracker.domain.events import events_between
from renewaltracker.domain.requests import RequestKind
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import Status, Subscription
from renewaltracker.i18n import _, install_language
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.ui.composition import Features
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.spending_view import SpendingView
from renewaltracker.ui.tray import tray_tooltip
from renewaltracker.ui.upcoming_view import UpcomingView
from tests.factories import make_subscription
from tests.ui.menus import action
from tests.ui.waiting import (
    front_tab,
    household_shown,
    loaded_window,
    open_details,
    requests_tab,
    spending_shown,
    tab_read,
)

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
    return spending_shown(subscriptions, TODAY)


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


SELECTION_ENTRIES = ("Draft e&mail", "&Log a support contact…", "&Household: who pays, who uses…", "&Attach a file…")


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
    (remove,) = [b for b in view.findChildren(QPushButton) if b.text() == "Re&move member"]
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


def test_the_requests_tab_says_what_to_select_and_how_to_open_a_first_request(
    qtbot: QtBot, context: AppContext, features: Features
) -> None:
    window = loaded_window(qtbot, features)
    tab = requests_tab(features)
    front_tab(qtbot, window, tab)
    # Before: an empty table under its headers and no word, where Contacts says what to select.
    assert tab.table.isHidden() and not tab.empty.isHidden()
    assert tab.empty.text() == "Select a subscription to see its requests."
    saved = context.service.add(make_subscription(name="Gym"))
    assert saved.id is not None
    open_details(qtbot, window, saved.id)
    tab_read(qtbot, tab)
    assert tab.table.isHidden() and not tab.empty.isHidden()
    assert "No requests yet" in tab.empty.text() and "Open request…" in tab.empty.text()
    assert tab.contacts.text() == ""  # not "No request selected." where there is none to select
    tab.requests.open(saved.id, RequestKind.REFUND)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert not tab.table.isHidden() and tab.empty.isHidden()


def test_an_empty_charge_history_says_so_and_how_to_record_a_charge(
    qtbot: QtBot, context: AppContext, features: Features
) -> None:
    details = (window := loaded_window(qtbot, features)).details
    today = context.clock.today()
    due = context.service.add(make_subscription(name="Due", anchor=today - timedelta(days=3)))
    ahead = context.service.add(make_subscription(name="Ahead", anchor=today + timedelta(days=3)))
    assert due.id is not None and ahead.id is not None
    open_details(qtbot, window, due.id)
    # Before: the "Charge history" heading over an empty table, and no word on how a charge gets there.
    assert details.history.isHidden() and not details.history_empty.isHidden()
    assert details.history_empty.text().startswith("No charges recorded yet")
    assert "button above" in details.history_empty.text() and details.record_button.isVisible()
    open_details(qtbot, window, ahead.id)
    assert details.history.isHidden() and not details.record_button.isVisible()
    assert "Once a charge date has passed" in details.history_empty.text()
    details.context.service.record_charge(ahead.id, today)
    qtbot.waitUntil(lambda: details.charges.rowCount() == 1)
    assert not details.history.isHidden() and details.history_empty.isHidden()


def test_the_details_of_an_empty_list_say_how_to_add_the_first_renewal(
    qtbot: QtBot, context: AppContext, features: Features
) -> None:
    details = (window := loaded_window(qtbot, features)).details
    # Before: "Select a renewal in the list…" over a list that has none to select.
    assert details.title.text() == "No renewals yet"
    assert "File → New renewal" in details.summary.text()
    saved = context.service.add(make_subscription(name="Gym"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert details.title.text() == "No subscription selected"
    assert "Select a renewal in the list" in details.summary.text()
    assert saved.id is not None
    open_details(qtbot, window, saved.id)
    context.service.delete(saved.id)
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)
    qtbot.waitUntil(lambda: details.title.text() == "No renewals yet")


@pytest.fixture(params=["en", "de", "fr"])
def language(request: pytest.FixtureRequest) -> str:
    """The interface language the window is built in (the autouse fixture puts English back)."""
    install_language(request.param)
    return str(request.param)


def test_the_household_says_how_to_add_a_first_member_and_ends_its_sentences_once(
    language: str, qtbot: QtBot, features: Features
) -> None:
    view = household_shown(qtbot, features)
    labels = [label.text() for label in view.findChildren(QLabel) if label.text()]
    # Before: the intro ended "who uses…." in every language, and an empty table stood under it with no hint.
    assert not [text for text in labels if re.search(r"…\s*\.", text)]
    assert view.table.isHidden() and not view.empty.isHidden()
    assert _("&Add member…").replace("&", "").rstrip("…") in view.empty.text()
    with qtbot.waitSignal(view.background.applied):
        features.household.household.add_member("Alice")
    assert not view.table.isHidden() and view.empty.isHidden()


def test_the_tray_tooltip_names_the_next_charge_beyond_its_days(
    qtbot: QtBot, context: AppContext, features: Features
) -> None:
    loaded_window(qtbot, features)
    icon = features.tray.icon
    qtbot.waitUntil(lambda: icon.toolTip() == "Renewal Tracker: no charges coming up")  # nothing at all: true
    later = context.clock.today() + timedelta(days=100)  # beyond the 30 days the tray looks ahead
    context.service.add(make_subscription(name="Insurance", anchor=later, amount=Decimal("120")))
    # Before: "no charges coming up", as if nothing would ever charge again.
    expected = f"Renewal Tracker\nNext charge: {features.window.formatter.date(later)}: Insurance, $120.00"
    qtbot.waitUntil(lambda: icon.toolTip() == expected)


@given(st.one_of(plans(running=False), plans(running=True)), st.integers(1, 400))
def test_the_tray_tooltip_names_the_first_charge_to_come_whatever_the_days(
    subscriptions: list[Subscription], days: int
) -> None:
    formatter = Formatter("en_US")
    text = tray_tooltip(subscriptions, {}, TODAY, days, formatter)
    upcoming = [(c, s.name, s.amount, s.currency) for s in subscriptions if (c := s.next_charge(TODAY)) is not None]
    if not upcoming:
        assert text == "Renewal Tracker: no charges coming up"
        return
    day, name, amount, currency = min(upcoming)
    assert text == f"Renewal Tracker\nNext charge: {formatter.date(day)}: {name}, {formatter.money(amount, currency)}"


def test_sync_now_with_no_server_set_up_opens_the_settings_and_says_so(
    qtbot: QtBot, context: AppContext, features: Features, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = loaded_window(qtbot, features).menu("tools")
    sync = action(tools, "Sync &now")
    opened: list[bool] = []
    monkeypatch.setattr(features.calendar, "settings", lambda: opened.append(True))
    tools.aboutToShow.emit()
    # Before: no word on what the entry does with no server set up (it opens the settings, the one way on).
    assert "opens the calendar sync settings" in sync.statusTip() and sync.toolTip() == sync.statusTip()
    sync.trigger()
    assert opened == [True] and features.calendar._job is None  # nothing sent, nothing failed
    context.service.set_settings({"caldav_url": "https://dav.example/", "caldav_user": "me"})
    tools.aboutToShow.emit()
    assert sync.statusTip() == "Send your renewals to the CalDAV calendar now"
