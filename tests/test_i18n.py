"""The interface language: marked messages are translated, the system and the setting choose the language,
and the build compiles the catalogues (a checkout compiles them into the cache when they are missing)."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from renewaltracker import i18n
from renewaltracker.cli import run
from renewaltracker.i18n import _, current_language, install_language, resolve_language, system_language

ROOT = Path(__file__).resolve().parent.parent


def _error_of(argv: list[str]) -> str:
    err = io.StringIO()
    assert run(argv, out=io.StringIO(), err=err) == 2
    return err.getvalue()


def test_a_marked_message_is_translated_into_german() -> None:
    line = "{prog}: error: {message}"
    assert install_language("de") == "de"
    assert _(line) == "{prog}: Fehler: {message}"
    install_language("fr")
    assert _(line) == "{prog}: erreur\u00a0: {message}"
    install_language("en")
    assert _(line) == line


def test_the_cli_speaks_the_language_of_lang_the_setting_and_the_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "db.sqlite3")
    assert _error_of(["--db", db, "--lang", "de", "show", "99"]).startswith("renewaltracker: Fehler: ")
    assert _error_of(["--db", db, "show", "99"]).startswith("renewaltracker: error: ")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert _error_of(["--db", db, "show", "99"]).startswith("renewaltracker: erreur\u00a0: ")
    assert run(["--db", db, "config", "language", "de"], out=io.StringIO(), err=io.StringIO()) == 0
    assert _error_of(["--db", db, "show", "99"]).startswith("renewaltracker: Fehler: ")
    assert _error_of(["--db", db, "--lang", "en", "show", "99"]).startswith("renewaltracker: error: ")


def test_an_unknown_lang_is_refused_in_one_line() -> None:
    assert _error_of(["--lang", "klingon", "list"]) == (
        "renewaltracker: error: language: 'klingon' is not one of: en, de, fr (or empty for the system's)\n"
    )


def test_the_system_language_is_read_as_gettext_reads_it() -> None:
    assert system_language({"LANGUAGE": "de_AT:en", "LANG": "fr_FR.UTF-8"}) == "de"
    assert system_language({"LC_ALL": "", "LC_MESSAGES": "fr_CA.UTF-8", "LANG": "de_DE.UTF-8"}) == "fr"
    assert system_language({"LANG": "C.UTF-8"}) == "en"
    assert system_language({}) == "en"
    assert resolve_language("de", {"LANG": "fr_FR.UTF-8"}) == "de"
    assert resolve_language("", {"LANG": "fr_FR.UTF-8"}) == "fr"


def test_a_language_without_a_catalogue_shows_english() -> None:
    assert install_language("it") == "en"
    assert current_language() == "en" and _("Amount") == "Amount"


def test_a_missing_compiled_catalogue_is_compiled_into_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout has only the .po files: the first use compiles them into the user's cache folder."""
    po_file = tmp_path / "locale" / "de" / "LC_MESSAGES" / "renewaltracker.po"
    po_file.parent.mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "locale" / "de" / "LC_MESSAGES" / "renewaltracker.po", po_file)
    monkeypatch.setattr(i18n, "catalogue_path", lambda language: po_file)
    install_language("de")
    assert _("Amount") == "Betrag"
    cached = list((Path.home() / "cache").rglob("renewaltracker.mo"))
    assert len(cached) == 1 and not po_file.with_suffix(".mo").exists()


def test_the_build_compiles_the_catalogues(tmp_path: Path) -> None:
    """setup.py's build_py (used by wheels and `pip install -e .`) writes a .mo for every .po."""
    subprocess.run(
        [sys.executable, "setup.py", "-q", "build_py", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    built = tmp_path / "renewaltracker" / "resources" / "locale"
    languages = sorted(path.parent.parent.name for path in built.glob("*/LC_MESSAGES/renewaltracker.mo"))
    assert languages == ["de", "fr"]


@pytest.mark.parametrize(
    ("language", "joined"),
    [("en", "a; b; c"), ("de", "a; b; c"), ("fr", "a\u00a0; b\u00a0; c")],
)
def test_clauses_are_joined_as_the_interface_language_writes_them(language: str, joined: str) -> None:
    from renewaltracker.i18n import clauses

    install_language(language)
    try:
        assert clauses(["a", "b", "c"]) == joined
        assert clauses(["only"]) == "only" and clauses([]) == ""
    finally:
        install_language("en")
