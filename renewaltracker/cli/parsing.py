"""Argument types and an ArgumentParser that reports instead of exiting, so errors stay one line."""

from __future__ import annotations

import argparse
import difflib
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from renewaltracker.cli.errors import UsageError
from renewaltracker.domain.errors import ValidationError
from renewaltracker.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from decimal import Decimal

# SQLite integers are signed 64-bit: a larger id names nothing and must not reach the database.
MAX_ID = 2**63 - 1
# ASCII digits only: int() also takes "1_000", "٣" and thousands of digits (which it refuses with a ValueError
# about sys.set_int_max_str_digits); 20 digits is more than any count or id can have.
_WHOLE_NUMBER = re.compile(r"\s*([+-]?)0*([0-9]{1,20})\s*", re.ASCII)


def _shown(text: str) -> str:
    """The start of a long value, so an error about thousands of characters stays one readable line."""
    return text if len(text) <= 40 else text[:30] + "…"


class HelpFormatter(argparse.HelpFormatter):
    """argparse's layout with "usage: " in the interface language (argparse's own gettext domain has no
    translations)."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose own words (usage, section titles, -h, its errors) are in the interface language;
    build it after the language is installed."""

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        if add_help:  # argparse's -h, with its text from our catalogue
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help=_("show this help message and exit")
            )

    def error(self, message: str) -> NoReturn:
        raise UsageError(argparse_message(message))


_INVALID_CHOICE = re.compile(r"invalid choice: '([^']*)' \(choose from (.*)\)", re.DOTALL)
_ARGUMENT = re.compile(r"argument (.+?): (.*)", re.DOTALL)
_EXPECTED = re.compile(r"expected ([0-9]+) arguments?")
# argparse's error messages (Python 3.11 and later), as patterns with named groups → the same message in our
# catalogue. A message not listed stays English.
_ARGPARSE_MESSAGES = tuple(
    (re.compile(pattern, re.DOTALL), message)
    for pattern, message in (
        (
            r"the following arguments are required: (?P<arguments>.*)",
            N_("the following arguments are required: {arguments}"),
        ),
        (r"unrecognized arguments: (?P<arguments>.*)", N_("unrecognized arguments: {arguments}")),
        (
            r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)",
            N_("invalid choice: {value} (choose from {choices})"),
        ),
        (r"expected one argument", N_("expected one argument")),
        (r"expected at most one argument", N_("expected at most one argument")),
        (r"expected at least one argument", N_("expected at least one argument")),
        (r"not allowed with argument (?P<other>.*)", N_("not allowed with argument {other}")),
        (r"ignored explicit argument (?P<value>.*)", N_("ignored explicit argument {value}")),
        (r"one of the arguments (?P<arguments>.*) is required", N_("one of the arguments {arguments} is required")),
        (
            r"ambiguous option: (?P<option>.*?) could match (?P<matches>.*)",
            N_("ambiguous option: {option} could match {matches}"),
        ),
        (r"invalid (?P<type>[A-Za-z_]\w*) value: (?P<value>.*)", N_("invalid {type} value: {value}")),
    )
)


def argparse_message(message: str) -> str:
    """An error argparse reports, in the interface language, with the closest command named for an invalid
    choice ("did you mean 'list'?"); our own messages inside it (from an argument's type) are translated already."""
    argument = _ARGUMENT.fullmatch(message)
    if argument is not None:
        return _("argument {name}: {message}").format(name=argument[1], message=argparse_message(argument[2]))
    translated = message
    expected = _EXPECTED.fullmatch(message)
    if expected is not None:
        count = int(expected[1])
        translated = ngettext("expected {count} argument", "expected {count} arguments", count).format(count=count)
    for pattern, template in _ARGPARSE_MESSAGES:
        found = pattern.fullmatch(message)
        if found is not None:
            translated = _(template).format(**found.groupdict())
            break
    return _with_suggestion(message, translated)


def _with_suggestion(message: str, translated: str) -> str:
    """`translated` (argparse's `message` in the interface language), and for an "invalid choice" the closest
    command named."""
    found = _INVALID_CHOICE.fullmatch(message)
    if found is None:
        return translated
    choices = re.findall(r"'([^']*)'", found[2])
    close = difflib.get_close_matches(found[1], choices, n=1, cutoff=0.6)
    return _("{message}; did you mean '{choice}'?").format(message=translated, choice=close[0]) if close else translated


def parse_date(text: str, field: str) -> date:
    """An ISO 8601 date; names the field and the problem when it is not one (e.g. 31 February)."""
    from renewaltracker.domain.schedule import check_date  # imported by the commands that use it, not by --help

    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(field, _("{text!r} is not a valid date (write YYYY-MM-DD)").format(text=text)) from None
    check_date(day, field)
    return day


def parse_datetime(text: str, field: str) -> datetime:
    """An ISO 8601 date-time; a missing zone means the local zone."""
    from renewaltracker.domain.schedule import check_date

    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            field, _("{text!r} is not a valid date and time (write YYYY-MM-DDTHH:MM)").format(text=text)
        ) from None
    check_date(moment.date(), field)
    return moment if moment.tzinfo is not None else moment.astimezone()


def parse_count(text: str, field: str, minimum: int = 1, maximum: int | None = None) -> int:
    """A whole number of at most 20 digits from `minimum` (to `maximum`); anything else names the field and rule."""
    match = _WHOLE_NUMBER.fullmatch(text)
    if match is None:
        if re.fullmatch(r"\s*-[0-9]+\s*", text, re.ASCII):  # only too long: say the bound, not "not a number"
            raise ValidationError(field, _("must be at least {minimum}").format(minimum=minimum))
        if re.fullmatch(r"\s*\+?[0-9]+\s*", text, re.ASCII):
            raise ValidationError(
                field,
                _("must be at most {maximum}").format(maximum=maximum) if maximum is not None else _("is too large"),
            )
        raise ValidationError(field, _("{text!r} is not a whole number").format(text=_shown(text)))
    value = int(match.group(1) + match.group(2))
    if value < minimum:
        raise ValidationError(field, _("must be at least {minimum}").format(minimum=minimum))
    if maximum is not None and value > maximum:
        raise ValidationError(field, _("must be at most {maximum}").format(maximum=maximum))
    return value


def parse_id(text: str) -> int:
    """An argparse type: a record id, from 1 up to the largest SQLite integer."""
    try:
        return parse_count(text, "id", 1, MAX_ID)
    except ValidationError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not an id (a whole number from 1)").format(text=_shown(text))
        ) from None


def parse_ids(text: str) -> tuple[int, ...]:
    """An argparse type: ids separated by commas ("1,2"); blanks between commas are ignored."""
    return tuple(parse_id(part.strip()) for part in text.split(",") if part.strip())


def parse_money(text: str, field: str, err: TextIO, currency: str | None = None) -> tuple[Decimal, str | None]:
    """An amount as people write it ("9,99", "1.299,00 €"); a guessed reading is shown on stderr in one line."""
    from renewaltracker.domain.amounts import read_amount

    read = read_amount(text, field, currency=currency)
    if read.ambiguous:
        print(f"{field}: {read.note()}", file=err)
    return read.value, read.currency


def parse_column_map(text: str | None, roles: tuple[str, ...]) -> dict[str, str]:
    """`--map date=Buchungstag,amount=3` → {"date": "Buchungstag", "amount": "3"}: columns by header or 1-based
    number, for the statement and the tracker imports alike."""
    columns: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        role, sep, column = part.partition("=")
        role = role.strip().lower()
        if not sep or not column.strip() or role not in roles:
            raise UsageError(
                _("argument --map: {part!r} is not ROLE=COLUMN (roles: {roles})").format(
                    part=part, roles=", ".join(roles)
                )
            )
        columns[role] = column.strip()
    return columns
