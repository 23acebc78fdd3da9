"""An amount or an outcome named in a message from the domain or the services is written as the interface language
writes it ("$39.99", "39,99 $", "lost" → "verloren"), never as "39.99 USD" or the command line's English word."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.letter_phrases import format_money
from renewaltracker.domain.money import quantize
from renewaltracker.domain.requests import Outcome, Request, RequestKind
from renewaltracker.domain.subscription import Charge
from renewaltracker.i18n import INTERFACE_LANGUAGES, install_language
from renewaltracker.services.subscriptions import SubscriptionService
from tests.factories import make_subscription

DAY = date(2026, 3, 5)
CURRENCIES = st.sampled_from(["USD", "EUR", "JPY", "BHD", "CHF"])
AMOUNTS = st.decimals(Decimal("1"), Decimal("99999"), places=3)  # at least 1: 0.01 JPY is a charge of 0


def said(attempt: Callable[[], object]) -> str:
    with pytest.raises(ValidationError) as raised:
        attempt()
    return raised.value.problem


def written(amount: Decimal, currency: str, language: str) -> tuple[str, str]:
    """How the language writes the amount, and the raw form that must not show (French writes yen as "1 JPY")."""
    amount = quantize(amount, currency)
    shown = format_money(amount, currency, language)
    return shown, f"{amount} {currency}" if shown != f"{amount} {currency}" else "\0"


@pytest.mark.parametrize("language", INTERFACE_LANGUAGES)
@given(amount=AMOUNTS, currency=CURRENCIES, more=st.integers(1, 500))
def test_a_refund_or_a_recovery_beyond_the_amount_names_it_as_the_language_writes_it(
    language: str, amount: Decimal, currency: str, more: int
) -> None:
    install_language(language)
    charge = quantize(amount, currency)
    beyond = charge + more
    refund = said(lambda: Charge(1, DAY, charge, currency, refunded_amount=beyond, refunded_on=DAY))
    request = Request(1, RequestKind.REFUND, DAY, currency, amount=charge)
    recovery = said(lambda: request.resolve(Outcome.WON, DAY, recovered=beyond))
    for message in (refund, recovery):
        shown, raw = written(charge, currency, language)
        assert shown in message and raw not in message, message
    shown, raw = written(beyond, currency, language)
    assert shown in recovery and raw not in recovery, recovery


@pytest.mark.parametrize("language", INTERFACE_LANGUAGES)
def test_a_duplicate_charge_names_its_amount_as_the_language_writes_it(
    service: SubscriptionService, language: str
) -> None:
    saved = service.add(make_subscription(name="Gym", anchor=date(2026, 1, 5), currency="EUR"))
    assert saved.id is not None
    sid = saved.id

    @given(amount=AMOUNTS)
    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    def names_it(amount: Decimal) -> None:
        install_language(language)
        day = date(2026, 1, 5)
        for charge in service.charges(sid):
            service.delete_charge(sid, charge.id or 0)
        service.record_charge(sid, day, amount)
        message = said(lambda: service.record_charge(sid, day, amount))
        shown, raw = written(amount, "EUR", language)
        assert shown in message and raw not in message, message

    names_it()


@pytest.mark.parametrize("language", ["de", "fr"])
@pytest.mark.parametrize("outcome", list(Outcome))
def test_a_refused_outcome_is_named_in_the_language(language: str, outcome: Outcome) -> None:
    install_language(language)
    request = Request(1, RequestKind.REFUND, DAY, "EUR", amount=Decimal("10"))
    resolved = request.resolve(outcome, DAY, recovered=Decimal("5") if outcome is Outcome.PARTLY else None)
    again = said(lambda: resolved.resolve(Outcome.WON, DAY))
    assert outcome.label in again and f"({outcome.value})" not in again, again
    if outcome in (Outcome.LOST, Outcome.DROPPED):
        nothing = said(lambda: request.resolve(outcome, DAY, recovered=Decimal("1")))
        assert outcome.label in nothing and f" {outcome.value} " not in nothing, nothing
