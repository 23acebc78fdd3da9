"""import-statement, export and restore from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from renewaltracker.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "statements"


def run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_dry_run_json_lists_candidates_and_writes_nothing(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(db_path, capsys, "import-statement", str(FIXTURES / "bank-ofx2.qfx"), "--dry-run", "--json")
    assert code == 0, err
    data = json.loads(out)
    names = [(c["name"], c["amount"], c["currency"], c["every"]) for c in data["candidates"]]
    assert ("Netflix", "15.49", "USD", "1 month") in names
    assert set(data["candidates"][0]) >= {"name", "amount", "currency", "every", "next", "confidence", "transactions"}
    assert data["matched"] == []
    assert json.loads(run(db_path, capsys, "list", "--json")[1]) == []


def test_accept_writes_the_chosen_candidates(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(db_path, capsys, "import-statement", str(FIXTURES / "bank-fr-latin1.csv"), "--accept", "1,3")
    assert code == 0 and "Imported 2 subscriptions" in out
    assert len(json.loads(run(db_path, capsys, "list", "--json")[1])) == 2
    code, out, _ = run(db_path, capsys, "import-statement", str(FIXTURES / "bank-fr-latin1.csv"), "--accept", "all")
    assert "Imported 1 subscription and 12 charges" in out  # the third; the other two are already there


def test_a_price_change_found_is_told_in_the_interface_language(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = ("--amount", "11.99", "--currency", "EUR", "--every", "1 month", "--start", "2024-01-15")
    assert run(db_path, capsys, "add", "--name", "Netflix", *plan)[0] == 0
    code, out, err = run(db_path, capsys, "--lang", "de", "import-statement", str(FIXTURES / "bank-fr-latin1.csv"))
    assert code == 0, err
    (line,) = [text for text in out.splitlines() if "Netflix" in text]
    assert ", Preis 11.99 → 15.49" in line and "price" not in line, line


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"Date,Description,Amount\n2024-01-01,Shop,abc\n", [], "bad.csv line 2: amount"),
        (b"Date;Text;Betrag\n01.02.2024;Shop;-1,00\n", ["--map", "payee=Nope"], "has no column 'Nope'"),
        (b"Date,Description,Amount\n", ["--map", "colour=1"], "--map: 'colour=1' is not ROLE=COLUMN"),
        (b"Date,Description,Amount\n2024-01-01,Shop,-1.00\n", ["--accept", "7"], "--accept: '7'"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, args: list[str], message: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    code, _, err = run(db_path, capsys, "import-statement", str(bad), *args)
    assert code == 2
    assert message in err and err.count("\n") == 1
    assert json.loads(run(db_path, capsys, "list", "--json")[1]) == []


def test_export_and_restore(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(db_path, capsys, "import-statement", str(FIXTURES / "bank-camt053.xml"), "--accept", "all")
    assert run(db_path, capsys, "export", "--format", "json", "--out", str(tmp_path / "all.json"))[0] == 0
    assert run(db_path, capsys, "export", "--format", "csv", "--out", str(tmp_path / "all.zip"))[0] == 0
    other = tmp_path / "other.sqlite3"
    code, _, err = run(other, capsys, "restore", str(tmp_path / "all.json"))
    assert code == 0, err
    assert len(json.loads(run(other, capsys, "list", "--json")[1])) == 3
    code, _, err = run(other, capsys, "restore", str(tmp_path / "all.zip"))
    assert code == 2 and "all.zip" in err


def test_the_parser_spells_out_the_readers_formats_and_roles() -> None:
    from renewaltracker.cli import statements
    from renewaltracker.services.statement_csv import ROLES
    from renewaltracker.services.statement_files import StatementFormat

    assert tuple(f.value for f in StatementFormat) == statements.FORMATS
    assert statements.ROLES == ROLES


@pytest.mark.parametrize(("language", "english"), [("de", "the previous database is at"), ("fr", "the previous")])
def test_the_restore_line_is_in_the_interface_language_all_through(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str, english: str
) -> None:
    """Where the copy of the previous database went is the half of the line a user needs most."""
    run(db_path, capsys, "add", "--name", "Mine", "--amount", "5", "--every", "1 month", "--start", "2026-01-05")
    assert run(db_path, capsys, "export", "--format", "json", "--out", str(tmp_path / "all.json"))[0] == 0
    code, out, err = run(db_path, capsys, "--lang", language, "restore", str(tmp_path / "all.json"))
    assert code == 0, err
    assert "before-restore-" in out and english not in out


def test_a_reminder_given_before_a_restore_is_not_given_again_after_it(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Which reminders this machine gave is its own record, not the backup's (an export has none): restoring the
    same data must not send them all again, yet a reminder of another database's renewal is still given."""
    plan = ["--amount", "9.99", "--currency", "EUR", "--every", "1 month", "--start", "2026-01-10"]
    run(db_path, capsys, "add", "--name", "Netflix", *plan)
    other = tmp_path / "other.sqlite3"
    run(other, capsys, "add", "--name", "Someone else's", *plan)  # also id 1, also charging on the 10th
    for database, name in ((db_path, "same.json"), (other, "other.json")):
        assert run(database, capsys, "export", "--format", "json", "--out", str(tmp_path / name))[0] == 0
    assert "Netflix" in run(db_path, capsys, "remind", "--now", "2026-12-05T10:00")[1]
    assert run(db_path, capsys, "restore", str(tmp_path / "same.json"))[0] == 0
    assert run(db_path, capsys, "remind", "--now", "2026-12-05T12:00")[1] == ""
    assert run(db_path, capsys, "restore", str(tmp_path / "other.json"))[0] == 0
    assert "Someone else's" in run(db_path, capsys, "remind", "--now", "2026-12-05T13:00")[1]


def test_a_restore_on_a_new_machine_creates_the_data_folder(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first command on a new machine may well be `restore`: its data folder does not exist yet."""
    run(db_path, capsys, "add", "--name", "Mine", "--amount", "5", "--every", "1 month", "--start", "2026-01-05")
    assert run(db_path, capsys, "export", "--format", "json", "--out", str(tmp_path / "all.json"))[0] == 0
    for backup in (tmp_path / "all.json", db_path):
        fresh = tmp_path / f"new-{backup.suffix[1:]}" / "renewaltracker" / "renewals.sqlite3"
        code, out, err = run(fresh, capsys, "restore", str(backup))
        assert (code, err) == (0, "")
        assert "before-restore" not in out
        assert [s["name"] for s in json.loads(run(fresh, capsys, "list", "--json")[1])] == ["Mine"]
