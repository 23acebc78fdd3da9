"""`import FILE --from wallos|subtrackr|csv|json` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from renewaltracker.cli import main
from renewaltracker.cli.trackers import MAP_ROLES, SOURCES
from renewaltracker.domain.tracker_rows import ROLES
from renewaltracker.services.tracker_import import Source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "trackers"


def run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def listed(db: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    return sorted(s["name"] for s in json.loads(run(db, capsys, "list", "--json")[1]))


def test_the_parser_lists_what_the_service_reads() -> None:
    assert tuple(Source) == SOURCES
    assert set(MAP_ROLES) <= set(ROLES)


def test_dry_run_json_previews_and_writes_nothing(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        db_path, capsys, "import", str(FIXTURES / "wallos.csv"), "--from", "wallos", "--dry-run", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert [(r["name"], r["amount"], r["currency"], r["every"], r["action"]) for r in data["rows"]] == [
        ("Netflix", "15.49", "EUR", "1 month", "new"),
        ("example.org domain", "24.00", "USD", "2 years", "new"),
        ("Spotify Family", "44.97", "GBP", "3 months", "new"),
        ("Gym", "19.90", "EUR", "2 weeks", "new"),
    ]
    assert data["added"] == [] and data["dry_run"] is True
    assert listed(db_path, capsys) == []


def test_import_writes_and_flags_what_is_already_there(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(db_path, capsys, "import", str(FIXTURES / "subtrackr.json"), "--from", "subtrackr")
    assert code == 0 and "Imported 3 subscriptions." in out
    code, out, _ = run(db_path, capsys, "import", str(FIXTURES / "subtrackr.csv"), "--from", "subtrackr")
    assert code == 0 and "Imported 0 subscriptions; 3 that look like ones already there are left out." in out
    assert "duplicate of Disney+" in out
    assert listed(db_path, capsys) == ["Disney+", "GitHub Copilot", "Newspaper"]


def test_map_names_the_columns(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Label;Due;Sum;Every\nBackup;2026-05-01;4,50 €;1 month\n", encoding="utf-8")
    code, _out, err = run(db_path, capsys, "import", str(sheet), "--from", "csv", "--map", "name=Label,amount=Sum")
    assert code == 0, err
    assert json.loads(run(db_path, capsys, "show", "1", "--json")[1])["amount"] == "4.50"


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"Name,Price,Next Payment\nA,$1,2026-01-01\nB,abc,2026-01-01\n", [], "bad.csv line 3: amount: 'abc'"),
        (b"Name,Price,Next Payment\nA,$1,2026-13-45\n", [], "bad.csv line 2: next:"),
        (b"Name,Price,Next Payment\nA,$1,2026-01-01,x,y\n", ["--map", "name=Nope"], "has no column 'Nope'"),
        (b"Name,Price\nA,$1\n", [], "bad.csv line 1: has no next or start date column"),
        (b"Name,Price,Next\nA,$1,2026-01-01,https://x.example/?a=1,2\n", [], "bad.csv line 2: has 5 fields"),
        (b"Name,Price,Next\nA,$1\n", [], "bad.csv line 2: has 2 fields, the header has 3"),
        (b"Name,Price,Next\nA,$1,2026-01-01\n", ["--map", "colour=1"], "--map: 'colour=1' is not ROLE=COLUMN"),
        (b"Name,Price,Next,Cycle\nA,$1,2026-01-01,sometimes\n", [], "bad.csv line 2: cycle: 'sometimes'"),
    ],
)
def test_bad_files_give_one_line_exit_2_and_write_nothing(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, args: list[str], message: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    code, out, err = run(db_path, capsys, "import", str(bad), "--from", "csv", *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err
    assert "Traceback" not in err
    assert listed(db_path, capsys) == []


@pytest.mark.parametrize(
    ("content", "source", "message"),
    [
        (b'[{"Name": "A", "Price": "$1"', "wallos", "bad.json line 1: is not JSON"),
        (b'[{"Name": "A", "Price": "$1", "Next Payment": ""}]', "wallos", "bad.json entry 1: next: is missing"),
        (b'{"subscriptions": 3}', "subtrackr", "bad.json: holds no list of subscriptions"),
        (b'{"format": "other"}', "json", "bad.json: is not a Renewal Tracker JSON export"),
    ],
)
def test_bad_json_gives_one_line(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, source: str, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    code, _, err = run(db_path, capsys, "import", str(bad), "--from", source)
    assert code == 2 and err.count("\n") == 1 and message in err, err


def test_a_missing_file_names_it(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(db_path, capsys, "import", str(tmp_path / "nope.csv"), "--from", "csv")
    assert code == 2 and "nope.csv: cannot be read" in err
