"""Where the resources are found: a checkout's resources/, an installed package's, or a zipped install's."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from renewaltracker.assets import resource

ROOT = Path(__file__).resolve().parent.parent


def test_a_checkout_reads_its_resources_folder() -> None:
    assert Path(str(resource("icons", "app.svg"))) == ROOT / "resources" / "icons" / "app.svg"


def _find_icon(site: Path) -> tuple[str, str]:
    """What a clean interpreter with only `site` on its path reads as the app icon's first bytes, and whether it
    imported importlib.resources to find it."""
    code = (
        "import sys; from renewaltracker import assets; "
        f"assert assets.__file__.startswith({str(site)!r}), assets.__file__; "
        "print(assets.resource('icons', 'app.svg').read_bytes()[:4], 'importlib.resources' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=site.parent, env={"PYTHONPATH": str(site)}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    first, imported = result.stdout.split()
    return first, imported


def test_an_installed_package_reads_the_folder_beside_its_modules_without_the_importer(tmp_path: Path) -> None:
    package = tmp_path / "renewaltracker"
    package.mkdir()
    for name in ("__init__.py", "assets.py"):
        shutil.copy(ROOT / "renewaltracker" / name, package / name)
    shutil.copytree(ROOT / "resources" / "icons", package / "resources" / "icons")
    (package / "resources" / "__init__.py").write_text("")
    # Found as a plain folder: importlib.resources (4 ms) is not imported before the window's first paint.
    assert _find_icon(tmp_path) == ("b'<svg'", "False")


def test_a_zipped_install_reads_through_the_importer(tmp_path: Path) -> None:
    archive = tmp_path / "app.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in ("__init__.py", "assets.py"):
            zipped.write(ROOT / "renewaltracker" / name, f"renewaltracker/{name}")
        zipped.writestr("renewaltracker/resources/__init__.py", "")
        zipped.write(ROOT / "resources" / "icons" / "app.svg", "renewaltracker/resources/icons/app.svg")
    assert _find_icon(archive) == ("b'<svg'", "True")
