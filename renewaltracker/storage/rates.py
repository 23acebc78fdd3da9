"""Exchange rates: one per pair and day, the newest write wins."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from renewaltracker.domain.exchange import Rate
from renewaltracker.storage.models import ExchangeRateRow


class RateRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, rates: Iterable[Rate]) -> int:
        """Store rates, replacing any of the same pair and day; returns how many were given."""
        count = 0
        for rate in rates:
            row = self.session.scalar(
                select(ExchangeRateRow).where(
                    ExchangeRateRow.base == rate.base,
                    ExchangeRateRow.quote == rate.quote,
                    ExchangeRateRow.day == rate.day,
                )
            )
            if row is None:
                row = ExchangeRateRow(base=rate.base, quote=rate.quote, day=rate.day)
                self.session.add(row)
            row.rate, row.source = rate.rate, rate.source
            count += 1
        self.session.flush()
        return count

    def all(self) -> list[Rate]:
        rows = self.session.scalars(select(ExchangeRateRow).order_by(ExchangeRateRow.day, ExchangeRateRow.base))
        return [Rate(row.base, row.quote, row.day, row.rate, row.source) for row in rows]
