"""The draft dialog: composing, copy, mailto, .eml, a real SMTP send, passwords, and logging the contact."""

from __future__ import annotations

import email
from datetime import date
from email import policy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from pytestqt.qtbot import QtBot

from renewaltracker.domain.contacts import Channel
from renewaltracker.domain.drafts import DraftKind, Tone
from renewaltracker.services.mail import SmtpSettings
from renewaltracker.services.secrets import MemorySecretStore
from renewaltracker.ui.draft_dialog import DraftDialog
from renewaltracker.ui.mail_settings import MailSettingsDialog
from tests.factories import make_subscription
from tests.mail_server import PASSWORD, USER, MailServer, free_port, smtp_auth_server, smtp_server
from tests.ui.drafts_fixtures import Setup, setup
from tests.ui.fakes import NoKeyringStore

__all__ = ["setup", "smtp_auth_server", "smtp_server"]  # fixtures


def _dialog(setup: Setup, qtbot: QtBot, kind: DraftKind = DraftKind.CANCEL, sid: int | None = None) -> DraftDialog:
    dialog = setup.feature.open_draft(kind, setup.subscription_id if sid is None else sid)
    assert dialog is not None
    qtbot.addWidget(dialog)
    return dialog


def _use_server(setup: Setup, port: int, user: str = "") -> None:
    for key, value in (
        ("smtp_host", "127.0.0.1"),
        ("smtp_port", str(port)),
        ("smtp_security", "none"),
        ("smtp_user", user),
        ("user_email", "zoe@example.com"),
    ):
        setup.context.service.set_setting(key, value)


def test_composes_and_follows_kind_tone_and_charge(setup: Setup, qtbot: QtBot) -> None:
    dialog = _dialog(setup, qtbot)
    assert dialog.to.text() == "help@magazine.example"
    assert dialog.subject.text() == "Please cancel my subscription to The Magazine Digital (account zoë@example.com)"
    assert "Zoë Quinn" in dialog.body.toPlainText() and not dialog.charge.isEnabled()
    dialog.kind.setCurrentIndex(list(DraftKind).index(DraftKind.REFUND))
    assert dialog.charge.isEnabled() and dialog.charge.currentText().startswith("Mar 3, 2026 — $39.99")
    body = dialog.body.toPlainText()
    assert "INV-303" in body and "within 7 days of the charge" in body
    dialog.tone.setCurrentIndex(list(Tone).index(Tone.FIRM))
    assert "Please reply within 14 days, by 24 March 2026" in dialog.body.toPlainText()
    dialog.kind.setCurrentIndex(list(DraftKind).index(DraftKind.BANK_STOP))
    assert dialog.to.text() == "" and "card services" in dialog.body.toPlainText()


def test_copy_then_record_the_contact(setup: Setup, qtbot: QtBot) -> None:
    dialog = _dialog(setup, qtbot)
    dialog.body.setPlainText("My own words.\n")
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == f"Subject: {dialog.subject.text()}\n\nMy own words.\n"
    assert dialog.record_bar.isVisibleTo(dialog) and "Copied" in dialog.record_label.text()
    with qtbot.waitSignal(dialog.recorded) as recorded:
        qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    contact = recorded.args[0]
    assert contact.channel is Channel.EMAIL and contact.summary.startswith("Cancel the subscription: Please cancel")
    assert setup.feature.contacts.list_for(setup.subscription_id) == [contact]
    assert not dialog.record_button.isEnabled()


def test_open_in_mail_app_passes_an_rfc6068_link(setup: Setup, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog = _dialog(setup, qtbot, DraftKind.REFUND)
    assert dialog.open_in_mail_app()
    [url] = opened
    parts = urlsplit(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
    query = parse_qs(parts.query)
    assert parts.path == "help@magazine.example"
    assert query["subject"] == [dialog.subject.text()]
    assert query["body"] == [dialog.body.toPlainText().replace("\n", "\r\n")]
    assert "Opened" in dialog.record_label.text()
    assert ("cut short" in dialog.record_label.text()) == (
        len(url.toString(QUrl.ComponentFormattingOption.FullyEncoded)) > 2000
    )
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    assert not dialog.open_in_mail_app() and "No mail app" in dialog.status.text()


def test_save_as_eml(setup: Setup, qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _dialog(setup, qtbot)
    assert dialog.suggested_filename() == "cancel-the-magazine-2026-03-10.eml"
    target = dialog.save_eml(str(tmp_path / "cancel.eml"))
    assert target is not None
    message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    assert message["Subject"] == dialog.subject.text() and "Zoë Quinn" in message.get_body(("plain",)).get_content()
    assert dialog.save_eml(str(tmp_path / "missing" / "x.eml")) is None and "Could not save" in dialog.status.text()


def test_send_through_a_real_server(setup: Setup, qtbot: QtBot, smtp_server: MailServer) -> None:
    _use_server(setup, smtp_server.port)
    dialog = _dialog(setup, qtbot)
    with qtbot.waitSignal(dialog.sent, timeout=10_000):
        assert dialog.send() is not None
        assert dialog.progress.isVisibleTo(dialog)
    assert not dialog.progress.isVisibleTo(dialog)
    [raw] = smtp_server.inbox.messages
    received = email.message_from_bytes(raw, policy=policy.default)
    assert received["Subject"] == dialog.subject.text()
    assert received.get_body(("plain",)).get_content().replace("\r\n", "\n") == dialog.body.toPlainText()
    assert "Sent to help@magazine.example" in dialog.record_label.text()
    recorded = dialog.record_contact()
    assert recorded is not None and recorded.outcome == "Sent by email."


@pytest.mark.expect_log_warnings
def test_send_failure_is_told_in_plain_words(setup: Setup, qtbot: QtBot) -> None:
    _use_server(setup, free_port())
    dialog = _dialog(setup, qtbot)
    with qtbot.waitSignal(dialog.send_failed, timeout=10_000):
        dialog.send()
    assert "refused the connection" in dialog.status.text() and not dialog.record_bar.isVisibleTo(dialog)
    setup.context.service.set_setting("smtp_host", "")
    assert dialog.send() is None and "Email settings" in dialog.status.text()


def test_without_a_keyring_the_password_is_asked_each_time(
    setup: Setup, qtbot: QtBot, smtp_auth_server: MailServer
) -> None:
    setup.feature.secrets = NoKeyringStore()
    _use_server(setup, smtp_auth_server.port, user=USER)
    dialog = _dialog(setup, qtbot)
    asked: list[str] = []

    def prompt(parent: object, settings: SmtpSettings, reason: str) -> str | None:
        asked.append(reason)
        return PASSWORD

    dialog.password_prompt = prompt
    for _ in range(2):
        with qtbot.waitSignal(dialog.sent, timeout=10_000):
            dialog.send()
    assert len(asked) == 2 and all("asked for each time" in reason for reason in asked)
    assert smtp_auth_server.inbox.logins == [USER, USER]
    dialog.password_prompt = lambda *args: None
    assert dialog.send() is None and "no password" in dialog.status.text()


def test_a_remembered_password_is_not_asked_for(
    setup: Setup, qtbot: QtBot, smtp_auth_server: MailServer, secrets: MemorySecretStore
) -> None:
    _use_server(setup, smtp_auth_server.port, user=USER)
    settings = MailSettingsDialog(setup.context, setup.feature.secrets)
    qtbot.addWidget(settings)
    assert settings.remember.isEnabled()
    settings.password.setText(PASSWORD)
    assert settings.save()
    assert list(secrets._secrets.values()) == [PASSWORD]  # the store the window was given, not the keyring
    assert PASSWORD not in str(setup.context.service.settings())
    dialog = _dialog(setup, qtbot)
    dialog.password_prompt = lambda *args: pytest.fail("asked for a stored password")
    with qtbot.waitSignal(dialog.sent, timeout=10_000):
        dialog.send()


def test_mail_settings_validate_and_send_a_test(setup: Setup, qtbot: QtBot, smtp_server: MailServer) -> None:
    settings = MailSettingsDialog(setup.context, setup.feature.secrets)
    qtbot.addWidget(settings)
    settings.host.setText("smtp example.com")
    assert not settings.save() and "Not saved: SMTP server: " in settings.status.text()  # as the form names it
    assert setup.context.service.setting("smtp_host") == ""  # nothing saved
    settings.host.setText("127.0.0.1")
    settings.port.setValue(smtp_server.port)
    settings.security.setCurrentIndex(2)
    settings.sender_email.setText("zoe@example.com")
    settings.send_test()
    # Its end, not the thread's `finished`: that may come before a wait starts, and be missed.
    qtbot.waitUntil(settings.test_button.isEnabled, timeout=10_000)
    assert "test message was sent to zoe@example.com" in settings.status.text()
    assert len(smtp_server.inbox.messages) == 1


def test_no_keyring_disables_remembering(setup: Setup, qtbot: QtBot) -> None:
    settings = MailSettingsDialog(setup.context, NoKeyringStore())
    qtbot.addWidget(settings)
    assert not settings.remember.isEnabled() and "asked for each time" in settings.keyring_note.text()


@pytest.mark.expect_log_warnings
def test_a_broken_user_template_is_shown_and_the_shipped_one_used(setup: Setup, qtbot: QtBot) -> None:
    folder = setup.feature.drafts.templates.user_dir
    folder.mkdir(parents=True)
    (folder / "cancel.txt.j2").write_text("Subject: x\n\n{{ no_such_thing }}\n", encoding="utf-8")
    dialog = _dialog(setup, qtbot)
    assert dialog.problems.isVisibleTo(dialog)
    assert "cancel.txt.j2, line 3" in dialog.problems.text() and "shipped template was used" in dialog.problems.text()
    assert dialog.subject.text().startswith("Please cancel")


def test_the_prompt_says_why_it_asks(setup: Setup, qtbot: QtBot, smtp_auth_server: MailServer) -> None:
    _use_server(setup, smtp_auth_server.port, user=USER)
    dialog = _dialog(setup, qtbot)
    asked: list[str] = []
    dialog.password_prompt = lambda parent, settings, reason: asked.append(reason) or PASSWORD
    with qtbot.waitSignal(dialog.sent, timeout=10_000):
        dialog.send()
    assert asked == ["No password is stored for this server yet; Email settings can keep it in the system keyring"]


def test_the_templates_folder_action(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    setup.feature.open_template_folder()
    folder = setup.feature.drafts.templates.user_dir
    assert opened == [QUrl.fromLocalFile(str(folder))]
    assert (folder / "shipped" / "cancel.txt.j2").is_file() and (folder / "README.txt").is_file()
    assert setup.feature.drafts.templates.overridden() == []  # reference copies do not override anything


def test_open_draft_needs_a_selection(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    told: list[str] = []
    monkeypatch.setattr("renewaltracker.ui.drafts.inform", lambda parent, title, text: told.append(text))
    assert setup.feature.open_draft(DraftKind.REFUND) is None
    assert told == ["Select a subscription first."]


def test_a_new_choice_keeps_edits_undoable_and_a_typed_address(setup: Setup, qtbot: QtBot) -> None:
    dialog = _dialog(setup, qtbot)
    dialog.body.setFocus()
    dialog.body.selectAll()
    qtbot.keyClicks(dialog.body, "My own text")
    dialog.to.setText("billing@magazine.example")
    dialog.tone.setCurrentIndex(list(Tone).index(Tone.FRIENDLY))
    assert "Hello The Magazine team," in dialog.body.toPlainText()
    assert dialog.to.text() == "billing@magazine.example"
    assert "Ctrl+Z" in dialog.status.text()
    dialog.body.undo()
    assert dialog.body.toPlainText() == "My own text"


def test_email_settings_hold_name_region_and_tone(setup: Setup, qtbot: QtBot) -> None:
    settings = MailSettingsDialog(setup.context, setup.feature.secrets)
    qtbot.addWidget(settings)
    assert settings.user_name.text() == "Zoë Quinn" and settings.region.currentData() == ""
    settings.user_name.setText("Zoë Q.")
    settings.region.setCurrentIndex(settings.region.findData("UK"))
    settings.tone.setCurrentIndex(settings.tone.findData("firm"))
    assert settings.save()
    saved = setup.context.service.settings()
    assert (saved["user_name"], saved["region"], saved["draft_tone"]) == ("Zoë Q.", "UK", "firm")
    dialog = _dialog(setup, qtbot, DraftKind.BANK_STOP)
    body = dialog.body.toPlainText()
    assert "Zoë Q." in body and "continuous payment authority" in body and "Please reply within" in body


def test_recording_after_the_subscription_was_deleted_says_so(setup: Setup, qtbot: QtBot) -> None:
    dialog = _dialog(setup, qtbot)
    dialog.copy_to_clipboard()
    setup.context.service.delete(setup.subscription_id)
    assert dialog.record_contact() is None
    assert "Not recorded: no subscription with id" in dialog.record_label.text()


def test_refund_check_boxes_and_a_trial_refund_before_the_trial_ended(setup: Setup, qtbot: QtBot) -> None:
    dialog = _dialog(setup, qtbot)
    assert not dialog.unused.isEnabled()
    dialog.kind.setCurrentIndex(list(DraftKind).index(DraftKind.REFUND))
    dialog.unused.setChecked(True)
    dialog.policy.setChecked(True)
    body = dialog.body.toPlainText()
    assert "I have not used the renewed term." in body and "as your refund policy allows" in body
    trial = setup.context.service.add(make_subscription(name="Headspace", anchor=None, trial_end=date(2026, 3, 20)))
    assert trial.id is not None
    trial_dialog = _dialog(setup, qtbot, DraftKind.TRIAL_REFUND, trial.id)
    assert "the free trial has not ended yet" in trial_dialog.status.text()
    assert trial_dialog.body.toPlainText() == "" and not trial_dialog.send_button.isEnabled()
    assert trial_dialog.offer_cancel.isVisibleTo(trial_dialog)
    qtbot.mouseClick(trial_dialog.offer_cancel, Qt.MouseButton.LeftButton)
    assert trial_dialog.current_kind() is DraftKind.CANCEL
    assert "no charge is taken" in trial_dialog.body.toPlainText() and trial_dialog.send_button.isEnabled()


def test_the_record_offer_follows_the_draft_shown_and_a_pdf_letter_is_recorded_as_a_letter(
    setup: Setup, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = _dialog(setup, qtbot)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert dialog.record_bar.isVisibleTo(dialog)
    dialog.tone.setCurrentIndex(list(Tone).index(Tone.FIRM))  # another draft: not the one copied
    assert not dialog.record_bar.isVisibleTo(dialog)
    target = dialog.save_pdf(str(tmp_path / "letter.pdf"))
    assert target is not None and target.read_bytes().startswith(b"%PDF-")
    contact = dialog.record_contact()
    assert contact is not None and contact.channel is Channel.LETTER


def test_a_trial_refund_for_a_plan_without_a_trial_is_not_written(setup: Setup, qtbot: QtBot) -> None:
    """The menu offers every kind; for a plan that never had a trial the letter would invent one."""
    dialog = _dialog(setup, qtbot, DraftKind.TRIAL_REFUND)
    assert "no free trial is recorded" in dialog.status.text()
    assert dialog.body.toPlainText() == "" and not dialog.send_button.isEnabled()
    assert not dialog.offer_cancel.isVisibleTo(dialog)


def test_tab_in_the_email_settings_follows_the_rows(setup: Setup, qtbot: QtBot) -> None:
    settings = MailSettingsDialog(setup.context, setup.feature.secrets)
    qtbot.addWidget(settings)
    settings.show()
    qtbot.waitUntil(settings.isActiveWindow)
    settings.user_name.setFocus()
    for expected in (settings.sender_email, settings.region, settings.tone, settings.host):
        qtbot.keyClick(settings.focusWidget(), Qt.Key.Key_Tab)
        assert settings.focusWidget() is expected
