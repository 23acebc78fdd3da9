"""The interface language: gettext catalogues in resources/locale, chosen from the system or the `language`
setting, and the tools that extract, update and compile them (`python -m renewaltracker.i18n extract|update|compile`).

Pure standard-library gettext at run time; Babel reads .po and writes .mo. Letters have their own language
(domain/letter_phrases.py and resources/templates/<lang>), so this module never decides what a letter says.
"""

from __future__ import annotations

import gettext
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from renewaltracker.domain.languages import ENGLISH, language_code
from renewaltracker.i18n_compile import DOMAIN

# platformdirs, logging and importlib.resources load only when a catalogue is looked for: `--help` (in English)
# and every command under an English system never pay for them.
# The interface languages offered in the settings; English is the source text and has no catalogue.
INTERFACE_LANGUAGES = ("en", "de", "fr")
_ROOT = Path(__file__).resolve().parent.parent


class _Installed:
    """The installed language and its catalogue: class attributes, because `_` reads them for every table cell."""

    language = ENGLISH
    translations = gettext.NullTranslations()


def _(message: str) -> str:
    """The message in the installed interface language (the message itself when untranslated)."""
    return _Installed.translations.gettext(message)


def N_(message: str) -> str:  # gettext's conventional name for "mark, translate later"
    """Mark a message for extraction without translating it yet: for texts kept in constants and translated
    with _() where they are shown, so a later language switch still applies."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    return _Installed.translations.ngettext(singular, plural, count)


def clauses(parts: Sequence[str]) -> str:
    """Clauses joined by semicolons as the interface language writes them ("a; b", French "a ; b")."""
    joined = ""
    for part in parts:
        joined = _("{first}; {second}").format(first=joined, second=part) if joined else part
    return joined


def current_language() -> str:
    """The installed interface language code, e.g. "de"; "en" until install_language is called."""
    return _Installed.language


def system_language(environ: dict[str, str] | None = None) -> str:
    """The language the system asks for, read as gettext does (LANGUAGE, LC_ALL, LC_MESSAGES, LANG); "en" for
    "C"/"POSIX" or nothing set."""
    env = os.environ if environ is None else environ
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for value in env.get(variable, "").split(":"):
            code = language_code(value)
            if code and code not in ("c", "posix"):
                return code
    return ENGLISH


def resolve_language(setting: str = "", environ: dict[str, str] | None = None) -> str:
    """The interface language: the `language` setting (or --lang) when given, else the system's."""
    return language_code(setting) or system_language(environ)


def catalogue_path(language: str) -> Path:
    """The source catalogue (.po) of a language in resources/locale."""
    from renewaltracker.assets import resource

    return Path(str(resource("locale", language, "LC_MESSAGES", DOMAIN + ".po")))


def _fresh(mo_file: Path, po_file: Path) -> bool:
    return mo_file.is_file() and mo_file.stat().st_mtime >= po_file.stat().st_mtime


def _mo_file(language: str) -> Path | None:
    """The compiled catalogue: the one the build made beside the .po, else one compiled now into the user's
    cache folder (a checkout, or a .po edited since the build). None when the language has no catalogue."""
    po_file = catalogue_path(language)
    if not po_file.is_file():
        return None
    shipped = po_file.with_suffix(".mo")
    if _fresh(shipped, po_file):
        return shipped
    from platformdirs import user_cache_path

    from renewaltracker.i18n_compile import compile_catalogue

    cached = user_cache_path("renewaltracker") / "locale" / language / "LC_MESSAGES" / (DOMAIN + ".mo")
    if not _fresh(cached, po_file):
        try:
            compile_catalogue(po_file, cached)
        except (OSError, ValueError) as error:
            import logging

            log = logging.getLogger(__name__)
            log.warning("cannot compile the %s translation (%s); the interface stays in English", language, error)
            return None
    return cached


def install_language(language: str) -> str:
    """Use `language` ("de", "fr_FR", "" for the system's) for every marked message; returns the code installed.
    A language without a catalogue shows the English source text."""
    code = resolve_language(language)
    mo_file = _mo_file(code) if code != ENGLISH else None
    translations: gettext.NullTranslations = gettext.NullTranslations()
    if mo_file is not None:
        with mo_file.open("rb") as data:
            translations = gettext.GNUTranslations(data)
    _Installed.translations = translations
    _Installed.language = code if code in INTERFACE_LANGUAGES else ENGLISH
    return current_language()


# -- the translator's tools ----------------------------------------------------------------------------------
def _pybabel(*arguments: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "-q", *arguments])  # type: ignore[no-untyped-call]


def main(argv: Sequence[str] | None = None) -> int:
    """`extract` the marked messages into the template (.pot), `update` every .po from it, `compile` the .mo."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    os.chdir(_ROOT)  # the catalogues name source files relative to the checkout, the same on every machine
    locale_dir = Path("resources") / "locale"
    template = locale_dir / (DOMAIN + ".pot")
    if arguments == ["extract"]:
        locale_dir.mkdir(parents=True, exist_ok=True)
        _pybabel(
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_",
            "-k",
            "N_",
            "-k",
            "ngettext:1,2",
            "--sort-by-file",
            "--width=120",  # the width the catalogues are kept at: a re-run then changes only what changed
            "--project",
            "Renewal Tracker",
            "-o",
            str(template),
            "renewaltracker",
        )
    elif arguments == ["update"]:
        _pybabel(
            "update", "-i", str(template), "-d", str(locale_dir), "-D", DOMAIN, "--no-fuzzy-matching", "--width=120"
        )
    elif arguments == ["compile"]:
        from renewaltracker.i18n_compile import compile_all

        for mo_file in compile_all(locale_dir):
            print(mo_file)
    elif len(arguments) == 2 and arguments[0] == "init":
        _pybabel("init", "-i", str(template), "-d", str(locale_dir), "-D", DOMAIN, "-l", arguments[1])
    else:
        print("usage: python -m renewaltracker.i18n extract | update | compile | init LANG", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
