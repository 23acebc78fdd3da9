"""mailto: links, .eml files and a real send to a local SMTP server; passwords only in the keyring."""

from __future__ import annotations

import email
from dataclasses import replace
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import keyring
import pytest
from hypothesis import given
from hypothesis import strategies as st
from keyring.backends.fail import Keyring as FailKeyring

from renewaltracker.domain.drafts import Draft
from renewaltracker.services.mail import (
    MailError,
    Security,
    SmtpSettings,
    eml_bytes,
    mailto_url,
    remember_password,
    send,
    smtp_settings,
    stored_password,
)
from renewaltracker.services.secrets import KeyringSecretStore, SecretUnavailable
from tests.mail_server import (
    PASSWORD,
    USER,
    Inbox,
    MailServer,
    free_port,
    smtp_auth_server,
    smtp_server,
    smtp_server_without_smtputf8,
)

__all__ = ["smtp_auth_server", "smtp_server", "smtp_server_without_smtputf8"]  # fixtures

WHEN = datetime(2026, 3, 10, 8, 30, tzinfo=UTC)
any_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60)
subjects = any_text.map(lambda value: " ".join(value.split())).filter(bool)
bodies = st.lists(any_text, max_size=6).map("\n".join)
addresses = st.sampled_from(["", "help@vendor.example", "a+b@x.example", "o'neil@x.example"])


@given(to=addresses, subject=subjects, body=bodies)
def test_mailto_parses_back_to_the_same_draft(to: str, subject: str, body: str) -> None:
    url = mailto_url(Draft(to, subject, body))
    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    assert unquote(parts.path) == to
    assert " " not in url and "\n" not in url and "+" not in parts.query.replace("%2B", "")
    query = parse_qs(parts.query, keep_blank_values=True)
    assert query["subject"] == [subject]
    assert query["body"] == [body.replace("\n", "\r\n")]


@given(subject=subjects, body=bodies)
def test_eml_parses_with_the_standard_library_and_keeps_unicode(subject: str, body: str) -> None:
    data = eml_bytes(Draft("help@vendor.example", subject, body), "jöhn@example.com", WHEN)
    message = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert message["Subject"] == subject
    assert message["To"] == "help@vendor.example"
    assert message["X-Unsent"] == "1"
    content = message.get_body(("plain",))
    assert content is not None
    assert content.get_content().replace("\r\n", "\n").rstrip("\n") == body.replace("\r", "\n").rstrip("\n")


def _settings(port: int, user: str = "") -> SmtpSettings:
    return SmtpSettings("127.0.0.1", port, Security.NONE, user, "jane@example.com")


def test_a_real_send_arrives_intact(smtp_server: MailServer) -> None:
    port, inbox = smtp_server.port, smtp_server.inbox
    body = "Dear Ünïcode support team,\n\nPlease cancel — and refund €39.99.\n\nKind regards,\nJane Ölund\n"
    send(Draft("help@vendor.example", "Please cancel my Zeitschrift-Abo “Digital”", body), _settings(port), None, WHEN)
    assert len(inbox.messages) == 1
    received = email.message_from_bytes(inbox.messages[0], policy=policy.default)
    assert received["Subject"] == "Please cancel my Zeitschrift-Abo “Digital”"
    assert received["From"] == "jane@example.com"
    assert received["To"] == "help@vendor.example"
    assert received.get_body(("plain",)).get_content().replace("\r\n", "\n") == body


@pytest.mark.expect_log_warnings
def test_plain_word_errors(smtp_server: MailServer) -> None:
    port = smtp_server.port
    draft = Draft("help@vendor.example", "Hi", "Body\n")
    with pytest.raises(MailError, match="refused the connection"):
        send(draft, _settings(free_port()), None, WHEN, timeout=5)
    with pytest.raises(MailError, match="password is needed"):
        send(draft, _settings(port, user="jane"), None, WHEN)
    with pytest.raises(MailError, match="no mail server"):
        send(draft, SmtpSettings("", 25, Security.NONE, "", "jane@example.com"), None, WHEN)
    with pytest.raises(MailError, match="no recipient"):
        send(Draft("", "Hi", "Body\n"), _settings(port), None, WHEN)
    # The local server offers no STARTTLS: the user is told what to change.
    with pytest.raises(MailError, match="STARTTLS"):
        send(draft, SmtpSettings("127.0.0.1", port, Security.STARTTLS, "", "jane@example.com"), None, WHEN, timeout=5)


@pytest.mark.expect_log_warnings
def test_login_with_the_password(smtp_auth_server: MailServer, caplog: pytest.LogCaptureFixture) -> None:
    draft = Draft("help@vendor.example", "Hi", "Body\n")
    caplog.set_level("DEBUG", logger="renewaltracker")
    send(draft, _settings(smtp_auth_server.port, user=USER), PASSWORD, WHEN)
    assert smtp_auth_server.inbox.logins == [USER] and len(smtp_auth_server.inbox.messages) == 1
    with pytest.raises(MailError, match="refused the user name or password"):
        send(draft, _settings(smtp_auth_server.port, user=USER), "pässwört", WHEN)
    assert PASSWORD not in caplog.text and "pässwört" not in caplog.text


def test_password_lives_in_the_keyring_only(isolated_environment: Any) -> None:
    settings = smtp_settings(
        {
            "smtp_host": "smtp.example.com",
            "smtp_port": "587",
            "smtp_security": "starttls",
            "smtp_user": "jane",
            "user_email": "jane@example.com",
        }
    )
    store = KeyringSecretStore()
    assert stored_password(store, settings) is None
    remember_password(store, settings, "s3cret")
    assert stored_password(store, settings) == "s3cret"
    assert ("renewaltracker/smtp", "jane@smtp.example.com:587") in isolated_environment.passwords


def test_without_a_keyring_the_caller_is_told_why() -> None:
    keyring.set_keyring(FailKeyring())
    settings = _settings(25, user="jane")
    with pytest.raises(SecretUnavailable, match="asked for each time"):
        stored_password(KeyringSecretStore(), settings)
    with pytest.raises(SecretUnavailable):
        remember_password(KeyringSecretStore(), settings, "s3cret")


def test_an_international_support_domain_is_written_as_its_ascii_name() -> None:
    """ "hilfe@bücher.example" went out as "hilfe@=?utf-8?q?b=C3=BCcher?=.example", an address no reader but Python's
    own decodes (an encoded word is not allowed in an address); its IDNA name is what every reader and server takes."""
    data = eml_bytes(Draft("hilfe@bücher.example", "Kündigung", "Grüße\n"), "jane@müller.example", WHEN)
    headers = data.partition(b"\r\n\r\n")[0]
    assert b"=?" not in headers.replace(b"Subject: =?utf-8?q?K=C3=BCndigung?=", b"")
    message = email.message_from_bytes(data, policy=policy.default)
    assert message["To"].addresses[0].addr_spec == "hilfe@xn--bcher-kva.example"
    assert message["From"].addresses[0].addr_spec == "jane@xn--mller-kva.example"


def test_an_international_support_domain_is_sent_through_a_server_without_smtputf8(
    smtp_server_without_smtputf8: MailServer,
) -> None:
    server = smtp_server_without_smtputf8
    send(Draft("hilfe@bücher.example", "Kündigung", "Grüße\n"), _settings(server.port), None, WHEN)
    received = email.message_from_bytes(server.inbox.messages[0], policy=policy.default)
    assert received["To"].addresses[0].addr_spec == "hilfe@xn--bcher-kva.example"
    assert received["Subject"] == "Kündigung"


@pytest.mark.expect_log_warnings
def test_a_sender_with_non_ascii_before_the_at_is_explained_not_blamed_on_starttls(
    smtp_server_without_smtputf8: MailServer, smtp_server: MailServer
) -> None:
    settings = SmtpSettings("127.0.0.1", smtp_server_without_smtputf8.port, Security.NONE, "", "zoë@example.com")
    with pytest.raises(MailError, match="SMTPUTF8") as raised:
        send(Draft("help@vendor.example", "Hi", "Body\n"), settings, None, WHEN)
    assert "STARTTLS" not in str(raised.value)
    # A server that offers SMTPUTF8 takes it, and the .eml file carries it as UTF-8 (RFC 6532), not as an
    # encoded word inside the address.
    send(Draft("help@vendor.example", "Hi", "Body\n"), replace(settings, port=smtp_server.port), None, WHEN)
    assert "From: zoë@example.com\r\n".encode() in smtp_server.inbox.messages[0]
    data = eml_bytes(Draft("help@vendor.example", "Hi", "Body\n"), "zoë@example.com", WHEN)
    assert "From: zoë@example.com\r\n".encode() in data


def test_an_encoded_body_keeps_its_lines_short() -> None:
    """A letter's paragraph is one line; once base64- or quoted-printable-encoded, its lines keep RFC 2045's 76."""
    body = "Sehr geehrte Damen und Herren,\n\n" + "Grüße aus Köln, " * 120 + "\n\nZoë\n"
    data = eml_bytes(Draft("help@vendor.example", "Kündigung", body), "jane@example.com", WHEN)
    head, _, encoded = data.partition(b"\r\n\r\n")
    assert b"Content-Transfer-Encoding: 8bit" not in head
    assert max(len(line) for line in encoded.split(b"\r\n")) <= 76
    message = email.message_from_bytes(data, policy=policy.default)
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == body


@pytest.mark.expect_log_warnings
def test_the_log_names_neither_your_address_nor_the_vendor_s(
    smtp_server: MailServer, smtp_server_without_smtputf8: MailServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The log keeps the kind of a failure and the server, never whom you wrote to or from (security.md)."""
    caplog.set_level("DEBUG", logger="renewaltracker")
    draft = Draft("help@streamco.example", "Cancel", "Body\n")
    send(draft, SmtpSettings("127.0.0.1", smtp_server.port, Security.NONE, "", "sam.private@example.com"), None, WHEN)
    refused = SmtpSettings("127.0.0.1", smtp_server_without_smtputf8.port, Security.NONE, "", "zoë.private@example.com")
    with pytest.raises(MailError, match=r"zoë\.private"):  # the user is told which address, in the message
        send(draft, refused, None, WHEN)
    assert caplog.records, "sending is logged"
    for private in ("streamco", "sam.private", "zoë.private"):
        assert private not in caplog.text


@pytest.mark.expect_log_warnings
@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_a_password_with_umlauts_logs_in(mechanism: str, caplog: pytest.LogCaptureFixture) -> None:
    """SASL PLAIN and LOGIN carry UTF-8 (RFC 4616); smtplib sends ASCII only, so "Kennwörter" were refused."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    logins: list[tuple[str, str]] = []

    def check(server: Any, session: Any, envelope: Any, used: str, data: Any) -> AuthResult:
        if isinstance(data, LoginPassword):
            logins.append((used, data.login.decode()))
            ok = (data.login.decode(), data.password.decode()) == ("zoë", "Kennwört€r")
            return AuthResult(success=ok, handled=False)
        return AuthResult(success=False, handled=False)

    caplog.set_level("DEBUG", logger="renewaltracker")
    port = free_port()
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=check,
        auth_require_tls=False,
        auth_exclude_mechanism=["LOGIN" if mechanism == "PLAIN" else "PLAIN"],
    )
    controller.start()
    try:
        settings = _settings(port, user="zoë")
        send(Draft("help@vendor.example", "Hi", "Body\n"), settings, "Kennwört€r", WHEN)
        assert logins == [(mechanism, "zoë")] and len(inbox.messages) == 1
        with pytest.raises(MailError, match="refused the user name or password"):
            send(Draft("help@vendor.example", "Hi", "Body\n"), settings, "Kennwörter", WHEN)
    finally:
        controller.stop()
    assert "Kennwört" not in caplog.text
