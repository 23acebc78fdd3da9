"""Saved CSV mappings per bank and dismissed recurring-charge candidates."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.recurring import Dismissal
from renewaltracker.domain.statement import RecordedCharge
from renewaltracker.storage.models import BankMappingRow, ChargeRow, DismissedCandidateRow


class StatementRepository:
    """What statement imports remember between files."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def mapping(self, signature: str) -> str | None:
        row = self.session.get(BankMappingRow, signature)
        return row.mapping if row is not None else None

    def save_mapping(self, signature: str, mapping: str) -> None:
        row = self.session.get(BankMappingRow, signature)
        if row is None:
            self.session.add(BankMappingRow(signature=signature, mapping=mapping))
        else:
            row.mapping = mapping
        self.session.flush()

    def dismissed(self) -> list[Dismissal]:
        rows = self.session.scalars(select(DismissedCandidateRow).order_by(DismissedCandidateRow.id))
        return [_dismissal(row) for row in rows]

    def dismiss(self, dismissal: Dismissal) -> None:
        """Remember one dismissed plan; two identical plans dismissed are two rows, each hiding one plan."""
        interval = dismissal.interval
        self.session.add(
            DismissedCandidateRow(
                key=dismissal.key,
                currency=dismissal.currency,
                amount=dismissal.amount,
                interval_count=interval.count if interval else None,
                interval_unit=interval.unit.value if interval else None,
                anchor=dismissal.anchor,
            )
        )
        self.session.flush()

    def recorded_charges(self) -> dict[int, list[RecordedCharge]]:
        """Each subscription's charges by date, amount and bank reference: what a re-import must not add again."""
        recorded: dict[int, list[RecordedCharge]] = {}
        query = select(ChargeRow.subscription_id, ChargeRow.date, ChargeRow.amount, ChargeRow.reference)
        for row in self.session.execute(query):
            recorded.setdefault(row.subscription_id, []).append(RecordedCharge(row.date, row.amount, row.reference))
        return recorded


def _dismissal(row: DismissedCandidateRow) -> Dismissal:
    if row.interval_count is None or row.interval_unit is None:
        return Dismissal(row.key, row.currency)
    interval = Interval(row.interval_count, Unit(row.interval_unit))
    return Dismissal(row.key, row.currency, row.amount, interval, row.anchor)
