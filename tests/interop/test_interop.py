"""Every client expands the default export to exactly the app's own dates; docs/interop.md is their table.

The real clients (calcurse, khal, ical.js, libical) are required: the `interop_tools` fixture installs what this
machine allows (conftest.py), and a machine still without one fails here with the command that installs it
rather than skipping."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.interop.check import TABLE, Outcome, run, table
from tests.interop.clients import CLIENTS, Client


@pytest.fixture(scope="module")
def outcomes(interop_tools: tuple[Client, ...]) -> Iterator[list[Outcome]]:
    yield run(interop_tools)


@pytest.mark.parametrize("client", CLIENTS, ids=[client.name for client in CLIENTS])
def test_client_shows_exactly_the_app_dates_for_every_plan_shape(client: Client, outcomes: list[Outcome]) -> None:
    outcome = next(o for o in outcomes if o.client == client.name)
    assert outcome.missing == {}, f"{client.name} leaves out dates the app lists"
    assert outcome.extra == {}, f"{client.name} shows dates the app does not list"
    assert outcome.duplicates == 0


def test_the_interoperability_table_in_docs_is_the_one_this_check_produces(outcomes: list[Outcome]) -> None:
    assert TABLE.read_text(encoding="utf-8") == table(outcomes), "run: .venv/bin/python benchmarks/interop.py"
