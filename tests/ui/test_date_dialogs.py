"""The small dialogs that ask for a date (mark cancelled, last used, edit a charge, a price step): they write and
read dates the interface's way, and an unreadable date or amount keeps them open with the problem named, never
replaced by another date."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from renewaltracker.domain.charges import Charge
from renewaltracker.i18n import install_language
from renewaltracker.ui import actions, charge_history, household
from renewaltracker.ui.charge_history import ChargeDialog
from renewaltracker.ui.composition import Features
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.price_steps import PriceStepDialog
from renewaltracker.ui.widgets import DateField, ask_date
from tests.factories import make_subscription
from tests.ui.waiting import open_details


@pytest.fixture
def german() -> Iterator[None]:
    install_language("de")
    yield
    install_language("en")


def shown_problem(dialog: QWidget) -> str:
    return " ".join(label.text() for label in dialog.findChildren(QLabel) if label.isVisible() and label.text())


def answer_date_question(qtbot: QtBot, typed: str, seen: dict[str, Any]) -> Callable[[], None]:
    """Types into the date question once it shows and presses OK; notes what it showed; backs out if it stayed."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, answer)
            return
        field = dialog.findChild(DateField)
        seen["shown"] = field.line.text()
        field.line.selectAll()
        qtbot.keyClicks(field.line, typed)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        seen["ok enabled"] = ok.isEnabled()
        ok.click()
        seen["still open"] = dialog.isVisible()
        seen["problem"] = shown_problem(dialog)
        if dialog.isVisible():
            dialog.reject()

    return answer


def test_a_date_question_refuses_an_unreadable_date(qtbot: QtBot) -> None:
    seen: dict[str, Any] = {}
    QTimer.singleShot(0, answer_date_question(qtbot, "31.13.2026", seen))
    assert ask_date(None, "Mark cancelled", "Takes effect on:", date(2026, 3, 10), "de_DE") is None
    assert seen["shown"] == "10.03.2026"
    assert seen["still open"] and not seen["ok enabled"]
    assert "31.13.2026" in seen["problem"]


def test_a_date_question_reads_the_day_first_in_german(qtbot: QtBot) -> None:
    seen: dict[str, Any] = {}
    QTimer.singleShot(0, answer_date_question(qtbot, "05.03.2026", seen))
    assert ask_date(None, "Mark cancelled", "Takes effect on:", date(2026, 3, 10), "de_DE") == date(2026, 3, 5)


def test_mark_cancelled_asks_in_the_interface_language_and_its_date_format(
    window: MainWindow, german: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = window.context.service.add(make_subscription(name="Gym"))
    assert saved.id is not None
    window.open_subscription(saved.id)
    asked: list[tuple[str, str | None]] = []
    monkeypatch.setattr(
        actions, "ask_date", lambda _parent, _title, question, _default, locale=None: asked.append((question, locale))
    )
    window.commands.cancel_selected()
    ((question, locale),) = asked
    assert locale == window.formatter.locale
    assert "When does" not in question and "Gym" in question


def test_used_on_in_the_review_asks_in_the_interface_date_format(
    features: Features, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = features.window.context.service.add(make_subscription(name="Gym"))
    dialog = features.household.open_review()
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    asked: list[str | None] = []

    def fake_ask(_parent: object, _title: str, _question: str, default: date, locale: str | None = None) -> date:
        asked.append(locale)
        return default

    monkeypatch.setattr(household, "ask_date", fake_ask)
    dialog._ask_used_on()
    assert asked == [features.window.formatter.locale]
    assert features.window.context.service.get(saved.id or 0).last_used == date(2026, 3, 10)


def test_the_editor_writes_last_used_the_interface_way(qtbot: QtBot, window: MainWindow) -> None:
    window.formatter = Formatter("de_DE")
    dialog = window.commands.add()
    assert dialog.last_used.edit.line.text() == dialog.anchor_edit.line.text() == "10.03.2026"


def a_charge() -> Charge:
    return Charge(subscription_id=1, date=date(2026, 3, 5), amount=Decimal("39.99"), currency="EUR", id=1)


def test_a_charge_is_edited_in_the_interface_date_format(qtbot: QtBot) -> None:
    dialog = ChargeDialog(a_charge(), Formatter("de_DE"))
    qtbot.addWidget(dialog)
    assert dialog.day.line.text() == "05.03.2026"
    dialog.day.line.selectAll()
    qtbot.keyClicks(dialog.day.line, "04.03.2026")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.values()["date"] == date(2026, 3, 4)


@pytest.mark.parametrize(("field", "typed", "named"), [("day", "31.02.2026", "Date: "), ("amount", "abc", "Amount: ")])
def test_a_charge_with_an_unreadable_date_or_amount_stays_open_and_says_why(
    qtbot: QtBot, field: str, typed: str, named: str
) -> None:
    dialog = ChargeDialog(a_charge(), Formatter("en_US"))
    qtbot.addWidget(dialog)
    dialog.show()
    line = dialog.day.line if field == "day" else dialog.amount
    line.selectAll()
    qtbot.keyClicks(line, typed)
    dialog.accept()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert named in shown_problem(dialog) and typed in shown_problem(dialog)


def test_editing_a_charge_to_a_bad_amount_changes_nothing(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = window.context.service
    saved = service.add(make_subscription(name="Gym", anchor=date(2026, 2, 5)))
    assert saved.id is not None
    service.record_charge(saved.id, date(2026, 3, 5))
    open_details(qtbot, window, saved.id)
    history = window.details.history_actions
    window.details.history.selectRow(0)

    def exec_typing_a_bad_amount(dialog: ChargeDialog) -> int:
        dialog.amount.setText("abc")
        dialog.accept()  # refused: the dialog stays; the user then backs out
        assert dialog.isVisible() or dialog.result() != QDialog.DialogCode.Accepted
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(charge_history.ChargeDialog, "exec", exec_typing_a_bad_amount)
    history.edit()
    (charge,) = service.charges(saved.id)
    assert charge.amount == Decimal("39.99")


def test_a_price_step_is_dated_the_interface_way_and_an_unreadable_one_says_why(qtbot: QtBot) -> None:
    dialog = PriceStepDialog("EUR", date(2026, 4, 1), Formatter("de_DE"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.day.line.text() == "01.04.2026"
    dialog.amount.setText("17,99")
    dialog.day.line.selectAll()
    qtbot.keyClicks(dialog.day.line, "30.02.2026")
    dialog.accept()
    assert dialog.isVisible() and "30.02.2026" in shown_problem(dialog)
    dialog.day.line.selectAll()
    qtbot.keyClicks(dialog.day.line, "05.04.2026")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.values() == (date(2026, 4, 5), Decimal("17.99"))
