"""Errors raised by the domain layer, and the way their messages write a date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache


class ValidationError(ValueError):
    """A value the user gave is not acceptable; names the field and the problem."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class NotFoundError(LookupError):
    """The record the user named does not exist."""


class DuplicateChargeError(ValidationError):
    """The same charge (date and amount) is already recorded; the user may insist."""

    def __init__(self, existing_id: int | None, day: date, amount: Decimal, currency: str) -> None:
        from renewaltracker.i18n import _  # here, not at the top: i18n imports the domain, which imports this

        super().__init__(
            "charge",
            _("a charge of {amount} on {day} is already recorded (charge {existing_id})").format(
                amount=message_money(amount, currency), day=message_day(day), existing_id=existing_id
            ),
        )
        self.existing_id = existing_id


def message_day(day: date) -> str:
    """A date inside a message, as the interface language writes it in a sentence ("1 December 2026",
    "1. Dezember 2026", "1er décembre 2026"): the window and the command line show the same words."""
    from renewaltracker.i18n import current_language  # here: i18n imports the domain, which imports this

    return _day_text(day, current_language())


def message_money(amount: Decimal, currency: str) -> str:
    """An amount inside a message, as the interface language writes it ("$39.99", "39,99 $"), not "39.99 USD"."""
    from renewaltracker.domain.letter_phrases import format_money  # Babel: only once a message names an amount
    from renewaltracker.i18n import current_language

    return format_money(amount, currency, current_language())


def check_span(start: date, end: date) -> None:
    """Refuse a span that ends before it starts, naming both days (the `until` option or field)."""
    if end < start:
        from renewaltracker.i18n import _

        raise ValidationError(
            "until", _("{end} is before {start}").format(end=message_day(end), start=message_day(start))
        )


# A batch of thousands of reminders repeats a few hundred days, and Babel takes ~0.1 ms for each. Babel is imported
# only when a message names a date: the rows' first paint loads this module and must not load Babel.
@lru_cache(maxsize=4096)
def _day_text(day: date, language: str) -> str:
    from renewaltracker.domain.letter_phrases import format_day

    return format_day(day, language)
