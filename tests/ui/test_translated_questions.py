"""Questions and messages the window builds from parts (a charge to delete, a price to adopt, a restored backup, a
mail test, the tone to write in) speak the interface language, as its fixed texts do."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from renewaltracker.domain.drafts import DraftKind
from renewaltracker.i18n import install_language
from renewaltracker.storage.backup import backup_database
from renewaltracker.ui import charge_history, mail_settings
from renewaltracker.ui.composition import Features
from renewaltracker.ui.mail_settings import MailSettingsDialog
from renewaltracker.ui.main_window import MainWindow
from tests.factories import make_subscription
from tests.ui.waiting import open_details

# Two English words in a row that no German or French sentence has.
ENGLISH = re.compile(r"\b(the|of|on|its|from|to|was|is|failed|restored|delete|price|friendly)\s+\w+", re.I)


@pytest.fixture(params=["de", "fr"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    install_language(request.param)
    yield request.param
    install_language("en")


def assert_translated(text: str) -> None:
    assert text
    assert not ENGLISH.search(text), f"English in {text!r}"


def test_the_pattern_finds_english() -> None:
    assert ENGLISH.search("Delete the charge of 4,00 € on 05.03.2026?")
    assert not ENGLISH.search("Die Abbuchung über 4,00 € vom 05.03.2026 löschen?")


def test_deleting_a_charge_and_adopting_its_price_ask_in_the_language(
    qtbot: QtBot, window: MainWindow, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = window.context.service
    saved = service.add(make_subscription(name="Gym", amount=Decimal("30"), anchor=date(2026, 1, 5)))
    assert saved.id is not None
    service.record_charge(saved.id, date(2026, 2, 5))
    open_details(qtbot, window, saved.id)
    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(charge_history, "ask_yes_no", lambda _p, title, question: asked.append((title, question)))
    actions = window.details.history_actions
    window.details.history.selectRow(0)
    actions.delete()
    charge = actions.selected()
    assert charge is not None
    actions.offer_price(saved.id, Decimal("35"), date(2026, 2, 5))
    assert len(asked) == 2
    for title, question in asked:
        assert_translated(title)
        assert_translated(question)


def test_a_restored_backup_is_reported_in_the_language(features: Features, language: str, tmp_path: Path) -> None:
    context = features.window.context
    context.service.add(make_subscription(name="Kept"))
    assert context.database.path is not None
    backup = backup_database(context.database.path, tmp_path / "backup.sqlite3")
    message = features.restore.restore(backup)
    assert_translated(message.replace(str(backup), "").replace(str(tmp_path), ""))


def test_email_settings_name_the_tones_and_the_test_in_the_language(
    qtbot: QtBot, window: MainWindow, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from renewaltracker.services.secrets import MemorySecretStore

    settings = MailSettingsDialog(window.context, MemorySecretStore())
    qtbot.addWidget(settings)
    for index in range(settings.tone.count()):
        assert_translated(settings.tone.itemText(index) + " tone")
    assert settings.tone.itemText(0) != "Friendly"

    def refused(*_args: object) -> None:
        raise OSError("connection refused")

    monkeypatch.setattr(mail_settings, "send_test", refused)
    settings.sender_email.setText("zoe@example.com")
    settings.send_test()
    # Its end, not the thread's `finished`: that may come before a wait starts, and be missed.
    qtbot.waitUntil(settings.test_button.isEnabled, timeout=10_000)
    assert_translated(settings.status.text().replace("connection refused", ""))


@pytest.fixture
def german() -> Iterator[None]:
    install_language("de")
    yield
    install_language("en")


def test_the_detail_pane_keeps_german_nouns_in_the_billing_cycle(
    qtbot: QtBot, window: MainWindow, german: None
) -> None:
    saved = window.context.service.add(make_subscription(name="News", interval="4 weeks"))
    assert saved.id is not None
    open_details(qtbot, window, saved.id)
    assert "alle 4 Wochen" in window.details.summary.text()


def test_a_second_charge_is_asked_about_with_german_nouns_intact(
    qtbot: QtBot, window: MainWindow, german: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = window.context.service
    saved = service.add(make_subscription(name="Gym", anchor=date(2026, 2, 5)))
    assert saved.id is not None
    open_details(qtbot, window, saved.id)
    day = window.details.due[0]
    service.record_charge(saved.id, day)  # meanwhile, elsewhere
    asked: list[str] = []
    monkeypatch.setattr("renewaltracker.ui.detail_pane.ask_yes_no", lambda _p, _t, question: asked.append(question))
    window.details.record_charge()
    (question,) = asked
    assert question.startswith("Eine Abbuchung über"), question


def test_the_draft_offers_to_log_what_was_done_in_the_language(qtbot: QtBot, features: Features, language: str) -> None:
    saved = features.window.context.service.add(make_subscription(name="Gym"))
    dialog = features.letters.open_draft(DraftKind.CANCEL, saved.id or 0)
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.copy_to_clipboard()
    assert_translated(dialog.record_label.text())
    assert "Copied to the clipboard" not in dialog.record_label.text()


def test_notification_buttons_and_import_actions_speak_the_language(language: str) -> None:
    from renewaltracker.i18n import _
    from renewaltracker.ui.import_preview import _ACTION_TEXT
    from renewaltracker.ui.notifier import ACTION_LABELS

    for label in [*ACTION_LABELS.values(), *_ACTION_TEXT.values()]:
        assert _(label) != label, f"{label!r} is not translated"
