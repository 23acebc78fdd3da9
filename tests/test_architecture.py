"""The layers import one way, and every package ships in the wheel."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "renewaltracker"

# layer → top-level modules it must never import
FORBIDDEN = {
    "domain": ("PySide6", "sqlalchemy", "alembic", "renewaltracker.storage", "renewaltracker.services",
               "renewaltracker.ui", "renewaltracker.cli", "keyring"),
    "storage": ("PySide6", "renewaltracker.services", "renewaltracker.ui", "renewaltracker.cli"),
    "services": ("PySide6", "renewaltracker.ui", "renewaltracker.cli"),
    "cli": ("PySide6", "renewaltracker.ui"),
}  # fmt: skip


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layers_import_one_way(layer: str) -> None:
    offences = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in imported_modules(path):
            if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN[layer]):
                offences.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offences == []


def test_qt_is_imported_only_in_ui_and_the_gui_entry_point() -> None:
    offences = [
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if "ui" not in path.relative_to(PACKAGE).parts[:1]
        and any(name.startswith("PySide6") for name in imported_modules(path))
    ]
    assert offences == []


def test_every_package_is_listed_for_the_wheel() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in PACKAGE.rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    assert on_disk | {"renewaltracker.resources"} == listed
