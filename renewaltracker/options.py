"""The options that come before any command (`--db`, `--demo`, `--lang`), and a parse of them alone for the window.

A start without a command parses these few options only: building the parser of every command (and importing
their modules) cost the window's start-up about 45 ms of CPU, twice.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import NoReturn

from renewaltracker.i18n import INTERFACE_LANGUAGES, _


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


class _WindowParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Declined(message)


def leading_options(argv: Sequence[str]) -> argparse.Namespace | None:
    """The global options before the command (and whether --version is among them), read as the full parser would
    read them, to choose the interface language before that parser is built; None when they are not readable."""
    parser = _WindowParser(prog="renewaltracker", add_help=False)
    add_global_options(parser)
    parser.add_argument("--version", action="store_true")  # abbreviated as the full parser abbreviates it
    parser.add_argument("--help", "-h", action="store_true")
    parser.add_argument("command", nargs=argparse.REMAINDER)  # everything from the command on is not ours
    try:
        return parser.parse_known_args(list(argv))[0]
    except _Declined:
        return None


def window_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """`argv` read as the CLI's parser reads a command line without a command (`command` is None); None when it
    is anything else (a command, --help, --version, a mistake): only the full parser may say what that means."""
    # No --help or --version here, so those (and their abbreviations) are refused and left to the full parser.
    parser = _WindowParser(prog="renewaltracker", add_help=False)
    add_global_options(parser)
    try:
        args = parser.parse_args(list(argv))
    except _Declined:
        return None
    args.command = None
    return args
