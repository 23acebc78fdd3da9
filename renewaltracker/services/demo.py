"""A dozen realistic example subscriptions, dated around today, for demo mode and for other features' tests.

Their descriptive texts (names that are not brands, categories, tags, notes) are in the interface language
installed when the demo is made; brands, addresses and order numbers are the same in every language.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from renewaltracker.domain.channels import guess_channel
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import ChargeStatus, Status, Subscription
from renewaltracker.i18n import N_, _
from renewaltracker.services.household import HouseholdService
from renewaltracker.services.rates import RateService
from renewaltracker.services.subscriptions import SubscriptionService

MONTHLY = Interval(1, Unit.MONTH)
YEARLY = Interval(1, Unit.YEAR)


def demo_subscriptions(today: date) -> list[Subscription]:
    """The demo set, with dates relative to `today` so the calendar always has something to show."""
    day = timedelta(days=1)
    return [
        Subscription(
            "Netflix Standard",
            Decimal("15.49"),
            "USD",
            MONTHLY,
            today - 110 * day,
            vendor="Netflix",
            category=_("Streaming"),
            payment_method="Visa 4242 4242 4242 4242",
            account="me@example.com",
            cancel_url="https://www.netflix.com/cancelplan",
            support_email="help@netflix.com",
        ),
        Subscription(
            "Spotify Premium Family",
            Decimal("19.99"),
            "USD",
            MONTHLY,
            today - 3 * day,
            vendor="Spotify",
            category=_("Music"),
            split_between=4,
            payment_method="PayPal",
            cancel_url="https://www.spotify.com/account/subscription/",
        ),
        Subscription(
            _("Adobe Photography plan"),
            Decimal("119.88"),
            "USD",
            YEARLY,
            today + 12 * day,
            vendor="Adobe",
            category=_("Software"),
            refund_days=14,
            order_number="AD-7731-2290",
            support_email="support@adobe.com",
            purchase_date=today + 12 * day - 365 * day,
            payment_method=_("Mastercard ending 5100"),
        ),
        Subscription(
            "The New York Times",
            Decimal("4.00"),
            "USD",
            Interval(4, Unit.WEEK),
            None,
            vendor="NYTimes",
            category=_("News"),
            status=Status.TRIAL,
            trial_end=today + 5 * day,
            cancel_url="https://myaccount.nytimes.com/seg/subscription",
            notes=_("Intro price for a year."),
        ),
        Subscription(
            _("FitZone gym"),
            Decimal("39.00"),
            "EUR",
            MONTHLY,
            today - 70 * day,
            vendor="FitZone GmbH",
            category=_("Health"),
            notice_days=30,
            order_number="M-104233",
            support_email="service@fitzone.example",
            payment_method=_("SEPA direct debit"),
        ),
        Subscription(
            _("Car insurance"),
            Decimal("486.00"),
            "EUR",
            YEARLY,
            today + 40 * day,
            vendor="Allianz",
            category=_("Insurance"),
            notice_days=30,
            order_number="KFZ-55-120-887",
            account=_("Policy holder: A. Example"),
        ),
        Subscription(
            _("example.dev domain"),
            Decimal("14.98"),
            "USD",
            YEARLY,
            today + 23 * day,
            vendor="Namecheap",
            category=_("Internet"),
            refund_days=5,
            order_number="NC-99812345",
        ),
        Subscription(
            "iCloud+ 200 GB",
            Decimal("2.99"),
            "USD",
            MONTHLY,
            today - 27 * day,
            vendor="Apple",
            category=_("Cloud storage"),
            payment_method=_("Apple ID balance"),
        ),
        Subscription(
            "Nintendo Switch Online",
            Decimal("2400"),
            "JPY",
            YEARLY,
            today + 70 * day,
            vendor="Nintendo",
            category=_("Games"),
            payment_method=_("Visa ending 4242"),
        ),
        Subscription(
            "Dropbox Plus",
            Decimal("11.99"),
            "USD",
            MONTHLY,
            today - 75 * day,
            vendor="Dropbox",
            category=_("Cloud storage"),
            status=Status.CANCELLED,
            cancelled_on=today - 10 * day,
            notes=_("Moved everything to iCloud."),
        ),
        Subscription(
            "Headspace",
            Decimal("12.99"),
            "USD",
            MONTHLY,
            today - 50 * day,
            vendor="Headspace",
            category=_("Health"),
            status=Status.PAUSED,
            pauses=(Pause(today - 15 * day),),
            support_email="help@headspace.com",
        ),
        Subscription(
            _("AppleCare+ for iPhone"),
            Decimal("9.99"),
            "USD",
            MONTHLY,
            today - 100 * day,
            vendor="Apple",
            category=_("Warranty"),
            end_count=24,
            purchase_date=today - 100 * day,
            refund_days=30,
            order_number="W1234567890",
        ),
        Subscription(
            "Spotify Premium Individual",
            Decimal("10.99"),
            "USD",
            MONTHLY,
            today - 20 * day,
            vendor="Spotify",
            category=_("Music"),
            payment_method="Google Play",
            last_used=today - 75 * day,
            notes=_("Sam's old account, from before the family plan."),
        ),
        Subscription(
            "1Password Families",
            Decimal("59.88"),
            "USD",
            YEARLY,
            today + 150 * day,
            vendor="1Password",
            category=_("Software"),
            fixed_share=Decimal("20.00"),
            notice_days=7,
        ),
        # An introductory price: 1.99 for the first three months, then 9.99 (price steps added in fill_demo).
        Subscription(
            "Streamly",
            Decimal("9.99"),
            "USD",
            MONTHLY,
            today - 40 * day,
            vendor="Streamly",
            category=_("Streaming"),
            payment_method=_("Visa ending 4242"),
        ),
    ]


# Demo extras: name → (tags, days since last used or None, payer, users). Names and tags are marked N_() and
# translated when the demo is made; the members' names suit every language.
_HOUSEHOLD: dict[str, tuple[tuple[str, ...], int | None, str, tuple[str, ...]]] = {
    "Netflix Standard": ((N_("family"), N_("tv")), 2, "Alex", ("Alex", "Sam", "Kim")),
    "Spotify Premium Family": ((N_("family"), N_("music")), 0, "Alex", ("Alex", "Sam", "Kim")),
    "Spotify Premium Individual": ((N_("music"),), None, "Sam", ("Sam",)),
    N_("Adobe Photography plan"): ((N_("work"),), 90, "Alex", ("Alex",)),
    N_("FitZone gym"): ((N_("health"),), 4, "Kim", ("Kim",)),
    N_("Car insurance"): ((N_("household"),), None, "Alex", ()),
    "iCloud+ 200 GB": ((N_("family"),), 1, "Kim", ("Alex", "Kim")),
    "Nintendo Switch Online": ((N_("games"),), 40, "Sam", ("Sam",)),
    "1Password Families": ((N_("family"), N_("work")), 3, "Alex", ("Alex", "Sam", "Kim")),
}


def _household() -> dict[str, tuple[tuple[str, ...], int | None, str, tuple[str, ...]]]:
    """The demo extras by the name the subscription has in the interface language."""
    return {
        _(name): (tuple(_(tag) for tag in tags), used, payer, users)
        for name, (tags, used, payer, users) in _HOUSEHOLD.items()
    }


def _with_extras(subscription: Subscription, today: date) -> Subscription:
    """The channel guessed from the payment method, as an upgrade does, plus tags and a last-used date."""
    tags, used_days_ago, _payer, _users = _household().get(subscription.name, ((), None, "", ()))
    last_used = subscription.last_used
    if used_days_ago is not None:
        last_used = today - timedelta(days=used_days_ago)
    return replace(subscription, channel=guess_channel(subscription.payment_method), tags=tags, last_used=last_used)


def fill_demo(service: SubscriptionService) -> list[Subscription]:
    """Add the demo set with a few recorded charges (one after a price increase), an introductory price, a
    household and exchange rates; returns what was saved (as added, before the price steps)."""
    today = service.clock.today()
    saved = [service.add(_with_extras(subscription, today)) for subscription in demo_subscriptions(today)]
    household = HouseholdService(service)
    for member in ("Alex", "Sam", "Kim"):
        household.add_member(member)
    extras = _household()
    for subscription in saved:
        if subscription.name in extras and subscription.id is not None:
            _tags, _used, payer, users = extras[subscription.name]
            household.assign(subscription.id, payer, list(users))
    rates = RateService(service)
    rates.set_rate("EUR", "USD", Decimal("1.0412"), today - timedelta(days=1))
    rates.set_rate("EUR", "JPY", Decimal("161.42"), today - timedelta(days=1))
    service.set_setting("home_currency", "USD")
    by_name = {subscription.name: subscription for subscription in saved}
    netflix, gym = by_name["Netflix Standard"], by_name[_("FitZone gym")]
    assert netflix.id is not None and gym.id is not None
    netflix_dates = list(netflix.schedule.charges_between(netflix.anchor_date, today))[-3:]
    for charge_day, amount in zip(netflix_dates, ("13.99", "13.99", "15.49"), strict=True):
        service.record_charge(netflix.id, charge_day, Decimal(amount), reference=f"NF-{charge_day:%Y%m}")
    skipped, debited = list(gym.schedule.charges_between(gym.anchor_date, today))[-2:]
    service.record_charge(gym.id, skipped, status=ChargeStatus.NOT_CHARGED, note=_("Gym closed for renovation."))
    service.record_charge(gym.id, debited, reference="SEPA-2291")
    streamly = by_name["Streamly"]
    assert streamly.id is not None
    fourth = list(streamly.schedule.charges_between(streamly.anchor_date, today + timedelta(days=120)))[3]
    service.change_price(streamly.id, Decimal("1.99"), streamly.anchor_date)
    service.change_price(streamly.id, streamly.amount, fourth)
    return saved
