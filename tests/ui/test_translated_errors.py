"""In German and in French the window's error messages name fields in that language: a bad amount or date in the
editor, a duplicate charge from the detail pane and an import whose preview is outdated show no English field key."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from renewaltracker.domain.errors import DuplicateChargeError
from renewaltracker.domain.field_labels import FIELD_LABELS
from renewaltracker.i18n import install_language
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.ui import import_preview
from renewaltracker.ui.import_preview import ImportPreviewDialog
from renewaltracker.ui.main_window import MainWindow
from tests.factories import make_subscription
from tests.services.test_import_outdated_preview import calendar_preview
from tests.ui.waiting import open_details

# A field key followed by its colon ("amount:", "charge :"), as str(error) would show it.
ENGLISH_KEY = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, FIELD_LABELS)) + r")\s*:")


@pytest.fixture(params=["de", "fr"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    install_language(request.param)
    yield request.param
    install_language("en")


def assert_no_english_key(text: str) -> None:
    assert text, "an error is shown"
    assert not ENGLISH_KEY.search(text), f"an English field key in {text!r}"


def test_the_pattern_finds_an_english_key() -> None:
    assert ENGLISH_KEY.search("Nicht erfasst — charge: eine Abbuchung …")
    assert not ENGLISH_KEY.search("Nicht erfasst — Abbuchung: eine Abbuchung …")


def test_a_bad_amount_or_date_in_the_editor(qtbot: QtBot, window: MainWindow, language: str) -> None:
    dialog = window.commands.add()
    qtbot.keyClicks(dialog.name_edit, "Gym")
    qtbot.keyClicks(dialog.amount_edit, "-5")
    dialog.amount_edit.editingFinished.emit()
    shown = dialog.error_label.text()
    assert_no_english_key(shown)
    assert shown.startswith({"de": "Betrag: ", "fr": "Montant\u00a0: "}[language])
    dialog.amount_edit.setText("5")
    dialog.anchor_edit.line.selectAll()
    qtbot.keyClicks(dialog.anchor_edit.line, "31/13/2026")
    dialog.anchor_edit.line.editingFinished.emit()
    dialog.save()
    shown = dialog.error_label.text()
    assert_no_english_key(shown)
    assert "31/13/2026" in shown
    dialog.anchor_edit.line.selectAll()
    qtbot.keyClicks(dialog.anchor_edit.line, "2026-03-13")
    dialog.amount_edit.setText("5 JPY")
    dialog.save()
    assert_no_english_key(dialog.error_label.text())
    assert window.context.service.all() == []


def test_a_duplicate_charge_recorded_from_the_detail_pane(
    qtbot: QtBot, window: MainWindow, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = window.context.service
    saved = service.add(make_subscription(name="Gym"))
    assert saved.id is not None
    open_details(qtbot, window, saved.id)
    assert window.details.due

    def recorded_meanwhile(*_args: object, **_kwargs: object) -> object:
        # Recorded by another window between the question and the answer: refused even when forced.
        raise DuplicateChargeError(7, date(2026, 3, 5), Decimal("39.99"), "USD")

    monkeypatch.setattr("renewaltracker.ui.detail_pane.ask_yes_no", lambda *_args: True)
    monkeypatch.setattr(service, "record_charge", recorded_meanwhile)
    assert not window.details.record_charge()
    shown = window.details.problem.text()
    assert_no_english_key(shown)
    assert {"de": "Abbuchung: ", "fr": "Prélèvement\u00a0: "}[language] in shown


def test_an_import_whose_preview_is_outdated(
    qtbot: QtBot, service: SubscriptionService, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    importer, subscription_id, preview = calendar_preview(service)
    service.delete(subscription_id)
    warned: list[str] = []
    monkeypatch.setattr(import_preview, "warn", lambda _parent, _title, text: warned.append(text))
    dialog = ImportPreviewDialog(importer, preview)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.accept()
    (shown,) = warned
    assert_no_english_key(shown)
    assert "Renamed" in shown and "nothing was imported" not in shown


def test_a_bad_server_in_the_email_settings(window: MainWindow, language: str, qtbot: QtBot) -> None:
    from renewaltracker.services.secrets import MemorySecretStore
    from renewaltracker.ui.mail_settings import MailSettingsDialog

    settings = MailSettingsDialog(window.context, MemorySecretStore())
    qtbot.addWidget(settings)
    settings.host.setText("smtp example.com")
    assert not settings.save()
    shown = settings.status.text()
    assert_no_english_key(shown)
    assert "smtp_host" not in shown and {"de": "SMTP-Server: ", "fr": "Serveur SMTP\u00a0: "}[language] in shown
