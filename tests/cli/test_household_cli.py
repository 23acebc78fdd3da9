"""The CLI of channels, tags, the review, the household, exchange rates and attachments, end to end."""

from __future__ import annotations

import http.server
import re
import stat
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli.test_cli import Cli, cli  # noqa: F401 -- the fixture

FIXTURE = Path(__file__).parents[1] / "fixtures" / "eurofxref-daily.xml"


def add(cli: Cli, name: str, *extra: str) -> int:  # noqa: F811
    data = cli.json("add", "--name", name, "--amount", "9.99", "--every", "monthly", "--start", "2026-01-05", *extra)
    return int(data["id"])


def test_channel_is_guessed_chosen_shown_and_its_steps_printed(cli: Cli) -> None:  # noqa: F811
    guessed = cli.json(
        "add",
        "--name",
        "Music",
        "--amount",
        "9.99",
        "--every",
        "monthly",
        "--start",
        "2026-01-05",
        "--payment-method",
        "App Store",
    )
    assert guessed["channel"] == "app_store" and guessed["payment_method"] == "App Store"
    chosen = cli.json("edit", str(guessed["id"]), "--channel", "paypal")
    assert chosen["channel"] == "paypal"
    code, out, _ = cli("show", str(guessed["id"]))
    assert code == 0 and "To cancel (PayPal)" in out and "https://www.paypal.com/myaccount/autopay/" in out
    code, _, err = cli("edit", str(guessed["id"]), "--channel", "pigeon")
    assert code == 2 and err.count("\n") == 1 and "channel" in err


def test_tags_filter_the_list(cli: Cli) -> None:  # noqa: F811
    add(cli, "Films", "--tags", "TV, family")
    add(cli, "News", "--tags", "reading")
    assert [s["name"] for s in cli.json("list", "--json", "--tag", "tv")] == ["Films"]
    assert cli.json("show", "1", "--json")["tags"] == ["family", "TV"]


def test_review_used_and_done(cli: Cli) -> None:  # noqa: F811
    first = add(cli, "Films", "--used", "2025-01-01")
    add(cli, "News")
    items = cli.json("review", "--json")
    assert [(i["name"], i["unused"]) for i in items] == [("Films", True), ("News", False)]
    assert items[0]["yearly_cost"] == "119.88"
    code, out, _ = cli("used", str(first), "--on", "2026-03-01")
    assert code == 0 and "2026-03-01" in out
    assert cli.json("review", "--json")[0]["last_used"] == "2026-03-01"  # no longer unused: by cost, then name
    code, out, _ = cli("review", "--done")
    assert code == 0 and "Next review:" in out


def test_a_use_in_the_future_is_one_line_and_exit_2(cli: Cli) -> None:  # noqa: F811
    first = add(cli, "Films", "--used", "2026-01-01")
    later = (date.today() + timedelta(days=30)).isoformat()
    code, out, err = cli("used", str(first), "--on", later)
    assert (code, out, err.count("\n")) == (2, "", 1) and "used:" in err and "future" in err
    assert cli.json("show", str(first), "--json")["last_used"] == "2026-01-01"


def test_household_members_payer_users_and_duplicates(cli: Cli) -> None:  # noqa: F811
    assert cli("member", "add", "Alice")[0] == 0 and cli("member", "add", "Bob")[0] == 0
    family = cli.json(
        "add",
        "--name",
        "Spotify Family",
        "--amount",
        "18",
        "--every",
        "monthly",
        "--start",
        "2026-01-05",
        "--payer",
        "alice",
        "--users",
        "Alice,Bob",
    )
    assert (family["payer"], family["users"]) == ("Alice", ["Alice", "Bob"])
    code, _, err = cli(
        "add", "--name", "X", "--amount", "1", "--every", "monthly", "--start", "2026-01-05", "--payer", "Carol"
    )
    assert code == 2 and "Carol" in err
    assert [s["name"] for s in cli.json("list", "--json")] == ["Spotify Family"], "nothing written on a bad payer"
    add(cli, "Spotify Individual", "--users", "Bob")
    household = cli.json("household", "--json")
    assert household["total"] == {"USD": "335.88"}  # 18×12 + 9.99×12: the family plan once
    assert {m["name"]: m["uses"] for m in household["members"]} == {
        "Alice": {"USD": "108.00"},
        "Bob": {"USD": "227.88"},
    }
    dupes = cli.json("duplicates", "--json")
    assert [[s["name"] for s in group] for group in dupes] == [["Spotify Family", "Spotify Individual"]]
    assert cli("member", "rm", "Bob")[0] == 0
    assert [m["name"] for m in cli.json("member", "list", "--json")] == ["Alice"]
    assert cli.json("show", "1", "--json")["users"] == ["Alice"]


def test_rates_set_import_and_home_currency_totals(cli: Cli) -> None:  # noqa: F811
    add(cli, "Films", "--currency", "EUR")
    assert cli("rate", "set", "EUR", "USD", "1.08", "--date", "2026-03-01")[0] == 0
    assert cli("config", "home_currency", "usd")[0] == 0
    household = cli.json("household", "--json")
    assert household["total_home"] == {"amount": "129.47", "currency": "USD", "rate_date": "2026-03-01"}
    code, out, _ = cli("rate", "import", str(FIXTURE))
    assert code == 0 and "2026-11-27" in out
    assert {r["to"] for r in cli.json("rate", "list", "--json")} == {"USD", "JPY", "GBP", "CHF"}
    code, _, err = cli("rate", "set", "EUR", "USD")
    assert code == 2 and err.count("\n") == 1


@pytest.fixture
def rates_server() -> Iterator[str]:
    body = FIXTURE.read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/eurofxref-daily.xml"
    server.shutdown()
    server.server_close()


def test_rates_are_fetched_only_when_asked_from_the_given_server(cli: Cli, rates_server: str) -> None:  # noqa: F811
    code, out, err = cli("rate", "fetch", rates_server)
    assert code == 0, err
    assert "Fetched 4 rates of 2026-11-27" in out


def test_attachments_are_private_copies_listed_and_backed_up(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    sid = add(cli, "Films")
    receipt = tmp_path / "receipt March.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")
    code, out, _ = cli("attach", str(sid), str(receipt))
    assert code == 0 and "receipt March.pdf" in out
    [listed] = cli.json("attachments", str(sid), "--json")
    stored = Path(listed["path"])
    assert stored.read_bytes() == receipt.read_bytes() and stored != receipt
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    code, out, _ = cli("backup", str(tmp_path / "copy.sqlite3"))
    assert code == 0 and (tmp_path / "copy-attachments" / stored.name).read_bytes() == b"%PDF-1.4 receipt"
    assert cli("attach", str(sid), str(tmp_path / "missing.pdf"))[0] == 2
    assert cli("detach", str(listed["id"]))[0] == 0
    assert not stored.exists() and cli.json("attachments", str(sid), "--json") == []
    assert cli("detach", str(listed["id"]))[0] == 2


def test_rm_and_charge_rm_take_the_attached_files_with_them(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    """The command line's deletes have no undo, yet the receipts of a deleted charge or plan stayed in the folder
    for ever (and `backup` copied them on)."""
    sid = add(cli, "Films")
    kept = add(cli, "Music")
    charge = cli.json("charge", "add", str(sid), "--date", "2026-03-05")
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")
    for target, extra in ((sid, ()), (sid, ("--charge", str(charge["id"]))), (kept, ())):
        assert cli("attach", str(target), str(receipt), *extra)[0] == 0
    [other] = [Path(a["path"]) for a in cli.json("attachments", str(kept), "--json")]
    listed = {a["path"]: a for a in cli.json("attachments", str(sid), "--json")}
    charge_file = next(Path(p) for p, a in listed.items() if a.get("charge_id") == charge["id"])
    plan_file = next(Path(p) for p in listed if Path(p) != charge_file)
    assert cli("charge", "rm", str(sid), str(charge["id"]))[0] == 0
    assert not charge_file.exists() and plan_file.exists()
    assert cli("rm", str(sid))[0] == 0
    assert not plan_file.exists()
    assert other.exists(), "another plan's receipt stays"
    assert cli("backup", str(tmp_path / "copy.sqlite3"))[0] == 0
    assert sorted(p.name for p in (tmp_path / "copy-attachments").iterdir()) == [other.name]


def test_a_home_total_with_no_rate_at_all_shows_no_made_up_zero(cli: Cli) -> None:  # noqa: F811
    add(cli, "Films", "--currency", "GBP")
    assert cli("config", "home_currency", "EUR")[0] == 0
    code, out, _ = cli("household")
    line = next(line for line in out.splitlines() if line.startswith("In EUR"))
    assert line == "In EUR: no rate for GBP"
    code, out, _ = cli("--lang", "de", "household")
    assert code == 0 and "In EUR: kein Kurs für GBP" in out and "(niemand Bestimmtes)" in out
    assert cli("rate", "set", "GBP", "EUR", "1.17", "--date", "2026-03-01")[0] == 0
    code, out, _ = cli("household")
    line = next(line for line in out.splitlines() if line.startswith("In EUR"))
    assert line.startswith("In EUR: 140.26 EUR") and "no rate" not in line


def test_members_differing_only_in_the_case_of_an_accented_letter_are_one(cli: Cli) -> None:  # noqa: F811
    assert cli("member", "add", "Émile")[0] == 0
    code, _, err = cli("member", "add", "émile")
    assert code == 2 and "already a member" in err and err.count("\n") == 1
    sid = add(cli, "Films", "--payer", "ÉMILE")
    assert cli.json("show", str(sid), "--json")["payer"] == "Émile"
    assert [m["name"] for m in cli.json("member", "list", "--json")] == ["Émile"]


def test_the_review_says_never_and_off_in_the_interface_language(cli: Cli) -> None:  # noqa: F811
    add(cli, "Films")
    assert cli("config", "review_months", "0")[0] == 0
    code, out, _ = cli("--lang", "de", "review")
    assert code == 0 and "never recorded" not in out and " off" not in out


def test_a_home_total_of_an_empty_household_is_zero_not_blank(cli: Cli) -> None:  # noqa: F811
    """Nothing to convert is not a missing rate: the line said "In EUR: " with nothing after it."""
    assert cli("config", "home_currency", "EUR")[0] == 0
    code, out, _ = cli("household")
    line = next(line for line in out.splitlines() if line.startswith("In EUR"))
    assert code == 0 and line.startswith("In EUR: 0.00 EUR") and "no rate" not in line


def test_every_command_the_review_names_runs_as_written(cli: Cli) -> None:  # noqa: F811
    """The review's closing lines told to cancel with 'draft ID --kind cancel', which the draft command refuses
    (it is 'draft cancel ID')."""
    for lang in ("en", "de", "fr"):
        sid = add(cli, "Films", "--used", "2025-01-01")
        code, out, _ = cli("--lang", lang, "review")
        named = re.findall(r"'([^']+)'", out.split("! =", 1)[1])
        assert len(named) == 5, named
        for command in named:
            argv = command.replace("ID", str(sid)).replace("…", "12.99").split()
            code, _, err = cli(*argv)
            assert code == 0, (lang, command, err)
