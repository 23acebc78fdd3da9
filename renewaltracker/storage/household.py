"""Household members and who pays for / uses each subscription."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from renewaltracker.domain.errors import NotFoundError, ValidationError
from renewaltracker.domain.household import Assignment, Member
from renewaltracker.i18n import _
from renewaltracker.storage.models import MemberRow, SubscriptionRow, SubscriptionUserRow


class HouseholdRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def members(self) -> list[Member]:
        # SQLite's lower() knows only ASCII: a household has a handful of members, so Python sorts and compares.
        rows = sorted(self.session.scalars(select(MemberRow)), key=lambda row: (row.name.casefold(), row.id))
        return [Member(row.name, row.id) for row in rows]

    def add(self, member: Member) -> Member:
        if self.find(member.name) is not None:
            raise ValidationError("name", _("{name!r} is already a member").format(name=member.name))
        row = MemberRow(name=member.name)
        self.session.add(row)
        self.session.flush()
        return Member(row.name, row.id)

    def find(self, name: str) -> Member | None:
        """The member of this name, ignoring case ("Émile" is "émile")."""
        wanted = name.strip().casefold()
        return next((member for member in self.members() if member.name.casefold() == wanted), None)

    def require(self, name: str) -> Member:
        member = self.find(name)
        if member is None:
            raise NotFoundError(_("no household member named {name!r}").format(name=name))
        return member

    def delete(self, member_id: int) -> None:
        # SET NULL / CASCADE in the schema clear the payer and the user rows.
        self.session.execute(delete(MemberRow).where(MemberRow.id == member_id))

    def assignments(self) -> dict[int, Assignment]:
        rows = self.session.execute(select(SubscriptionRow.id, SubscriptionRow.payer_id))
        payers: dict[int, int | None] = {row.id: row.payer_id for row in rows}
        users: dict[int, list[int]] = {}
        for sid, mid in self.session.execute(
            select(SubscriptionUserRow.subscription_id, SubscriptionUserRow.member_id)
        ):
            users.setdefault(sid, []).append(mid)
        return {sid: Assignment(payers.get(sid), tuple(sorted(users.get(sid, ())))) for sid in payers}

    def assignment(self, subscription_id: int) -> Assignment:
        """One subscription's payer and users (as `assignments()` has them), without reading every row."""
        payer = self.session.scalar(select(SubscriptionRow.payer_id).where(SubscriptionRow.id == subscription_id))
        users = self.session.scalars(
            select(SubscriptionUserRow.member_id).where(SubscriptionUserRow.subscription_id == subscription_id)
        )
        return Assignment(payer, tuple(sorted(users)))

    def assign(self, subscription_id: int, assignment: Assignment) -> None:
        row = self.session.get(SubscriptionRow, subscription_id)
        if row is None:
            raise NotFoundError(_("no subscription with id {subscription_id}").format(subscription_id=subscription_id))
        row.payer_id = assignment.payer_id
        self.session.execute(delete(SubscriptionUserRow).where(SubscriptionUserRow.subscription_id == subscription_id))
        for member_id in dict.fromkeys(assignment.user_ids):
            self.session.add(SubscriptionUserRow(subscription_id=subscription_id, member_id=member_id))
        self.session.flush()
