"""The household's use cases: members, who pays and who uses, costs per member, duplicate subscriptions."""

from __future__ import annotations

from collections.abc import Sequence

from renewaltracker.domain.household import (
    Assignment,
    HouseholdCosts,
    Member,
    duplicates,
    household_costs,
    member_names,
)
from renewaltracker.domain.subscription import Subscription
from renewaltracker.services.subscriptions import Change, SubscriptionService
from renewaltracker.storage.household import HouseholdRepository


class HouseholdService:
    """Changes go through the subscription service's transaction and change signal, so every view refreshes."""

    def __init__(self, subscriptions: SubscriptionService) -> None:
        self.subscriptions = subscriptions

    def members(self) -> list[Member]:
        with self.subscriptions.transaction() as session:
            return HouseholdRepository(session).members()

    def add_member(self, name: str) -> Member:
        with self.subscriptions.transaction() as session:
            member = HouseholdRepository(session).add(Member(name))
        self.subscriptions.notify(Change.SETTINGS, None)
        return member

    def remove_member(self, name: str) -> Member:
        with self.subscriptions.transaction() as session:
            repository = HouseholdRepository(session)
            member = repository.require(name)
            assert member.id is not None
            repository.delete(member.id)
        self.subscriptions.notify(Change.SETTINGS, None)
        return member

    def assignments(self) -> dict[int, Assignment]:
        with self.subscriptions.transaction() as session:
            return HouseholdRepository(session).assignments()

    def assignment(self, subscription_id: int) -> Assignment:
        return self.assignments().get(subscription_id, Assignment())

    def assign(self, subscription_id: int, payer: str | None, users: Sequence[str] | None) -> Assignment:
        """Set who pays ("" for nobody) and who uses it, by member names; None leaves that part as it is."""
        with self.subscriptions.transaction() as session:
            repository = HouseholdRepository(session)
            current = repository.assignments().get(subscription_id, Assignment())
            payer_id = current.payer_id
            if payer is not None:
                payer_id = repository.require(payer).id if payer.strip() else None
            user_ids = current.user_ids
            if users is not None:
                user_ids = tuple(sorted({repository.require(name).id or 0 for name in users if name.strip()}))
            assignment = Assignment(payer_id, user_ids)
            repository.assign(subscription_id, assignment)
        self.subscriptions.notify(Change.UPDATED, subscription_id)
        return assignment

    def names(self, assignment: Assignment) -> tuple[str, tuple[str, ...]]:
        """The payer's and users' names for display."""
        return member_names(assignment, self.members())

    def costs(self) -> HouseholdCosts:
        today = self.subscriptions.clock.today()
        service = self.subscriptions
        return household_costs(service.all(), self.members(), self.assignments(), today, service.price_histories())

    def duplicates(self) -> list[list[Subscription]]:
        return duplicates(self.subscriptions.all(), self.subscriptions.clock.today())
