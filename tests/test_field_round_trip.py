"""Every field of a subscription survives each mapping; the generator sets every field, listed from the dataclass.

A field added to `Subscription` without a strategy here fails at collection; one not carried by the repository,
the calendar data or the CLI's JSON fails the round trips below.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewaltracker.cli.output import JSON_KEYS, subscription_json
from renewaltracker.domain.channels import Channel
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import Status, Subscription
from renewaltracker.domain.subscription_fields import DATA_FIELDS
from renewaltracker.services.calendar_data import subscription_data, subscription_from_data
from renewaltracker.storage.database import Database
from renewaltracker.storage.repositories import SubscriptionRepository

WORDS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzÄéß "), min_size=1, max_size=30).map(str.strip).filter(bool)
DAYS = st.dates(date(2000, 1, 1), date(2040, 12, 31))
MOMENTS = st.datetimes(datetime(2000, 1, 1), datetime(2040, 1, 1), timezones=st.just(UTC))
LATER = st.integers(1, 3000).map(lambda days: timedelta(days=days))

# One strategy per field, each drawing a value other than the field's default.
FIELD_STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "name": WORDS,
    "amount": st.integers(100, 999_999).map(lambda cents: Decimal(cents) / 100),
    "currency": st.sampled_from(["USD", "EUR", "GBP"]),
    "interval": st.builds(Interval, st.integers(1, 12), st.sampled_from(list(Unit))).filter(
        lambda interval: interval != Interval(1, Unit.MONTH)
    ),
    "anchor": DAYS,
    "id": st.integers(1, 10_000),
    "vendor": WORDS,
    "category": WORDS,
    "notes": WORDS,
    "status": st.sampled_from([Status.TRIAL, Status.PAUSED, Status.CANCELLED]),
    "trial_end": DAYS,
    "end_date": LATER,  # after the anchor, below
    "end_count": st.integers(1, 500),
    "cancelled_on": DAYS,
    "pauses": st.lists(st.tuples(DAYS, st.integers(1, 400)), min_size=1, max_size=3),  # made open/closed below
    "keep_clipped_day": st.just(True),
    "notice_days": st.integers(1, 366),
    "refund_days": st.integers(1, 366),
    "reminder_days": st.lists(st.integers(0, 366), min_size=1, max_size=4, unique=True).map(tuple),
    "payment_method": WORDS,
    "account": WORDS,
    "order_number": WORDS.map(lambda text: text.replace(" ", "-")),
    "purchase_date": DAYS,
    "support_email": WORDS.map(lambda text: text.replace(" ", "") + "@example.com"),
    "cancel_url": WORDS.map(lambda text: "https://example.com/" + text.replace(" ", "-")),
    "postal_address": WORDS.map(lambda text: text + ", 1 Main St, Springfield"),
    "channel": st.sampled_from([c for c in Channel if c is not Channel.OTHER]),
    "letter_language": st.sampled_from(["en", "de", "fr"]),
    "last_used": st.dates(date(2000, 1, 1), date(2026, 3, 10)),  # a use is in the past (the tests' clock is 2026-03-10)
    "tags": st.lists(WORDS.map(lambda text: text.replace(" ", "")), min_size=1, max_size=3, unique_by=str.casefold).map(
        lambda tags: tuple(sorted(tags, key=str.casefold))
    ),
    "split_between": st.integers(2, 20),
    "fixed_share": st.integers(1, 100),  # percent of the amount, below
    "created_at": MOMENTS,
    "updated_at": MOMENTS,
    "revision": st.integers(1, 1000),
}
# The domain refuses both at once, so each example sets one of them.
EITHER_OR = ("split_between", "fixed_share")


@st.composite
def every_field_set(draw: st.DrawFn) -> Subscription:
    values = {name: draw(FIELD_STRATEGIES[name]) for name in DATA_FIELDS}  # KeyError: a field without a strategy
    values["end_date"] = values["anchor"] + values["end_date"]
    values["fixed_share"] = (values["amount"] * values["fixed_share"] / 100).quantize(Decimal("0.01"))
    values[draw(st.sampled_from(EITHER_OR))] = None
    pauses = sorted(values["pauses"])
    values["pauses"] = tuple(Pause(start, start + timedelta(days=length)) for start, length in pauses)
    if values["status"] is Status.PAUSED:
        last = max(pause.end for pause in values["pauses"] if pause.end is not None)
        values["pauses"] = (*values["pauses"], Pause(last + timedelta(days=1)))
    return Subscription(**values)


def unset_fields(subscription: Subscription) -> set[str]:
    defaults = Subscription(
        name="X0", amount=Decimal(0), currency="USD", interval=Interval(1, Unit.MONTH), anchor=date(1999, 1, 1)
    )
    return {name for name in DATA_FIELDS if getattr(subscription, name) == getattr(defaults, name)}


def test_the_generator_sets_every_field() -> None:
    """Guards the guard: a default value slipping through would let a dropped field go unnoticed."""

    @given(every_field_set())
    def check(subscription: Subscription) -> None:
        unset = unset_fields(subscription) - {"currency"}  # USD is both a default here and a drawn value
        assert len(unset & set(EITHER_OR)) == 1 and not unset - set(EITHER_OR)

    check()


# The repository owns these: it assigns the id and keeps the timestamps and edit count itself.
REPOSITORY_OWNED = {"id", "created_at", "updated_at", "revision"}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # each example rolls back
@given(subscription=every_field_set())
def test_domain_repository_domain(database: Database, subscription: Subscription) -> None:
    now = datetime(2026, 3, 10, 8, 30, tzinfo=UTC)
    with database.sessions() as session:  # never committed
        repository = SubscriptionRepository(session)
        saved = repository.add(replace(subscription, id=None), now)
        assert saved.id is not None
        session.expunge_all()  # read the row back from the database, not the session's copy
        read_back = [repository.get(saved.id), *repository.all()]  # the ORM path and the plain-row path
        session.rollback()
    for back in read_back:
        for name in set(DATA_FIELDS) - REPOSITORY_OWNED:
            assert getattr(back, name) == getattr(subscription, name), name
        assert (back.id, back.created_at, back.updated_at, back.revision) == (saved.id, now, now, 0)


@given(every_field_set())
def test_domain_calendar_data_domain(subscription: Subscription) -> None:
    back = subscription_from_data(subscription_data(subscription))
    for name in DATA_FIELDS:
        if name != "id":  # a local id means nothing in another database
            assert getattr(back, name) == getattr(subscription, name), name


@given(every_field_set())
def test_domain_json_keys(subscription: Subscription) -> None:
    data = subscription_json(subscription, date(2026, 3, 10))
    for name in DATA_FIELDS:
        assert JSON_KEYS.get(name, name) in data, name
    assert data["id"] == subscription.id and data["name"] == subscription.name
    assert data["amount"] == str(subscription.amount) and data["every"] == str(subscription.interval)
    assert data["start"] == subscription.anchor.isoformat() if subscription.anchor else data["start"] is None
    assert data["created_at"] == (subscription.created_at.isoformat() if subscription.created_at else None)
