"""Billing intervals: "every N days|weeks|months|years"."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.patterns import compiled
from renewaltracker.i18n import N_, _


class Unit(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


_ALIASES = {
    "daily": (1, Unit.DAY),
    "weekly": (1, Unit.WEEK),
    "biweekly": (2, Unit.WEEK),
    "fortnightly": (2, Unit.WEEK),
    "monthly": (1, Unit.MONTH),
    "quarterly": (3, Unit.MONTH),
    "yearly": (1, Unit.YEAR),
    "annually": (1, Unit.YEAR),
    "annual": (1, Unit.YEAR),
}
# ASCII digits, at most 9 of them: int() of thousands of digits raises instead of saying "not a billing cycle".
_PATTERN = r"^(?:every\s+)?(?:([0-9]{1,9})\s*)?(day|week|month|year|d|w|m|y)s?$"
_SHORT = {"d": Unit.DAY, "w": Unit.WEEK, "m": Unit.MONTH, "y": Unit.YEAR}
# The units in the plural, for error messages (translated when raised).
_UNITS = {Unit.DAY: N_("days"), Unit.WEEK: N_("weeks"), Unit.MONTH: N_("months"), Unit.YEAR: N_("years")}


@dataclass(frozen=True, slots=True)
class Interval:
    """A billing cycle of `count` units; count is at least 1."""

    count: int
    unit: Unit
    # Derived once: the schedule engine reads them for every date it computes.
    months: int = field(init=False, compare=False, repr=False)
    """Length in months for month/year intervals, 0 otherwise."""
    days: int = field(init=False, compare=False, repr=False)
    """Length in days for day/week intervals, 0 otherwise."""

    def __post_init__(self) -> None:
        if not isinstance(self.count, int) or self.count < 1:
            raise ValidationError(
                "every", _("the number of {units} must be at least 1").format(units=_(_UNITS[self.unit]))
            )
        if self.count > 1000:
            raise ValidationError(
                "every",
                _("{count} {units} is not a billing cycle").format(count=self.count, units=_(_UNITS[self.unit])),
            )
        months = {Unit.MONTH: self.count, Unit.YEAR: 12 * self.count}.get(self.unit, 0)
        days = {Unit.DAY: self.count, Unit.WEEK: 7 * self.count}.get(self.unit, 0)
        object.__setattr__(self, "months", months)
        object.__setattr__(self, "days", days)

    def __str__(self) -> str:
        unit = self.unit.value
        return f"{self.count} {unit}" if self.count == 1 else f"{self.count} {unit}s"

    def describe(self) -> str:
        """Human wording such as "monthly" or "every 3 months"."""
        if self.count == 1:
            return {"day": "daily", "week": "weekly", "month": "monthly", "year": "yearly"}[self.unit.value]
        return f"every {self}"


def parse_interval(text: str, field: str = "every") -> Interval:
    """Parse "1 month", "every 2 weeks", "3m", "yearly" and the like."""
    cleaned = " ".join((text or "").strip().lower().split())
    if cleaned in _ALIASES:
        count, unit = _ALIASES[cleaned]
        return Interval(count, unit)
    match = compiled(_PATTERN).match(cleaned)
    if not match:
        shown = text if len(text) <= 40 else text[:30] + "…"  # the error stays one readable line
        raise ValidationError(
            field, _("{shown!r} is not a billing cycle; write e.g. '1 month', '2 weeks', '1 year'").format(shown=shown)
        )
    count = int(match.group(1)) if match.group(1) else 1
    word = match.group(2)
    unit = _SHORT[word] if word in _SHORT else Unit(word)
    if count < 1:
        raise ValidationError(field, _("the number of {units} must be at least 1").format(units=_(_UNITS[unit])))
    return Interval(count, unit)
