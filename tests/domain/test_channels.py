"""Billing channels: guessed from payment-method text, parsed from the CLI, each with cancel and refund steps."""

from __future__ import annotations

import pytest

from renewaltracker.domain.channel_drafts import channel_context, channel_template, is_form_text
from renewaltracker.domain.channels import CHANNEL_GUIDES, Channel, guess_channel, parse_channel
from renewaltracker.domain.drafts import DraftKind
from renewaltracker.domain.errors import ValidationError


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("PayPal", Channel.PAYPAL),
        ("paypal (Visa ending 4242)", Channel.PAYPAL),
        ("App Store", Channel.APP_STORE),
        ("Apple ID billing", Channel.APP_STORE),
        ("Apple Pay", Channel.CARD),
        ("Google Play", Channel.GOOGLE_PLAY),
        ("SEPA direct debit", Channel.BANK_DEBIT),
        ("Direct debit", Channel.BANK_DEBIT),
        ("bank account", Channel.BANK_DEBIT),
        ("Bank transfer on invoice", Channel.INVOICE),
        ("Visa ending 4242", Channel.CARD),
        ("Mastercard", Channel.CARD),
        ("AMEX", Channel.CARD),
        ("ending 1234", Channel.CARD),
        ("Amazon Pay", Channel.AMAZON),
        ("phone bill", Channel.CARRIER),
        ("", Channel.OTHER),
        ("cash", Channel.OTHER),
    ],
)
def test_the_channel_is_guessed_from_the_payment_method(text: str, channel: Channel) -> None:
    assert guess_channel(text) is channel


def test_every_channel_has_steps_and_store_channels_point_to_the_store() -> None:
    assert set(CHANNEL_GUIDES) == set(Channel)
    for guide in CHANNEL_GUIDES.values():
        assert guide.cancel and guide.refund
    apple = CHANNEL_GUIDES[Channel.APP_STORE]
    assert any("reportaproblem.apple.com" in step.url for step in apple.refund)
    assert any("apple.com" in step.url for step in apple.cancel) and apple.store
    assert any(
        "play.google.com/store/account/subscriptions" in s.url for s in CHANNEL_GUIDES[Channel.GOOGLE_PLAY].cancel
    )
    assert any("paypal.com" in step.url for step in CHANNEL_GUIDES[Channel.PAYPAL].cancel)
    assert any("bank" in step.text for step in CHANNEL_GUIDES[Channel.BANK_DEBIT].cancel)


def test_channels_parse_by_value_or_label_and_refuse_others() -> None:
    assert parse_channel("app_store") is Channel.APP_STORE
    assert parse_channel("Apple App Store") is Channel.APP_STORE
    assert parse_channel("google-play") is Channel.GOOGLE_PLAY
    with pytest.raises(ValidationError, match="channel"):
        parse_channel("carrier pigeon")


def test_letters_follow_the_channel() -> None:
    assert channel_template(DraftKind.REFUND, Channel.APP_STORE) == "app-store-problem"
    assert is_form_text(DraftKind.REFUND, Channel.APP_STORE)
    assert channel_template(DraftKind.BANK_STOP, Channel.PAYPAL) == "bank-stop-paypal"
    assert not is_form_text(DraftKind.BANK_STOP, Channel.PAYPAL)
    assert channel_template(DraftKind.REFUND, Channel.CARD) is None
    assert channel_context(Channel.APP_STORE)["channel_refund_url"] == "https://reportaproblem.apple.com/"
    assert channel_context(Channel.PAYPAL)["paypal_agreement"] is True
