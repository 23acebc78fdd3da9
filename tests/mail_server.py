"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), optionally asking for a user name and password."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "jane"
PASSWORD = "correct horse battery staple"


@dataclass
class Inbox:
    """Keeps every message the server accepted, as raw bytes."""

    messages: list[bytes] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


@dataclass
class MailServer:
    port: int
    inbox: Inbox


def free_port() -> int:
    """A port nobody listens on right now (aiosmtpd cannot start on port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _authenticator(inbox: Inbox) -> Any:
    def check(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            ok = auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
            if ok:
                inbox.logins.append(auth_data.login.decode())
            # handled=False: the server answers 535 itself, as a real one does; True would leave the client waiting.
            return AuthResult(success=ok, handled=False)
        return AuthResult(success=False, handled=False)

    return check


@pytest.fixture
def smtp_server() -> Iterator[MailServer]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield MailServer(port, inbox)
    controller.stop()


@pytest.fixture
def smtp_auth_server() -> Iterator[MailServer]:
    """Asks for USER and PASSWORD over plain SMTP (acceptable only on 127.0.0.1 in a test)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=_authenticator(inbox), auth_require_tls=False
    )
    controller.start()
    yield MailServer(port, inbox)
    controller.stop()


@pytest.fixture
def smtp_server_without_smtputf8() -> Iterator[MailServer]:
    """A server that, like many providers', does not offer SMTPUTF8 (aiosmtpd's Controller offers it by default)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, enable_SMTPUTF8=False)
    controller.start()
    yield MailServer(port, inbox)
    controller.stop()
