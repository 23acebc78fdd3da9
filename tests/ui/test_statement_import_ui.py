"""File → Import bank statement…: mapping, candidates (through qtmodeltester), dismiss, import, cancel, off-thread."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt, QThreadPool
from PySide6.QtWidgets import QDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from renewaltracker.domain.drafts import DraftKind
from renewaltracker.domain.interval import parse_interval
from renewaltracker.domain.recurring import Candidate, PriceChange
from renewaltracker.domain.statement import BankTransaction
from renewaltracker.i18n import _, install_language
from renewaltracker.services.statement_import import StatementImporter
from renewaltracker.ui.composition import Features
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.draft_dialog import DraftDialog
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.statement_import import (
    AMOUNT,
    CHARGES,
    CONFIDENCE,
    EVERY,
    INCLUDE,
    NAME,
    CandidateModel,
    StatementImportDialog,
    StatementJob,
    StatementRequest,
)
from tests.factories import make_subscription, rising_statement

FIXTURES = Path(__file__).parents[1] / "fixtures" / "statements"
GERMAN = FIXTURES / "bank-de-cp1252.csv"


def _dialog(qtbot: QtBot, context: AppContext, path: Path) -> StatementImportDialog:
    dialog = StatementImportDialog(StatementImporter(context.service), Formatter("en_US"), QThreadPool(), None)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.finished_reading, timeout=10000):
        dialog.open_file(path)
    return dialog


def test_the_mapping_and_the_candidates_of_a_german_csv_are_shown(qtbot: QtBot, context: AppContext) -> None:
    dialog = _dialog(qtbot, context, GERMAN)
    assert not dialog.mapping.isHidden()
    assert dialog.mapping.roles["date"].currentText() == "Buchungstag"
    assert dialog.mapping.roles["amount"].currentText() == "Betrag"
    assert dialog.mapping.decimal_comma.isChecked()
    assert dialog.mapping.date_format.currentText() == "%d.%m.%Y"
    assert dialog.mapping.rows.rowCount() == 5
    names = [row.name for row in dialog.model.rows]
    assert any("Netflix" in name for name in names), names
    assert "transactions read" in dialog.status.text()
    assert dialog.import_button.isEnabled()


def test_candidate_model_passes_the_model_tester_and_edits(
    qtbot: QtBot, qtmodeltester: ModelTester, context: AppContext
) -> None:
    dialog = _dialog(qtbot, context, GERMAN)
    model = dialog.model
    qtmodeltester.check(model)
    first = model.index(0, NAME)
    assert model.setData(first, "My video plan")
    assert not model.setData(model.index(0, AMOUNT), "lots")  # not an amount: refused, the old one stays
    assert not model.setData(model.index(0, AMOUNT), "-3")
    assert model.setData(model.index(0, AMOUNT), "12,99")
    assert model.rows[0].amount == "12.99"
    assert model.setData(model.index(1, INCLUDE), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert not model.flags(model.index(0, 3)) & Qt.ItemFlag.ItemIsEditable
    accepted = model.accepted()
    assert accepted[0].name == "My video plan" and str(accepted[0].amount) == "12.99"
    assert len(accepted) == len(model.rows) - 1
    qtmodeltester.check(CandidateModel(Formatter("en_US")))
    assert model.rowCount(model.index(0, 0)) == 0 and model.rowCount(QModelIndex()) == len(model.rows)


def test_import_writes_ticked_candidates_and_remembers_dismissed_ones(qtbot: QtBot, context: AppContext) -> None:
    dialog = _dialog(qtbot, context, GERMAN)
    count = dialog.model.rowCount()
    assert count >= 3
    dialog.table.selectRow(0)
    dismissed_name = dialog.model.rows[0].name
    dialog.dismiss_selected()
    assert dialog.model.rowCount() == count - 1
    dialog.model.setData(dialog.model.index(0, INCLUDE), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    kept = [row.name for row in dialog.model.rows[1:]]
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.imported is not None and len(dialog.imported.added) == count - 2
    assert sorted(s.name for s in context.service.all()) == sorted(kept)
    again = _dialog(qtbot, context, GERMAN)  # the dismissed one is not offered again, the imported ones neither
    assert dismissed_name not in [row.name for row in again.model.rows]
    assert not set(kept) & {row.name for row in again.model.rows}


def test_a_double_charge_is_shown_twice_and_imported_twice(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    rows = [f"2025-{month:02}-05,NETFLIX.COM,-15.49" for month in range(1, 7)] + ["2025-03-05,NETFLIX.COM,-15.49"]
    path = tmp_path / "double.csv"
    path.write_text("Date,Description,Amount\n" + "\n".join(rows) + "\n")
    dialog = _dialog(qtbot, context, path)
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, CHARGES).data() == "7"
    shown = Formatter("en_US").date(date(2025, 3, 5))
    assert str(dialog.model.index(0, NAME).data(Qt.ItemDataRole.ToolTipRole)).count(shown) == 2
    dialog.accept()
    (saved,) = context.service.all()
    assert [c.date for c in context.service.charges(saved.id or 0)].count(date(2025, 3, 5)) == 2


def test_the_charges_behind_a_candidate_are_in_the_interfaces_language(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    rows = [f"2025-{month:02}-05,NETFLIX.COM,-15.49" for month in range(1, 7)]
    path = tmp_path / "plain.csv"
    path.write_text("Date,Description,Amount\n" + "\n".join(rows) + "\n")
    german = Formatter("de_DE")
    dialog = StatementImportDialog(StatementImporter(context.service), german, QThreadPool(), None)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.finished_reading, timeout=10000):
        dialog.open_file(path)
    tip = str(dialog.model.index(0, NAME).data(Qt.ItemDataRole.ToolTipRole))
    assert german.money(Decimal("15.49"), "USD") in tip and german.date(date(2025, 3, 5)) in tip, tip
    assert "2025-03-05" not in tip and "15.49" not in tip


def test_a_corrected_mapping_reads_the_file_again(qtbot: QtBot, context: AppContext) -> None:
    dialog = _dialog(qtbot, context, GERMAN)
    before = {row.candidate.key for row in dialog.model.rows}
    dialog.mapping.roles["payee"].setCurrentText("Verwendungszweck")  # the memo column as payee: other groups
    with qtbot.waitSignal(dialog.finished_reading, timeout=10000):
        dialog.mapping.apply.click()
    assert dialog.mapping.roles["payee"].currentText() == "Verwendungszweck"  # the mapping used is shown back
    assert {row.candidate.key for row in dialog.model.rows} != before
    dialog.mapping.date_format.setCurrentText("%Y-%m-%d")  # wrong for this bank: the line at fault is named
    with qtbot.waitSignal(dialog.finished_reading, timeout=10000):
        dialog.mapping.apply.click()
    assert "cannot be read" in dialog.status.text() and "line" in dialog.status.text()
    assert dialog.model.rowCount() == 0


def test_an_unreadable_file_says_so_and_imports_nothing(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ofx"
    bad.write_text("OFXHEADER:100\n<OFX><nonsense")
    dialog = _dialog(qtbot, context, bad)
    assert "cannot be read" in dialog.status.text() and "bad.ofx" in dialog.status.text()
    assert not dialog.import_button.isEnabled()


def test_a_big_statement_reads_off_the_gui_thread_and_can_be_cancelled(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    big = tmp_path / "big.csv"
    lines = ["Date,Description,Amount"]
    lines += [f"2024-{1 + n % 12:02d}-{1 + n % 28:02d},SHOP {n % 997},-{n % 50 + 1}.00" for n in range(200_000)]
    big.write_text("\n".join(lines))
    threads: list[threading.Thread] = []
    importer = StatementImporter(context.service)
    original = importer.read

    def spy(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    importer.read = spy  # type: ignore[method-assign]
    dialog = StatementImportDialog(importer, Formatter("en_US"), QThreadPool(), None)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.finished_reading, timeout=20000):
        dialog.open_file(big)
        assert dialog.progress.isVisibleTo(dialog) and dialog.cancel_button.isVisibleTo(dialog)
        qtbot.waitUntil(lambda: dialog.progress.value() > 20, timeout=10000)
        dialog.cancel_button.click()
    assert threads and threads[0] is not threading.main_thread()
    assert "cancelled" in dialog.status.text()
    assert dialog.model.rowCount() == 0 and not dialog.import_button.isEnabled()
    assert not dialog.progress.isVisibleTo(dialog)


def test_a_cancelled_job_reports_none(qtbot: QtBot, context: AppContext) -> None:
    job = StatementJob(StatementImporter(context.service), StatementRequest(GERMAN))
    job.cancel()
    with qtbot.waitSignal(job.signals.done) as blocker:
        job.run()
    assert blocker.args == [None]


def test_the_file_menu_opens_the_dialog(qtbot: QtBot, features: Features) -> None:
    feature = features.statements
    assert feature.action in features.window.menu("file").actions()
    dialog = feature.create_dialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.finished_reading, timeout=10000):
        dialog.open_file(FIXTURES / "bank-ofx2.qfx")
    assert dialog.mapping.isHidden()  # OFX has no columns to map
    assert dialog.model.rowCount() > 0


def test_a_price_rise_found_in_a_statement_offers_the_price_increase_letter(
    qtbot: QtBot, features: Features, tmp_path: Path
) -> None:
    service = features.window.context.service
    tracked = service.add(
        make_subscription(name="StreamCo", amount=Decimal("9.99"), currency="USD", anchor=date(2025, 6, 5))
    )
    statement = tmp_path / "rising.csv"
    statement.write_bytes(rising_statement())
    feature = features.statements
    dialog = feature.create_dialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.finished_reading, timeout=10000):
        dialog.open_file(statement)
    assert "price changed for StreamCo: $9.99 → $12.99" in dialog.status.text()
    dialog.accept()
    assert dialog.imported is not None
    notice = feature.finish(dialog.imported)
    assert "Price changed: StreamCo: $9.99 → $12.99." in features.window.statusBar().currentMessage()
    assert notice is not None and notice.isVisible()
    assert "StreamCo" in notice.text() and "$12.99" in notice.text()
    (letter_button,) = [b for b in notice.buttons() if "price-increase letter" in b.text()]
    assert "StreamCo" in letter_button.text()
    letter_button.click()
    (draft,) = features.window.findChildren(DraftDialog)
    qtbot.addWidget(draft)
    assert draft.kind.currentData() == DraftKind.PRICE_INCREASE
    body = draft.body.toPlainText()
    assert "9.99" in body and "12.99" in body, body
    assert tracked.id is not None and service.prices(tracked.id).price_on(date(2025, 11, 5)) == Decimal("12.99")


def test_a_plain_import_shows_no_price_notice(qtbot: QtBot, features: Features) -> None:
    feature = features.statements
    dialog = feature.create_dialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.finished_reading, timeout=10000):
        dialog.open_file(GERMAN)
    dialog.accept()
    assert dialog.imported is not None and feature.finish(dialog.imported) is None
    assert "Imported" in features.window.statusBar().currentMessage()


def test_a_missing_file_is_reported_in_the_interface_language(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    from renewaltracker.i18n import install_language

    install_language("de")
    try:
        dialog = _dialog(qtbot, context, tmp_path / "weg.csv")
        shown = dialog.status.text()
    finally:
        install_language("en")
    assert "weg.csv" in shown and "kann nicht gelesen werden" in shown and "cannot be read" not in shown


def candidate(key: str, charged: list[tuple[date, str]], every: str, next_date: date, **more: Any) -> Candidate:
    """What the detection would find for `key`'s charges (in EUR), at the last charge's amount."""
    charges = tuple(BankTransaction(day, -Decimal(amount), "EUR", key) for day, amount in charged)
    return Candidate(
        key=key,
        name=key.title(),
        vendor=key.title(),
        amount=Decimal(charged[-1][1]),
        currency="EUR",
        interval=parse_interval(every),
        next_date=next_date,
        confidence=0.9,
        transactions=charges,
        **more,
    )


@pytest.mark.parametrize(
    ("language", "locale", "day", "later", "monthly"),
    [
        ("de", "de_DE", "05.01.2026", "05.02.2026", "Monatlich"),
        ("fr", "fr_FR", "5 janv. 2026", "5 févr. 2026", "Mensuel"),
    ],
)
def test_a_candidate_shows_its_dates_amounts_and_cycle_in_the_interface_language(
    language: str, locale: str, day: str, later: str, monthly: str
) -> None:
    install_language(language)  # the autouse fixture puts English back
    formatter = Formatter(locale)
    model = CandidateModel(formatter)
    found = candidate(
        "STREAMCO",
        [(date(2026, 1, 5), "9.99"), (date(2026, 2, 5), "12.99")],
        "1 month",
        date(2026, 3, 5),
        price_changes=(PriceChange(date(2026, 2, 5), Decimal("9.99"), Decimal("12.99")),),
    )
    model.set_candidates([found, replace(found, key="OLDCO", ended=True)])
    old, new = formatter.money(Decimal("9.99"), "EUR"), formatter.money(Decimal("12.99"), "EUR")
    tip = model.data(model.index(0, NAME), Qt.ItemDataRole.ToolTipRole).split("\n")
    assert tip[1:] == [
        _("price change on {day}: {old} → {new}").format(day=later, old=old, new=new),
        f"{day}  {old}  STREAMCO",
        f"{later}  {new}  STREAMCO",
    ]
    assert "2026-" not in "\n".join(tip) and "9.99" not in "\n".join(tip)
    assert model.data(model.index(0, EVERY)) == monthly
    assert model.data(model.index(1, EVERY)) == _("{every} (ended)").format(every=monthly)
    assert model.data(model.index(1, EVERY)) != f"{monthly} (ended)"
    # The amount is written, and typed, with the locale's decimal sign.
    assert model.data(model.index(0, AMOUNT)) == "12,99"
    assert model.setData(model.index(0, AMOUNT), "13,49")
    assert model.data(model.index(0, AMOUNT)) == "13,49"
    assert model.accepted()[0].amount == Decimal("13.49")
    # The confidence as the locale writes a percentage: a space (no-break) before the sign in German and French.
    assert model.data(model.index(0, CONFIDENCE)) in ("90\u00a0%", "90\u202f%")


def test_the_next_charge_shown_is_the_one_the_saved_plan_will_have_even_for_an_old_statement() -> None:
    from renewaltracker.services.statement_import import subscription_from
    from renewaltracker.ui.statement_import import NEXT

    formatter = Formatter("en_US")
    today = date(2026, 12, 1)
    model = CandidateModel(formatter, today=lambda: today)
    # Its next date after the statement is before today.
    found = candidate(
        "ADOBE", [(date(2024, 3, 10), "89.00"), (date(2025, 3, 10), "89.00")], "1 year", date(2026, 3, 10)
    )
    model.set_candidates([found])
    saved_next = subscription_from(found).next_charge(today)
    assert saved_next == date(2027, 3, 10)
    assert model.data(model.index(0, NEXT)) == formatter.date(saved_next)


def test_the_price_changes_after_an_import_are_punctuated_as_the_interface_language_writes() -> None:
    from renewaltracker.services.statement_import import ImportResult, PriceChanged
    from renewaltracker.ui.statement_import import summary

    change = PriceChanged(1, "StreamCo", Decimal("9.99"), Decimal("12.99"), "EUR", date(2026, 3, 5))
    install_language("fr")
    try:
        text = summary(ImportResult(changed=[change]), Formatter("fr_FR"))
    finally:
        install_language("en")
    assert "StreamCo\u00a0: 9,99\u00a0€ → 12,99\u00a0€" in text


def test_an_amount_edited_as_shown_keeps_its_value_in_the_interfaces_language() -> None:
    """The cell is written with the locale's decimal sign: what is typed back is read in that locale and currency
    (a dinar's three decimals, "1,299" in German, is not one thousand two hundred ninety-nine)."""
    model = CandidateModel(Formatter("de_DE"))
    found = candidate(
        "KUWAITNET", [(date(2026, 1, 5), "1.299"), (date(2026, 2, 5), "1.299")], "1 month", date(2026, 3, 5)
    )
    model.set_candidates([replace(found, currency="KWD")])
    cell = model.index(0, AMOUNT)
    shown = model.data(cell, Qt.ItemDataRole.EditRole)
    assert shown == "1,299"
    assert model.setData(cell, shown)
    assert model.accepted()[0].amount == Decimal("1.299")
    assert model.setData(cell, "1.299,50")  # a German thousands separator
    assert model.accepted()[0].amount == Decimal("1299.50")
