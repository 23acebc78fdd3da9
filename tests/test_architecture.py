"""The layers import one way (import-linter's contracts in pyproject.toml), and every package ships in the wheel."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "renewaltracker"


def test_the_import_contracts_hold() -> None:
    # In a process of its own: lint-imports calls logging's dictConfig, which would disable the app's loggers here.
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_contracts_cover_every_layer() -> None:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layered = {name for contract in contracts for layer in contract.get("layers", []) for name in layer.split(" | ")}
    on_disk = {f"renewaltracker.{path.name}" for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
    assert layered == on_disk


def test_every_package_is_listed_for_the_wheel() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in PACKAGE.rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    assert on_disk | {"renewaltracker.resources"} == listed
