"""The full export carries every table of the ORM metadata: a row in each survives export → import into an empty db.

A table added later gets a row here automatically (values derived from its column types), so if the export or the
import ever stops carrying it, this test fails.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Boolean, Column, Date, Integer, insert

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.errors import ValidationError
from renewaltracker.services.data_export import export_data, export_json, import_json, read_json, restore_backup
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import open_database
from renewaltracker.storage.dump import LOCAL_TABLES, data_tables, dump
from renewaltracker.storage.models import Base
from renewaltracker.storage.types import DecimalText, UTCDateTime
from tests.factories import make_subscription

# Columns whose values the schema constrains; every other column gets a value from its type.
_KNOWN = {"currency": "EUR", "base": "EUR", "quote": "USD", "interval_unit": "month", "status": "active"}
# Values the domain objects check when a row is read: a pause ends after it starts, a channel is one they know.
_KNOWN_IN_TABLE = {
    "pauses.end": date(2024, 6, 6),
    "subscriptions.reminder_days": "7,1",
    "subscriptions.fixed_share": None,
    "subscriptions.support_email": "help@example.org",
    "subscriptions.cancel_url": "https://example.org/cancel",
    "subscriptions.channel": "card",
    "subscriptions.letter_language": "de",
    "charges.status": "charged",
    "contacts.channel": "phone",
    "requests.kind": "refund",
    "requests.state": "open",
    "requests.outcome": None,
}


def _value(column: Column[Any]) -> Any:
    if column.foreign_keys or (column.primary_key and isinstance(column.type, Integer)):
        return 1
    if f"{column.table.name}.{column.name}" in _KNOWN_IN_TABLE:
        return _KNOWN_IN_TABLE[f"{column.table.name}.{column.name}"]
    if column.name in _KNOWN:
        return _KNOWN[column.name]
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    if isinstance(kind, DecimalText):
        return Decimal("12.34")
    if isinstance(kind, Boolean):
        return True
    if isinstance(kind, Date):
        return date(2024, 5, 6)
    if isinstance(kind, Integer):
        return 7
    return f"{column.table.name}.{column.name}"


def test_every_table_is_carried_by_the_json_export(tmp_path: Path, clock: FixedClock) -> None:
    assert set(data_tables()) | LOCAL_TABLES == set(Base.metadata.tables)
    source = open_database(tmp_path / "source.sqlite3")
    with source.transaction() as session:
        for name in data_tables():
            table = Base.metadata.tables[name]
            session.execute(insert(table).values({column.name: _value(column) for column in table.columns}))
        before = dump(session)
    assert all(before[name] for name in data_tables()), [name for name in data_tables() if not before[name]]
    out = export_json(SubscriptionService(source, clock), tmp_path / "export.json")
    source.close()
    target = open_database(tmp_path / "target.sqlite3")
    import_json(SubscriptionService(target, clock), read_json(out), str(out))
    with target.transaction() as session:
        after = dump(session)
    target.close()
    assert after == before


_DAMAGE = [
    ("subscriptions", "amount", "lots", r"subscriptions row 2.*amount"),
    ("subscriptions", "anchor", "2025-13-45", r"subscriptions row 2.*anchor"),
    ("subscriptions", "currency", "XXX1", r"subscriptions row 2.*currency"),
    ("subscriptions", "interval_count", "zz", r"subscriptions row 2"),
    ("subscriptions", "name", ["a list"], r"subscriptions row 2.*name"),
    ("subscriptions", "name", None, r"subscriptions row 2.*name"),
    ("subscriptions", "created_at", "yesterday", r"subscriptions row 2.*created_at"),
    ("charges", "amount", "-5", r"charges row 1.*amount"),
    ("charges", "date", "31.02.2025", r"charges row 1.*date"),
    ("charges", "subscription_id", 99, r"charges row 1"),
    ("prices", "amount", "NaN", r"prices row 1.*amount"),
    ("pauses", "start", "soon", r"pauses row 1.*start"),
    ("subscriptions", None, "x", r"subscriptions row 2.*not an object"),
]


@pytest.mark.parametrize(("table", "column", "value", "message"), _DAMAGE)
def test_a_damaged_export_is_refused_naming_the_row_and_nothing_is_replaced(
    tmp_path: Path, clock: FixedClock, table: str, column: str | None, value: Any, message: str
) -> None:
    """A hand-edited export the app could not read back must not replace the database it would then crash on."""
    source = open_database(tmp_path / "source.sqlite3")
    service = SubscriptionService(source, clock)
    service.add(make_subscription(name="Kept", amount=Decimal("1.00")))
    netflix = service.add(make_subscription(name="Netflix", amount=Decimal("15.49"), anchor=date(2025, 1, 5)))
    assert netflix.id is not None
    service.record_charge(netflix.id, date(2025, 2, 5), Decimal("15.49"))
    service.change_price(netflix.id, Decimal("17.99"), date(2025, 6, 5))
    service.pause(netflix.id, date(2025, 8, 1), date(2025, 9, 1))
    data = export_data(service)
    source.close()
    rows = data["tables"][table]
    index = 1 if table == "subscriptions" else 0
    if column is None:
        rows[index] = value
    else:
        rows[index][column] = value
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(data))
    current = tmp_path / "current.sqlite3"
    SubscriptionService(kept := open_database(current), clock).add(make_subscription(name="Mine"))
    kept.close()
    with pytest.raises(ValidationError, match=rf"^{re.escape(str(damaged))}: .*{message}") as raised:
        restore_backup(damaged, current)
    assert "\n" not in str(raised.value)
    reopened = open_database(current)
    try:
        assert [s.name for s in SubscriptionService(reopened, clock).all()] == ["Mine"]
    finally:
        reopened.close()
