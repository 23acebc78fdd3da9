"""The one list of a subscription's fields, read from the dataclass, for every mapping that copies them."""

from __future__ import annotations

import typing
from dataclasses import fields
from typing import Any

from renewaltracker.domain.subscription import Subscription

# Every field a subscription is built from, in declaration order; the derived `schedule` is not one.
DATA_FIELDS: tuple[str, ...] = tuple(spec.name for spec in fields(Subscription) if spec.init)
# The declared types ("date | None"), resolved once, so a mapping can pick a converter by type.
FIELD_TYPES: dict[str, Any] = {
    name: hint for name, hint in typing.get_type_hints(Subscription).items() if name in DATA_FIELDS
}


def fields_except(*handled: str) -> tuple[str, ...]:
    """The fields left for a generic copy once a mapping has converted `handled` itself; unknown names are bugs."""
    unknown = set(handled) - set(DATA_FIELDS)
    if unknown:
        raise ValueError(f"not fields of Subscription: {sorted(unknown)}")
    return tuple(name for name in DATA_FIELDS if name not in handled)
