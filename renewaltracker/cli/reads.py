"""What `list`, `show` and `upcoming` read, from either source: straight from SQLite (storage/quick_read.py) when
the database is current, else through the services (which open, migrate or create it first)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from renewaltracker.domain.household import Assignment, Member
    from renewaltracker.domain.prices import PriceHistory
    from renewaltracker.domain.subscription import Subscription
    from renewaltracker.services.subscriptions import SubscriptionService


class Reader(Protocol):
    def all(self) -> list[Subscription]: ...
    def get(self, subscription_id: int) -> Subscription: ...
    def price_histories(self) -> dict[int, PriceHistory]: ...
    def prices(self, subscription_id: int) -> PriceHistory: ...
    def setting(self, key: str) -> Any: ...
    def members(self) -> list[Member]: ...
    def assignment(self, subscription_id: int) -> Assignment: ...
    def close(self) -> None: ...


class ServiceReader:
    """The same reads through the subscription and household services."""

    def __init__(self, service: SubscriptionService) -> None:
        from renewaltracker.services.household import HouseholdService

        self.service = service
        self.household = HouseholdService(service)

    def all(self) -> list[Subscription]:
        return self.service.all()

    def get(self, subscription_id: int) -> Subscription:
        return self.service.get(subscription_id)

    def price_histories(self) -> dict[int, PriceHistory]:
        return self.service.price_histories()

    def prices(self, subscription_id: int) -> PriceHistory:
        return self.service.prices(subscription_id)

    def setting(self, key: str) -> Any:
        return self.service.setting(key)

    def members(self) -> list[Member]:
        return self.household.members()

    def assignment(self, subscription_id: int) -> Assignment:
        return self.household.assignment(subscription_id)

    def close(self) -> None:
        """The service's database is closed with the context."""
