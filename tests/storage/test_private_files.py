"""Files the app writes are the user's only (0600, folders 0700) whatever the umask, and replaced atomically."""

from __future__ import annotations

import errno
import io
import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from renewaltracker.cli import run
from renewaltracker.logs import _NoDataFormatter, _PrivateRotatingFileHandler
from renewaltracker.storage import files
from renewaltracker.storage.database import APPLICATION_ID, open_database
from renewaltracker.storage.files import write_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask a user might have: nothing the app writes may inherit it."""
    previous = os.umask(0)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("open_umask")
def test_database_backup_export_draft_and_log_are_private(tmp_path: Path) -> None:
    db = tmp_path / "new-folder" / "renewals.sqlite3"
    cli = ["--db", str(db)]
    out, err = io.StringIO(), io.StringIO()
    assert (
        run(
            [*cli, "add", "--name", "Gym", "--amount", "5", "--every", "1 month", "--start", "2026-01-05"],
            out=out,
            err=err,
        )
        == 0
    )
    assert mode(db.parent) == 0o700 and mode(db) == 0o600
    for companion in db.parent.glob("*-wal"):
        assert mode(companion) == 0o600
    assert run([*cli, "backup", str(tmp_path / "b" / "copy.sqlite3")], out=out, err=err) == 0, err.getvalue()
    assert mode(tmp_path / "b" / "copy.sqlite3") == 0o600
    assert run([*cli, "export-ics", "--out", str(tmp_path / "cal.ics")], out=out, err=err) == 0, err.getvalue()
    assert mode(tmp_path / "cal.ics") == 0o600
    assert run([*cli, "draft", "cancel", "1", "--out", str(tmp_path / "d.eml")], out=out, err=err) == 0, err.getvalue()
    assert mode(tmp_path / "d.eml") == 0o600
    for kind in ("json", "csv"):
        exported = tmp_path / "exports" / f"all.{kind}"
        assert run([*cli, "export", "--format", kind, "--out", str(exported)], out=out, err=err) == 0, err.getvalue()
        assert mode(exported) == 0o600
    handler = _PrivateRotatingFileHandler(tmp_path / "logs.log", maxBytes=100, backupCount=2)
    try:
        for _ in range(5):
            handler.emit(
                logging.LogRecord("x", logging.INFO, __file__, 1, "a line long enough to rotate " * 3, None, None)
            )
    finally:
        handler.close()
    assert [mode(p) for p in tmp_path.glob("logs.log*")] == [0o600] * 3


@pytest.mark.usefixtures("open_umask")
def test_an_existing_database_of_ours_is_tightened_on_open(tmp_path: Path) -> None:
    db = tmp_path / "renewals.sqlite3"
    open_database(db).close()
    db.chmod(0o644)
    open_database(db).close()
    assert mode(db) == 0o600


def full_disk(*_: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_leaves_the_existing_file_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "letter.eml"
    target.write_bytes(b"the old letter\n")
    monkeypatch.setattr(files.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_private(target, b"x" * 10_000)
    assert target.read_bytes() == b"the old letter\n"
    assert [p.name for p in target.parent.iterdir()] == ["letter.eml"]  # no temporary file left behind


@pytest.mark.parametrize(
    "command",
    [
        ["draft", "cancel", "1", "--out", "{out}"],
        ["export-ics", "--out", "{out}"],
    ],
)
def test_a_command_on_a_full_disk_says_so_in_one_line_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    db = tmp_path / "renewals.sqlite3"
    out, err = io.StringIO(), io.StringIO()
    add = ["add", "--name", "Gym", "--amount", "5", "--every", "1 month", "--start", "2026-01-05"]
    assert run(["--db", str(db), *add], out=out, err=err) == 0
    target = tmp_path / "existing"
    target.write_bytes(b"keep me\n")
    monkeypatch.setattr(files.os, "fsync", full_disk)
    err = io.StringIO()
    code = run(["--db", str(db), *(part.format(out=target) for part in command)], out=io.StringIO(), err=err)
    assert code == 2 and err.getvalue().count("\n") == 1 and "Traceback" not in err.getvalue(), err.getvalue()
    assert "No space" in err.getvalue()
    assert target.read_bytes() == b"keep me\n"


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    foreign = tmp_path / "places.sqlite"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    connection.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    connection.commit()
    connection.close()
    before = foreign.read_bytes()
    err = io.StringIO()
    assert run(["--db", str(foreign), "list"], out=io.StringIO(), err=err) == 2
    assert "another program's SQLite database" in err.getvalue() and err.getvalue().count("\n") == 1
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "places.sqlite"]  # no -wal, no backup copy


def test_our_databases_carry_the_application_id(tmp_path: Path) -> None:
    db = tmp_path / "renewals.sqlite3"
    open_database(db).close()
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    finally:
        connection.close()


def test_logged_errors_keep_the_kind_and_place_but_not_the_users_data(tmp_path: Path) -> None:
    handler = _PrivateRotatingFileHandler(tmp_path / "app.log")
    handler.setFormatter(_NoDataFormatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("renewaltracker.test-no-data")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        note = "my " + "secret note about Netflix"  # built at run time, as user data is
        try:
            int(note)
        except ValueError:
            logger.exception("unexpected error in edit")
    finally:
        logger.removeHandler(handler)
        handler.close()
    text = (tmp_path / "app.log").read_text(encoding="utf-8")
    assert "unexpected error in edit" in text and "ValueError" in text and "test_private_files.py" in text
    assert "secret note" not in text
