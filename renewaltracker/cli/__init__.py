"""The command line: `renewaltracker [--db PATH] COMMAND …`. Never imports Qt."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, TextIO

from renewaltracker import __version__
from renewaltracker.cli import (
    calendar,
    charges,
    drafts,
    household,
    maintenance,
    reminders,
    requests,
    statements,
    subscriptions,
    trackers,
)
from renewaltracker.cli.errors import UsageError
from renewaltracker.cli.output import terminal_safe
from renewaltracker.cli.parsing import Parser
from renewaltracker.domain.errors import NotFoundError, ValidationError
from renewaltracker.i18n import _, install_language
from renewaltracker.options import add_global_options

if TYPE_CHECKING:  # building the parser imports no more than argparse: --help and --version stay instant
    from renewaltracker.cli.context import Context
    from renewaltracker.domain.clock import Clock

PROG = "renewaltracker"

# Each module adds its sub-commands; later features append theirs here.
COMMAND_MODULES: list[ModuleType] = [
    subscriptions,
    charges,
    maintenance,
    reminders,
    drafts,
    calendar,
    requests,
    statements,
    trackers,
    household,
]

Handler = Callable[[argparse.Namespace, "Context"], int]


def build_parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description=_("Track automatic renewals: charges, trials, deadlines and refunds."),
        epilog=_(
            "Without a COMMAND it opens the desktop window. 'renewaltracker COMMAND --help' describes one command."
        ),
    )
    add_global_options(parser)
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help=_("show program's version number and exit"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def error_line(message: str) -> str:
    """ "renewaltracker: error: …" with its label in the interface language (the message is translated apart)."""
    # One sentence, so French can put its no-break space before the second colon.
    return _("{prog}: error: {message}").format(prog=PROG, message=message) + "\n"


def install_cli_language(argv: Sequence[str]) -> str:
    """Install the language a command line speaks, before its parser is built (the parser's help is translated
    as it is built): --lang, else the database's `language` setting read with sqlite3 alone, else the system's.
    `--version` reads no database. Returns the code installed."""
    from renewaltracker.domain.languages import language_code
    from renewaltracker.i18n import INTERFACE_LANGUAGES
    from renewaltracker.options import leading_options

    args = leading_options(argv)
    if args is None or args.version:
        return install_language("")
    if args.lang is not None and language_code(args.lang) in INTERFACE_LANGUAGES:
        return install_language(args.lang)
    # Any other --lang is refused by the full parse, in the language of the setting or the system.
    from renewaltracker.storage.paths import quick_db_path
    from renewaltracker.storage.peek import peek_setting

    return install_language(peek_setting(quick_db_path(args.db, args.demo), "language"))


def run(
    argv: Sequence[str],
    *,
    clock: Clock | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    parser: Parser | None = None,
) -> int:
    """Run one CLI command; errors become one line on `err` and exit status 2. `parser`: one already built, after
    install_cli_language(argv)."""
    out = out or sys.stdout
    err = err or sys.stderr
    if parser is None:
        install_cli_language(argv)
        parser = build_parser()
    try:
        args = parser.parse_args(list(argv))
        refuse_undecodable_text(args)
        if args.lang is not None:
            from renewaltracker.domain.settings import parse_setting

            install_language(parse_setting("language", args.lang))
    except (UsageError, ValidationError) as error:
        err.write(error_line(terminal_safe(str(error))))  # argparse quotes what was typed, line breaks included
        return 2
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        err.write(error_line(_("a command is required (see '{PROG} --help')").format(PROG=PROG)))
        return 2
    from renewaltracker.cli.context import Context
    from renewaltracker.domain.clock import SystemClock
    from renewaltracker.storage.errors import StorageError
    from renewaltracker.storage.paths import resolve_db_path

    if args.demo:
        from renewaltracker.storage.paths import demo_db_path

        db_path = demo_db_path()
    else:
        db_path = resolve_db_path(args.db)
    ctx = Context(db_path=db_path, clock=clock or SystemClock(), out=out, err=err)
    try:
        if args.demo:
            fill_demo_once(ctx)
        return handler(args, ctx)
    except (ValidationError, NotFoundError, StorageError, UsageError) as error:
        message = error.args[0] if isinstance(error, NotFoundError) and error.args else str(error)
        err.write(error_line(terminal_safe(message)))  # one line, and no escape reaches the terminal
        return 2
    except KeyboardInterrupt:
        err.write(_("{PROG}: interrupted").format(PROG=PROG) + "\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # the user gets one line; the traceback goes to the log
        import logging

        logging.getLogger(__name__).exception("unexpected error in %s", args.command)
        first_line = next(iter(str(error).splitlines()), "")
        err.write(
            _("{PROG}: internal error: {kind}: {first_line} (details in the log)").format(
                PROG=PROG, kind=type(error).__name__, first_line=first_line
            )
            + "\n"
        )
        return 1
    finally:
        ctx.close()


# File names may be any bytes the system allows; every other argument is text that is stored or shown.
PATH_ARGUMENTS = frozenset({"db", "out", "file", "path", "backup", "data_home"})


def refuse_undecodable_text(args: argparse.Namespace) -> None:
    """Non-UTF-8 bytes in an argument arrive as lone surrogates (surrogateescape); they are a usage error, as is
    a NUL in a file name (no system allows one: Python refuses it as an "embedded null byte")."""
    for name, value in vars(args).items():
        values = value if isinstance(value, list | tuple) else [value]
        if name in PATH_ARGUMENTS and any(isinstance(v, str) and "\x00" in v for v in values):
            raise UsageError(
                _("argument {name}: a file name cannot contain a NUL character").format(name=name.replace("_", "-"))
            )
        if name in PATH_ARGUMENTS or not any(isinstance(v, str) for v in values):
            continue
        for text in (v for v in values if isinstance(v, str)):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:  # repr() shows the stray bytes escaped, on one line
                raise UsageError(
                    _("argument {name}: {text!r} is not valid UTF-8 text").format(
                        name=name.replace("_", "-"), text=text
                    )
                ) from None


def fill_demo_once(ctx: Context) -> None:
    """The demo database gets its examples on first use, from the command line as from the window."""
    from renewaltracker.services.demo import fill_demo

    if not ctx.service.all():
        fill_demo(ctx.service)


def main(argv: Sequence[str] | None = None) -> int:
    return run(sys.argv[1:] if argv is None else argv)
