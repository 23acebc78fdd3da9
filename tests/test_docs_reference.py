"""docs/cli.md and docs/settings.md are generated; they must match the parser and the settings table."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from renewaltracker.cli import build_parser
from renewaltracker.cli.reference import DOCS, REGENERATE, generated_files, main


@pytest.mark.parametrize("name", ["cli.md", "settings.md"])
def test_generated_reference_is_current(name: str) -> None:
    path = DOCS / name
    expected = generated_files()[path]
    actual = path.read_text(encoding="utf-8") if path.exists() else ""
    assert actual == expected, f"docs/{name} is stale: run `.venv/bin/{REGENERATE}` and commit the result"


def test_generator_writes_every_command_option_and_setting(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 0
    cli = (tmp_path / "cli.md").read_text(encoding="utf-8")
    for path, parser in _parsers("renewaltracker", build_parser()):
        assert path == "renewaltracker" or f"`{path}`" in cli
        for action in parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in cli, f"{path} {option} is missing from the reference"
    settings = (tmp_path / "settings.md").read_text(encoding="utf-8")
    assert "| `reminder_days` | `7,1` |" in settings
    assert "| `user_name` | empty |" in settings


def _parsers(path: str, parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(f"{path} {name}", sub)


def test_every_argument_of_every_command_has_help() -> None:
    missing = [
        f"{path}: {'/'.join(action.option_strings) or action.dest}"
        for path, parser in _parsers("renewaltracker", build_parser())
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and not (action.help or "").strip()
    ]
    assert missing == []


def test_every_command_has_a_summary() -> None:
    missing = [
        f"{path} {choice.dest}"
        for path, parser in _parsers("renewaltracker", build_parser())
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for choice in action._choices_actions
        if not (choice.help or "").strip()
    ]
    assert missing == []


def test_edit_marks_nothing_as_required() -> None:
    edit = dict(_parsers("renewaltracker", build_parser()))["renewaltracker edit"]
    assert all("required" not in (action.help or "") for action in edit._actions)
    add = dict(_parsers("renewaltracker", build_parser()))["renewaltracker add"]
    required = {action.option_strings[0] for action in add._actions if action.required}
    assert required == {"--name", "--amount", "--every"}
    assert all("(required)" in (action.help or "") for action in add._actions if action.required)
