"""The wheel `pipx install .` builds: the `renewaltracker` command, the light Qt wheels, the desktop files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_has_the_command_the_light_qt_and_the_desktop_files(tmp_path: Path) -> None:
    # With build isolation, as pipx builds it: pyproject's build requirements, not the test venv's setuptools.
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path)]
    subprocess.run([*command, str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("renewaltracker-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        entry_points = archive.read(info).decode()
        metadata = archive.read(info.replace("entry_points.txt", "METADATA")).decode()
    assert "renewaltracker = renewaltracker.__main__:main" in entry_points
    requires = [line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    assert any(r.startswith("PySide6-Essentials") for r in requires)
    assert any(r.startswith("PySide6-Addons") for r in requires)
    assert not any(r.split(">")[0].split("=")[0].strip() == "PySide6" for r in requires)  # not the meta-package
    for packaged in ("desktop/renewaltracker.desktop", "desktop/org.renewaltracker.RenewalTracker.metainfo.xml"):
        assert f"renewaltracker/resources/{packaged}" in names
