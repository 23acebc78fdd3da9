"""The detail pane's price steps: a step added there prices the upcoming charges after its date."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from renewaltracker.domain.clock import FixedClock
from renewaltracker.ui import price_steps
from renewaltracker.ui.main_window import MainWindow
from tests.factories import make_subscription
from tests.ui.waiting import details_shown, open_details


def _charges(window: MainWindow, name: str) -> list[tuple[date, str]]:
    model = window.upcoming.model
    return [
        (r.event.date, model.index(row, model.column("amount")).data())
        for row, r in enumerate(model.records())
        if r.event.name == name and model.index(row, model.column("amount")).data()
    ]


def test_a_step_added_in_the_detail_pane_prices_later_upcoming_charges(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = window.context.service
    saved = service.add(make_subscription(name="Netflix", amount=Decimal("15.49"), anchor=date(2026, 1, 5)))
    assert saved.id is not None
    open_details(qtbot, window, saved.id)
    steps = window.details.price_steps
    assert steps.isVisible() and steps.model.rowCount() == 0
    monkeypatch.setattr(price_steps, "ask_price_step", lambda *a: (date(2026, 4, 10), Decimal("17.99")))
    steps.add_button.click()
    details_shown(qtbot, window)
    window.show_view(window.upcoming)
    window.upcoming.days_spin.setValue(90)
    window.upcoming.refresh_now()
    assert _charges(window, "Netflix")[:2] == [(date(2026, 4, 5), "$15.49"), (date(2026, 5, 5), "$17.99")]
    shown = [(r.effective, r.amount, r.state) for r in steps.model.records()]
    assert shown == [(date(2026, 4, 10), Decimal("17.99"), "planned"), (date(2026, 1, 5), Decimal("15.49"), "in force")]
    # The table still shows today's price; the detail pane names the planned rise.
    assert (
        "Price rises" in window.details.summary.text() and "to $17.99 on Apr 10, 2026" in window.details.summary.text()
    )
    amount = window.model.index(0, window.model.column("amount")).data()
    assert amount == "$15.49"
    # Removing the step brings the old price back for May.
    steps.table.selectRow(0)
    steps.remove_button.click()
    details_shown(qtbot, window)
    window.upcoming.refresh_now()
    assert _charges(window, "Netflix")[1] == (date(2026, 5, 5), "$15.49")


def test_the_amount_column_shows_the_price_in_force_once_a_planned_step_date_passes(
    window: MainWindow, clock: FixedClock
) -> None:
    service = window.context.service
    saved = service.add(make_subscription(name="Streamly", amount=Decimal("1.99"), anchor=date(2026, 3, 1)))
    assert saved.id is not None
    service.change_price(saved.id, Decimal("9.99"), date(2026, 6, 1))
    assert service.get(saved.id).amount == Decimal("1.99")  # the stored amount: the price when last saved
    clock.set(datetime(2026, 6, 2, 9, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    window.model.refresh()
    assert window.model.index(0, window.model.column("amount")).data() == "$9.99"
