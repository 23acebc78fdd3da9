"""Issue #16 regressions: hostile files and values are refused in one line, and nothing reaches the terminal raw."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from renewaltracker.cli.output import terminal_safe
from renewaltracker.services import ics_import
from renewaltracker.services.caldav_sync import plain_error, without_credentials
from tests.cli_runs import call, dump

ADD = ["add", "--amount", "5", "--every", "1 month", "--start", "2026-01-05"]
ESCAPE_NAME = "Evil\x1b]0;owned\x07\x1b[2J\u202eName"


def refused(result: tuple[int, str, str], message: str) -> None:
    code, _, err = result
    assert code == 2 and err.count("\n") == 1 and message in err and "internal error" not in err, err


def calendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{event}END:VEVENT\r\n" for event in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n{body}END:VCALENDAR\r\n".encode()


def event(uid: str, summary: str, extra: str = "") -> str:
    return f"UID:{uid}\r\nSUMMARY:{summary}\r\nDTSTART;VALUE=DATE:20260105\r\nRRULE:FREQ=MONTHLY\r\n{extra}"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "renewals.sqlite3"
    code, _, err = call(path, *ADD, "--name", "Plain", "--notes", "line\x1b[31m")
    assert code == 0, err
    # As an older version or a hand edit may have stored it: the domain turns controls in names into spaces now.
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE subscriptions SET name = ?, vendor = ?", (ESCAPE_NAME, "V\x1b[31m"))
    connection.close()
    return path


@pytest.mark.parametrize(
    "command", [["list"], ["show", "1"], ["upcoming", "--from", "2026-01-01", "--days", "60"], ["remind", "--dry-run"]]
)
def test_terminal_output_shows_control_characters_escaped(db: Path, command: list[str]) -> None:
    code, out, err = call(db, *command)
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    if command[0] == "show":
        assert "line\\x1b[31m" in out  # notes keep what was typed, shown escaped


def test_terminal_safe_escapes_every_control_and_reordering_character() -> None:
    assert terminal_safe("a\x1b]0;t\x07b\x9bc\u202ed\te") == "a\\x1b]0;t\\x07b\\x9bc\\u202ed\\te"
    assert terminal_safe("Café 5 € – ok") == "Café 5 € – ok"


def test_an_import_dry_run_escapes_control_characters_and_writes_nothing(tmp_path: Path, db: Path) -> None:
    file = tmp_path / "evil.ics"
    file.write_bytes(calendar(event("a@x", "Stream \x1b[2J 9.99 EUR")))
    before = dump(db)
    code, out, err = call(db, "import-ics", str(file), "--dry-run")
    assert code == 0, err
    assert "\x1b" not in out and "\\x1b[2J" in out
    assert dump(db) == before  # not even the calendar UID namespace is created by a dry run


def test_import_reads_only_regular_files_up_to_a_stated_size(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused(call(db, "import-ics", "/dev/zero"), "not a regular file")
    fifo = tmp_path / "pipe.ics"
    os.mkfifo(fifo)
    refused(call(db, "import-ics", str(fifo)), "not a regular file")  # returns at once, no writer needed
    monkeypatch.setattr(ics_import, "MAX_FILE_BYTES", 1024 * 1024)
    big = tmp_path / "big.ics"
    big.write_bytes(calendar(event("a@x", "x")) + b" " * (1024 * 1024))
    refused(call(db, "import-ics", str(big)), "larger than 1 MB, the limit for a calendar file")


def test_an_event_with_two_repeat_rules_is_a_usage_error(tmp_path: Path, db: Path) -> None:
    file = tmp_path / "two.ics"
    file.write_bytes(calendar(event("a@x", "Gym 20 EUR", "RRULE:FREQ=WEEKLY\r\n")))
    before = dump(db)
    refused(call(db, "import-ics", str(file)), "2 repeat rules")
    assert dump(db) == before


def test_damaged_app_data_in_a_calendar_is_a_usage_error(tmp_path: Path, db: Path) -> None:
    code, _, err = call(db, "export-ics", "--out", str(tmp_path / "own.ics"))
    assert code == 0, err
    text = (tmp_path / "own.ics").read_bytes()
    start = text.index(b"X-RENEWALTRACKER-DATA:") + len(b"X-RENEWALTRACKER-DATA:")
    end = text.index(b"\r\n", start)
    (tmp_path / "damaged.ics").write_bytes(text[:start] + b'{"interval": [1], "amount": {}}' + text[end:])
    before = dump(db)
    code, _, err = call(db, "import-ics", str(tmp_path / "damaged.ics"))
    assert code == 2 and err.count("\n") == 1 and "internal error" not in err, err
    assert dump(db) == before


def test_items_dropped_for_a_shared_uid_are_counted_and_named(tmp_path: Path) -> None:
    file = tmp_path / "dupes.ics"
    file.write_bytes(calendar(event("same@x", "Music 9.99 EUR"), event("same@x", "Video 7.99 EUR")))
    code, _, err = call(tmp_path / "new.sqlite3", "import-ics", str(file))
    assert code == 0, err
    assert "Skipped, same key as an earlier item: Video 7.99 EUR (UID 'same@x')" in err
    assert "1 added, 0 updated, 0 unchanged, 1 skipped" in err


def test_an_unusable_uid_is_kept_exportable(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite3"
    file = tmp_path / "long.ics"
    file.write_bytes(calendar(event("u" * 600, "Music 9.99 EUR")))
    code, _, err = call(db, "import-ics", str(file))
    assert code == 0, err
    code, out, err = call(db, "export-ics")
    assert code == 0 and "u" * 600 not in out, err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["edit", "1", "--support-email", "a,attacker@evil.example"], "is not one email address"),
        (["edit", "1", "--support-email", "a@b.example; c@d.example"], "email address"),
        (["edit", "1", "--notes", "before\x00after"], "NUL"),
        (["edit", "1", "--vendor", "v" * 201], "vendor: is longer than 200 characters"),
        (["edit", "1", "--notes", "n" * 10_001], "notes: is longer than 10000 characters"),
        (["edit", "1", "--cancel-url", "https://x.example/" + "p" * 500], "cancel-url: is longer than 500"),
        (["config", "user_email", "me@example.org\r\nBcc: spy@evil.example"], "not one email address"),
        (["config", "caldav_url", "https://me:s3cret@dav.example/cal"], "their own fields"),
    ],
)
def test_hostile_field_values_are_refused_and_write_nothing(db: Path, args: list[str], message: str) -> None:
    before = dump(db)
    result = call(db, *args)
    refused(result, message)
    assert "s3cret" not in result[2]
    assert dump(db) == before


def test_a_caldav_password_in_an_address_is_never_shown() -> None:
    url = "https://me:s3cret@dav.example:8443/cal"
    assert without_credentials(f"cannot reach {url} now") == "cannot reach https://dav.example:8443/cal now"
    message = plain_error(ConnectionRefusedError(111, "refused"), url)
    assert "s3cret" not in message and "dav.example:8443" in message


@pytest.mark.expect_log_warnings
def test_a_failed_auto_export_is_one_warning_line_and_the_change_is_kept(tmp_path: Path, db: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    code, _, err = call(db, "config", "auto_export_path", str(blocked / "cal.ics"))
    assert code == 0, err
    code, _, err = call(db, "edit", "1", "--notes", "kept")
    assert code == 0
    assert err.count("\n") == 1 and err.startswith("renewaltracker: warning: could not update the calendar file")
    code, out, _ = call(db, "show", "1", "--json")
    assert '"notes": "kept"' in out
