"""`list` sorts by name ignoring case, filters, aligns wide characters; a mistyped command names the closest."""

from __future__ import annotations

from pathlib import Path

import pytest
from wcwidth import wcswidth

from tests.cli.test_cli import Cli


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    made = Cli(db_path, capsys)
    for name, amount, every, extra in (
        ("zeta", "5", "1 month", ["--category", "Video"]),
        ("Alpha", "50", "1 year", ["--payment-method", "Visa 4242"]),
        ("日本語のサービス", "7", "1 month", ["--category", "video"]),
        ("🎵 Music", "9", "1 month", []),
    ):
        code, _out, err = made(
            "add", "--name", name, "--amount", amount, "--every", every, "--start", "2026-01-10", *extra
        )
        assert code == 0, err
    return made


def names(cli: Cli, *args: str) -> list[str]:
    return [item["name"] for item in cli.json("list", "--json", *args)]


def test_list_sorts_by_name_ignoring_case(cli: Cli) -> None:
    assert names(cli) == ["Alpha", "zeta", "日本語のサービス", "🎵 Music"]
    assert names(cli, "--sort", "amount") == ["Alpha", "🎵 Music", "日本語のサービス", "zeta"]
    assert names(cli, "--sort", "next")[-1] == "Alpha"  # yearly: charges last


def test_list_filters_by_status_category_and_search(cli: Cli) -> None:
    assert names(cli, "--category", "VIDEO") == ["zeta", "日本語のサービス"]
    assert names(cli, "--search", "visa 4242") == ["Alpha"]
    assert names(cli, "--status", "paused") == []
    code, out, _err = cli("list", "--status", "paused")
    assert code == 0 and out == "No subscription matches.\n"


def test_wide_characters_keep_the_columns_aligned(cli: Cli) -> None:
    code, out, _err = cli("list")
    assert code == 0
    lines = [line for line in out.splitlines()[:6] if line]
    header = lines[0]
    amount_end = header.index("Amount") + len("Amount")
    for line in lines[2:]:
        # Everything up to the end of the right-aligned amount takes the same screen width on every row.
        cut = line.index("USD") + len("USD")
        assert wcswidth(line[:cut]) == amount_end, line


def test_a_mistyped_command_suggests_the_closest(cli: Cli) -> None:
    code, out, err = cli("lsit")
    assert code == 2 and out == ""
    assert err.strip().endswith("did you mean 'list'?") and err.count("\n") == 1
    code, _out, err = cli("list", "--sort", "nmae")
    assert code == 2 and err.strip().endswith("did you mean 'name'?")


def test_the_list_parser_spells_out_every_status() -> None:
    from renewaltracker.cli import subscriptions
    from renewaltracker.domain.subscription import Status

    assert tuple(s.value for s in Status) == subscriptions.STATUSES


def test_the_lists_totals_say_when_they_are_the_users_share(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(db_path, capsys)
    for name, extra in (("Alone", []), ("Family", ["--split", "4"])):
        code, _out, err = cli(
            "add", "--name", name, "--amount", "20", "--currency", "EUR", "--every", "1 month", "--start", "2026-01-10"
        )
        assert code == 0, err
        if extra:
            assert cli("edit", "2", *extra)[0] == 0
        code, out, _err = cli("list")
        # The rows show each plan's whole price; a total of less than their sum says it is the user's share.
        expected = "Total EUR: 20.00 per month" if not extra else "Total EUR (your share): 25.00 per month"
        assert expected in out
