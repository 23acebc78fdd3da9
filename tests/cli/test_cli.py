"""The CLI contract, end to end through the entry point."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from renewaltracker import __version__
from renewaltracker.__main__ import main
from renewaltracker.cli import run
from renewaltracker.domain.clock import FixedClock
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage import database as database_module
from renewaltracker.storage.errors import BUSY_MESSAGE

ROOT = Path(__file__).resolve().parents[2]


class Cli:
    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        code = main(["--db", str(self.db), *args])
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err

    def json(self, *args: str) -> Any:
        code, out, err = self(*args)
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_path, capsys)


def add_magazine(cli: Cli, **extra: str) -> dict[str, Any]:
    args = ["add", "--name", "The Magazine", "--amount", "39.99", "--currency", "USD", "--every", "1 year"]
    args += ["--start", "2024-02-29"]
    for key, value in extra.items():
        args += ["--" + key.replace("_", "-"), value]
    result: dict[str, Any] = cli.json(*args)
    return result


def test_add_prints_the_subscription_with_id_and_next_charge(cli: Cli) -> None:
    added = add_magazine(cli, notice_days="3", remind="7,1", payment_method="Visa 4111 1111 1111 1111")
    today = date.today()
    assert added["id"] == 1 and added["amount"] == "39.99" and added["currency"] == "USD"
    assert added["payment_method"] == "Visa •••• 1111"
    assert added["remind"] == [7, 1]
    next_charge = date.fromisoformat(added["next_charge"])
    assert next_charge >= today and next_charge.month == 2 and next_charge.day in (28, 29)
    assert cli.json("show", "1", "--json") == {**added, "updated_at": added["updated_at"]}


def test_edit_cancel_pause_resume_rm(cli: Cli) -> None:
    add_magazine(cli)
    assert cli.json("edit", "1", "--amount", "44.50", "--vendor", "Acme Press")["amount"] == "44.50"
    paused = cli.json("pause", "1", "--from", "2030-01-01")
    assert paused["status"] == "paused" and paused["pauses"] == [{"start": "2030-01-01", "end": None}]
    assert cli.json("resume", "1", "--on", "2031-01-01")["status"] == "active"
    cancelled = cli.json("cancel", "1", "--effective", "2032-01-01")
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_on"] == "2032-01-01"
    code, out, _ = cli("rm", "1")
    assert code == 0 and "The Magazine" in out
    assert cli.json("list", "--json") == []


def test_a_pause_with_an_end_shows_paused_while_it_lasts(cli: Cli) -> None:
    add_magazine(cli)
    today = date.today()
    later = (today + timedelta(days=40)).isoformat()
    cli("pause", "1", "--from", today.isoformat(), "--until", later)
    assert [s["id"] for s in cli.json("list", "--status", "paused", "--json")] == [1]
    assert cli.json("list", "--status", "active", "--json") == []
    assert cli.json("show", "1", "--json")["status"] == "paused"


@pytest.mark.parametrize(
    ("steps", "refused", "reason"),
    [
        ((), ("resume", "1"), "status: is neither paused nor cancelled"),
        ((("pause", "1"),), ("pause", "1"), "status: is already paused"),
        ((("cancel", "1"),), ("pause", "1"), "status: a cancelled subscription cannot be paused"),
        ((("cancel", "1"),), ("cancel", "1"), "status: is already cancelled (resume undoes a cancellation)"),
    ],
)
def test_status_changes_that_do_not_apply_are_refused_in_one_line(
    cli: Cli, steps: tuple[tuple[str, ...], ...], refused: tuple[str, ...], reason: str
) -> None:
    add_magazine(cli)
    for step in steps:
        assert cli(*step)[0] == 0
    before = cli.json("show", "1", "--json")
    code, out, err = cli(*refused)
    assert (code, out) == (2, "") and err.strip().endswith(reason) and err.count("\n") == 1
    assert cli.json("show", "1", "--json") == before


def test_upcoming_lists_events_in_order(cli: Cli) -> None:
    start = date.today() + timedelta(days=10)
    cli.json(
        "add",
        "--name",
        "Gym",
        "--amount",
        "30",
        "--every",
        "1 month",
        "--start",
        start.isoformat(),
        "--notice-days",
        "5",
        "--refund-days",
        "3",
        "--currency",
        "EUR",
    )
    events = cli.json("upcoming", "--from", date.today().isoformat(), "--days", "20", "--json")
    assert [e["kind"] for e in events] == ["cancel_by", "charge", "refund_window_end"]
    assert events[1] == {
        "date": start.isoformat(),
        "kind": "charge",
        "subscription_id": 1,
        "name": "Gym",
        "amount": "30.00",
        "currency": "EUR",
        "charge_date": start.isoformat(),
    }
    until = cli.json("upcoming", "--from", start.isoformat(), "--until", start.isoformat(), "--json")
    assert [e["kind"] for e in until] == ["charge"]


def test_charges_are_recorded_and_listed(cli: Cli) -> None:
    add_magazine(cli)
    cli.json("charge", "add", "1", "--date", "2025-02-28", "--reference", "INV-9")
    cli.json("charge", "add", "1", "--date", "2026-02-28", "--amount", "49.99")
    charges = cli.json("charge", "list", "1", "--json")
    assert [(c["date"], c["amount"], c["reference"]) for c in charges] == [
        ("2025-02-28", "39.99", "INV-9"),
        ("2026-02-28", "49.99", ""),
    ]
    code, out, _ = cli("charge", "list", "1")
    assert code == 0 and "INV-9" in out


def test_human_list_and_show(cli: Cli) -> None:
    code, out, _ = cli("list")
    assert code == 0 and "No subscriptions yet" in out
    add_magazine(cli)
    code, out, _ = cli("list")
    assert code == 0 and "The Magazine" in out and "39.99 USD" in out and "per year" in out
    code, out, _ = cli("show", "1")
    assert code == 0 and "yearly cost" in out
    cli("edit", "1", "--remind", "7,1")
    cli("pause", "1", "--from", "2026-01-01", "--until", "2026-02-01")
    cli("pause", "1", "--from", "2026-03-01")
    code, out, _ = cli("show", "1")
    assert "remind            7, 1\n" in out
    assert "2026-01-01 to 2026-02-01, from 2026-03-01 until resumed" in out
    assert "None" not in out and "{" not in out and "[" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["add", "--name", "X", "--amount", "1", "--currency", "XYZ", "--every", "1 month", "--start", "2026-01-01"],
            "currency: 'XYZ' is not a currency code",
        ),
        (
            ["add", "--name", "X", "--amount", "1", "--every", "1 month", "--start", "2026-02-31"],
            "start: '2026-02-31' is not a valid date",
        ),
        (
            ["add", "--name", "X", "--amount", "-5", "--every", "1 month", "--start", "2026-01-01"],
            "amount: must not be negative",
        ),
        (
            ["add", "--name", "X", "--amount", "5", "--every", "0 months", "--start", "2026-01-01"],
            "every: the number of months must be at least 1",
        ),
        (["add", "--name", "X", "--amount", "5", "--every", "1 month"], "start: is required"),
        (["edit", "1", "--amount", "ten"], "amount: 'ten' is not a number"),
        (["show", "99"], "no subscription with id 99"),
        (["cancel", "1", "--effective", "tomorrow"], "effective: 'tomorrow' is not a valid date"),
        (["upcoming", "--days", "-1"], "days: must be at least 0"),
        # Hostile values that once escaped as an internal error (status 1) instead of a message.
        (["add", "--name", "X", "--amount", "1e9999", "--every", "1 month", "--start", "2026-01-01"], "amount: "),
        (["charge", "add", "1", "--date", "2026-01-01", "--amount", "99999999999999999999999999999"], "too large"),
        (["edit", "1", "--end-count", "99999999999999999999"], "end-count: must be from 1"),
        (["edit", "1", "--split", "99999999999999999999"], "split: must be shared"),
        (["edit", "1", "--start", "0001-01-01"], "start: 1 January 1 is out of range (from 1 January 1900 to"),
        (["show", "99999999999999999999"], "'99999999999999999999' is not an id"),
        (["rm", "0"], "'0' is not an id"),
        (["upcoming", "--days", "99999999999999"], "days: must be at most"),
        (["upcoming", "--from", "9999-12-01"], "from: 1 December 9999 is out of range"),
        (["remind", "--now", "0001-01-02T10:00"], "now: 2 January 1 is out of range"),
        (["config", "reminder_days", "soon"], "reminder_days:"),
        (["config", "nonsense"], "unknown setting 'nonsense'"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_status_2_and_writes_nothing(
    cli: Cli, db_path: Path, args: list[str], message: str
) -> None:
    add_magazine(cli)
    before = cli.json("list", "--json")
    digest = hashlib.sha256(db_path.read_bytes()).hexdigest()
    code, out, err = cli(*args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert cli.json("list", "--json") == before
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == digest


def test_unreadable_database_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"this is not a database at all, just text" * 10)
    assert main(["--db", str(bogus), "list"]) == 2
    err = capsys.readouterr().err
    assert "not an SQLite file" in err and "Traceback" not in err


def test_environment_variable_points_at_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("RENEWALTRACKER_DB", str(target))
    assert main(["add", "--name", "N", "--amount", "1", "--every", "1 week", "--start", "2026-01-01"]) == 0
    capsys.readouterr()
    assert target.exists()


def test_backup_writes_a_consistent_copy(cli: Cli, tmp_path: Path) -> None:
    add_magazine(cli)
    copy = tmp_path / "copies" / "backup.sqlite3"
    code, out, _ = cli("backup", str(copy))
    assert code == 0 and str(copy) in out
    assert Cli(copy, cli.capsys).json("list", "--json")[0]["name"] == "The Magazine"


@pytest.mark.parametrize("name", ["a#b.sqlite3", "what?.sqlite3", "100%20off.sqlite3"])
def test_a_database_path_is_taken_literally_by_the_app_and_its_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    # Once "?", "#" and "%20" were parsed as URL syntax: the data went to another file and the backup was empty.
    cli = Cli(tmp_path / name, capsys)
    add_magazine(cli)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".sqlite3") == [name]
    copy = tmp_path / "copy" / "backup.db"
    assert cli("backup", str(copy))[0] == 0
    assert Cli(copy, capsys).json("list", "--json")[0]["name"] == "The Magazine"


def test_a_backup_that_cannot_be_written_is_one_line(cli: Cli, tmp_path: Path) -> None:
    add_magazine(cli)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _, err = cli("backup", str(blocker / "sub" / "backup.db"))
    assert code == 2 and err.startswith("renewaltracker: error: could not back up") and err.count("\n") == 1


def test_entry_point_runs_without_qt_or_a_display(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    script = (
        "import sys; from renewaltracker.__main__ import main; code = main(sys.argv[1:]);"
        " assert 'PySide6' not in sys.modules, 'the CLI imported Qt'; sys.exit(code)"
    )
    db = str(tmp_path / "e.sqlite3")
    ok = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "--db",
            db,
            "add",
            "--name",
            "Cloud",
            "--amount",
            "2.99",
            "--every",
            "1 month",
            "--start",
            "2026-01-31",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["next_charge"] is not None
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "renewaltracker",
            "--db",
            db,
            "add",
            "--name",
            "X",
            "--amount",
            "1",
            "--every",
            "1 fortnight",
            "--start",
            "2026-01-01",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("renewaltracker: error: every:") and "Traceback" not in bad.stderr


def test_start_at_login_from_the_command_line_writes_the_login_entry(cli: Cli, tmp_path: Path) -> None:
    # Once only the setting changed: the dialog then showed it on while no entry existed, and could not fix it.
    entry = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "renewaltracker.desktop"
    assert cli("config", "start_at_login", "true")[0] == 0
    assert entry.is_file() and "Exec=" in entry.read_text(encoding="utf-8")
    assert cli.json("config", "--json")["start_at_login"] == "true"
    assert cli("config", "start_at_login", "false")[0] == 0
    assert not entry.exists()
    code, _, err = cli("config", "start_at_login", "maybe")
    assert code == 2 and "start_at_login" in err and not entry.exists()


def test_a_login_entry_that_cannot_be_written_is_one_line_in_the_interface_language(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "config-is-a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    code, _, err = cli("--lang", "de", "config", "start_at_login", "true")
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "could not change" not in err and "Anmeldung" in err and str(blocker) in err
    assert cli.json("config", "--json")["start_at_login"] == "false"


def test_install_desktop_into_a_folder_it_cannot_write_is_one_line(cli: Cli, tmp_path: Path) -> None:
    blocker = tmp_path / "share-is-a-file"
    blocker.write_text("")
    code, out, err = cli("install-desktop", "--data-home", str(blocker))
    assert code == 2 and err.count("\n") == 1 and "internal error" not in err
    assert str(blocker / "applications") in err and out == ""


@pytest.mark.expect_log_warnings
def test_a_locked_database_and_an_internal_error_are_one_line_each(
    cli: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_magazine(cli)
    monkeypatch.setattr(database_module, "CLI_BUSY_TIMEOUT", 0.2)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing: it holds the write lock
    try:
        code, out, err = cli("edit", "1", "--name", "Renamed")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert f"error: {BUSY_MESSAGE}" in err and "SQL" not in err and "Traceback" not in err

    def broken(*_: object) -> None:
        raise RuntimeError("first line\nsecond line")

    monkeypatch.setattr(SubscriptionService, "modify", broken)
    code, _, err = cli("edit", "1", "--name", "Renamed")
    assert code == 1 and err.count("\n") == 1 and "first line" in err and "second" not in err
    assert cli.json("show", "1", "--json")["name"] == "The Magazine"


def test_a_name_with_a_line_break_keeps_the_table_one_row_per_subscription(cli: Cli) -> None:
    cli.json(
        "add",
        "--name",
        "Two\nlines",
        "--vendor",
        "V\r\nX",
        "--amount",
        "1",
        "--every",
        "1 month",
        "--start",
        "2026-01-05",
    )
    code, out, _ = cli("list")
    rows = out.splitlines()
    assert code == 0 and rows[2].split()[:4] == ["1", "Two", "lines", "V"] and rows[3] == ""


def test_a_trial_that_has_ended_is_listed_as_active(cli: Cli, db_path: Path) -> None:
    trial_end = date.today() + timedelta(days=3)
    cli.json("add", "--name", "Trial", "--amount", "5", "--every", "1 month", "--trial-end", trial_end.isoformat())
    assert [s["status"] for s in cli.json("list", "--json")] == ["trial"]
    later = FixedClock(datetime.combine(trial_end + timedelta(days=1), time(9), tzinfo=UTC))
    out = io.StringIO()
    assert run(["--db", str(db_path), "list", "--json"], clock=later, out=out, err=io.StringIO()) == 0
    assert [s["status"] for s in json.loads(out.getvalue())] == ["active"]


def test_demo_from_the_command_line_is_filled_on_first_use(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "list", "--json"]) == 0
    names = [row["name"] for row in json.loads(capsys.readouterr().out)]
    assert len(names) == 15 and "Netflix Standard" in names
    assert main(["--demo", "list", "--json"]) == 0  # the second use keeps the same fourteen
    assert len(json.loads(capsys.readouterr().out)) == 15


@pytest.mark.parametrize("argv", [["--help"], ["add", "--help"], ["contact", "add", "--help"], ["--version"]])
def test_help_and_version_are_printed_once(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.count("usage: renewaltracker") + out.count(f"renewaltracker {__version__}") == 1, out


@pytest.mark.parametrize("argv", [["list", "--json"], ["--help"], ["no-such-command"]])
def test_a_command_builds_its_parser_once(
    argv: list[str], cli: Cli, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The trial parse that decides between window and command line reuses the parser the command runs with
    # (the entry point imports it from renewaltracker.cli when it needs one).
    import renewaltracker.cli as command_line

    built = []
    build = command_line.build_parser

    def counted() -> command_line.Parser:
        built.append(1)
        return build()

    monkeypatch.setattr(command_line, "build_parser", counted)
    try:
        code = main(["--db", str(cli.db), *argv])
    except SystemExit as leaving:
        code = leaving.code
    capsys.readouterr()
    assert code == (2 if argv == ["no-such-command"] else 0)
    assert len(built) == 1


def test_amounts_are_read_as_people_write_them(cli: Cli) -> None:
    start = ["--every", "1 month", "--start", "2026-01-05"]
    assert cli.json("add", "--name", "A", "--amount", "9,99", "--currency", "eur", *start)["amount"] == "9.99"
    added = cli.json("add", "--name", "B", "--amount", "1.299,00 €", *start)
    assert (added["amount"], added["currency"]) == ("1299.00", "EUR")
    assert cli.json("add", "--name", "C", "--amount", "$39.99", *start)["currency"] == "USD"
    code, _, err = cli("add", "--name", "D", "--amount", "€5", "--currency", "USD", *start)
    assert code == 2 and "amount: is in EUR but --currency says USD" in err


def test_an_ambiguous_amount_is_read_by_locale_and_said_on_stderr(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RENEWALTRACKER_LOCALE", "en_US")
    code, out, err = cli("add", "--name", "A", "--amount", "1,299", "--every", "1 month", "--start", "2026-01-05")
    assert code == 0 and json.loads(out)["amount"] == "1299.00"
    assert err == "amount: read 1,299 as 1299\n"


def test_edit_help_requires_nothing_and_every_option_is_explained(cli: Cli) -> None:
    with pytest.raises(SystemExit):
        main(["edit", "--help"])
    text = cli.capsys.readouterr().out
    assert "(required)" not in text and "default_currency" not in text
    words = " ".join(text.split())
    assert "--purchase-date DATE when you bought it" in words and "--vendor TEXT who bills you" in words
    with pytest.raises(SystemExit):
        main(["add", "--help"])
    assert "what renews, e.g. Netflix (required)" in cli.capsys.readouterr().out


def test_a_last_use_on_a_day_to_come_is_refused_by_add_and_edit(cli: Cli) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    code, _, err = cli(
        "add", "--name", "Gym", "--amount", "5", "--every", "1 month", "--start", "2026-01-05", "--used", tomorrow
    )
    assert code == 2 and "future" in err and err.count("\n") == 1
    assert cli.json("list", "--json") == []
    add_magazine(cli)
    code, _, err = cli("edit", "1", "--used", tomorrow)
    assert code == 2 and "future" in err and err.count("\n") == 1
    assert cli.json("show", "1", "--json")["last_used"] is None
