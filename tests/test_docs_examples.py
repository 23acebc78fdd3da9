"""Every ```sh block in README.md and docs/*.md runs as written, in order, on a fresh database.

The rule (docs/development.md): a ```sh block holds only `renewaltracker …` commands, and this test runs
each of them; install steps and other programs go in ```bash blocks, illustrations with output in
```console or ```text blocks, which are not run.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from renewaltracker.cli import run

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\S*)\s*$")


def fenced_blocks(text: str) -> list[tuple[str, int, list[str]]]:
    """(language, first line number, lines) of each fenced block, in order."""
    blocks: list[tuple[str, int, list[str]]] = []
    language: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = FENCE.match(line)
        if language is None and match:
            language, start, lines = match.group(1), number + 1, []
        elif language is not None and line.rstrip() == "```":
            blocks.append((language, start, lines))
            language = None
        elif language is not None:
            lines.append(line)
    assert language is None, "a fenced block is not closed"
    return blocks


def commands(start: int, lines: list[str]) -> list[tuple[int, str]]:
    """(line number, command) of each command in a block; a trailing backslash continues a line."""
    found: list[tuple[int, str]] = []
    pending, first = "", 0
    for number, line in enumerate(lines, start=start):
        if not pending:
            first = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        command = (pending + line).strip()
        pending = ""
        if command and not command.startswith("#"):
            found.append((first, command))
    return found


def argv_of(command: str) -> list[str]:
    """The arguments the shell would pass: quotes and comments handled, a leading ~ expanded."""
    words = shlex.split(command, comments=True)
    return [str(Path(word).expanduser()) if word.startswith("~") else word for word in words]


def runnable(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for language, start, lines in fenced_blocks(path.read_text(encoding="utf-8")):
        if language == "sh":
            found += commands(start, lines)
    return found


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.name)
def test_sh_blocks_run_in_order_on_a_fresh_database(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RENEWALTRACKER_DB", str(tmp_path / "fresh.sqlite3"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # examples that write files (--out cancel.eml) write them here
    for number, command in runnable(path):
        argv = argv_of(command)
        assert argv[0] == "renewaltracker", f"{path.name}:{number}: a sh block runs only renewaltracker commands"
        assert not any(word.startswith("[") for word in argv), f"{path.name}:{number}: a placeholder in {command}"
        offline = argv[1] not in ("mail", "caldav-sync") and "--send" not in argv
        assert offline, f"{path.name}:{number}: an example must not send mail or contact a server"
        out, err = io.StringIO(), io.StringIO()
        status = run(argv[1:], out=out, err=err)
        assert status == 0, f"{path.name}:{number}: `{command}` exited {status}: {err.getvalue().strip()}"


def shown_outputs(path: Path) -> list[tuple[int, str, str, list[str]]]:
    """(line, sh command, its output as shown) for each ```console block that shows what commands of the ```sh
    block just before it print: the shown output must be what they print, not an older wording."""
    shown: list[tuple[int, str, str, list[str]]] = []
    previous: list[tuple[int, str]] = []
    for language, start, lines in fenced_blocks(path.read_text(encoding="utf-8")):
        if language == "sh":
            previous = commands(start, lines)
            continue
        if language != "console":
            continue
        joined: list[str] = []  # a prompt continued with a trailing backslash is one command
        for line in lines:
            if joined and joined[-1].startswith("$ ") and joined[-1].endswith("\\"):
                joined[-1] = joined[-1][:-1] + " " + line.strip()
            else:
                joined.append(line)
        prompts = [n for n, line in enumerate(joined) if line.startswith("$ ")]
        pending = list(previous)
        for place, n in enumerate(prompts):
            command = joined[n][2:]
            output = joined[n + 1 : prompts[place + 1] if place + 1 < len(prompts) else len(joined)]
            match = next((c for c in pending if argv_of(c[1]) == argv_of(command)), None)
            if match is None:
                break  # an illustration of its own (a file the reader has, a server): not checked
            pending = pending[pending.index(match) + 1 :]
            shown.append((start + n, match[1], command, output))
    return shown


@pytest.fixture
def berlin() -> Iterator[None]:
    """The guides show times in Europe/Berlin, as the reader's machine would have them."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.mark.usefixtures("berlin")
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.name)
def test_console_output_shown_for_an_example_is_what_it_prints(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = shown_outputs(path)
    if not shown:
        return
    monkeypatch.setenv("RENEWALTRACKER_DB", str(tmp_path / "fresh.sqlite3"))
    monkeypatch.chdir(tmp_path)
    printed: dict[tuple[int, str], list[str]] = {}
    for number, command in runnable(path):
        out, err = io.StringIO(), io.StringIO()
        run(argv_of(command)[1:], out=out, err=err)
        printed[number, command] = (out.getvalue() + err.getvalue()).splitlines()
    numbers = {command: number for number, command in runnable(path)}
    for line, command, prompt, output in shown:
        expected = [text.rstrip() for text in output]
        actual = [text.rstrip() for text in printed[numbers[command], command]]
        assert actual == expected, f"{path.name}:{line}: `{prompt}` prints otherwise than shown"


def test_the_console_blocks_of_the_reminder_and_schedule_guides_are_checked() -> None:
    assert len(shown_outputs(ROOT / "docs" / "reminders.md")) == 3
    assert len(shown_outputs(ROOT / "docs" / "schedules.md")) == 1


def test_the_readme_and_the_guides_have_runnable_examples() -> None:
    assert len(runnable(ROOT / "README.md")) >= 5
    assert len(runnable(ROOT / "docs" / "user-guide.md")) >= 20


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.name)
def test_renewaltracker_commands_are_not_hidden_from_the_test(path: Path) -> None:
    """A bash block is for install steps and other programs: a renewaltracker example there would go untested."""
    hidden = [
        f"{path.name}:{number}: {command}"
        for language, start, lines in fenced_blocks(path.read_text(encoding="utf-8"))
        if language in ("bash", "shell", "")
        for number, command in commands(start, lines)
        if command.startswith("renewaltracker ")
    ]
    assert hidden == []


def test_the_quick_start_commands_are_in_the_readme_exactly() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    bash = [line for language, _, lines in fenced_blocks(readme) if language == "bash" for line in lines]
    assert "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/renewaltracker" in bash
    assert "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest" in bash


def test_the_readme_stays_short() -> None:
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 250


def test_a_failing_example_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The runner really runs: the example the old README had, on a fresh database, fails."""
    monkeypatch.setenv("RENEWALTRACKER_DB", str(tmp_path / "fresh.sqlite3"))
    assert run(argv_of("renewaltracker draft refund 3")[1:], out=io.StringIO(), err=io.StringIO()) == 2


def test_commands_join_continued_lines_and_skip_comments() -> None:
    lines = ["# a comment", "renewaltracker add --name 'A B' \\", "    --amount 1   # trailing", ""]
    assert commands(10, lines) == [(11, "renewaltracker add --name 'A B'      --amount 1   # trailing")]
    assert argv_of(commands(10, lines)[0][1]) == ["renewaltracker", "add", "--name", "A B", "--amount", "1"]


@pytest.mark.usefixtures("berlin")
def test_the_refusal_shown_for_a_charge_added_twice_is_what_the_command_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guide's one refusal shown without its own ```sh line: the examples before it, run up to the charge it
    repeats, then the command as shown (its wording follows the messages: amounts, dates)."""
    path = ROOT / "docs" / "user-guide.md"
    (prompt, *shown) = next(
        lines
        for language, _start, lines in fenced_blocks(path.read_text(encoding="utf-8"))
        if language == "console" and any("is already recorded" in line for line in lines)
    )
    monkeypatch.setenv("RENEWALTRACKER_DB", str(tmp_path / "fresh.sqlite3"))
    monkeypatch.chdir(tmp_path)
    refused = argv_of(prompt.removeprefix("$ "))
    for _number, command in runnable(path):
        run(argv_of(command)[1:], out=io.StringIO(), err=io.StringIO())
        if argv_of(command)[: len(refused)] == refused:  # the first one, with its reference
            break
    out, err = io.StringIO(), io.StringIO()
    assert run(refused[1:], out=out, err=err) == 2
    assert err.getvalue().splitlines() == shown
