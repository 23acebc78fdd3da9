"""The window's parse of the global options agrees with the CLI's full parser on every command line it accepts."""

from __future__ import annotations

import contextlib
import io
from argparse import Namespace

from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.__main__ import _decide
from renewaltracker.cli import build_parser
from renewaltracker.cli.errors import UsageError
from renewaltracker.options import WindowOptions, leading_options, window_arguments

TOKENS = st.sampled_from(
    [
        "--db", "--db=x.sqlite3", "--d", "--de", "--demo", "--dem", "--lang", "--lang=de", "--l", "--la", "de",
        "x.sqlite3", "list", "add", "--help", "-h", "--h", "--version", "--v", "--", "-", "--json", "-x", "=", "",
        "--db=", "--lang=", "fr",
    ]
)  # fmt: skip


def full_parse(argv: list[str]) -> Namespace | None:
    """The CLI parser's reading of `argv`; None when it refuses it or prints help or the version."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return build_parser().parse_args(argv)
    except (UsageError, SystemExit):
        return None


@given(st.lists(TOKENS, max_size=5))
def test_the_window_reads_a_command_line_exactly_when_the_full_parser_finds_no_command(argv: list[str]) -> None:
    quick = window_arguments(argv)
    full = full_parse(argv)
    if full is None or full.command is not None:
        assert quick is None
    else:
        assert quick is not None
        assert (quick.db, quick.demo, quick.lang, quick.command) == (full.db, full.demo, full.lang, None)
    # The entry point's decision is the full parser's, whichever parse made it.
    expected = "words" if full is None else "gui" if full.command is None else "command"
    assert _decide(argv)[0] == expected


def test_the_window_options_alone_do_not_build_the_commands() -> None:
    assert window_arguments(["--db", "a.sqlite3", "--lang", "fr", "--demo"]) == WindowOptions(
        db="a.sqlite3", demo=True, lang="fr"
    )
    assert window_arguments(["--db=a.sqlite3", "--la", "fr"]) == WindowOptions(db="a.sqlite3", lang="fr")  # argparse
    assert window_arguments(["list"]) is None
    assert window_arguments(["--help"]) is None
    assert window_arguments(["--version"]) is None


LEADING_TOKENS = st.sampled_from(
    [
        "--db", "--db=x.sqlite3", "--d", "--de", "--demo", "--lang", "--lang=de", "--la", "de", "fr", "x.sqlite3",
        "list", "draft", "1", "cancellation", "--help", "-h", "--version", "--ver", "--", "-", "--json", "=", "",
    ]
)  # fmt: skip


@given(st.lists(LEADING_TOKENS, max_size=6))
def test_the_language_is_read_from_the_options_the_full_parser_reads(argv: list[str]) -> None:
    """The options read to pick the language before the parser is built are the ones that parser then reads:
    `draft 1 cancellation --lang de` is the letter's language, not the interface's."""
    full = full_parse(argv)
    if full is None:
        return
    leading = leading_options(argv)
    assert leading is not None
    assert (leading.db, leading.demo, leading.lang) == (full.db, full.demo, full.lang)


def test_the_leading_options_see_version_and_stop_at_the_command() -> None:
    assert leading_options(["--ver"]).version  # type: ignore[union-attr]
    read = leading_options(["--db", "a.sqlite3", "draft", "1", "cancellation", "--lang", "de"])
    assert read is not None
    assert (read.db, read.lang, read.version, read.command) == (
        "a.sqlite3",
        None,
        False,
        ["draft", "1", "cancellation", "--lang", "de"],
    )
    assert leading_options(["--lang"]) is None


def argparse_reading(argv: list[str]) -> WindowOptions | None:
    """`window_arguments` without its reading of spelled-out options: argparse alone."""
    from renewaltracker.options import _Declined, _window_parser, add_global_options

    parser = _window_parser()
    add_global_options(parser)
    try:
        args = parser.parse_args(argv)
    except _Declined:
        return None
    return WindowOptions(args.db, args.demo, args.lang)


@given(st.lists(st.one_of(TOKENS, st.text(max_size=6)), max_size=6))
def test_options_spelled_out_are_read_as_argparse_reads_them(argv: list[str]) -> None:
    assert window_arguments(argv) == argparse_reading(argv)


def test_a_usual_window_command_line_is_read_without_argparse() -> None:
    from renewaltracker.options import _spelled_out

    for argv in ([], ["--db", "a.sqlite3"], ["--demo", "--lang", "de"], ["--lang", "fr", "--db", "x", "--demo"]):
        assert _spelled_out(argv) == argparse_reading(argv) is not None
