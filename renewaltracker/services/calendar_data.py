"""A subscription as JSON-safe data carried in an exported event, and back, so a round trip loses nothing."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import Status, Subscription

FORMAT_VERSION = 1
# Never carried: the local id means nothing in another database.
_SKIPPED = {"id"}
MONEY_FIELDS = ("amount", "fixed_share")


def subscription_data(subscription: Subscription, *, include_amounts: bool = True) -> dict[str, Any]:
    """Every field as text, numbers, booleans or lists; amounts left out when asked for privacy."""
    data: dict[str, Any] = {"v": FORMAT_VERSION}
    for spec in fields(Subscription):
        name = spec.name
        if not spec.init or name in _SKIPPED or (not include_amounts and name in MONEY_FIELDS):  # derived fields
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
        elif isinstance(value, Status):
            value = value.value
        data[name] = value
    return data


def _date(value: Any) -> date | None:
    return None if value in (None, "") else date.fromisoformat(str(value))


def _datetime(value: Any) -> datetime | None:
    return None if value in (None, "") else datetime.fromisoformat(str(value))


def subscription_from_data(data: dict[str, Any], *, amount: Decimal | None = None) -> Subscription:
    """Rebuild a subscription; `amount` stands in when the file left amounts out. Raises ValidationError."""
    try:
        if int(data.get("v", 0)) > FORMAT_VERSION:
            raise ValidationError("file", "was written by a newer version of Renewal Tracker")
        interval = data["interval"]
        stated = data.get("amount")
        if stated is None and amount is None:
            raise ValidationError("amount", "is not in the file (exported without amounts); enter it")
        reminder = data.get("reminder_days")
        values: dict[str, Any] = {
            "name": str(data["name"]),
            "amount": Decimal(str(stated)) if stated is not None else amount,
            "currency": str(data["currency"]),
            "interval": Interval(int(interval["count"]), Unit(interval["unit"])),
            "status": Status(data.get("status", "active")),
            "pauses": tuple(Pause(date.fromisoformat(s), _date(e)) for s, e in data.get("pauses", [])),
            "reminder_days": tuple(int(day) for day in reminder) if reminder is not None else None,
            "fixed_share": Decimal(str(data["fixed_share"])) if data.get("fixed_share") is not None else None,
            "keep_clipped_day": bool(data.get("keep_clipped_day", False)),
            "revision": int(data.get("revision", 0)),
        }
        for name in ("anchor", "trial_end", "end_date", "cancelled_on", "purchase_date"):
            values[name] = _date(data.get(name))
        for name in ("created_at", "updated_at"):
            values[name] = _datetime(data.get(name))
        for name in ("end_count", "notice_days", "refund_days", "split_between"):
            values[name] = int(data[name]) if data.get(name) is not None else None
        for name in ("vendor", "category", "notes", "payment_method", "account", "order_number", "support_email",
                     "cancel_url"):  # fmt: skip
            values[name] = str(data.get(name) or "")
    except ValidationError:
        raise
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise ValidationError("file", f"the Renewal Tracker data in an event is damaged ({error!r})") from None
    return Subscription(**values)
