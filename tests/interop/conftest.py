"""The interoperability check's tools, installed once per test session where this machine allows."""

from __future__ import annotations

import pytest

from tests.interop.clients import CLIENTS, Client
from tests.interop.provision import provision


@pytest.fixture(scope="session")
def interop_tools() -> tuple[Client, ...]:
    """Every client, ready; fails, never skips, when one cannot be installed here, naming the command that would."""
    missing = provision()
    if missing:
        reason = "; ".join(missing)
        pytest.fail(f"the interoperability check needs these clients; install them and run the tests again: {reason}")
    return CLIENTS
