"""`install-desktop`: the launcher, icon and metainfo land below XDG_DATA_HOME and pass the freedesktop validators.

The validators come from the Debian packages desktop-file-utils and appstream, which .ci/run installs: a machine
without them fails these tests rather than skipping them.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from renewaltracker.cli import run
from renewaltracker.services.desktop_entry import METAINFO_FILE, data_home, install_desktop_files, launcher_text


def validator(name: str) -> str:
    found = shutil.which(name)
    assert found is not None, f"{name} is missing: install desktop-file-utils and appstream (see .ci/run)"
    return found


def test_data_home_follows_xdg(tmp_path: Path) -> None:
    assert data_home({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path
    assert data_home({"XDG_DATA_HOME": "relative/dir"}) == Path.home() / ".local" / "share"
    assert data_home({}) == Path.home() / ".local" / "share"


def test_the_written_files_pass_the_validators(tmp_path: Path) -> None:
    written = install_desktop_files(tmp_path, ["/opt/my python/bin/python", "-m", "renewaltracker"])
    launcher, icon, metainfo = written
    assert launcher == tmp_path / "applications" / "renewaltracker.desktop"
    assert icon == tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "renewaltracker.svg"
    assert metainfo == tmp_path / "metainfo" / METAINFO_FILE
    assert 'Exec="/opt/my python/bin/python" -m renewaltracker\n' in launcher.read_text()
    assert icon.read_bytes().startswith(b"<svg")
    desktop = subprocess.run([validator("desktop-file-validate"), str(launcher)], capture_output=True, text=True)
    assert desktop.returncode == 0 and not desktop.stdout.strip(), desktop.stdout
    appstream = subprocess.run(
        [validator("appstreamcli"), "validate", "--no-net", str(metainfo)], capture_output=True, text=True
    )
    assert appstream.returncode == 0, appstream.stdout


def test_reinstalling_replaces_the_files(tmp_path: Path) -> None:
    install_desktop_files(tmp_path, ["old"])
    launcher = install_desktop_files(tmp_path, ["new"])[0]
    assert "Exec=new\n" in launcher.read_text()
    assert sorted(p.name for p in launcher.parent.iterdir()) == ["renewaltracker.desktop"]  # no .part left


def test_exec_field_codes_are_escaped() -> None:
    assert "Exec=/home/a%%b/python -m renewaltracker\n" in launcher_text(["/home/a%b/python", "-m", "renewaltracker"])


def test_cli_honours_xdg_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    out, err = io.StringIO(), io.StringIO()
    assert run(["--db", str(tmp_path / "t.sqlite3"), "install-desktop"], out=out, err=err) == 0, err.getvalue()
    assert (tmp_path / "share" / "applications" / "renewaltracker.desktop").is_file()
    assert out.getvalue().count("Wrote ") == 3
    assert not (tmp_path / "t.sqlite3").exists()  # the database is not needed for this


def test_cli_data_home_option(tmp_path: Path) -> None:
    out = io.StringIO()
    assert (
        run(["--db", str(tmp_path / "t.sqlite3"), "install-desktop", "--data-home", str(tmp_path / "d")], out=out) == 0
    )
    assert (tmp_path / "d" / "metainfo" / METAINFO_FILE).is_file()
