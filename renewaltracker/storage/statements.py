"""Saved CSV mappings per bank and dismissed recurring-charge candidates."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

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

    def dismissed(self) -> set[tuple[str, str]]:
        return {(row.key, row.currency) for row in self.session.scalars(select(DismissedCandidateRow))}

    def dismiss(self, key: str, currency: str) -> None:
        if self.session.get(DismissedCandidateRow, (key, currency)) is None:
            self.session.add(DismissedCandidateRow(key=key, currency=currency))
            self.session.flush()

    def recorded_charges(self) -> dict[int, list[RecordedCharge]]:
        """Each subscription's charges by date, amount and bank reference: what a re-import must not add again."""
        recorded: dict[int, list[RecordedCharge]] = {}
        query = select(ChargeRow.subscription_id, ChargeRow.date, ChargeRow.amount, ChargeRow.reference)
        for row in self.session.execute(query):
            recorded.setdefault(row.subscription_id, []).append(RecordedCharge(row.date, row.amount, row.reference))
        return recorded
