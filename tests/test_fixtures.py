"""The shared fixtures: a database copied from a template migrated once; logged and Qt warnings fail a test."""

from __future__ import annotations

import json
import sqlite3
import tomllib
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from renewaltracker.storage.database import SCHEMA_HEADS, Database, current_revisions, open_database

ROOT = Path(__file__).resolve().parents[1]


def test_a_copied_template_opens_at_the_head_without_migrating(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    upgrades: list[object] = []
    monkeypatch.setattr(command, "upgrade", lambda *args, **kwargs: upgrades.append(args))
    database = open_database(db_path)
    try:
        assert current_revisions(database.engine) == SCHEMA_HEADS
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM subscriptions")).scalar() == 0
    finally:
        database.close()
    assert upgrades == []
    assert list(db_path.parent.glob("*.before-migration-*")) == []


def test_each_test_gets_its_own_copy(database: Database, migrated_template: Path) -> None:
    assert database.path is not None and database.path != migrated_template
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE scribble (x)"))
    with closing(sqlite3.connect(f"file:{migrated_template}?mode=ro", uri=True)) as template:
        assert template.execute("SELECT name FROM sqlite_master WHERE name = 'scribble'").fetchall() == []


INNER_TESTS = """
import logging

import pytest
from PySide6.QtCore import qWarning

from tests.conftest import no_unexpected_log_warnings  # noqa: F401  (the fixture under test)

log = logging.getLogger("renewaltracker.inner")


def test_an_unexpected_warning_fails():
    log.warning("something went wrong")


@pytest.mark.expect_log_warnings
def test_an_expected_warning_passes():
    log.warning("the test provoked this")


@pytest.mark.expect_log_warnings
def test_an_expected_warning_that_never_comes_fails():
    pass


def test_a_qt_warning_fails(qtbot):
    qWarning("QObject::connect: No such signal")


def test_the_offscreen_platform_notes_are_ignored(qtbot):
    qWarning("This plugin does not support raise()")
"""


def test_logged_and_qt_warnings_fail_a_test(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's own pytest settings, run on tests that warn: each rule is seen to fail and to let pass."""
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    # JSON strings and lists of strings are also TOML.
    settings = [f"{key} = {json.dumps(options[key])}" for key in ("qt_api", "qt_log_level_fail", "qt_log_ignore")]
    markers = json.dumps(options["markers"])
    pytester.makepyprojecttoml("\n".join(["[tool.pytest.ini_options]", *settings, f"markers = {markers}"]))
    pytester.makepyfile(test_inner=INNER_TESTS)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    result = pytester.runpytest_subprocess("-rA", "-p", "no:randomly", "-p", "no:cacheprovider")
    reports = {tuple(line.split(" ")[:2]) for line in result.outlines if line.startswith(("PASSED", "FAILED", "ERROR"))}
    inner = "test_inner.py::test_"
    assert reports == {
        ("PASSED", inner + "an_unexpected_warning_fails"),
        ("ERROR", inner + "an_unexpected_warning_fails"),
        ("PASSED", inner + "an_expected_warning_passes"),
        ("PASSED", inner + "an_expected_warning_that_never_comes_fails"),
        ("ERROR", inner + "an_expected_warning_that_never_comes_fails"),
        ("FAILED", inner + "a_qt_warning_fails"),
        ("PASSED", inner + "the_offscreen_platform_notes_are_ignored"),
    }, result.stdout.str()
