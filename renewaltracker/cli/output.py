"""How the CLI prints: JSON (amounts as strings, dates as ISO 8601) and plain text tables."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # the domain (and Babel under it) loads with the first command that prints a subscription
    from renewaltracker.domain.events import Event
    from renewaltracker.domain.prices import PriceHistories
    from renewaltracker.domain.subscription import Charge, Subscription


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# Keys scripts already rely on where they differ from the field name.
JSON_KEYS = {"interval": "every", "anchor": "start", "end_date": "end", "reminder_days": "remind"}


def _plain(value: Any) -> Any:
    """A field value as JSON: dates ISO 8601, money as strings, tuples as lists."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def subscription_json(subscription: Subscription, today: date, prices: PriceHistories | None = None) -> dict[str, Any]:
    """The CLI's JSON shape of a subscription: every field (a few under older names), then computed figures; the
    amount is the price in force today (the stored one lags a planned step whose date has passed)."""
    from dataclasses import replace

    from renewaltracker.domain.costs import monthly_cost, yearly_cost
    from renewaltracker.domain.events import next_cancel_by
    from renewaltracker.domain.money import quantize
    from renewaltracker.domain.prices import amount_on

    subscription = replace(subscription, amount=amount_on(subscription, today, prices))
    from renewaltracker.domain.subscription_fields import DATA_FIELDS

    special: dict[str, Any] = {
        "interval": str(subscription.interval),
        "status": subscription.status_on(today).value,
        "pauses": [{"start": _iso(p.start), "end": _iso(p.end)} for p in subscription.pauses],
    }
    data: dict[str, Any] = {"id": subscription.id}
    for name in DATA_FIELDS:
        value = special[name] if name in special else _plain(getattr(subscription, name))
        data[JSON_KEYS.get(name, name)] = value
    deadline = next_cancel_by(subscription, today)
    data.update(
        your_amount=str(subscription.user_amount),
        monthly_cost=str(quantize(monthly_cost(subscription), subscription.currency)),
        yearly_cost=str(quantize(yearly_cost(subscription), subscription.currency)),
        next_charge=_iso(subscription.next_charge(today)),
        cancel_by=_iso(deadline[0]) if deadline else None,
    )
    return data


def event_json(event: Event) -> dict[str, Any]:
    return {
        "date": event.date.isoformat(),
        "kind": event.kind.value,
        "subscription_id": event.subscription_id,
        "name": event.name,
        "amount": str(event.amount),
        "currency": event.currency,
        "charge_date": event.charge_date.isoformat(),
    }


def charge_json(charge: Charge) -> dict[str, Any]:
    return {
        "id": charge.id,
        "subscription_id": charge.subscription_id,
        "date": charge.date.isoformat(),
        "amount": str(charge.amount),
        "currency": charge.currency,
        "reference": charge.reference,
        "status": charge.status.value,
        "state": charge.status.value,
        "refunded_amount": str(charge.refunded_amount) if charge.refunded_amount is not None else None,
        "refunded_on": charge.refunded_on.isoformat() if charge.refunded_on else None,
        "source": charge.source,
        "note": charge.note,
    }


def print_json(value: Any, out: TextIO) -> None:
    """Objects indented; lists one compact item per line, which keeps C's fast encoder for 10⁵ events."""
    if isinstance(value, list):
        items = ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in value)
        out.write("[\n" + items + "\n]\n" if value else "[]\n")
        return
    json.dump(value, out, indent=2, ensure_ascii=False)
    out.write("\n")


# C0 and C1 control characters and DEL, plus the Unicode format characters that reorder or hide text (bidi
# overrides, zero-width joiners): an imported name must not move the cursor, recolour or retitle the terminal.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def terminal_safe(text: str) -> str:
    """Text for a terminal: control characters shown escaped (ESC as \\x1b, a tab as \\t), everything else as is."""

    def escape(match: re.Match[str]) -> str:
        char = match.group(0)
        named = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}.get(char)
        if named:
            return named
        code = ord(char)
        return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"

    if text.isprintable() and not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(escape, text)


def width(text: str) -> int:
    """Columns `text` takes in a terminal; a character wcwidth cannot measure (a control) counts as one."""
    if text.isascii() and text.isprintable():  # one column a character: wcwidth is needed only beyond ASCII
        return len(text)
    from wcwidth import wcswidth, wcwidth  # 20 ms to import: a table of plain ASCII never pays it

    measured = wcswidth(text)
    return measured if measured >= 0 else sum(max(wcwidth(c), 1) for c in text)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], out: TextIO, right: Sequence[int] = ()) -> None:
    """Aligned columns; `right` lists the columns (amounts) to align right."""
    # One line per row: a name with a line break (possible from the CLI or an import) must not split it.
    cells = [[("" if value is None else terminal_safe(" ".join(str(value).split()))) for value in row] for row in rows]
    widths = [max([width(h)] + [width(row[i]) for row in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        # Padded by the width on screen: a CJK character or an emoji takes two columns, a combining accent none.
        pads = [" " * (w - width(v)) for v, w in zip(values, widths, strict=True)]
        parts = [pad + v if i in right else v + pad for i, (v, pad) in enumerate(zip(values, pads, strict=True))]
        return "  ".join(parts).rstrip()

    out.write(line(headers) + "\n")
    out.write(line(["-" * w for w in widths]) + "\n")
    for row in cells:
        out.write(line(row) + "\n")
