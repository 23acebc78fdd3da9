"""Fuzzing the calendar importer with mutations of the app's own exports and of other programs' calendars.

Whatever the file, `import-ics` (and `--dry-run`) ends with exit 0 or 2, at most one line of error, never a
traceback or "internal error", and the database is byte for byte unchanged after a failure or a dry run.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.cli import run
from tests.cli_runs import call, dump

FIXTURES = Path(__file__).with_name("fixtures")
SEED = [
    [
        "add",
        "--name",
        "Netflix",
        "--amount",
        "12.99",
        "--currency",
        "EUR",
        "--every",
        "1 month",
        "--start",
        "2026-01-15",
    ],
    [
        "add",
        "--name",
        "Gym",
        "--amount",
        "39.90",
        "--currency",
        "EUR",
        "--every",
        "4 weeks",
        "--start",
        "2026-01-05",
        "--notice-days",
        "14",
        "--refund-days",
        "14",
        "--remind",
        "7,1",
        "--notes",
        "multi\nline",
    ],
    ["add", "--name", "Trial", "--amount", "5", "--currency", "USD", "--every", "1 year", "--trial-end", "2026-02-01"],
    ["cancel", "2", "--effective", "2026-06-01"],
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[bytes]]:
    """A seeded database and the calendars to mutate: its own export (grouped and expanded) and two others."""
    folder = tmp_path_factory.mktemp("fuzz-import")
    db = folder / "seed.sqlite3"
    for command in SEED:
        code, _, err = call(db, *command)
        assert code == 0, err
    exports = []
    for extra in ([], ["--expanded"]):
        code, _, err = call(db, "export-ics", "--out", str(folder / "own.ics"), *extra)
        assert code == 0, err
        exports.append((folder / "own.ics").read_bytes())
    others = [path.read_bytes().replace(b"\n", b"\r\n") for path in sorted(FIXTURES.glob("*.ics"))]
    return db, exports + others


def mutate(data: bytes, operations: list[tuple[str, int, bytes]]) -> bytes:
    """Line-level edits (drop, duplicate, swap, replace the value, insert garbage) and byte-level truncation."""
    lines = data.split(b"\r\n")
    for operation, position, payload in operations:
        index = position % max(len(lines), 1)
        if operation == "drop" and lines:
            del lines[index]
        elif operation == "duplicate" and lines:
            lines.insert(index, lines[index])
        elif operation == "swap" and len(lines) > 1:
            other = (index * 7 + 3) % len(lines)
            lines[index], lines[other] = lines[other], lines[index]
        elif operation == "value" and lines:
            name = lines[index].split(b":", 1)[0]
            lines[index] = name + b":" + payload
        elif operation == "insert":
            lines.insert(index, payload)
        elif operation == "truncate":
            return b"\r\n".join(lines)[: position % (len(data) + 1)]
    return b"\r\n".join(lines)


payloads = st.one_of(
    st.binary(max_size=60),
    st.text(max_size=60).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from(
        [
            b"RRULE:FREQ=MONTHLY;COUNT=-1",
            b"RRULE:FREQ=SECONDLY",
            b"DTSTART:99991231",
            b"DTSTART;VALUE=DATE:00000000",
            b"X-RENEWALTRACKER-DATA:{}",
            b"X-RENEWALTRACKER-DATA:[1,2]",
            b'X-RENEWALTRACKER-DATA:{"amount": "1e999999"}',
            b"SUMMARY:\x1b]0;pwned\x07\x1b[2J",
            b"UID:" + b"u" * 5000,
            b"END:VEVENT",
            b"BEGIN:VEVENT",
            b"BEGIN:VALARM",
            b"DURATION:P9999999999D",
            b"EXDATE:garbage",
        ]
    ),
)
operations = st.lists(
    st.tuples(
        st.sampled_from(["drop", "duplicate", "swap", "value", "insert", "truncate"]),
        st.integers(0, 10_000),
        payloads,
    ),
    min_size=1,
    max_size=6,
)


@given(source=st.integers(0, 3), edits=operations, dry_run=st.booleans())
def test_a_mutated_calendar_imports_or_is_refused_in_one_line(
    corpus: tuple[Path, list[bytes]], tmp_path_factory: pytest.TempPathFactory, source: int, edits: list, dry_run: bool
) -> None:
    seed, calendars = corpus
    folder = tmp_path_factory.mktemp("case")
    db = folder / "renewals.sqlite3"
    shutil.copy(seed, db)
    calendar = folder / "mutated.ics"
    calendar.write_bytes(mutate(calendars[source % len(calendars)], edits))
    before = dump(db)
    code, out, err = call(db, "import-ics", str(calendar), *(["--dry-run"] if dry_run else []))
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err, err
    assert "\x1b" not in out and "\x1b" not in err  # nothing from the file steers the terminal
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("renewaltracker: error: "), err
    if code == 2 or dry_run:
        assert dump(db) == before  # a refused import or a dry run writes nothing
    else:
        code, _, err = call(db, "import-ics", str(calendar))  # importing the same file again is harmless
        assert code in (0, 2) and "internal error" not in err, err


@pytest.mark.parametrize("name", ["google.ics", "outlook.ics"])
def test_third_party_fixtures_import_cleanly(tmp_path: Path, name: str) -> None:
    db = tmp_path / "renewals.sqlite3"
    code, _, err = call(db, "import-ics", str(FIXTURES / name), "--skip-incomplete")
    assert code == 0, err
    assert "Imported:" in err


def test_a_timezone_id_given_twice_is_a_damaged_file_not_an_internal_error(tmp_path: Path) -> None:
    # Found by the fuzzer: icalendar itself raises AttributeError on a VTIMEZONE with two TZIDs.
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
        "TZID:Europe/Paris\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n"
    )
    path = tmp_path / "twice.ics"
    path.write_text(ics)
    err = io.StringIO()
    code = run(["--db", str(tmp_path / "db.sqlite3"), "import-ics", str(path), "--dry-run"], out=io.StringIO(), err=err)
    assert code == 2 and err.getvalue().count("\n") == 1 and "damaged" in err.getvalue()
