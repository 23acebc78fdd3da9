"""The row mapping picks each column's converter from the field's type as written (no annotation is resolved on
the way to the window's first rows): the same converters as the resolved types give, for every field."""

from __future__ import annotations

import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from renewaltracker.domain import subscription_fields
from renewaltracker.domain.subscription_fields import DATA_FIELDS
from renewaltracker.storage import subscription_rows as rows


def _resolved(hint: Any) -> Any:
    """`date | None` → date; anything else as it is."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        (kept,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return kept
    return hint


def test_every_field_gets_the_converters_its_resolved_type_gives() -> None:
    field_types = subscription_fields.FIELD_TYPES
    assert set(field_types) == set(DATA_FIELDS)
    decoders: dict[Any, Any] = {date: date.fromisoformat, Decimal: rows.decode_decimal}
    decoders |= {datetime: rows.decode_utc, bool: rows.decode_bool}
    encoders: dict[Any, Any] = {date: rows.encode_date, Decimal: rows.encode_decimal}
    encoders |= {datetime: rows.encode_utc, bool: rows.encode_bool}
    resolved = {name: _resolved(hint) for name, hint in field_types.items()}
    expected_decoders = {name: decoders[kind] for name, kind in resolved.items() if kind in decoders}
    expected_encoders = {name: encoders[kind] for name, kind in resolved.items() if kind in encoders}
    found = (rows.RAW_DECODERS, rows.RAW_ENCODERS)
    assert found == (expected_decoders, expected_encoders)
    # Every kind of column is there (a spelling the mapping misses would drop a whole kind).
    assert {resolved[name] for name in rows.RAW_DECODERS} == set(decoders)
