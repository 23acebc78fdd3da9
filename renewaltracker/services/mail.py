"""Where a draft goes: a mailto: link, an .eml file, or the user's SMTP server (password from the keyring)."""

from __future__ import annotations

import base64
import logging
import smtplib
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from enum import StrEnum
from typing import Any
from urllib.parse import quote

from renewaltracker.domain.drafts import Draft
from renewaltracker.i18n import _
from renewaltracker.services.secrets import SecretStore

log = logging.getLogger(__name__)
SECRET_PURPOSE = "smtp"
DEFAULT_TIMEOUT = 30.0


class Security(StrEnum):
    STARTTLS = "starttls"
    SSL = "ssl"
    NONE = "none"


class MailError(RuntimeError):
    """Sending failed; the message says why in plain words."""


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def mailto_url(draft: Draft) -> str:
    """An RFC 6068 mailto: URL: everything percent-encoded (UTF-8), line breaks as %0D%0A."""
    address = quote(draft.to, safe="@")
    query = f"subject={quote(draft.subject, safe='')}&body={quote(_crlf(draft.body), safe='')}"
    return f"mailto:{address}?{query}"


# Headers fold only past RFC 5322's hard limit: Python folds a long non-ASCII subject before an encoded word
# so that it reads back with a doubled space ("account  zoë@…"); a one-line subject never comes near 998.
_POLICY = policy.default.clone(max_line_length=998)


def ascii_domain(address: str) -> str:
    """The address with its domain in IDNA ("hilfe@xn--bcher-kva.example"): Python wrote "bücher" as an encoded
    word, which no address may hold, and a server without SMTPUTF8 refuses the raw UTF-8."""
    local, at, domain = address.rpartition("@")
    if not at or domain.isascii():
        return address
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:  # not a domain IDNA can write: left as typed, sent as UTF-8 (SMTPUTF8)
        return address


def email_message(draft: Draft, sender: str, when: datetime, *, unsent: bool = False) -> EmailMessage:
    """The draft as a UTF-8 email; `unsent` marks a file that mail clients should open as a draft."""
    # The body is encoded under the default policy, so base64 and quoted-printable lines keep RFC 2045's 76
    # characters; the headers are then written under _POLICY.
    message = EmailMessage(policy=policy.default)
    if sender:
        message["From"] = ascii_domain(sender)
    if draft.to:
        message["To"] = ascii_domain(draft.to)
    message["Subject"] = draft.subject
    message["Date"] = format_datetime(when)
    domain = ascii_domain(sender).rpartition("@")[2]
    message["Message-ID"] = make_msgid(domain=domain if domain and domain.isascii() else None)
    if unsent:
        message["X-Unsent"] = "1"
    message.set_content(draft.body, charset="utf-8")
    message.policy = _POLICY
    return message


def _international(message: EmailMessage) -> bool:
    """An address that stays non-ASCII (before the @): only RFC 6532's UTF-8 headers can carry it."""
    return any(not str(message.get(name, "")).isascii() for name in ("From", "To"))


def eml_bytes(draft: Draft, sender: str, when: datetime) -> bytes:
    """An .eml file's content, with CRLF line ends as the format expects."""
    message = email_message(draft, sender, when, unsent=True)
    return message.as_bytes(policy=_POLICY.clone(linesep="\r\n", utf8=_international(message)))


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    security: Security
    user: str
    sender: str

    @property
    def secret_account(self) -> str:
        return f"{self.user}@{self.host}:{self.port}"

    @property
    def needs_password(self) -> bool:
        return bool(self.user)


def smtp_settings(settings: dict[str, str]) -> SmtpSettings:
    """From the raw settings table (already validated when they were set)."""
    return SmtpSettings(
        host=settings["smtp_host"].strip(),
        port=int(settings["smtp_port"]),
        security=Security(settings["smtp_security"].strip().lower()),
        user=settings["smtp_user"].strip(),
        sender=settings["user_email"].strip(),
    )


def stored_password(store: SecretStore, settings: SmtpSettings) -> str | None:
    """The remembered password; raises SecretUnavailable when no keyring exists (ask the user instead)."""
    return store.get(SECRET_PURPOSE, settings.secret_account)


def remember_password(store: SecretStore, settings: SmtpSettings, password: str) -> None:
    store.set(SECRET_PURPOSE, settings.secret_account, password)


def _connect(settings: SmtpSettings, timeout: float) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if settings.security is Security.SSL:
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=context)
    client = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    if settings.security is Security.STARTTLS:
        try:
            client.starttls(context=context)
        except BaseException:
            client.close()
            raise
    return client


def _plain_words(error: BaseException, settings: SmtpSettings) -> str:
    server = f"{settings.host}:{settings.port}"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return _("{server} refused the user name or password").format(server=server)
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return _("{server} does not offer STARTTLS; choose SSL or ask your provider for the right port").format(
            server=server
        )
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return _("{server} refused the recipient {recipients}").format(
            server=server, recipients=", ".join(error.recipients)
        )
    if isinstance(error, smtplib.SMTPSenderRefused):
        return _("{server} refused the sender address {sender}").format(server=server, sender=error.sender)
    if isinstance(error, smtplib.SMTPResponseException):
        return _("{server} answered {smtp_code}: {answer}").format(
            server=server, smtp_code=error.smtp_code, answer=_decode(error.smtp_error)
        )
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return _(
            "{server} closed the connection (is the security setting right? port 465 is SSL, 587 STARTTLS)"
        ).format(server=server)
    if isinstance(error, ssl.SSLError):
        return _("the secure connection to {server} failed ({reason}); check the security setting").format(
            server=server, reason=error.reason or error
        )
    if isinstance(error, socket.gaierror):
        return _("the server name {host!r} was not found").format(host=settings.host)
    if isinstance(error, ConnectionRefusedError):
        return _("{server} refused the connection; check the server name and port").format(server=server)
    if isinstance(error, TimeoutError | socket.timeout):
        return _("{server} did not answer in time").format(server=server)
    if isinstance(error, OSError):
        return _("could not reach {server}: {strerror}").format(server=server, strerror=error.strerror or error)
    return _("sending through {server} failed: {error}").format(server=server, error=error)


def _decode(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _login_utf8(client: smtplib.SMTP, user: str, password: str) -> None:
    """Log in with SASL PLAIN or LOGIN, whose credentials are UTF-8 (RFC 4616): smtplib encodes them as ASCII."""
    client.ehlo_or_helo_if_needed()
    offered = client.esmtp_features.get("auth", "").upper().split()

    def encoded(text: str) -> str:
        return base64.b64encode(text.encode("utf-8")).decode("ascii")

    if "PLAIN" in offered:
        code, answer = client.docmd("AUTH", "PLAIN " + encoded(f"\0{user}\0{password}"))
    elif "LOGIN" in offered:
        code, answer = client.docmd("AUTH", "LOGIN " + encoded(user))
        if code == 334:
            code, answer = client.docmd(encoded(password))
    elif not client.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError  # told in plain words by _login
    else:  # only challenge-response mechanisms, which smtplib computes over ASCII
        raise MailError(
            _("the user name or password has characters other than plain ASCII, which SMTP login cannot carry")
        )
    if code not in (235, 503):  # 503: already authenticated
        raise smtplib.SMTPAuthenticationError(code, answer)


def _login(client: smtplib.SMTP, settings: SmtpSettings, password: str) -> None:
    try:
        if (settings.user + password).isascii():
            client.login(settings.user, password)
        else:
            _login_utf8(client, settings.user, password)
    except smtplib.SMTPNotSupportedError:
        raise MailError(
            _(
                "{host}:{port} does not accept a user name and password here; try STARTTLS or SSL, or "
                "leave the user name empty"
            ).format(host=settings.host, port=settings.port)
        ) from None


def send(
    draft: Draft, settings: SmtpSettings, password: str | None, when: datetime, timeout: float = DEFAULT_TIMEOUT
) -> None:
    """Send the draft through the user's server, or raise MailError in plain words (never naming the password)."""
    if not settings.host:
        raise MailError(_("no mail server is set up: enter your SMTP server first"))
    if not settings.sender:
        raise MailError(_("your email address is not set: it is needed as the sender"))
    if not draft.to:
        raise MailError(_("the draft has no recipient"))
    if settings.needs_password and not password:
        raise MailError(_("a password is needed for {user} on {host}").format(user=settings.user, host=settings.host))
    message = email_message(draft, settings.sender, when)
    try:
        with _connect(settings, timeout) as client:
            if settings.needs_password:
                assert password is not None
                _login(client, settings, password)
            try:
                client.send_message(message)
            except smtplib.SMTPNotSupportedError:
                # Raised before anything is sent, for an address smtplib must send as UTF-8 (SMTPUTF8).
                words = _(
                    "{server} cannot take an email address with letters other than plain ASCII before the @ "
                    "(it does not offer SMTPUTF8): {sender}"
                ).format(server=f"{settings.host}:{settings.port}", sender=settings.sender)
                log.warning("sending a draft through %s:%s failed: no SMTPUTF8", settings.host, settings.port)
                raise MailError(words) from None
    except (smtplib.SMTPException, OSError) as error:
        # The kind and code only: the plain words name your address and the vendor's, which the log must not keep.
        code = getattr(error, "smtp_code", None)
        log.warning(
            "sending a draft through %s:%s failed: %s %s",
            settings.host,
            settings.port,
            type(error).__name__,
            code or "",
        )
        raise MailError(_plain_words(error, settings)) from None
    log.info("sent a draft through %s:%s", settings.host, settings.port)


def send_test(settings: SmtpSettings, password: str | None, when: datetime, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Send a short test message to the user's own address."""
    body = "This is a test message from Renewal Tracker: your mail settings work.\n"
    send(Draft(settings.sender, "Renewal Tracker test message", body), settings, password, when, timeout)
