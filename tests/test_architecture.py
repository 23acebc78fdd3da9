"""The layers import one way (import-linter's contracts in pyproject.toml), and every package ships in the wheel."""

from __future__ import annotations

import ast
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


def _front_end_files() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if path.relative_to(PACKAGE).parts[0] != "domain")


def _is_member_of(node: ast.expr | None, enum: str) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == enum


def test_event_kinds_are_named_only_in_the_domain() -> None:
    """No front end or export keeps its own table of event-kind words; they read domain.events.EVENT_LABELS."""
    from renewaltracker.domain.events import EVENT_LABELS

    # Single words such as "charge" are everyday vocabulary; the multi-word labels are the ones worth copying.
    words = {text.casefold() for label in EVENT_LABELS.values() for text in (label.noun, label.soon) if " " in text}
    # A contact's "Follow up" date column names a field of the contact log, not the reminder event kind.
    allowed = {("renewaltracker/cli/drafts.py", "follow up")}
    offences = []
    for path in _front_end_files():
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict) and any(_is_member_of(key, "EventKind") for key in node.keys):
                if any(isinstance(value, ast.Constant | ast.JoinedStr) for value in node.values):
                    offences.append(f"{where}:{node.lineno} maps event kinds to texts")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.strip().rstrip(":").strip().casefold()
                if text in words and (where, text) not in allowed:
                    offences.append(f"{where}:{node.lineno} spells the event label {node.value!r}")
    assert offences == []


def _enables_from_a_status(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setEnabled"):
        return False
    return any(_is_member_of(inner, "Status") for arg in node.args for inner in ast.walk(arg))


def test_front_ends_ask_the_domain_which_status_changes_apply() -> None:
    """Enabling pause/resume/cancel from a status comparison would copy the rule in Subscription.refusal."""
    offences = [
        f"{path.relative_to(ROOT)}:{node.lineno} enables an action from a status"
        for path in _front_end_files()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and _enables_from_a_status(node)
    ]
    assert offences == []
