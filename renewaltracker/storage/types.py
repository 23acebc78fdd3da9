"""Column types that keep money exact and times time-zone aware on SQLite."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from renewaltracker.storage.subscription_rows import decode_decimal, decode_utc, encode_decimal, encode_utc


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal stored as text: SQLite's NUMERIC would pass through a float."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else encode_decimal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else decode_decimal(value)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as ISO 8601 text in UTC; naive values are refused."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else encode_utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else decode_utc(value)
