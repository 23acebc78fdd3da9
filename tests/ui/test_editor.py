"""The add/edit dialog, driven through its widgets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from renewaltracker.domain.subscription import Status, Subscription
from renewaltracker.ui.editor import SubscriptionDialog
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.widgets import to_qdate
from tests.factories import make_subscription


def test_add_through_the_dialog_with_defaults(qtbot: QtBot, window: MainWindow) -> None:
    window.context.service.set_setting("default_currency", "EUR")
    dialog = window.commands.add()
    assert dialog.currency_picker.code() == "EUR"
    assert from_date(dialog) == date(2026, 3, 10)
    assert dialog.default_reminders.isChecked() and dialog.reminders_edit.text() == "7,1"
    assert dialog.error_label.text() == ""  # nothing typed yet, so nothing is wrong yet
    qtbot.keyClicks(dialog.name_edit, "Gym")
    qtbot.keyClicks(dialog.amount_edit, "39,90")
    dialog.notice_spin.setValue(30)
    assert "Apr 10, 2026" in dialog.preview_label.text()
    assert dialog.preview_label.text().count("\n") == 4  # five charges
    with qtbot.waitSignal(window.context.signals.changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (saved,) = window.context.service.all()
    assert (saved.name, saved.amount, saved.currency, saved.notice_days) == ("Gym", Decimal("39.90"), "EUR", 30)
    assert saved.reminder_days is None and saved.status is Status.ACTIVE
    assert window.selected_subscription_id() == saved.id
    assert window.model.rowCount() == 1


def from_date(dialog: object) -> date:
    edit = dialog.anchor_edit  # type: ignore[attr-defined]
    qdate = edit.date()
    return date(qdate.year(), qdate.month(), qdate.day())


def test_invalid_input_is_named_and_cannot_be_saved(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.commands.add()
    qtbot.keyClicks(dialog.name_edit, "Gym")
    qtbot.keyClicks(dialog.amount_edit, "-5")
    dialog.amount_edit.editingFinished.emit()  # the user leaves the field
    assert dialog.error_label.text() == "Amount: must not be negative"
    assert dialog.amount_edit.styleSheet()
    dialog.amount_edit.setText("5")
    qtbot.keyClicks(dialog.support_edit, "not-an-email")
    dialog.support_edit.editingFinished.emit()
    assert dialog.error_label.text().startswith("Support email: 'not-an-email' is not an email address")
    dialog.support_edit.clear()
    dialog.share_edit.setText("9")
    dialog.share_edit.editingFinished.emit()
    assert dialog.error_label.text() == "Your share: your share 9.00 is more than the whole amount 5.00"
    dialog.share_edit.clear()
    dialog.currency_picker.setEditText("XYZ")
    assert dialog.error_label.text().startswith("Currency: 'XYZ' is not a currency code")
    dialog.save()  # even a forced save stores nothing
    assert window.context.service.all() == []
    assert dialog.isVisible()


def test_a_last_use_on_a_day_to_come_is_named_at_save_and_nothing_is_stored(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.commands.add()
    dialog.name_edit.setText("Gym")
    dialog.amount_edit.setText("5")
    dialog.last_used.check.setChecked(True)
    dialog.last_used.edit.setDate(to_qdate(date(2026, 3, 11)))  # the window's clock says 2026-03-10
    dialog.save()
    assert window.context.service.all() == []
    assert dialog.isVisible() and "future" in dialog.error_label.text()
    assert dialog.last_used.styleSheet()


def test_trial_end_moves_the_first_charge_and_sets_trial_status(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.commands.add()
    dialog.name_edit.setText("News")
    dialog.amount_edit.setText("4")
    dialog.trial.check.setChecked(True)
    dialog.trial.edit.setDate(to_qdate(date(2026, 3, 20)))
    assert from_date(dialog) == date(2026, 3, 20)
    assert dialog.status_label.text() == "Trial"
    dialog.save()
    (saved,) = window.context.service.all()
    assert saved.status is Status.TRIAL and saved.trial_end == date(2026, 3, 20)


def edit_new(window: MainWindow, **fields: Any) -> tuple[Subscription, SubscriptionDialog]:
    """A subscription with `fields`, stored, selected and opened in the editor."""
    original = window.context.service.add(make_subscription(**fields))
    assert original.id is not None
    window.open_subscription(original.id)
    dialog = window.commands.edit_selected()
    assert dialog is not None
    return original, dialog


def test_edit_keeps_what_the_form_does_not_show(qtbot: QtBot, window: MainWindow) -> None:
    service = window.context.service
    original, dialog = edit_new(window, notes="keep me", order_number="A-1")
    assert original.id is not None and dialog.name_edit.text() == "The Magazine"
    dialog.amount_edit.setText("44.99")
    with qtbot.waitSignal(window.context.signals.changed):
        dialog.save()
    edited = service.get(original.id)
    assert edited.amount == Decimal("44.99") and edited.notes == "keep me" and edited.order_number == "A-1"
    assert edited.created_at == original.created_at
    assert window.model.subscription(0).amount == Decimal("44.99")


def test_mark_cancelled_pause_and_resume_from_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    service = window.context.service
    saved = service.add(make_subscription())
    assert saved.id is not None
    dialog = window.commands.edit_id(saved.id)
    assert dialog is not None and dialog.cancel_sub_button.isVisible()
    dialog.mark_cancelled(date(2026, 3, 31))
    cancelled = service.get(saved.id)
    assert cancelled.status is Status.CANCELLED and cancelled.cancelled_on == date(2026, 3, 31)
    dialog = window.commands.edit_id(saved.id)
    assert dialog is not None and dialog.resume_button.isEnabled() and not dialog.pause_button.isEnabled()
    qtbot.mouseClick(dialog.resume_button, Qt.MouseButton.LeftButton)
    assert service.get(saved.id).status is Status.ACTIVE
    dialog = window.commands.edit_id(saved.id)
    assert dialog is not None
    qtbot.mouseClick(dialog.pause_button, Qt.MouseButton.LeftButton)
    paused = service.get(saved.id)
    assert paused.status is Status.PAUSED and paused.pauses[-1].start == date(2026, 3, 10)
    assert window.model.subscription(0).status is Status.PAUSED


def test_the_currency_picker_offers_iso_codes(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.commands.add()
    codes = {dialog.currency_picker.itemData(i) for i in range(dialog.currency_picker.count())}
    assert {"USD", "EUR", "JPY", "GBP", "CHF"} <= codes and "XAU" not in codes
    dialog.currency_picker.setEditText("jpy")
    assert dialog.currency_picker.code() == "JPY"


def test_typed_currency_names_work_and_common_currencies_come_first(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.commands.add()
    picker = dialog.currency_picker
    assert [picker.itemData(i) for i in range(4)] == ["USD", "EUR", "GBP", "JPY"]
    for typed, code in (("euro", "EUR"), ("Euro", "EUR"), ("£", "GBP"), ("US dollar", "USD")):
        picker.setEditText(typed)
        assert picker.code() == code


def test_amounts_in_any_convention_and_an_ambiguous_one_is_shown_back(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.commands.add()
    dialog.currency_picker.setEditText("USD")
    qtbot.keyClicks(dialog.name_edit, "Laptop care")
    dialog.amount_edit.setText("1.299,00")
    assert dialog.save_button.isEnabled() and dialog.amount_note.text() == ""
    dialog.amount_edit.setText("1,299")
    assert dialog.save_button.isEnabled() and dialog.amount_note.text() == "= $1,299.00"
    dialog.amount_edit.setText("€5")
    dialog.amount_edit.editingFinished.emit()
    assert dialog.error_label.text() == "Amount: is in EUR but the currency is USD"
    dialog.amount_edit.setText("$1,299.00")
    dialog.save()
    (saved,) = window.context.service.all()
    assert saved.amount == Decimal("1299.00")


def test_saving_after_a_cancel_elsewhere_shows_the_change_and_offers_reload_or_overwrite(
    qtbot: QtBot, window: MainWindow
) -> None:
    service = window.context.service
    saved = service.add(make_subscription())
    assert saved.id is not None
    dialog = window.commands.edit_id(saved.id)
    assert dialog is not None
    # Another process (the CLI) cancels it while the dialog is open.
    service.cancel(saved.id, date(2026, 12, 1))
    dialog.notes_edit.setPlainText("from the dialog")
    dialog.save()
    stored = service.get(saved.id)
    assert stored.status is Status.CANCELLED and stored.notes == ""  # not put back to active, nothing lost
    assert dialog.conflict_box.isVisible() and dialog.result() == 0
    assert "status: active → cancelled" in dialog.conflict_label.text()
    assert "cancelled on: — → 2026-12-01" in dialog.conflict_label.text()
    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    assert not dialog.conflict_box.isVisible() and dialog.notes_edit.toPlainText() == ""
    dialog.notes_edit.setPlainText("after reload")
    dialog.save()
    stored = service.get(saved.id)
    assert stored.status is Status.CANCELLED and stored.notes == "after reload"


def test_overwrite_after_a_conflict_saves_the_form_as_the_user_chose(qtbot: QtBot, window: MainWindow) -> None:
    service = window.context.service
    saved = service.add(make_subscription())
    assert saved.id is not None
    dialog = window.commands.edit_id(saved.id)
    assert dialog is not None
    service.edit(saved.id, vendor="Changed elsewhere")
    dialog.notes_edit.setPlainText("mine")
    dialog.save()
    assert dialog.conflict_box.isVisible() and "vendor" in dialog.conflict_label.text()
    qtbot.mouseClick(dialog.overwrite_button, Qt.MouseButton.LeftButton)
    stored = service.get(saved.id)
    assert stored.notes == "mine" and stored.vendor == saved.vendor


def test_problems_show_when_a_field_is_left_or_save_is_pressed_not_before(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.commands.add()
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    assert dialog.error_label.text() == "" and not dialog.amount_edit.styleSheet()
    assert dialog.save_button.isEnabled()  # pressing it is how the user learns what is missing
    qtbot.keyClicks(dialog.amount_edit, "-")
    assert dialog.error_label.text() == ""  # still typing
    dialog.amount_edit.clear()
    dialog.amount_edit.setFocus()
    qtbot.waitUntil(dialog.amount_edit.hasFocus)
    qtbot.keyClick(dialog.amount_edit, Qt.Key.Key_Tab)  # leaves the field empty
    assert dialog.error_label.text() == "Amount: is required"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == "Name: is required\nAmount: is required"
    assert dialog.name_edit.styleSheet() and dialog.amount_edit.styleSheet()
    assert dialog.name_edit.hasFocus() and window.context.service.all() == []
    qtbot.keyClicks(dialog.name_edit, "Gym")
    assert dialog.error_label.text() == "Amount: is required"  # a shown problem clears as soon as it is fixed
    qtbot.keyClicks(dialog.amount_edit, "12")
    assert dialog.error_label.text() == "" and dialog.save_button.isEnabled()
    assert dialog.buttons.button(dialog.buttons.StandardButton.Cancel).text() == "&Discard"


def type_into(qtbot: QtBot, line: object, text: str) -> None:
    line.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(line, text)


def test_a_typed_date_in_the_locale_or_iso_is_read_and_tab_goes_to_the_next_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = window.commands.add()
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    line = dialog.anchor_edit.line
    assert line.text() == "3/10/2026"  # the formatter's locale (en_US) short form, four-digit year
    for typed, expected in (
        ("12/31/2026", date(2026, 12, 31)),
        ("31/12/2026", date(2026, 12, 31)),
        ("2027-01-05", date(2027, 1, 5)),
    ):
        type_into(qtbot, line, typed)
        assert from_date(dialog) == expected, typed
    line.setFocus()
    qtbot.waitUntil(line.hasFocus)
    qtbot.keyClick(line, Qt.Key.Key_Tab)
    assert dialog.trial.check.hasFocus()  # the next field, not the next section of the date
    assert line.text() == "1/5/2027"  # what was understood


def test_an_unreadable_date_is_a_problem_not_silently_ignored(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.commands.add()
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    qtbot.keyClicks(dialog.name_edit, "Gym")
    qtbot.keyClicks(dialog.amount_edit, "10")
    line = dialog.anchor_edit.line
    type_into(qtbot, line, "31/13/2026")
    line.editingFinished.emit()
    assert dialog.error_label.text() == (
        "First charge: '31/13/2026' is not a date; write it like 12/31/2026 or 2026-12-31"
    )
    dialog.save()
    assert window.context.service.all() == []
    type_into(qtbot, line, "13/3/2026")
    assert dialog.error_label.text() == "" and from_date(dialog) == date(2026, 3, 13)


def test_the_vendors_postal_address_is_edited_in_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    service = window.context.service
    original, dialog = edit_new(window, postal_address="Acme Ltd; 1 Main Street")
    assert original.id is not None and dialog.postal_edit.text() == "Acme Ltd; 1 Main Street"
    dialog.postal_edit.setText("Acme Ltd; 2 High Street; Springfield")
    with qtbot.waitSignal(window.context.signals.changed):
        dialog.save()
    assert service.get(original.id).postal_address == "Acme Ltd; 2 High Street; Springfield"
    again = window.commands.edit_selected()
    assert again is not None
    again.postal_edit.setText("Acme Ltd\x00")  # a NUL is refused, by the same rule as the CLI's
    again.save()
    assert "postal address" in again.error_label.text().lower(), again.error_label.text()
    assert service.get(original.id).postal_address == "Acme Ltd; 2 High Street; Springfield"


def test_typing_at_once_goes_into_the_name(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+N and typing: the text lands in the first field, not on the tab bar."""
    dialog = window.commands.add()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClicks(dialog.focusWidget(), "Gym")
    assert dialog.name_edit.text() == "Gym"


def test_amounts_are_shown_with_the_interface_decimal_sign(qtbot: QtBot, window: MainWindow) -> None:
    """In German "1234,50" as one types it, not "1234.50"; saved unchanged it stays 1234.50."""
    window.formatter = Formatter("de_DE")
    saved = window.context.service.add(make_subscription(amount=Decimal("1234.50"), fixed_share=Decimal("617.25")))
    assert saved.id is not None
    dialog = window.commands.edit_id(saved.id)
    assert dialog is not None
    assert (dialog.amount_edit.text(), dialog.share_edit.text()) == ("1234,50", "617,25")
    dialog.save()
    stored = window.context.service.get(saved.id)
    assert (stored.amount, stored.fixed_share) == (Decimal("1234.50"), Decimal("617.25"))


def test_the_default_reminders_are_listed_apart_from_a_decimal_comma(window: MainWindow) -> None:
    """ "7,1 Tage" reads as seven point one days in German and French: the list is "7, 1", as the details say."""
    dialog = window.commands.add()
    assert "(7, 1 " in dialog.default_reminders.text()


def test_tab_follows_the_form_on_every_page(qtbot: QtBot, window: MainWindow) -> None:
    """Tab goes down each page as its rows read, and out of the notes, which it never gets stuck in."""
    dialog = window.commands.add()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)

    def after(widget: QWidget, page: int) -> QWidget | None:
        dialog.tabs.setCurrentIndex(page)
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        return dialog.focusWidget()

    assert after(dialog.payment_edit, 2) is dialog.channel_combo
    assert after(dialog.channel_combo, 2) is dialog.account_edit
    assert after(dialog.share_edit, 3) is dialog.tags_edit
    assert after(dialog.tags_edit, 3) is dialog.last_used.check
    assert after(dialog.last_used.check, 3) is dialog.notes_edit  # past the date, off while unticked
    dialog.last_used.check.setChecked(True)
    assert after(dialog.last_used.check, 3) is dialog.last_used.edit.line
    assert after(dialog.last_used.edit.line, 3) is dialog.notes_edit
    assert after(dialog.notes_edit, 3) is not dialog.notes_edit and "\t" not in dialog.notes_edit.toPlainText()
