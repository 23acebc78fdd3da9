"""Entry point: with no sub-command it opens the desktop window, otherwise it is the CLI."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from renewaltracker.options import window_arguments

if TYPE_CHECKING:
    from renewaltracker.cli.parsing import Parser


def _decide(argv: Sequence[str]) -> tuple[str, Parser | None]:
    """ "gui", "command", or "words" for --help, --version and usage errors (which need no log file), with the
    parser that decided, to run the command with (None when the window's options alone decided)."""
    if window_arguments(argv) is not None:
        return "gui", None  # the window's options alone: the commands' parsers (and modules) are not needed
    from renewaltracker.cli import build_parser, install_cli_language
    from renewaltracker.cli.errors import UsageError

    install_cli_language(argv)  # before the parser is built: its help texts are translated as they are added
    # Built once for both parses (a tenth of a command's start-up): parsing leaves a parser as it was.
    parser = build_parser()
    try:
        # A trial parse: --help and --version are printed once, by the real parse that follows.
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            args = parser.parse_args(list(argv))
    except (UsageError, SystemExit):
        return "words", parser
    return ("gui" if getattr(args, "command", None) is None else "command"), parser


def _start_logging() -> None:
    from renewaltracker.logs import setup_logging

    setup_logging()


def _speak(argv: Sequence[str]) -> None:
    """Install the language a command would speak (--lang, the database's setting, the system's) for the one line
    said instead of opening the window; a start that opens it reads its language in ui/app.py alone."""
    from renewaltracker.cli import install_cli_language

    install_cli_language(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    kind, parser = _decide(arguments)
    if kind == "gui":
        gc.disable()  # through the window's imports too; `ui.app.main` enables it again once start-up is over
    if kind == "command":  # logging (and the storage paths under it) loads only when something will run
        _start_logging()
    if kind == "gui":
        from renewaltracker.ui.display import refusal  # plain Python: asked before Qt, which would abort

        problem = refusal(os.environ, sys.platform, lambda: _speak(arguments))
        if problem is not None:
            sys.stderr.write(problem + "\n")
            return 2
        from renewaltracker.ui.pyside_fixes import defer_feature_check

        defer_feature_check()  # loads PySide6, whose import hook would read the source of every module after it
        from renewaltracker.ui.app import main as gui_main  # Qt is imported only on this path

        return gui_main(arguments, _start_logging)  # the log file once the window's rows are on screen
    from renewaltracker.cli import run

    return run(arguments, parser=parser)


if __name__ == "__main__":
    sys.exit(main())
