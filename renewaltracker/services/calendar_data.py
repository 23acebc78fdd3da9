"""A subscription as JSON-safe data carried in an exported event, and back, so a round trip loses nothing."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from renewaltracker.domain.channels import Channel
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import Status, Subscription
from renewaltracker.domain.subscription_fields import DATA_FIELDS, FIELD_TYPES
from renewaltracker.i18n import _

FORMAT_VERSION = 1
# Never carried: the local id means nothing in another database.
_SKIPPED = {"id"}
MONEY_FIELDS = ("amount", "fixed_share")
# URL-safe base64 of the JSON: no comma, semicolon, colon or backslash that a CalDAV server (Radicale cuts an
# X- value at its first unescaped comma) or a client could split or re-escape.
_ENCODED_PREFIX = "b64:"


def encode_data(data: dict[str, Any]) -> str:
    """The data as one property value that survives any server: "b64:" and URL-safe base64 of its JSON."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return _ENCODED_PREFIX + base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def decode_data(value: str) -> Any:
    """The JSON value from `encode_data`, or from plain JSON as older files carried it. Raises ValueError."""
    value = value.strip()
    if value.startswith(_ENCODED_PREFIX):
        body = value[len(_ENCODED_PREFIX) :]
        try:
            value = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as error:
            raise ValueError(f"not base64 ({error})") from None
    return json.loads(value)


def subscription_data(subscription: Subscription, *, include_amounts: bool = True) -> dict[str, Any]:
    """Every field as text, numbers, booleans or lists; amounts left out when asked for privacy."""
    data: dict[str, Any] = {"v": FORMAT_VERSION}
    for name in DATA_FIELDS:
        if name in _SKIPPED or (not include_amounts and name in MONEY_FIELDS):
            continue
        value = getattr(subscription, name)
        if name == "interval":
            value = {"count": value.count, "unit": value.unit.value}
        elif name == "pauses":
            value = [[p.start.isoformat(), p.end.isoformat() if p.end else None] for p in value]
        elif isinstance(value, date | datetime):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Status | Channel):
            value = value.value
        data[name] = value
    return data


def _date(value: Any) -> date | None:
    return None if value in (None, "") else date.fromisoformat(str(value))


def _datetime(value: Any) -> datetime | None:
    return None if value in (None, "") else datetime.fromisoformat(str(value))


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _optional_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# How a value of each declared field type is read back; fields of any other type need their own entry in
# _FIELD_DECODERS below, and importing this module fails until they have one.
_TYPE_DECODERS: dict[Any, Callable[[Any], Any]] = {
    str: lambda value: str(value or ""),
    bool: bool,
    int: int,
    int | None: _optional_int,
    Decimal | None: _optional_decimal,
    date | None: _date,
    datetime | None: _datetime,
}
_FIELD_DECODERS: dict[str, Callable[[Any], Any]] = {
    "amount": lambda value: Decimal(str(value)),
    "interval": lambda value: Interval(int(value["count"]), Unit(value["unit"])),
    "status": Status,
    "channel": Channel,
    "tags": lambda value: tuple(str(tag) for tag in value),
    "pauses": lambda value: tuple(Pause(date.fromisoformat(s), _date(e)) for s, e in value),
    "reminder_days": lambda value: tuple(int(day) for day in value) if value is not None else None,
}
_DECODERS: dict[str, Callable[[Any], Any]] = {
    name: _FIELD_DECODERS.get(name) or _TYPE_DECODERS[FIELD_TYPES[name]] for name in DATA_FIELDS if name not in _SKIPPED
}


def subscription_from_data(data: dict[str, Any], *, amount: Decimal | None = None) -> Subscription:
    """Rebuild a subscription; `amount` stands in when the file left amounts out. Raises ValidationError."""
    try:
        if int(data.get("v", 0)) > FORMAT_VERSION:
            raise ValidationError("file", _("was written by a newer version of Renewal Tracker"))
        if data.get("amount") is None and amount is None:
            raise ValidationError("amount", _("is not in the file (exported without amounts); enter it"))
        # A field the file does not carry (written before it existed) keeps the dataclass default.
        values: dict[str, Any] = {name: decode(data[name]) for name, decode in _DECODERS.items() if name in data}
        if data.get("amount") is None:
            values["amount"] = amount
        return Subscription(**values)
    except ValidationError:
        raise
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise ValidationError(
            "file", _("the Renewal Tracker data in an event is damaged ({error!r})").format(error=error)
        ) from None
