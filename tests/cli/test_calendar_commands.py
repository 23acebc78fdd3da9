"""export-ics, import-ics and caldav-sync from the command line; auto-export after CLI changes."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar

from renewaltracker.cli import run
from renewaltracker.domain.clock import FixedClock
from tests.services.radicale_server import radicale


def cli(db: Path, clock: FixedClock, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(db), *args], clock=clock, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def add(db: Path, clock: FixedClock, name: str, *extra: str) -> None:
    code, _out, err = cli(
        db,
        clock,
        "add",
        "--name",
        name,
        "--amount",
        "9.99",
        "--currency",
        "EUR",
        "--every",
        "1 month",
        "--start",
        "2026-01-31",
        *extra,
    )
    assert code == 0, err


def test_export_to_stdout_and_file_then_import_elsewhere(
    tmp_path: Path, db_path: Path, clock: FixedClock, migrated_template: Path
) -> None:
    add(db_path, clock, "Magazine")
    add(db_path, clock, "Gym", "--notice-days", "7")
    code, out, _err = cli(db_path, clock, "export-ics", "--no-amounts")
    assert code == 0
    summaries = {str(e["SUMMARY"]) for e in Calendar.from_ical(out).walk("VEVENT")}
    assert "Magazine" in summaries and "9.99" not in out
    target = tmp_path / "out.ics"
    code, _out, err = cli(db_path, clock, "export-ics", "--out", str(target), "--ids", "1")
    assert code == 0 and "Wrote 1 event to" in err
    assert target.read_bytes().count(b"BEGIN:VEVENT") == 1

    other = shutil.copyfile(migrated_template, tmp_path / "other.sqlite3")
    code, out, err = cli(other, clock, "import-ics", str(target), "--dry-run")
    assert code == 0 and "Magazine" in out and "Dry run" in err
    code, out, err = cli(other, clock, "list", "--json")
    assert '"Magazine"' not in out
    code, _out, err = cli(other, clock, "import-ics", str(target))
    assert code == 0 and "1 added" in err
    code, _out, err = cli(other, clock, "import-ics", str(target))
    assert code == 0 and "1 unchanged" in err


def test_import_of_a_bad_file_is_one_line_and_exit_2(tmp_path: Path, db_path: Path, clock: FixedClock) -> None:
    bad = tmp_path / "bad.ics"
    bad.write_text("BEGIN:VCALENDAR\nnonsense\n")
    code, out, err = cli(db_path, clock, "import-ics", str(bad))
    assert code == 2 and out == "" and err.count("\n") == 1 and "iCalendar" in err
    code, _out, err = cli(db_path, clock, "import-ics", str(tmp_path / "missing.ics"))
    assert code == 2 and "cannot read" in err


def test_an_event_that_cannot_be_imported_is_named_with_its_file(
    tmp_path: Path, db_path: Path, clock: FixedClock
) -> None:
    calendar = tmp_path / "other.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:1@x\nDTSTAMP:20250101T000000Z\n"
        "DTSTART;VALUE=DATE:20250131\nRRULE:FREQ=MONTHLY\nSUMMARY:Magazine\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    code, _out, err = cli(db_path, clock, "import-ics", str(calendar))
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"renewaltracker: error: {calendar}: 1 event cannot be imported (Magazine: ")


def test_cli_changes_rewrite_the_auto_export_file(tmp_path: Path, db_path: Path, clock: FixedClock) -> None:
    target = tmp_path / "phone" / "renewals.ics"
    assert cli(db_path, clock, "config", "auto_export_path", str(target))[0] == 0
    add(db_path, clock, "Magazine")
    assert b"Magazine" in target.read_bytes()
    assert cli(db_path, clock, "edit", "1", "--name", "Weekly Paper")[0] == 0
    assert b"Weekly Paper" in target.read_bytes() and b"Magazine" not in target.read_bytes()
    assert not [p for p in target.parent.iterdir() if p.name != "renewals.ics"]  # no temporary files left


def test_caldav_sync_takes_the_password_from_the_environment(
    tmp_path: Path, db_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(db_path, clock, "Magazine")
    with radicale(tmp_path / "radicale") as server:
        monkeypatch.setenv("RENEWALTRACKER_CALDAV_PASSWORD", server.password)
        code, out, err = cli(db_path, clock, "caldav-sync", "--url", server.url, "--user", server.user)
        assert code == 0, err
        assert "RENEWALTRACKER_CALDAV_PASSWORD" in err and "1 created" in out
        monkeypatch.setenv("RENEWALTRACKER_CALDAV_PASSWORD", "wrong")
        add(db_path, clock, "Gym")
        code, out, err = cli(db_path, clock, "caldav-sync")
        assert code == 2 and "refused the user name or password" in err and err.count("\n") == 2


def test_an_empty_password_variable_counts_as_unset(
    db_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RENEWALTRACKER_CALDAV_PASSWORD", "")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _out, err = cli(db_path, clock, "caldav-sync", "--url", "http://127.0.0.1:9/dav/", "--user", "me")
    assert code == 2
    assert "reading it from standard input" in err and "password: none given" in err
