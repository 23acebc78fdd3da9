"""What the detail pane shows about one subscription, read in one transaction (on the window's worker thread)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from renewaltracker.domain.exchange import Converted, RateTable
from renewaltracker.domain.household import member_names
from renewaltracker.domain.prices import PriceHistory
from renewaltracker.domain.subscription import Charge, Subscription
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.attachments import Attachment, AttachmentRepository, attachments_dir
from renewaltracker.storage.household import HouseholdRepository
from renewaltracker.storage.rates import RateRepository
from renewaltracker.storage.repositories import ChargeRepository, SettingsRepository, SubscriptionRepository
from renewaltracker.storage.requests import PriceRepository


@dataclass(frozen=True, slots=True)
class SubscriptionDetails:
    """One subscription with its prices, charges, household, settings and attachments, as of one snapshot."""

    subscription: Subscription
    prices: PriceHistory
    charges: list[Charge]
    payer: str
    users: tuple[str, ...]
    default_lead_days: tuple[int, ...]
    home_currency: str
    rates: RateTable | None  # only when the plan is billed in another currency than the home one
    attachments: list[Attachment]

    def converted(self, amount: Decimal, on: date) -> Converted | None:
        """`amount` of the plan's currency in the home currency (None without a home currency or a rate)."""
        if self.rates is None or not self.home_currency:
            return None
        return self.rates.convert(amount, self.subscription.currency, self.home_currency, on)


def read_details(service: SubscriptionService, subscription_id: int) -> SubscriptionDetails:
    """Everything the pane shows in one transaction (each part used to be its own, six reads of the row);
    NotFoundError when the subscription is gone."""
    folder = attachments_dir(service.database.path) if service.database.path is not None else None
    with service.transaction() as session:
        subscription = SubscriptionRepository(session).get(subscription_id)
        prices = PriceHistory(subscription.amount, PriceRepository(session).for_subscription(subscription_id))
        charges = ChargeRepository(session).for_subscription(subscription_id)
        household = HouseholdRepository(session)
        payer, users = member_names(household.assignment(subscription_id), household.members())
        settings = SettingsRepository(session)
        lead_days: tuple[int, ...] = settings.get("reminder_days")
        home: str = settings.get("home_currency") or ""
        rates = RateTable(RateRepository(session).all()) if home and home != subscription.currency else None
        files = AttachmentRepository(session, folder).for_subscription(subscription_id) if folder else []
    return SubscriptionDetails(subscription, prices, charges, payer, users, lead_days, home, rates, files)
