"""The one list of a subscription's fields, read from the dataclass, for every mapping that copies them."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import TYPE_CHECKING, Any

from renewaltracker.domain.subscription import Subscription

# Every field a subscription is built from, in declaration order; the derived `schedule` is not one.
DATA_FIELDS: tuple[str, ...] = tuple(spec.name for spec in fields(Subscription) if spec.init)
# Each field's declared type as written, without "| None" ("date", "Decimal", "tuple[Pause, ...]"): what a row
# mapping picks its converter by, read without resolving the annotations (the window's first rows need only this).
DECLARED: dict[str, str] = {
    spec.name: str(spec.type).removesuffix(" | None") for spec in fields(Subscription) if spec.init
}

if TYPE_CHECKING:
    # The declared types ("date | None") resolved, so a mapping can pick a converter by type.
    FIELD_TYPES: dict[str, Any]
else:

    def __getattr__(name: str) -> Any:
        # FIELD_TYPES is resolved on first use: `typing.get_type_hints` costs more than the rest of this module.
        if name != "FIELD_TYPES":
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import typing

        global FIELD_TYPES
        FIELD_TYPES = {name: hint for name, hint in typing.get_type_hints(Subscription).items() if name in DATA_FIELDS}
        return FIELD_TYPES


# Every field that planning reminders reads (events, lead times, refund windows, price steps): a reader may hand a
# plan subscriptions holding only these, the others at their defaults (storage/quick_read.py `planned`).
# tests/domain/test_planned_fields.py fails when planning starts to read another one.
PLANNED_FIELDS = frozenset(
    {
        "id",
        "name",
        "amount",
        "currency",
        "interval",
        "anchor",
        "trial_end",
        "end_date",
        "end_count",
        "cancelled_on",
        "pauses",
        "keep_clipped_day",
        "notice_days",
        "refund_days",
        "reminder_days",
        "status",
    }
)


def defaults_except(*present: str) -> dict[str, Any]:
    """The constructor's default of every field but `present` (fields without a default are never left out)."""
    found: dict[str, Any] = {}
    for spec in fields(Subscription):
        if spec.init and spec.name not in present:
            if spec.default_factory is not MISSING:
                found[spec.name] = spec.default_factory()
            elif spec.default is not MISSING:
                found[spec.name] = spec.default
            else:
                raise ValueError(f"{spec.name} has no default: it cannot be left out")
    return found


def fields_except(*handled: str) -> tuple[str, ...]:
    """The fields left for a generic copy once a mapping has converted `handled` itself; unknown names are bugs."""
    unknown = set(handled) - set(DATA_FIELDS)
    if unknown:
        raise ValueError(f"not fields of Subscription: {sorted(unknown)}")
    return tuple(name for name in DATA_FIELDS if name not in handled)
