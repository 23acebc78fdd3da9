"""The detail pane reads and formats on its worker: the name shows at once, and a newer selection always wins."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from renewaltracker.domain.subscription import ChargeStatus
from renewaltracker.services import subscription_details
from renewaltracker.ui import detail_pane
from renewaltracker.ui.composition import Features
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.widgets import table_view
from tests.factories import make_subscription
from tests.ui.waiting import details_shown, open_details


def _two(window: MainWindow) -> tuple[int, int]:
    service = window.context.service
    first = service.add(make_subscription(name="Alpha", vendor="Alpha Vendor"))
    second = service.add(make_subscription(name="Beta", vendor="Beta Vendor"))
    assert first.id is not None and second.id is not None
    return first.id, second.id


def test_the_read_runs_on_the_worker_and_the_name_shows_at_once(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    alpha, _beta = _two(window)
    threads: list[threading.Thread] = []

    def recording(*args: Any) -> subscription_details.SubscriptionDetails:
        threads.append(threading.current_thread())
        return subscription_details.read_details(*args)

    monkeypatch.setattr(detail_pane, "read_details", recording)
    window.open_subscription(alpha)
    assert window.details.title.text() == "Alpha" and window.details.summary.text() == ""
    details_shown(qtbot, window)
    assert threads and all(thread is not threading.main_thread() for thread in threads)
    assert "Alpha Vendor" in window.details.summary.text()


def test_selecting_a_then_b_quickly_ends_on_b_and_never_shows_a(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    alpha, beta = _two(window)
    release = threading.Event()
    started = threading.Event()

    def slow_for_alpha(service: Any, subscription_id: int) -> subscription_details.SubscriptionDetails:
        if subscription_id == alpha:
            started.set()
            release.wait(5)  # Alpha's read finishes only after Beta was selected
        return subscription_details.read_details(service, subscription_id)

    monkeypatch.setattr(detail_pane, "read_details", slow_for_alpha)
    window.open_subscription(alpha)
    qtbot.waitUntil(started.is_set)
    window.open_subscription(beta)
    assert window.details.title.text() == "Beta"
    seen: list[str] = []
    for label in (window.details.title, window.details.summary):
        shown = label.setText
        # Every text the pane puts up from here on, however briefly.
        label.setText = lambda text, shown=shown: seen.append(text) or shown(text)  # type: ignore[method-assign]

    release.set()
    details_shown(qtbot, window)
    assert seen and not any("Alpha" in text for text in seen), seen
    details = window.details
    assert details.subscription is not None and details.subscription.id == beta
    assert details.title.text() == "Beta" and "Beta Vendor" in details.summary.text()
    assert "Alpha" not in details.summary.text()


def test_a_change_to_the_shown_subscription_is_read_again(qtbot: QtBot, window: MainWindow) -> None:
    alpha, _beta = _two(window)
    window.open_subscription(alpha)
    details_shown(qtbot, window)
    window.context.service.edit(alpha, vendor="Renamed Vendor")
    assert "Alpha Vendor" in window.details.summary.text()  # kept until the fresh read is back: no flicker
    details_shown(qtbot, window)
    assert "Renamed Vendor" in window.details.summary.text()


def test_a_deselection_drops_a_read_still_under_way(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    alpha, _beta = _two(window)
    release = threading.Event()

    def slow(service: Any, subscription_id: int) -> subscription_details.SubscriptionDetails:
        release.wait(5)
        return subscription_details.read_details(service, subscription_id)

    monkeypatch.setattr(detail_pane, "read_details", slow)
    window.open_subscription(alpha)
    window.details.set_subscription(None)
    release.set()
    details_shown(qtbot, window)
    assert window.details.subscription is None and window.details.title.text() == "No subscription selected"


def test_a_selection_compiles_its_letter_templates_on_a_worker_once_per_language(
    qtbot: QtBot, features: Features, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = features.window
    service = window.context.service
    english = service.add(make_subscription(name="Alpha"))
    german = service.add(make_subscription(name="Beta", letter_language="de"))
    other = service.add(make_subscription(name="Gamma"))
    window.load()
    preparer = features.letters.templates_ahead
    prepared: list[tuple[str, threading.Thread]] = []
    monkeypatch.setattr(
        preparer.templates, "prepare", lambda language: prepared.append((language, threading.current_thread()))
    )
    for subscription in (english, german, other):
        assert subscription.id is not None
        window.open_subscription(subscription.id)
        qtbot.waitUntil(lambda: not preparer.busy)
    assert [language for language, _thread in prepared] == ["en", "de"]
    assert all(thread is not threading.main_thread() for _language, thread in prepared)


def test_the_charge_history_is_fitted_as_qt_fits_columns_to_their_contents(qtbot: QtBot, window: MainWindow) -> None:
    service = window.context.service
    saved = service.add(make_subscription(name="Gym", amount=Decimal("9.99"), anchor=date(2024, 1, 5)))
    assert saved.id is not None
    for month in range(14):
        day = date(2024 + month // 12, month % 12 + 1, 5)
        amount = Decimal("9.99") if month < 6 else Decimal("1234.50") if month == 9 else Decimal("12.49")
        status = ChargeStatus.DISPUTED if month == 3 else ChargeStatus.CHARGED
        service.record_charge(saved.id, day, amount, reference=f"INV-{month * 7919}", status=status)
    open_details(qtbot, window, saved.id)
    history = window.details.history
    assert window.details.charges.rowCount() == 14
    # The same rows in a table as `table_view` makes it (every column fitted by Qt on each layout), beside it.
    reference = table_view(
        window.details.charges,
        "reference",
        window.details,
        stretch="reference",
        sort=("date", Qt.SortOrder.DescendingOrder),
    )
    reference.resize(history.size())
    reference.show()
    qtbot.waitUntil(lambda: reference.isVisible())
    header, expected = history.horizontalHeader(), reference.horizontalHeader()
    expected.resizeSections()
    fitted = [c for c in range(window.details.charges.columnCount()) if c != window.details.charges.column("reference")]
    assert [header.sectionSize(c) for c in fitted] == [expected.sectionSize(c) for c in fitted]
    assert all(header.sectionSize(c) > 20 for c in fitted)


def test_the_charge_history_shows_whole_references_in_the_default_layout(qtbot: QtBot, window: MainWindow) -> None:
    service = window.context.service
    saved = service.add(make_subscription(name="Gym", amount=Decimal("9.99"), anchor=date(2024, 1, 5)))
    assert saved.id is not None
    for month in range(1, 4):
        service.record_charge(saved.id, date(2024, month, 5), reference=f"INVOICE-2024-{month:02}-ACME-GYM-MEMBERSHIP")
    window.resize(1280, 800)  # the default size and split: the detail pane gets about 420 pixels
    open_details(qtbot, window, saved.id)
    history = window.details.history
    column = window.details.charges.column("reference")
    # It was squeezed to a few pixels behind the fitted date, amount, status and change columns.
    qtbot.waitUntil(lambda: history.columnWidth(column) >= history.sizeHintForColumn(column) > 100)


def test_the_pane_s_status_is_the_table_s_status_of_today(qtbot: QtBot, window: MainWindow) -> None:
    from datetime import timedelta

    from renewaltracker.domain.subscription import Status
    from renewaltracker.ui.formatting import STATUS_LABELS

    today = window.context.clock.today()
    service = window.context.service
    ended_trial = service.add(
        make_subscription(
            name="Trial over", anchor=None, trial_end=today - timedelta(days=3), status=Status.TRIAL, vendor="T"
        )
    )
    assert ended_trial.id is not None
    paused = service.add(make_subscription(name="Away", anchor=today - timedelta(days=40)))
    assert paused.id is not None
    service.pause(paused.id, today - timedelta(days=2), today + timedelta(days=30))
    for sub_id, shown in ((ended_trial.id, Status.ACTIVE), (paused.id, Status.PAUSED)):
        window.open_subscription(sub_id)
        details_shown(qtbot, window)
        assert f"{STATUS_LABELS[shown]}<" in window.details.summary.text()
        qtbot.waitUntil(lambda sub_id=sub_id: window.model.row_of_id(sub_id) is not None)
        record = {r.subscription.id: r for r in window.model.records()}[sub_id]
        assert record.status is shown
