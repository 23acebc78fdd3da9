"""The full export carries every table of the ORM metadata: a row in each survives export → import into an empty db.

A table added later gets a row here automatically (values derived from its column types), so if the export or the
import ever stops carrying it, this test fails.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Column, Date, Integer, insert

from renewaltracker.domain.clock import FixedClock
from renewaltracker.services.data_export import export_json, import_json, read_json
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import open_database
from renewaltracker.storage.dump import LOCAL_TABLES, data_tables, dump
from renewaltracker.storage.models import Base
from renewaltracker.storage.types import DecimalText, UTCDateTime

# Columns whose values the schema constrains; every other column gets a value from its type.
_KNOWN = {"currency": "EUR", "base": "EUR", "quote": "USD", "interval_unit": "month", "status": "active"}


def _value(column: Column[Any]) -> Any:
    if column.foreign_keys or (column.primary_key and isinstance(column.type, Integer)):
        return 1
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
