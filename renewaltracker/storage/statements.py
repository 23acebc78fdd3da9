"""Saved CSV mappings per bank and dismissed recurring-charge candidates."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from renewaltracker.domain.statement import charge_key
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

    def imported_keys(self) -> set[tuple[int, str]]:
        """Each charge by subscription, as its bank reference and as date|amount: what re-imports must skip."""
        keys: set[tuple[int, str]] = set()
        query = select(ChargeRow.subscription_id, ChargeRow.date, ChargeRow.amount, ChargeRow.reference)
        for row in self.session.execute(query):
            if row.reference:
                keys.add((row.subscription_id, f"ref:{row.reference}"))
            keys.add((row.subscription_id, charge_key(row.date, row.amount)))
        return keys
