"""The review dialog, the Household view, the detail pane's channel steps and the table's unused marker."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtWidgets import QGraphicsTextItem
from pytestqt.qtbot import QtBot

from renewaltracker.domain.channels import Channel
from renewaltracker.domain.review import Decision
from renewaltracker.ui import household as household_ui
from renewaltracker.ui.composition import Features
from renewaltracker.ui.formatting import Formatter
from tests.factories import make_subscription
from tests.ui.waiting import details_shown, household_shown


def _add(features: Features, **fields: object) -> int:
    saved = features.window.context.service.add(make_subscription(**fields))
    assert saved.id is not None
    return saved.id


def test_review_lists_used_today_and_decisions_lead_to_letter_or_editor(
    features: Features, qtbot: QtBot, qtmodeltester: object
) -> None:
    idle = _add(features, name="Idle", last_used=date(2025, 12, 1))
    _add(features, name="Busy", amount="99.00")
    dialog = features.household.open_review()
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    names = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
    assert names == ["⚠ Idle", "Busy"]
    dialog.table.selectRow(0)
    dialog._mark_used(None)  # "Used it today"
    assert features.window.context.service.get(idle).last_used == date(2026, 3, 10)
    assert [dialog.model.index(r, 0).data() for r in range(2)] == ["Busy", "Idle"], "no longer flagged"
    opened: list[int] = []
    features.household.open_cancel_letter = opened.append
    dialog.table.selectRow(dialog.model.row_of_id(idle) or 0)
    dialog.decide(Decision.CANCEL)
    assert opened == [idle]
    editors: list[int] = []
    features.window.commands.edit_id = editors.append  # type: ignore[method-assign,assignment]
    dialog.decide(Decision.DOWNGRADE)
    assert editors == [idle]
    dialog.finish()
    assert features.window.context.service.setting("last_review") == date(2026, 3, 10)


def test_a_use_on_a_day_to_come_is_told_and_changes_nothing(
    features: Features, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Used on…" a later day raised out of the button's slot (the crash dialog) instead of saying why."""
    idle = _add(features, name="Idle", last_used=date(2025, 12, 1))
    dialog = features.household.open_review()
    qtbot.addWidget(dialog)
    told: list[str] = []
    monkeypatch.setattr(household_ui, "warn", lambda parent, title, text: told.append(text))
    dialog.table.selectRow(0)
    dialog._mark_used(date(2026, 3, 20))
    assert len(told) == 1 and "future" in told[0]
    assert features.window.context.service.get(idle).last_used == date(2025, 12, 1)


def test_household_view_shows_members_total_once_and_duplicates(
    features: Features, qtmodeltester: object, qtbot: QtBot
) -> None:
    home = features.household
    home.household.add_member("Alice")
    home.household.add_member("Bob")
    family = _add(features, name="Spotify Family", amount="18.00")
    _add(features, name="Spotify Individual", amount="10.00")
    home.household.assign(family, "Alice", ["Alice", "Bob"])
    view = home.view
    assert view is not None
    assert view.model.rowCount() == 0  # type: ignore[attr-defined]  # a hidden tab reads nothing
    features.window.show()
    with qtbot.waitSignal(view.background.applied):  # type: ignore[attr-defined]  # read on its worker thread
        features.window.show_view(view)  # read when first shown
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    assert [view.model.index(r, 0).data() for r in range(view.model.rowCount())] == ["Alice", "Bob"]
    assert "$336.00" in view.total.text()  # 18×12 + 10×12: the family plan once
    assert "Spotify Family and Spotify Individual" in view.duplicates.text()


def test_detail_pane_shows_channel_steps_links_and_the_unused_flag(
    features: Features, tmp_path: Path, qtbot: QtBot
) -> None:
    window = features.window
    sid = _add(features, name="Music", channel=Channel.APP_STORE, last_used=date(2025, 12, 1), tags=("family",))
    window.load()
    window.open_subscription(sid)
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF")
    features.household.attach_file(str(receipt))
    details_shown(qtbot, window)
    text = window.details.summary.text()
    assert "Apple App Store" in text and "https://reportaproblem.apple.com/" in text
    assert "not used for 99 days" in text and "family" in text
    assert "receipt.pdf" in text and "file://" in text
    model = window.model
    row = model.row_of_id(sid)
    assert row is not None and model.index(row, model.column("last_used")).data().startswith("⚠")


def test_spending_ranks_across_currencies_in_the_home_currency(features: Features, qtbot: QtBot) -> None:
    window = features.window
    _add(features, name="Yen plan", amount="1000", currency="JPY")
    _add(features, name="Euro plan", amount="9.00", currency="EUR")
    rates = features.household.rates
    rates.set_rate("EUR", "JPY", "160", date(2026, 3, 9))
    rates.set_rate("EUR", "USD", "1.10", date(2026, 3, 9))
    window.context.service.set_setting("home_currency", "USD")
    window.load()
    window.show_view(window.spending)
    spending = window.spending
    with qtbot.waitSignal(spending.background.applied):
        spending.refresh_now()
    model = spending.expensive
    column = model.column("in_home_currency")
    rows = {model.index(r, 0).data(): model.index(r, column).data() for r in range(model.rowCount())}
    assert rows["Euro plan"] == "$118.80 (rate of Mar 9, 2026)"
    assert model.index(0, 0).data() == "Euro plan", "ranked by the converted cost, not 1,000 yen above 9 euros"
    assert not spending.expensive_view.isColumnHidden(column)
    assert "All in USD" in spending.totals_label.text() and "rate of Mar 9, 2026" in spending.totals_label.text()
    assert spending.currency_combo.itemText(0) == "All in USD"


def test_spending_in_a_home_currency_leaves_room_for_the_names_and_the_chart_currency(
    features: Features, qtbot: QtBot
) -> None:
    window = features.window
    window.resize(1366, 850)
    window.show()  # shown before the figures: the currency list fills in after the first show
    window.show_view(window.spending)
    _add(features, name="Adobe Photography plan", amount="119.88", currency="USD")
    _add(features, name="FitZone gym", amount="39.00", currency="EUR")
    _add(features, name="Nintendo Switch Online", amount="2400", currency="JPY")  # a long totals line beside it
    features.household.rates.set_rate("EUR", "USD", "1.0412", date(2026, 3, 9))
    features.household.rates.set_rate("EUR", "JPY", "160", date(2026, 3, 9))
    window.load()
    spending = window.spending
    with qtbot.waitSignal(spending.background.applied):
        spending.refresh_now()  # the combo is sized for "EUR", "JPY" and "USD"
    window.context.service.set_setting("home_currency", "USD")
    with qtbot.waitSignal(spending.background.applied):
        spending.refresh_now()
    QCoreApplication.processEvents()
    view, combo = spending.expensive_view, spending.currency_combo
    names = view.fontMetrics().horizontalAdvance("Adobe Photography plan")
    assert view.columnWidth(spending.expensive.column("renewal")) > names, "the names were cut to '…'"
    assert combo.itemText(0) == "All in USD"
    combo.setCurrentIndex(0)
    QCoreApplication.processEvents()
    assert combo.width() >= combo.sizeHint().width() > combo.fontMetrics().horizontalAdvance("All in USD"), "cut off"


def test_opening_the_review_reminder_opens_the_review(features: Features, qtbot: QtBot) -> None:
    from renewaltracker.domain.events import Event, EventKind
    from renewaltracker.domain.reminders import Notice, Reminder, ReminderKey
    from renewaltracker.domain.review import REVIEW_ID

    day = date(2026, 3, 10)
    event = Event(day, EventKind.REVIEW, REVIEW_ID, "Subscription review", Decimal(0), "USD", day)
    moment = datetime(2026, 3, 10, 9, tzinfo=UTC)
    reminder = Reminder(ReminderKey(REVIEW_ID, EventKind.REVIEW, day, 0), moment, event)
    features.tray.act(Notice(reminder.title(), reminder.body(day), (reminder,)), "open")
    dialog = features.household.review_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)


def test_household_view_reads_on_its_worker_and_follows_changes(features: Features, qtbot: QtBot) -> None:
    home = features.household
    threads: list[bool] = []
    costs = home.household.costs

    def costs_seen() -> object:
        threads.append(QThread.currentThread() is QCoreApplication.instance().thread())  # type: ignore[union-attr]
        return costs()

    home.household.costs = costs_seen  # type: ignore[method-assign]
    view = home.view
    assert view is not None
    features.window.show()
    with qtbot.waitSignal(view.background.applied):  # type: ignore[attr-defined]
        features.window.show_view(view)
    assert threads == [False]  # not on the GUI thread
    assert "No duplicate subscriptions." in view.duplicates.text()  # type: ignore[attr-defined]
    with qtbot.waitSignal(view.background.applied):  # type: ignore[attr-defined]  # a change while shown
        _add(features, name="Spotify Family", amount="18.00")
        _add(features, name="Spotify Individual", amount="10.00")
    assert "Spotify Family and Spotify Individual" in view.duplicates.text()  # type: ignore[attr-defined]
    assert threads and not any(threads)


def test_the_category_chart_names_every_category(features: Features, qtbot: QtBot) -> None:
    """Ten categories in the chart's first height left each label less than a line: every name became "…"."""
    window = features.window
    window.resize(1366, 850)
    window.show()
    window.show_view(window.spending)
    categories = ["Internet", "Games", "Cloud storage", "News", "Warranty", "Software", "Music", "Streaming"]
    categories += ["Health", "Insurance", "Mobile", "Learning"]
    for number, category in enumerate(categories, start=1):
        _add(features, name=f"Plan {number}", amount=f"{number}.00", category=category)
    window.load()
    spending = window.spending
    with qtbot.waitSignal(spending.background.applied):
        spending.refresh_now()
    QCoreApplication.processEvents()
    chart = spending.category_chart
    shown = {item.toPlainText() for item in chart.scene().items() if isinstance(item, QGraphicsTextItem)}
    assert set(categories) <= shown, f"cut: {sorted(set(categories) - shown)}"


def test_the_month_chart_names_every_month_in_german(features: Features, qtbot: QtBot) -> None:
    """ "Sept." and "März" are wider than "Sep" and "Mar": where they do not fit they turn, never cut to "Se…"."""
    window = features.window
    spending = window.spending
    spending.formatter = Formatter("de_DE")
    window.resize(1100, 850)
    window.show()
    window.show_view(spending)
    _add(features, name="Gym", amount="30.00")
    window.load()
    with qtbot.waitSignal(spending.background.applied):
        spending.refresh_now()
    QCoreApplication.processEvents()
    months = {spending.formatter.date(date(2026, month, 1), "MMM") for month in range(1, 13)}
    assert {"März", "Sept."} <= months
    shown = {i.toPlainText() for i in spending.months_chart.scene().items() if isinstance(i, QGraphicsTextItem)}
    assert months <= shown, f"cut: {sorted(months - shown)}"


def test_a_home_total_nothing_could_be_converted_to_is_no_figure(features: Features, qtbot: QtBot) -> None:
    """With no rate for any plan's currency the Household view said 'In USD: $0.00' and Spending 'All in USD:
    $0.00 per year', each beside 'no rate for EUR': a total of nothing read as a real one (the command line
    already named the missing rate alone)."""
    window = features.window
    _add(features, name="Euro plan", amount="9.00", currency="EUR")
    window.context.service.set_setting("home_currency", "USD")
    household = household_shown(qtbot, features).total.text()
    assert "In USD: no rate for EUR" in household and "$0.00" not in household
    window.load()
    window.show_view(window.spending)
    spending = window.spending
    with qtbot.waitSignal(spending.background.applied):
        spending.refresh_now()
    totals = spending.totals_label.text()
    assert "All in USD: no rate for EUR" in totals and "$0.00" not in totals
    features.household.rates.set_rate("EUR", "USD", "1.10", date(2026, 3, 9))  # with the rate, the figure
    with qtbot.waitSignal(spending.background.applied):
        spending.refresh_now()
    assert "All in USD: <b>$118.80 (rate of Mar 9, 2026)</b> per year" in spending.totals_label.text()


def test_a_member_removed_meanwhile_is_told_not_raised(
    features: Features, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saving who pays with a member another window or the command line removed meanwhile, or removing a member
    already gone, raised out of the button's slot (the crash dialog) instead of saying why."""
    home = features.household
    home.household.add_member("Alice")
    sid = _add(features, name="Films")
    features.window.load()
    features.window.open_subscription(sid)
    dialog = home.assign_selected()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.payer.setCurrentIndex(1)
    view = household_shown(qtbot, features)
    view.table.selectRow(0)
    home.household.remove_member("Alice")  # elsewhere, while both are open
    told: list[str] = []
    monkeypatch.setattr(household_ui, "warn", lambda parent, title, text: told.append(text))
    dialog.save()
    view.remove_member()
    assert len(told) == 2 and all("Alice" in text for text in told), told
    assert not any("member list" in text for text in told), "a command-line hint in the window"
    assert home.household.assignment(sid).payer_id is None


def test_a_busy_file_while_rates_are_saved_is_told_not_raised(
    features: Features, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Importing or fetching ECB rates, or setting the home currency, while another program held the file's write
    lock raised out of the action's slot (or the worker, which then never answered) instead of saying why."""
    from renewaltracker.storage.errors import DatabaseBusyError

    home = features.household
    busy = DatabaseBusyError("the database is busy: another program is writing to it")

    def refuse(*_args: object) -> object:
        raise busy

    monkeypatch.setattr(home.rates, "import_file", refuse)
    monkeypatch.setattr(home.rates, "fetch", refuse)
    monkeypatch.setattr(home.window.context.service, "set_setting", refuse)
    monkeypatch.setattr(household_ui, "ask_text", lambda *_a, **_k: ("EUR", True))
    told: list[str] = []
    monkeypatch.setattr(household_ui, "warn", lambda parent, title, text: told.append(text))
    rates_file = tmp_path / "eurofxref-daily.xml"
    rates_file.write_text("<gesmes:Envelope/>", encoding="utf-8")
    assert home.import_rates(str(rates_file)) == []
    home.fetch_rates()  # its worker may answer before a wait could connect: wait for what it shows
    qtbot.waitUntil(lambda: len(told) == 2, timeout=20000)
    home.set_home_currency()
    assert len(told) == 3 and all("busy" in text for text in told), told
