"""The one mapping between stored subscription, pause and price rows and domain objects, both ways, for the ORM
and for the plain-sqlite3 paths alike (storage/quick_read.py, storage/quick_write.py). Imports no SQLAlchemy."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.prices import PriceStep
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import ChargeStatus, Status, Subscription
from renewaltracker.domain.subscription_fields import DECLARED, fields_except

if TYPE_CHECKING:  # defined when a charge is first read: the window's first rows read none
    from renewaltracker.domain.charges import Charge

# Converted below (split columns, enum text, a child table, a comma list, bookkeeping the repository sets);
# every other field is a column of the same name, copied as it is.
COPIED_FIELDS = fields_except(
    "id", "interval", "status", "pauses", "reminder_days", "tags", "created_at", "updated_at", "revision"
)


def decode_decimal(text: str) -> Decimal:
    """Money is stored as its exact text (storage/types.py DecimalText)."""
    return Decimal(text)


def decode_utc(text: str) -> datetime:
    """A moment is stored as ISO 8601 text in UTC (storage/types.py UTCDateTime)."""
    return datetime.fromisoformat(text).astimezone(UTC)


def decode_bool(value: int) -> bool:
    return bool(value)


def encode_decimal(value: Decimal) -> str:
    return str(value)


def encode_utc(value: datetime) -> str:
    """An aware moment as ISO 8601 text in UTC; a naive one is refused (its zone would be a guess)."""
    if value.tzinfo is None:
        raise ValueError("refusing to store a datetime without a time zone")
    return value.astimezone(UTC).isoformat()


def encode_date(value: date) -> str:
    """SQLAlchemy's SQLite DATE storage format, which for every date is the ISO form."""
    return value.isoformat()


def encode_bool(value: bool) -> int:
    return int(value)


# What a stored column holds for each declared field type (as written: subscription_fields.py DECLARED); SQLite
# keeps dates as "YYYY-MM-DD" text.
_DECODERS: dict[str, Callable[[Any], Any]] = {
    "date": date.fromisoformat,
    "Decimal": decode_decimal,
    "datetime": decode_utc,
    "bool": decode_bool,
}
# Column → decoder of its raw SQLite value, for the columns named after a field of a decodable type.
RAW_DECODERS: dict[str, Callable[[Any], Any]] = {
    name: _DECODERS[declared] for name, declared in DECLARED.items() if declared in _DECODERS
}


_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "date": encode_date,
    "Decimal": encode_decimal,
    "datetime": encode_utc,
    "bool": encode_bool,
}
# Column → encoder of its Python value into what SQLite stores (the inverse of RAW_DECODERS).
RAW_ENCODERS: dict[str, Callable[[Any], Any]] = {
    name: _ENCODERS[declared] for name, declared in DECLARED.items() if declared in _ENCODERS
}


def encoded(values: dict[str, Any]) -> dict[str, Any]:
    """Column values of their Python types (as `subscription_columns` gives them) as SQLite stores them."""
    return {
        name: (RAW_ENCODERS[name](value) if value is not None and name in RAW_ENCODERS else value)
        for name, value in values.items()
    }


def decoded(raw: dict[str, Any]) -> dict[str, Any]:
    """A plain sqlite3 row (column → stored value) with its values as the ORM's column types give them."""
    for name, decode in RAW_DECODERS.items():
        value = raw.get(name)
        if value is not None:
            raw[name] = decode(value)
    return raw


def subscription_from_row(
    get: Callable[[str], Any], pauses: tuple[Pause, ...], *, trusted: bool = False
) -> Subscription:
    """The domain object from a row's column values (`get(column)`, already of their Python types). `trusted`:
    the row comes from a current database of ours and is only looked at, so it is not checked again
    (Subscription.from_normalised)."""
    values: dict[str, Any] = {name: get(name) for name in COPIED_FIELDS}
    reminder_days = get("reminder_days")
    make = _from_normalised if trusted else Subscription
    return make(
        id=get("id"),
        interval=Interval(get("interval_count"), Unit(get("interval_unit"))),
        status=Status(get("status")),
        pauses=pauses,
        reminder_days=(
            tuple(int(day) for day in reminder_days.split(",") if day) if reminder_days is not None else None
        ),
        tags=tuple(tag for tag in (get("tags") or "").split(",") if tag),
        created_at=get("created_at"),
        updated_at=get("updated_at"),
        revision=get("revision"),
        **values,
    )


def subscription_columns(subscription: Subscription) -> dict[str, Any]:
    """The row's column values (of their Python types) for a subscription, after the checks every save makes;
    the inverse of `subscription_from_row` but for the bookkeeping columns (id, created_at, updated_at, revision),
    which the writer sets, and the pauses, which are a child table."""
    subscription.check_limits()
    values: dict[str, Any] = {name: getattr(subscription, name) for name in COPIED_FIELDS}
    values["interval_count"] = subscription.interval.count
    values["interval_unit"] = subscription.interval.unit.value
    values["status"] = subscription.status.value
    values["reminder_days"] = (
        ",".join(str(day) for day in subscription.reminder_days) if subscription.reminder_days is not None else None
    )
    values["tags"] = ",".join(subscription.tags)  # normalize_tags keeps commas out of a tag
    return values


def _from_normalised(**values: Any) -> Subscription:
    return Subscription.from_normalised(values)


def pauses_by_subscription(rows: Iterable[tuple[int, date, date | None]]) -> dict[int, tuple[Pause, ...]]:
    """(subscription id, start, end) rows → each subscription's pauses, earliest first."""
    pauses: dict[int, list[Pause]] = {}
    for subscription_id, start, end in rows:
        pauses.setdefault(subscription_id, []).append(Pause(start, end))
    return {key: tuple(sorted(found, key=lambda p: p.start)) for key, found in pauses.items()}


def steps_by_subscription(rows: Iterable[tuple[int, date, Decimal]]) -> dict[int, list[PriceStep]]:
    """(subscription id, effective, amount) rows, oldest first → each plan's price steps."""
    steps: dict[int, list[PriceStep]] = {}
    for subscription_id, effective, amount in rows:
        steps.setdefault(subscription_id, []).append(PriceStep(effective, amount))
    return steps


# The charge columns that need converting from what SQLite stores.
CHARGE_DECODERS: dict[str, Callable[[Any], Any]] = {
    "date": date.fromisoformat,
    "amount": decode_decimal,
    "refunded_amount": decode_decimal,
    "refunded_on": date.fromisoformat,
}


def charge_from_row(get: Callable[[str], Any]) -> Charge:
    """A recorded charge from its row's column values (already of their Python types)."""
    from renewaltracker.domain.charges import Charge

    return Charge(
        id=get("id"),
        subscription_id=get("subscription_id"),
        date=get("date"),
        amount=get("amount"),
        currency=get("currency"),
        reference=get("reference"),
        source=get("source"),
        status=ChargeStatus(get("status")),
        note=get("note"),
        refunded_amount=get("refunded_amount"),
        refunded_on=get("refunded_on"),
    )
