"""Calendar, upcoming list, spending overview and charge history over a known set of subscriptions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication, QRect, Qt, QThread
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from pytestqt.qtbot import QtBot

from renewaltracker.domain.events import Event, EventKind
from renewaltracker.domain.subscription import ChargeStatus
from renewaltracker.ui import calendar_view
from renewaltracker.ui.calendar_view import MARKER_COLOURS, MonthFigures, MonthGrid
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.widgets import from_qdate, to_qdate
from tests.factories import make_subscription
from tests.ui.waiting import details_shown, open_details


def known_set(window: MainWindow) -> dict[str, int]:
    """Gym (EUR, 30 days' notice) charges on the 20th, Netflix (USD, 14-day refunds) on the 5th, News trial."""
    service = window.context.service
    subs = [
        make_subscription(
            name="Gym",
            amount=Decimal("39.00"),
            currency="EUR",
            anchor=date(2026, 1, 20),
            notice_days=30,
            category="Health",
        ),
        make_subscription(
            name="Netflix", amount=Decimal("15.49"), anchor=date(2026, 1, 5), refund_days=14, category="Streaming"
        ),
        make_subscription(
            name="News",
            amount=Decimal("4.00"),
            anchor=date(2026, 3, 20),
            trial_end=date(2026, 3, 20),
            interval="1 year",
            split_between=2,
            category="News",
        ),
    ]
    ids = {}
    for subscription in subs:
        saved = service.add(subscription)
        assert saved.id is not None
        ids[saved.name] = saved.id
    return ids


def test_calendar_shows_markers_and_amounts_for_a_known_date(qtbot: QtBot, window: MainWindow) -> None:
    known_set(window)
    window.show_view(window.calendar)
    calendar = window.calendar
    with qtbot.waitSignal(calendar.background.applied):  # expanded on the view's worker thread
        calendar.show_month(2026, 3)
    grid = calendar.grid
    assert grid.markers_on(date(2026, 3, 20)) == [EventKind.TRIAL_END, EventKind.CHARGE, EventKind.CHARGE]
    assert grid.markers_on(date(2026, 3, 21)) == [EventKind.CANCEL_BY]  # for the 20 April gym charge
    assert grid.markers_on(date(2026, 3, 19)) == [EventKind.REFUND_WINDOW_END]  # 14 days after 5 March
    colours = {colour.name() for colour, _ in grid.cell_lines(date(2026, 3, 20))}
    assert colours == {MARKER_COLOURS[EventKind.TRIAL_END].name(), MARKER_COLOURS[EventKind.CHARGE].name()}
    texts = [text for _, text in grid.cell_lines(date(2026, 3, 20))]
    assert "● €39.00 Gym" in texts and "● $4.00 News" in texts
    assert calendar.month_totals() == {"EUR": Decimal("39.00"), "USD": Decimal("19.49")}
    assert "€39.00" in calendar.total_label.text() and "$19.49" in calendar.total_label.text()
    # Paint single cells as the grid does and look for each marker's colour in them.
    for day, kind in (
        (date(2026, 3, 21), EventKind.CANCEL_BY),
        (date(2026, 3, 19), EventKind.REFUND_WINDOW_END),
        (date(2026, 3, 5), EventKind.CHARGE),
    ):
        assert MARKER_COLOURS[kind].name() in painted_colours(grid, day)
    assert MARKER_COLOURS[EventKind.CHARGE].name() not in painted_colours(grid, date(2026, 3, 21))


def painted_colours(grid: MonthGrid, day: date) -> set[str]:
    image = QImage(160, 90, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    grid.paintCell(painter, QRect(0, 0, 160, 90), to_qdate(day))
    painter.end()
    return {QColor(image.pixel(x, y)).name() for x in range(image.width()) for y in range(image.height())}


def test_calendar_day_list_and_double_click_opens(qtbot: QtBot, window: MainWindow) -> None:
    ids = known_set(window)
    window.show_view(window.calendar)
    calendar = window.calendar
    with qtbot.waitSignal(calendar.background.applied):
        calendar.show_month(2026, 3)
    calendar.select_day(date(2026, 3, 5))
    model = calendar.day_model
    renewal = model.column("renewal")
    assert [model.index(r, renewal).data() for r in range(model.rowCount())] == ["Netflix"]
    assert "Thursday, March 5, 2026" in calendar.day_label.text()
    index = calendar.day_table.model().index(0, renewal)
    rect = calendar.day_table.visualRect(index)
    # A real double-click starts with a press; item views ignore a lone double-click event.
    qtbot.mouseClick(calendar.day_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(window.selection_changed) as blocker:
        qtbot.mouseDClick(calendar.day_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [ids["Netflix"]]
    assert window.views.currentWidget() is window.subscriptions


def test_calendar_month_navigation(qtbot: QtBot, window: MainWindow) -> None:
    known_set(window)
    window.show_view(window.calendar)
    with qtbot.waitSignal(window.calendar.background.applied):
        window.calendar.show_month(2026, 3)
    with qtbot.waitSignal(window.calendar.background.applied):
        window.calendar.next_month()
    assert window.calendar.month_start() == date(2026, 4, 1)
    assert "April 2026" in window.calendar.total_label.text()
    # The gym charge, and the cancel-by deadline of the May charge.
    assert window.calendar.grid.markers_on(date(2026, 4, 20)) == [EventKind.CANCEL_BY, EventKind.CHARGE]


def test_turning_the_page_lists_a_day_of_the_month_shown_with_its_events(qtbot: QtBot, window: MainWindow) -> None:
    """The day list under the grid never names a day of a month no longer shown, nor calls a busy day free."""
    known_set(window)
    calendar = window.calendar
    window.show_view(calendar)
    with qtbot.waitSignal(calendar.background.applied):
        calendar.show_month(2026, 3)
    calendar.select_day(date(2026, 3, 20))
    assert calendar.day_model.rowCount() == 3
    with qtbot.waitSignal(calendar.background.applied):
        calendar.grid.showNextMonth()  # the arrow above the grid
    assert from_qdate(calendar.grid.selectedDate()) == date(2026, 4, 20)
    assert "Monday, April 20, 2026" in calendar.day_label.text() and "2 events" in calendar.day_label.text()
    assert calendar.day_model.rowCount() == 2  # the gym charge and the cancel-by deadline of May's
    with qtbot.waitSignal(calendar.background.applied):
        calendar.grid.setCurrentPage(2026, 2)  # the month menu: February has no 20th's event but a 5th's
    assert from_qdate(calendar.grid.selectedDate()) == date(2026, 2, 20)
    calendar.grid.setSelectedDate(to_qdate(date(2026, 1, 31)))  # a click on a grey day turns the page back
    with qtbot.waitSignal(calendar.background.applied):
        calendar.grid.showNextMonth()
    assert from_qdate(calendar.grid.selectedDate()) == date(2026, 2, 28)  # the 31st clipped to the month's end
    assert calendar.day_model.rowCount() == len(calendar.grid.events_on(date(2026, 2, 28)))


def test_calendar_expands_on_its_worker_and_drops_a_page_turned_away_from(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    known_set(window)
    on_gui_thread: list[bool] = []
    expand = calendar_view.events_between

    def watched(*args: Any) -> Any:
        on_gui_thread.append(QThread.currentThread() is QCoreApplication.instance().thread())  # type: ignore[union-attr]
        return expand(*args)

    monkeypatch.setattr(calendar_view, "events_between", watched)
    calendar = window.calendar
    window.show_view(calendar)
    with qtbot.waitSignal(calendar.background.applied):
        calendar.show_month(2026, 3)
    assert on_gui_thread and not any(on_gui_thread)
    march = MonthFigures(date(2026, 3, 1), [], {})  # an empty March, as if read before the page turned
    calendar.grid.setCurrentPage(2026, 4)  # the page turns while March's figures are on their way
    calendar._show(march)
    assert calendar.grid.markers_on(date(2026, 3, 20))  # March's result was dropped: the grid kept its events
    qtbot.waitUntil(lambda: "April 2026" in calendar.total_label.text())


def test_upcoming_list_with_running_totals(qtbot: QtBot, window: MainWindow) -> None:
    known_set(window)
    window.show_view(window.upcoming)
    upcoming = window.upcoming
    upcoming.days_spin.setValue(30)
    upcoming.refresh()
    model = upcoming.model
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    charges = [(row[3], row[4], row[5]) for row in rows if row[2].endswith("Charge")]
    assert charges == [("Gym", "€39.00", "€39.00"), ("News", "$4.00", "$4.00"), ("Netflix", "$15.49", "$19.49")]
    assert "€39.00 + $19.49" in upcoming.total_label.text()
    assert rows[0][1] == "9 days"  # the refund window of the 5 March Netflix charge ends on the 19th


def test_upcoming_follows_the_days_chooser_arrows_at_once(qtbot: QtBot, window: MainWindow) -> None:
    """A click on the chooser's arrows lists the new span; the list never disagrees with the number shown."""
    known_set(window)
    upcoming = window.upcoming
    window.show_view(upcoming)
    upcoming.days_spin.setValue(9)
    upcoming.days_spin.editingFinished.emit()
    assert "€" not in upcoming.total_label.text()
    upcoming.days_spin.stepBy(11)  # an arrow clicked eleven times: no editingFinished
    qtbot.waitUntil(lambda: "€39.00" in upcoming.total_label.text())  # the gym's charge on the 20th
    assert window.context.service.setting("upcoming_days") == 20


def test_upcoming_days_is_a_setting(qtbot: QtBot, window: MainWindow) -> None:
    window.upcoming.days_spin.setValue(45)
    window.upcoming.days_spin.editingFinished.emit()
    assert window.context.service.setting("upcoming_days") == 45


def test_spending_totals_are_right_for_a_known_set(qtbot: QtBot, window: MainWindow) -> None:
    known_set(window)
    with qtbot.waitSignal(window.spending.background.applied):  # worked out on the view's worker thread
        window.show_view(window.spending)
    spending = window.spending
    text = spending.totals_label.text()
    # Gym 39 €/month; Netflix 15.49 $/month; News 4 $/year split by two = 2 $/year.
    assert "per year: <b>€468.00 + $187.88</b>" in text
    assert "Per month: <b>€39.00 + $15.66</b>" in text
    categories = spending.categories
    name, per_year = categories.column("category"), categories.column("per_year")
    rows = {
        categories.index(r, name).data(): categories.index(r, per_year).data() for r in range(categories.rowCount())
    }
    assert rows == {"Health": "€468.00", "Streaming": "$185.88", "News": "$2.00"}
    assert spending.currency_combo.currentText() == "USD"  # two of the three are billed in dollars
    chart = spending.months_chart.chart()
    assert len(chart.series()) == 1
    values = [chart.series()[0].barSets()[0].at(i) for i in range(12)]
    assert values[0] == 2.0 and values[1] == 15.49  # March: News share; April: Netflix
    expensive = spending.expensive
    assert expensive.index(0, 0).data() == "Netflix"
    renewals = spending.renewals
    assert [renewals.index(r, 0).data() for r in range(3)] == ["Gym", "News", "Netflix"]


def test_spending_leaves_unchanged_tables_and_charts_alone_and_redraws_what_changed(
    qtbot: QtBot, window: MainWindow
) -> None:
    ids = known_set(window)
    with qtbot.waitSignal(window.spending.background.applied):
        window.show_view(window.spending)
    spending = window.spending
    resets: list[str] = []
    for name in ("categories", "expensive", "renewals", "savings"):
        getattr(spending, name).modelReset.connect(lambda name=name: resets.append(name))
    series = spending.months_chart.chart().series()[0]
    with qtbot.waitSignal(spending.background.applied):
        spending.refresh_now()  # the same figures again
    assert resets == []
    assert spending.months_chart.chart().series()[0] is series  # not rebuilt
    window.context.service.edit(ids["Netflix"], amount=Decimal("20.00"))
    qtbot.waitUntil(lambda: "expensive" in resets)
    qtbot.waitUntil(lambda: not spending.background.busy)
    assert set(resets) == {"categories", "expensive", "renewals"}  # the savings did not change
    values = spending.months_chart.chart().series()[0].barSets()[0]
    assert values.at(1) == 20.0  # April: Netflix at its new price


def test_record_charge_in_one_click_and_price_changes_show(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[object] = []
    monkeypatch.setattr(
        "renewaltracker.ui.detail_pane.ask_reference", lambda parent, hold: asked.append(parent) or ("INV-9", True)
    )
    ids = known_set(window)
    service = window.context.service
    open_details(qtbot, window, ids["Netflix"])
    details = window.details
    assert details.record_button.isVisible()
    assert "Mar 5, 2026" in details.record_action.text() and "$15.49" in details.record_action.text()
    with qtbot.waitSignal(window.context.signals.changed):
        details.record_action.trigger()
    (charge,) = [c for c in service.charges(ids["Netflix"]) if c.date == date(2026, 3, 5)]
    assert charge.amount == Decimal("15.49") and charge.status is ChargeStatus.CHARGED
    # Recording asks for the optional reference.
    assert len(asked) == 1 and charge.reference == "INV-9"
    # Older gaps before a recorded charge are history, not a to-do.
    details_shown(qtbot, window)
    assert not details.record_button.isVisible() and not details.due


def test_price_change_shows_in_history_and_details(qtbot: QtBot, window: MainWindow) -> None:
    ids = known_set(window)
    service = window.context.service
    service.record_charge(ids["Netflix"], date(2026, 2, 5), Decimal("13.99"))
    open_details(qtbot, window, ids["Netflix"])
    details = window.details
    assert details.record_charge(Decimal("15.49"))
    details_shown(qtbot, window)
    model = details.charges
    amounts = [model.index(r, model.column("amount")) for r in range(model.rowCount())]
    # An arrow by the risen amount; the change's figures in its tooltip and in what a screen reader says.
    assert [index.data() for index in amounts] == ["▲ $15.49", "$13.99"]
    assert amounts[0].data(Qt.ItemDataRole.ToolTipRole) == "Price change: +$1.50 (+10.7 %)"
    assert amounts[0].data(Qt.ItemDataRole.AccessibleTextRole) == "$15.49, price change +$1.50 (+10.7 %)"
    assert amounts[1].data(Qt.ItemDataRole.ToolTipRole) == ""
    assert "Last price change" in details.summary.text() and "$13.99 → $15.49" in details.summary.text()
    assert not details.record_button.isVisible()


def test_not_charged_and_deadlines_in_details(qtbot: QtBot, window: MainWindow) -> None:
    ids = known_set(window)
    open_details(qtbot, window, ids["Gym"])
    details = window.details
    assert "Cancel by" in details.summary.text() and "Mar 21, 2026" in details.summary.text()
    assert details.record_charge(status=ChargeStatus.NOT_CHARGED)
    (charge,) = window.context.service.charges(ids["Gym"])
    assert charge.status is ChargeStatus.NOT_CHARGED and charge.date == date(2026, 2, 20)
    open_details(qtbot, window, ids["Netflix"])
    assert "open until Mar 19, 2026" in details.summary.text()


def test_record_from_the_menu_and_a_bad_amount_is_named(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("renewaltracker.ui.detail_pane.ask_reference", lambda parent, hold: ("", True))
    ids = known_set(window)
    open_details(qtbot, window, ids["Netflix"])
    assert window.commands.record.isEnabled()
    assert not window.details.record_charge("ten dollars")
    assert window.details.problem.isVisible() and "'ten dollars' is not a number" in window.details.problem.text()
    assert window.context.service.charges(ids["Netflix"]) == []
    with qtbot.waitSignal(window.context.signals.changed):
        window.commands.record.trigger()
    assert [c.amount for c in window.context.service.charges(ids["Netflix"])] == [Decimal("15.49")]
    assert not window.details.problem.isVisible()
    details_shown(qtbot, window)
    assert not window.commands.record.isEnabled()


def test_calendar_cells_follow_a_dark_palette(qtbot: QtBot, window: MainWindow) -> None:
    known_set(window)
    window.show_view(window.calendar)
    with qtbot.waitSignal(window.calendar.background.applied):
        window.calendar.show_month(2026, 3)
    grid = window.calendar.grid
    dark = QPalette(grid.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    grid.setPalette(dark)
    colours = painted_colours(grid, date(2026, 3, 20))
    # The dark background, the light day number, and the markers in their own colours.
    assert {"#1e1e1e", "#e6e6e6", MARKER_COLOURS[EventKind.CHARGE].name()} <= colours
    assert "#ffffff" not in colours


def test_a_cell_formats_only_the_lines_it_shows_and_forgets_them_with_new_events(
    qtbot: QtBot, formatter: Formatter
) -> None:
    grid = MonthGrid(formatter, date(2026, 3, 1))
    qtbot.addWidget(grid)
    day = date(2026, 3, 20)

    def event(name: str, amount: str) -> Event:
        return Event(day, EventKind.CHARGE, 1, name, Decimal(amount), "USD", day)

    grid.set_events([event("Alpha", "1.00"), event("Beta", "2.00"), event("Gamma", "3.00")])
    first = grid.cell_lines(day, 1)
    assert [text for _, text in first] == ["● $1.00 Alpha"]
    assert [text for _, text in grid.cell_lines(day)] == ["● $1.00 Alpha", "● $2.00 Beta", "● $3.00 Gamma"]
    grid.set_events([event("Delta", "4.00")])
    assert [text for _, text in grid.cell_lines(day)] == ["● $4.00 Delta"]


@pytest.mark.parametrize(
    ("today", "last"),
    [
        (date(2026, 3, 20), date(2027, 3, 19)),
        (date(2028, 2, 29), date(2029, 2, 28)),
        (date(2026, 12, 31), date(2027, 12, 30)),
    ],
)
def test_spending_lists_a_renewal_on_the_last_day_of_the_twelve_months(today: date, last: date) -> None:
    from datetime import timedelta

    from renewaltracker.domain.exchange import RateTable
    from renewaltracker.ui.spending_view import spending_figures

    # "The next 12 months" end the day before the same date next year, not at the first of that month.
    inside = make_subscription(name="Inside", anchor=last, interval="1 year")
    after = make_subscription(name="After", anchor=last + timedelta(days=1), interval="1 year")
    figures = spending_figures([inside, after], {}, today, "", RateTable([]), None)
    assert [renewal.subscription.name for renewal in figures.renewals] == ["Inside"]


statuses = st.sampled_from(["active", "trial", "paused", "cancelled"])


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["USD", "EUR", "JPY"]),
            st.sampled_from(["1 week", "1 month", "3 months", "1 year"]),
            st.dates(date(2025, 1, 1), date(2027, 6, 30)),
            statuses,
            st.dates(date(2026, 1, 1), date(2027, 6, 30)),
            st.one_of(st.none(), st.integers(2, 4)),
        ),
        max_size=6,
    ),
    st.dates(date(2026, 1, 1), date(2026, 12, 31)),
)
def test_spending_projection_agrees_with_the_charges_upcoming_shows(plans: list[Any], today: date) -> None:
    from renewaltracker.domain.events import events_between
    from renewaltracker.domain.exchange import RateTable
    from renewaltracker.domain.schedule import Pause
    from renewaltracker.domain.spending import month_end, year_ahead_end
    from renewaltracker.domain.subscription import Status
    from renewaltracker.ui.spending_view import spending_figures

    # A cancellation effective next month leaves this month's charge to come: the projection counts it, as
    # Upcoming lists it; a pause or a past cancellation leaves none.
    subscriptions = []
    for number, (currency, every, anchor, status, day, split) in enumerate(plans, start=1):
        extra: dict[str, Any] = {}
        if status == "cancelled":
            extra = {"status": Status.CANCELLED, "cancelled_on": day}
        elif status == "paused":
            extra = {"status": Status.PAUSED, "pauses": (Pause(day),)}
        elif status == "trial":
            extra = {"status": Status.TRIAL, "anchor": None, "trial_end": anchor}
        subscriptions.append(
            make_subscription(
                **{"id": number, "currency": currency, "interval": every, "anchor": anchor, "split_between": split}
                | extra
            )
        )
    figures = spending_figures(subscriptions, {}, today, "", RateTable([]), None)
    by_id = {s.id: s for s in subscriptions}
    expected: dict[tuple[int, str], Decimal] = {}
    first = figures.first_month
    last = month_end(date(first.year + (first.month + 10) // 12, (first.month + 10) % 12 + 1, 1))
    for event in events_between(subscriptions, max(first, today), last):
        if event.kind is EventKind.CHARGE:
            index = (event.date.year - first.year) * 12 + event.date.month - first.month
            key = (index, event.currency)
            share = by_id[event.subscription_id].share_of(event.amount)
            expected[key] = expected.get(key, Decimal(0)) + share
    shown = {(index, code): value for index, month in enumerate(figures.months) for code, value in month.items()}
    assert shown == expected
    ahead = [e for e in events_between(subscriptions, today, year_ahead_end(today)) if e.kind is EventKind.CHARGE]
    assert sorted(d for r in figures.renewals for d in r.dates) == sorted(e.date for e in ahead)
    assert set(figures.codes) >= {code for month in figures.months for code in month}
