"""Argument types and an ArgumentParser that reports instead of exiting, so errors stay one line."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import NoReturn

from renewaltracker.cli.errors import UsageError
from renewaltracker.domain.errors import ValidationError


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def parse_date(text: str, field: str) -> date:
    """An ISO 8601 date; names the field and the problem when it is not one (e.g. 31 February)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(field, f"{text!r} is not a valid date (write YYYY-MM-DD)") from None


def parse_datetime(text: str, field: str) -> datetime:
    """An ISO 8601 date-time; a missing zone means the local zone."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(field, f"{text!r} is not a valid date and time (write YYYY-MM-DDTHH:MM)") from None
    return moment if moment.tzinfo is not None else moment.astimezone()


def parse_count(text: str, field: str, minimum: int = 1) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValidationError(field, f"{text!r} is not a whole number") from None
    if value < minimum:
        raise ValidationError(field, f"must be at least {minimum}")
    return value


def parse_id(text: str) -> int:
    return parse_count(text, "id")
