"""`--help` of the program and of every command speaks the interface language, chosen before the parser is built:
--lang, else the database's `language` setting, else the system's. argparse's own words come from our catalogue."""

from __future__ import annotations

import argparse
import io
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from renewaltracker.cli import build_parser, install_cli_language, run
from renewaltracker.cli.parsing import Parser, argparse_message
from renewaltracker.cli.reference import cli_reference
from renewaltracker.i18n import current_language, install_language

LANGUAGES = ("de", "fr")
# Lines the same in English and a translation that are no English sentence left untranslated, each with its
# reason: (language, line). Empty: French titles end in a non-breaking space ("options :"), so even those differ.
SAME_IN_BOTH: dict[tuple[str, str], str] = {}


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Parser]]:
    """Every parser (the program's and each command's, sub-commands included) with the words that reach it."""
    assert isinstance(parser, Parser)
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))


def _helps(language: str) -> dict[tuple[str, ...], str]:
    install_language(language)
    return {path: parser.format_help() for path, parser in _commands(build_parser())}


def _names(parser: argparse.ArgumentParser) -> set[str]:
    """The words a help may show untranslated: option names, metavars, commands and choices."""
    names = set(parser.prog.split())
    for action in parser._actions:
        names.update(action.option_strings)
        for value in (action.metavar, action.dest):
            if isinstance(value, str):
                names.update(value.split())
        if action.choices is not None:
            names.update(str(choice) for choice in action.choices)
    return names


def _only_names(line: str, names: set[str]) -> bool:
    """A line of option names, metavars, commands and usage punctuation alone (no sentence to translate)."""
    words = re.findall(r"[^\s\[\]|{},.…()]+", line)
    return all(word in names or not re.search(r"[A-Za-z]", word) for word in words)


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each help text on one line, so a line compares a whole sentence rather than where it happens to wrap."""
    monkeypatch.setenv("COLUMNS", "400")


@pytest.mark.usefixtures("wide")
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_sentence_is_left_in_any_help(language: str) -> None:
    english = _helps("en")
    translated = _helps(language)
    parsers = dict(_commands(build_parser()))
    assert translated.keys() == english.keys()
    left = []
    for path, text in translated.items():
        names = _names(parsers[path])
        for line in set(text.splitlines()) & set(english[path].splitlines()):
            sentence = re.search(r"[A-Za-z]", line) and not _only_names(line, names)
            if sentence and (language, line.strip()) not in SAME_IN_BOTH:
                left.append(f"{' '.join(path) or '(program)'}: {line.strip()}")
    assert left == []
    # argparse's own words, which Python does not translate, come from our catalogue.
    assert "usage:" not in translated[()] and "show this help message and exit" not in translated[()]


def test_the_check_finds_an_english_sentence() -> None:
    names = {"--name", "NAME", "add"}
    assert _only_names("  --name NAME", names)
    assert _only_names("usage: add [--name NAME] ...".replace("usage:", ""), names)
    assert not _only_names("  --name NAME   what renews, e.g. Netflix", names)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--lang", "de", "add", "--help"], "was sich verlängert, z. B. Netflix (Pflichtangabe)"),
        (["--lang", "fr", "--help"], "utilisation\u00a0: renewaltracker"),
        (["--lang", "de", "--help"], "diese Hilfe zeigen und beenden"),
    ],
)
def test_lang_on_the_command_line_translates_the_help(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        run(argv)
    assert expected in capsys.readouterr().out


def _with_language(path: Path, migrated_template: Path, language: str) -> Path:
    path.write_bytes(migrated_template.read_bytes())
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('language', ?)", (language,))
    connection.close()
    return path


def test_the_database_setting_translates_the_help(
    tmp_path: Path, migrated_template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _with_language(tmp_path / "fr.sqlite3", migrated_template, "fr")
    with pytest.raises(SystemExit):
        run(["--db", str(db), "charge", "add", "--help"])
    assert "le jour du prélèvement (obligatoire)" in capsys.readouterr().out
    with pytest.raises(SystemExit):  # --lang wins over the setting
        run(["--db", str(db), "--lang", "de", "charge", "add", "--help"])
    assert "der Tag der Abbuchung (Pflichtangabe)" in capsys.readouterr().out


def test_the_system_language_translates_the_help_through_the_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "renewaltracker", "add", "--help"],
        capture_output=True,
        text=True,
        env={**_environment(), "LANGUAGE": "de"},
        check=True,
    )
    assert "was sich verlängert, z. B. Netflix (Pflichtangabe)" in result.stdout
    assert result.stdout.startswith("Aufruf: renewaltracker add")


def _environment() -> dict[str, str]:
    import os

    return dict(os.environ)


def test_the_language_is_chosen_in_order(
    tmp_path: Path, migrated_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _with_language(tmp_path / "de.sqlite3", migrated_template, "de")
    assert install_cli_language(["--db", str(db), "--lang", "fr", "list"]) == "fr"
    assert install_cli_language(["--db", str(db), "list"]) == "de"
    # An unknown --lang is refused by the full parse; meanwhile the setting speaks.
    assert install_cli_language(["--db", str(db), "--lang", "xx", "list"]) == "de"
    # `draft --lang` is the letter's language, not the interface's.
    assert install_cli_language(["--db", str(db), "draft", "1", "cancellation", "--lang", "fr"]) == "de"
    monkeypatch.setenv("LANGUAGE", "fr")
    assert install_cli_language(["--db", str(tmp_path / "missing.sqlite3"), "list"]) == "fr"
    assert not (tmp_path / "missing.sqlite3").exists()


def test_version_reads_no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import renewaltracker.storage.peek

    def refuse(path: Path, key: str) -> str:
        raise AssertionError("--version read the database")

    monkeypatch.setattr(renewaltracker.storage.peek, "peek_setting", refuse)
    assert install_cli_language(["--db", str(tmp_path / "x.sqlite3"), "--version"]) == "en"
    assert install_cli_language(["--vers"]) == "en"
    with pytest.raises(AssertionError, match="read the database"):  # the check can fail
        install_cli_language(["--db", str(tmp_path / "x.sqlite3"), "--help"])


# -- argparse's error messages ------------------------------------------------------------------------------
def _error(argv: list[str], language: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The error line for `argv` under a system speaking `language` (a bad global option leaves --lang unread)."""
    monkeypatch.setenv("LANGUAGE", language)
    err = io.StringIO()
    assert run(argv, err=err) == 2
    return err.getvalue()


@pytest.mark.parametrize(
    ("argv", "german", "french"),
    [
        (
            ["add"],
            "Fehler: folgende Argumente sind nötig: --name",
            "erreur\u00a0: les arguments suivants sont obligatoires\u00a0: --name",
        ),
        (["list", "--bogus"], "unbekannte Argumente: --bogus", "arguments non reconnus\u00a0: --bogus"),
        (["lst"], "ungültige Auswahl: 'lst' (möglich: ", "; vouliez-vous dire «\u00a0list\u00a0»\u00a0?"),
        (["lst"], "; meinten Sie 'list'?", "choix non valide\u00a0: 'lst' (choisir parmi "),
        (["show", "1", "--json=x"], "ausdrücklicher Wert 'x' ignoriert", "valeur explicite 'x' ignorée"),
        (["show"], "folgende Argumente sind nötig: ID", "les arguments suivants sont obligatoires\u00a0: ID"),
        (["--db"], "Argument --db: erwartet einen Wert", "argument --db\u00a0: une valeur est attendue"),
        (
            ["upcoming", "--until", "2026-01-01", "--days", "3"],
            "Argument --days: nicht zusammen mit dem Argument --until erlaubt",
            "argument --days\u00a0: interdit avec l’argument --until",
        ),
        (["--d", "x"], "mehrdeutige Option: --d könnte ", "option ambiguë\u00a0: --d pourrait correspondre à "),
        (["show", "x"], "Argument ID: 'x' ist keine ID", "argument ID\u00a0: "),
    ],
)
def test_argparse_errors_speak_the_interface_language(
    argv: list[str], german: str, french: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert german in _error(argv, "de", monkeypatch)
    assert french in _error(argv, "fr", monkeypatch)


def test_every_argparse_message_pattern_matches_what_argparse_says() -> None:
    """argparse words its messages itself: a Python whose wording differs would leave them English silently."""
    install_language("de")
    parser = Parser(prog="p")
    parser.add_argument("--one")
    parser.add_argument("--many", nargs="+")
    parser.add_argument("--maybe", nargs="?", type=int)
    parser.add_argument("--two", nargs=2)
    parser.add_argument("--flag", action="store_true")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--a", action="store_true")
    group.add_argument("--b", action="store_true")
    cases = {
        "--a --one": "erwartet einen Wert",
        "--a --many": "erwartet mindestens einen Wert",
        "--a --two x": "erwartet 2 Werte",
        "--a --maybe x": "ungültiger Wert für int: 'x'",
        "--flag": "eines der Argumente --a --b ist nötig",
        "--a --b": "nicht zusammen mit dem Argument --a erlaubt",
        "--a --flag=x": "ausdrücklicher Wert 'x' ignoriert",
        "--a extra": "unbekannte Argumente: extra",
    }
    for argv, expected in cases.items():
        with pytest.raises(Exception, match=re.escape(expected)):
            parser.parse_args(argv.split())
    assert argparse_message("something argparse never said") == "something argparse never said"


def test_a_parse_error_is_one_line_without_control_characters() -> None:
    err = io.StringIO()
    assert run(["config", "user_email", "-\n"], err=err) == 2
    lines = err.getvalue().splitlines()
    assert lines == ["renewaltracker: error: unrecognized arguments: -\\n"]
    assert err.getvalue().count("\n") == 1
    err = io.StringIO()
    assert run(["list", "--bogus\x1b[31m"], err=err) == 2
    assert "\x1b" not in err.getvalue() and "\\x1b[31m" in err.getvalue()


def test_the_generated_reference_stays_english_whatever_the_interface_language() -> None:
    english = cli_reference()
    install_language("de")
    assert cli_reference() == english
    assert current_language() == "de"  # and the language in use is left as it was
