"""The options that come before any command (`--db`, `--demo`, `--lang`), and a parse of them alone for the window.

A start without a command parses these few options only: building the parser of every command (and importing
their modules) cost the window's start-up about 45 ms of CPU, twice.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import NoReturn

from renewaltracker.i18n import INTERFACE_LANGUAGES


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """`--db`, `--demo` and `--lang`: the options the CLI's parser and the window's share."""
    parser.add_argument("--db", metavar="PATH", help="database file (default: $RENEWALTRACKER_DB or the data dir)")
    parser.add_argument("--demo", action="store_true", help="use a separate demo database filled with examples")
    parser.add_argument(
        "--lang",
        metavar="LANG",
        help=f"interface language: {', '.join(INTERFACE_LANGUAGES)} (default: the language setting, else the system's)",
    )


class _Declined(Exception):
    """The arguments are not the global options alone: the full parser decides what they mean."""


class _WindowParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Declined(message)


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
