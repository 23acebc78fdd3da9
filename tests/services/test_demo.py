from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.history import price_changes
from renewaltracker.domain.subscription import ChargeStatus, Status
from renewaltracker.i18n import install_language
from renewaltracker.services.demo import fill_demo
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import open_database


@pytest.fixture(autouse=True, params=["en", "de", "fr"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every check holds for the demo made in each interface language."""
    install_language(request.param)
    yield request.param
    install_language("en")


def test_demo_data_covers_the_cases_a_new_user_should_see(service: SubscriptionService) -> None:
    saved = fill_demo(service)
    stored = service.all()
    assert len(stored) == len(saved) >= 12
    statuses = {s.status for s in stored}
    assert {Status.ACTIVE, Status.TRIAL, Status.PAUSED, Status.CANCELLED} <= statuses
    assert {"USD", "EUR", "JPY"} <= {s.currency for s in stored}
    assert any(s.is_shared for s in stored)
    assert any(s.notice_days for s in stored) and any(s.refund_days for s in stored)
    assert any(s.order_number for s in stored) and any(s.support_email for s in stored)
    # Card numbers are cut to the last four even in example data.
    assert all("4242 4242" not in s.payment_method for s in stored)
    all_charges = [c for s in stored if s.id is not None for c in service.charges(s.id)]
    assert any(c.status is ChargeStatus.NOT_CHARGED for c in all_charges)
    netflix = next(s for s in stored if s.name == "Netflix Standard")
    assert netflix.id is not None
    increases = [row.difference for row in price_changes(service.charges(netflix.id)) if row.difference]
    assert increases and increases[-1] > 0


def test_demo_data_uses_channels_household_tags_last_use_and_rates(service: SubscriptionService) -> None:
    from renewaltracker.domain.channels import Channel
    from renewaltracker.domain.review import is_unused
    from renewaltracker.services.household import HouseholdService
    from renewaltracker.services.rates import RateService

    fill_demo(service)
    stored = service.all()
    today = service.clock.today()
    channels = {s.channel for s in stored}
    assert {Channel.CARD, Channel.PAYPAL, Channel.BANK_DEBIT, Channel.APP_STORE, Channel.GOOGLE_PLAY} <= channels
    assert any(s.tags for s in stored) and any(is_unused(s, today) for s in stored)
    household = HouseholdService(service)
    assert [m.name for m in household.members()] == ["Alex", "Kim", "Sam"]
    assert household.duplicates(), "two Spotify plans in one household"
    assert RateService(service).rates() and service.setting("home_currency") == "USD"


def test_demo_data_has_an_introductory_price_that_rises_within_the_upcoming_weeks(
    service: SubscriptionService,
) -> None:
    from datetime import timedelta
    from decimal import Decimal

    from renewaltracker.domain.events import EventKind

    fill_demo(service)
    today = service.clock.today()
    streamly = next(s for s in service.all() if s.name == "Streamly")
    assert streamly.id is not None and streamly.amount == Decimal("1.99")  # the price in force today
    rise = service.prices(streamly.id).next_step_up(today)
    assert rise is not None and rise[1:] == (Decimal("1.99"), Decimal("9.99"))
    charges = [
        e.amount
        for e in service.upcoming(today, today + timedelta(days=90))
        if e.kind is EventKind.CHARGE and e.subscription_id == streamly.id
    ]
    assert charges[0] == Decimal("1.99") and charges[-1] == Decimal("9.99")


# Brands, product names and people's names, the same in every language.
SAME_EVERYWHERE = {
    "Netflix Standard",
    "Spotify Premium Family",
    "Spotify Premium Individual",
    "The New York Times",
    "iCloud+ 200 GB",
    "Nintendo Switch Online",
    "Dropbox Plus",
    "Headspace",
    "1Password Families",
    "Streamly",
    "PayPal",
    "Google Play",
    "me@example.com",
    # The card-number redaction (domain/payment.py) keeps the brand and writes the last four the same in every
    # language ("•••• 4242"): no English word.
    "Visa •••• 4242",
}


def demo_texts(service: SubscriptionService) -> list[str]:
    """The descriptive texts of the demo: names, categories, payment methods, accounts, notes, tags, charge notes."""
    texts: list[str] = []
    for subscription in service.all():
        texts += [subscription.name, subscription.category, subscription.payment_method, subscription.account]
        texts += [subscription.notes, *subscription.tags]
        assert subscription.id is not None
        texts += [charge.note for charge in service.charges(subscription.id)]
    return [text for text in texts if text]


def test_the_demo_has_no_english_descriptive_text_in_another_language(
    service: SubscriptionService, clock: FixedClock, tmp_path: Path, language: str
) -> None:
    fill_demo(service)
    translated = demo_texts(service)
    install_language("en")
    english_database = open_database(tmp_path / "english.sqlite3")
    try:
        english_service = SubscriptionService(english_database, clock)
        fill_demo(english_service)
        english = demo_texts(english_service)
    finally:
        english_database.close()
    assert len(translated) == len(english)
    if language == "en":
        assert translated == english
        return
    left = sorted({text for text in translated if text in english} - SAME_EVERYWHERE)
    assert not left, f"English in the {language} demo: {left}"
    assert {"Car insurance", "Insurance", "family"} <= set(english) - set(translated)
