"""Argument types and an ArgumentParser that reports instead of exiting, so errors stay one line."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from decimal import Decimal
from typing import NoReturn, TextIO

from renewaltracker.cli.errors import UsageError
from renewaltracker.domain.amounts import read_amount
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.schedule import check_date

# SQLite integers are signed 64-bit: a larger id names nothing and must not reach the database.
MAX_ID = 2**63 - 1


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def parse_date(text: str, field: str) -> date:
    """An ISO 8601 date; names the field and the problem when it is not one (e.g. 31 February)."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(field, f"{text!r} is not a valid date (write YYYY-MM-DD)") from None
    check_date(day, field)
    return day


def parse_datetime(text: str, field: str) -> datetime:
    """An ISO 8601 date-time; a missing zone means the local zone."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(field, f"{text!r} is not a valid date and time (write YYYY-MM-DDTHH:MM)") from None
    check_date(moment.date(), field)
    return moment if moment.tzinfo is not None else moment.astimezone()


def parse_count(text: str, field: str, minimum: int = 1, maximum: int | None = None) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValidationError(field, f"{text!r} is not a whole number") from None
    if value < minimum:
        raise ValidationError(field, f"must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise ValidationError(field, f"must be at most {maximum}")
    return value


def parse_id(text: str) -> int:
    """An argparse type: a record id, from 1 up to the largest SQLite integer."""
    try:
        return parse_count(text, "id", 1, MAX_ID)
    except ValidationError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an id (a whole number from 1)") from None


def parse_money(text: str, field: str, err: TextIO, currency: str | None = None) -> tuple[Decimal, str | None]:
    """An amount as people write it ("9,99", "1.299,00 €"); a guessed reading is shown on stderr in one line."""
    read = read_amount(text, field, currency=currency)
    if read.ambiguous:
        print(f"{field}: {read.note()}", file=err)
    return read.value, read.currency
