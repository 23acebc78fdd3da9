"""The options that come before any command (`--db`, `--demo`, `--lang`), and a parse of them alone for the window.

A start without a command parses these few options only: building the parser of every command (and importing
their modules) cost the window's start-up about 45 ms of CPU, twice. The usual window command lines (the options
spelled out, each value after its option) are read without argparse, whose import and look for its own
translations cost 2 ms more; anything else goes to argparse.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from renewaltracker.i18n import INTERFACE_LANGUAGES, _

if TYPE_CHECKING:
    import argparse


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """`--db`, `--demo` and `--lang`: the options the CLI's parser and the window's share."""
    parser.add_argument("--db", metavar="PATH", help=_("database file (default: $RENEWALTRACKER_DB or the data dir)"))
    parser.add_argument("--demo", action="store_true", help=_("use a separate demo database filled with examples"))
    parser.add_argument(
        "--lang",
        metavar="LANG",
        help=_("interface language: {languages} (default: the language setting, else the system's)").format(
            languages=", ".join(INTERFACE_LANGUAGES)
        ),
    )


class _Declined(Exception):
    """The arguments are not the global options alone: the full parser decides what they mean."""


def _window_parser() -> argparse.ArgumentParser:
    import argparse

    class _WindowParser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            raise _Declined(message)

    return _WindowParser(prog="renewaltracker", add_help=False)


class WindowOptions:
    """The global options as the window reads them: the attributes of the CLI parser's namespace it uses."""

    def __init__(self, db: str | None = None, demo: bool = False, lang: str | None = None) -> None:
        self.db, self.demo, self.lang = db, demo, lang
        self.command: str | None = None  # the window's command line has none

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WindowOptions):
            return NotImplemented
        return vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"WindowOptions(db={self.db!r}, demo={self.demo!r}, lang={self.lang!r})"


def _spelled_out(argv: Sequence[str]) -> WindowOptions | None:
    """`--demo`, `--db PATH` and `--lang LANG` in any order, read as argparse reads them; None for anything else
    (abbreviations, `--db=PATH`, values that start with "-" or are empty, other words), which argparse reads."""
    options = WindowOptions()
    at = 0
    while at < len(argv):
        word = argv[at]
        if word == "--demo":
            options.demo = True
            at += 1
            continue
        value = argv[at + 1] if at + 1 < len(argv) else ""
        if word not in ("--db", "--lang") or not value or value.startswith("-"):
            return None
        if word == "--db":
            options.db = value
        else:
            options.lang = value
        at += 2
    return options


def leading_options(argv: Sequence[str]) -> argparse.Namespace | None:
    """The global options before the command (and whether --version is among them), read as the full parser would
    read them, to choose the interface language before that parser is built; None when they are not readable."""
    import argparse

    parser = _window_parser()
    add_global_options(parser)
    parser.add_argument("--version", action="store_true")  # abbreviated as the full parser abbreviates it
    parser.add_argument("--help", "-h", action="store_true")
    parser.add_argument("command", nargs=argparse.REMAINDER)  # everything from the command on is not ours
    try:
        return parser.parse_known_args(list(argv))[0]
    except _Declined:
        return None


def window_arguments(argv: Sequence[str]) -> WindowOptions | None:
    """`argv` read as the CLI's parser reads a command line without a command (`command` is None); None when it
    is anything else (a command, --help, --version, a mistake): only the full parser may say what that means."""
    spelled_out = _spelled_out(argv)
    if spelled_out is not None:
        return spelled_out
    # No --help or --version here, so those (and their abbreviations) are refused and left to the full parser.
    parser = _window_parser()
    add_global_options(parser)
    try:
        args = parser.parse_args(list(argv))
    except _Declined:
        return None
    return WindowOptions(args.db, args.demo, args.lang)
