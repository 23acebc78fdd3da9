"""`--version` and `--help` import nothing heavy: they print from the parser alone, in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("sqlalchemy", "alembic", "babel", "icalendar", "jinja2", "PySide6", "keyring", "caldav", "dateutil")
# Light, but together a third of the start-up: the column widths, the gettext catalogue lookup, logging, and the
# domain's dataclasses (which pull in inspect) load with the first command that needs them.
NOT_FOR_HELP = ("wcwidth", "platformdirs", "logging", "dataclasses", "inspect", "getpass")

PROBE = """
import contextlib, io, json, sys
from renewaltracker.__main__ import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


@pytest.mark.parametrize("option", ["--version", "--help", "add --help"])
def test_printing_help_or_version_imports_nothing_heavy(option: str) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, *option.split()], capture_output=True, text=True, check=True)
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    assert loaded.isdisjoint(HEAVY + NOT_FOR_HELP), sorted(loaded.intersection(HEAVY + NOT_FOR_HELP))


def test_a_command_still_loads_what_it_needs(tmp_path: Path) -> None:
    probe = PROBE.replace("main(sys.argv[1:])", "main(['--db', sys.argv[1], 'list', '--json'])")
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "t.sqlite3")], capture_output=True, text=True, check=True
    )
    assert "sqlalchemy" in json.loads(result.stdout.splitlines()[-1])
