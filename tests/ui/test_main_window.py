"""The main window: table, filters, selection, delete with undo, shortcuts, remembered layout, empty state."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QFocusEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QToolButton
from pytestqt.qtbot import QtBot

from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import ChargeStatus, Status, StatusChange
from renewaltracker.ui.main_window import MainWindow, window_settings
from renewaltracker.ui.table_model import ID_ROLE
from tests.factories import make_subscription
from tests.ui.waiting import details_shown, open_details


def add_three(window: MainWindow) -> list[int]:
    service = window.context.service
    subs = [
        make_subscription(name="Netflix", vendor="Netflix", category="Streaming", amount=Decimal("15.49")),
        make_subscription(
            name="Gym", category="Health", amount=Decimal("39.00"), currency="EUR", anchor=date(2026, 3, 12)
        ),
        make_subscription(name="Old cloud", category="Cloud", status=Status.CANCELLED, cancelled_on=date(2026, 2, 1)),
    ]
    ids = []
    for subscription in subs:
        saved = service.add(subscription)
        assert saved.id is not None
        ids.append(saved.id)
    return ids


def visible_names(window: MainWindow) -> list[str]:
    proxy = window.subscriptions.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def test_empty_state_invites_the_first_renewal(qtbot: QtBot, window: MainWindow) -> None:
    view = window.subscriptions
    assert view.stack.currentWidget() is view.empty
    texts = " ".join(label.text() for label in view.empty.findChildren(QLabel))
    assert "Add your first renewal" in texts
    window.context.service.add(make_subscription())
    assert view.stack.currentWidget() is view.table


def test_table_shows_formatted_columns(qtbot: QtBot, window: MainWindow) -> None:
    add_three(window)
    model = window.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [
        "Name",
        "Vendor",
        "Category",
        "Amount",
        "Cycle",
        "Next charge",
        "Days left",
        "Status",
        "Last used",
    ]
    gym = model.row_of_id(2)
    assert gym is not None
    row = [model.index(gym, c).data() for c in range(model.columnCount())]
    assert row == ["Gym", "", "Health", "€39.00", "Monthly", "Mar 12, 2026", "2 days", "Active", ""]


def test_search_status_and_category_filters(qtbot: QtBot, window: MainWindow) -> None:
    add_three(window)
    view = window.subscriptions
    qtbot.keyClicks(view.search, "netf")
    assert visible_names(window) == ["Netflix"]
    view.search.clear()
    view.status_filter.setCurrentIndex(view.status_filter.findData(Status.CANCELLED.value))
    assert visible_names(window) == ["Old cloud"]
    view.status_filter.setCurrentIndex(0)
    view.category_filter.setCurrentIndex(view.category_filter.findData("Health"))
    assert visible_names(window) == ["Gym"]
    qtbot.keyClicks(view.search, "zzz")
    assert view.stack.currentWidget() is view.no_match
    view.clear_filters()
    assert len(visible_names(window)) == 3


@pytest.mark.parametrize("how", ["focus", "typed", "set"])
def test_the_search_box_has_its_clear_button_once_focused_or_filled(qtbot: QtBot, window: MainWindow, how: str) -> None:
    """Added late (its icon loads the icon theme): by the time the box shows a text, the button is there."""
    add_three(window)
    search = window.subscriptions.search
    assert not search.isClearButtonEnabled()
    if how == "focus":
        QApplication.sendEvent(search, QFocusEvent(QEvent.Type.FocusIn, Qt.FocusReason.MouseFocusReason))
    elif how == "typed":
        qtbot.keyClicks(search, "netf")
    else:
        search.setText("netf")
    assert search.isClearButtonEnabled()
    if how != "focus":
        assert visible_names(window) == ["Netflix"]
        clear = search.findChild(QAction, "_q_qlineeditclearaction")  # Qt's name for it
        button = next(b for b in search.findChildren(QToolButton) if b.defaultAction() is clear)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert search.text() == "" and len(visible_names(window)) == 3


def test_sorting_by_next_charge_and_amount(qtbot: QtBot, window: MainWindow) -> None:
    add_three(window)
    window.subscriptions.table.sortByColumn(window.model.column("next_charge"), Qt.SortOrder.AscendingOrder)
    assert visible_names(window) == ["Gym", "Netflix", "Old cloud"]  # no next charge sorts last
    window.subscriptions.table.sortByColumn(window.model.column("name"), Qt.SortOrder.DescendingOrder)
    assert visible_names(window) == ["Old cloud", "Netflix", "Gym"]


def test_selection_drives_the_detail_pane_and_signal(qtbot: QtBot, window: MainWindow) -> None:
    netflix, _, _ = add_three(window)
    with qtbot.waitSignal(window.selection_changed) as blocker:
        window.open_subscription(netflix)
    assert blocker.args == [netflix]
    assert window.selected_subscription_id() == netflix
    assert window.details.title.text() == "Netflix"  # at once, from the table: the rest comes from the worker
    details_shown(qtbot, window)
    assert "Streaming" in window.details.summary.text()
    # A filter hiding the row is cleared when something asks to open it.
    qtbot.keyClicks(window.subscriptions.search, "gym")
    window.open_subscription(netflix)
    assert window.selected_subscription_id() == netflix


def test_edit_cancel_and_delete_with_undo(qtbot: QtBot, window: MainWindow) -> None:
    netflix, _, _ = add_three(window)
    service = window.context.service
    window.open_subscription(netflix)
    service.record_charge(netflix, date(2026, 2, 28), status=ChargeStatus.CHARGED)
    assert window.commands.pause.isEnabled() and not window.commands.resume.isEnabled()
    window.commands.pause.trigger()
    assert service.get(netflix).status is Status.PAUSED
    assert window.commands.resume.isEnabled()
    window.commands.resume.trigger()
    assert service.get(netflix).status is Status.ACTIVE
    with qtbot.waitSignal(window.context.signals.changed):
        window.commands.delete.trigger()
    assert "Netflix" not in visible_names(window)
    assert window.commands.undo_bar.isVisible() and "Netflix" in window.commands.undo_bar.label.text()
    qtbot.mouseClick(window.commands.undo_bar.button, Qt.MouseButton.LeftButton)
    restored = next(s for s in service.all() if s.name == "Netflix")
    assert restored.id is not None and len(service.charges(restored.id)) == 1
    assert window.selected_subscription_id() == restored.id
    assert not window.commands.undo_bar.isVisible()


def test_a_pause_with_an_end_can_be_resumed_early_from_the_window(qtbot: QtBot, window: MainWindow) -> None:
    from datetime import timedelta

    netflix, _, _ = add_three(window)
    service = window.context.service
    today = window.context.clock.today()
    service.pause(netflix, today - timedelta(days=3), today + timedelta(days=60))
    window.open_subscription(netflix)
    qtbot.waitUntil(window.commands.resume.isEnabled)
    window.commands.resume.trigger()
    resumed = service.get(netflix)
    assert resumed.status_on(today) is Status.ACTIVE and not any(p.covers(today) for p in resumed.pauses)
    assert not window.commands.resume.isEnabled()


@pytest.mark.parametrize("status", list(Status))
def test_status_actions_follow_the_domain_rule(window: MainWindow, status: Status) -> None:
    extra = {
        Status.ACTIVE: {},
        Status.TRIAL: {"trial_end": date(2026, 4, 1)},
        Status.PAUSED: {"pauses": (Pause(date(2026, 3, 1)),)},
        Status.CANCELLED: {"cancelled_on": date(2026, 3, 1)},
    }[status]
    saved = window.context.service.add(make_subscription(status=status, **extra))
    assert saved.id is not None
    window.open_subscription(saved.id)
    enabled = {change for change, action in window.commands.status_actions().items() if action.isEnabled()}
    assert enabled == saved.allowed_changes() and enabled
    dialog = window.commands.edit_id(saved.id)
    assert dialog is not None
    buttons = {
        StatusChange.CANCEL: dialog.cancel_sub_button,
        StatusChange.PAUSE: dialog.pause_button,
        StatusChange.RESUME: dialog.resume_button,
    }
    assert {change for change, button in buttons.items() if button.isEnabled()} == enabled


def test_enter_and_double_click_open_the_editor(qtbot: QtBot, window: MainWindow) -> None:
    netflix, _, _ = add_three(window)
    window.open_subscription(netflix)
    window.subscriptions.table.setFocus()
    qtbot.keyClick(window.subscriptions.table, Qt.Key.Key_Return)
    dialog = window.commands.dialog
    assert dialog is not None and dialog.isVisible() and dialog.name_edit.text() == "Netflix"
    dialog.reject()


def test_shortcuts_for_common_actions(window: MainWindow) -> None:
    actions = window.commands
    assert actions.new.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert actions.edit.shortcut() == QKeySequence("Ctrl+E")
    assert actions.delete.shortcut() == QKeySequence(QKeySequence.StandardKey.Delete)
    assert actions.find.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert window.quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    actions.find.trigger()
    assert window.subscriptions.search.hasFocus() or window.focusWidget() is window.subscriptions.search


def test_every_control_has_an_accessible_name(window: MainWindow) -> None:
    view = window.subscriptions
    for widget in (
        view.search,
        view.status_filter,
        view.category_filter,
        view.table,
        window.calendar.grid,
        window.upcoming.table,
        window.details.history,
    ):
        assert widget.accessibleName()


def test_window_layout_and_column_widths_are_remembered(qtbot: QtBot, context: object, window: MainWindow) -> None:
    window.subscriptions.table.setColumnWidth(0, 321)
    window.close()
    assert window_settings().value("geometry") == window.saveGeometry()
    assert window_settings().value("splitter") == window.splitter.saveState()
    again = MainWindow(window.context, formatter=window.formatter)
    qtbot.addWidget(again)
    assert again.subscriptions.table.columnWidth(0) == 321


def test_add_detail_tab_follows_the_selection(qtbot: QtBot, window: MainWindow) -> None:
    _, gym, _ = add_three(window)

    class Probe(QLabel):
        def set_subscription(self, subscription_id: int | None) -> None:
            self.setText(str(subscription_id))

    probe = Probe()
    window.add_detail_tab(probe, "Probe")
    window.open_subscription(gym)
    assert probe.text() == str(gym)
    assert window.subscriptions.proxy.index(0, 0).data(ID_ROLE) is not None


def test_filtering_swaps_in_the_proxy_and_keeps_selection_widths_and_order(qtbot: QtBot, window: MainWindow) -> None:
    netflix, gym, _ = add_three(window)
    view = window.subscriptions
    assert view.table.model() is window.model  # unfiltered: no proxy in the way
    view.table.setColumnWidth(1, 250)  # the name column stretches; the others keep a width
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    window.open_subscription(netflix)
    qtbot.keyClicks(view.search, "t")  # Netflix (streaming) and Gym (health) match, Old cloud does not
    assert view.table.model() is view.proxy
    assert window.selected_subscription_id() == netflix
    assert view.table.columnWidth(1) == 250
    assert [view.table.model().index(r, 0).data() for r in range(view.table.model().rowCount())] == [
        "Netflix",
        "Gym",
    ]
    view.search.clear()
    assert view.table.model() is window.model and window.selected_subscription_id() == netflix
    assert view.table.columnWidth(1) == 250
    window.open_subscription(gym)
    with qtbot.waitSignal(window.selection_changed) as blocker:
        qtbot.keyClicks(view.search, "netflix")
    assert blocker.args == [None]  # the selected row was filtered away


def test_a_different_charge_is_read_with_thousands_separators(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    netflix, _, _ = add_three(window)
    open_details(qtbot, window, netflix)
    pane = window.details
    assert pane.due
    monkeypatch.setattr("renewaltracker.ui.detail_pane.ask_text", lambda *a, **k: ("1,299.00", True))
    asked: list[str] = []
    monkeypatch.setattr("renewaltracker.ui.charge_history.ask_yes_no", lambda _p, _t, q: asked.append(q) or False)
    pane._record_different()
    assert pane.problem.isHidden()
    assert [c.amount for c in window.context.service.charges(netflix)] == [Decimal("1299.00")]
    # A charge at a new amount offers to make it the plan's price; declined, the price stays.
    assert len(asked) == 1 and "its price from that date on" in asked[0]
    assert window.context.service.get(netflix).amount != Decimal("1299.00")
