"""Billing channels: who actually takes the money, and so where to cancel and where to ask for a refund."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import NamedTuple

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.patterns import compiled
from renewaltracker.i18n import N_, _


class Channel(StrEnum):
    CARD = "card"
    BANK_DEBIT = "bank_debit"
    PAYPAL = "paypal"
    APP_STORE = "app_store"
    GOOGLE_PLAY = "google_play"
    AMAZON = "amazon"
    CARRIER = "carrier"
    INVOICE = "invoice"
    OTHER = "other"


class Step(NamedTuple):
    """One thing to do, with the page where it is done ("" when there is no page to link)."""

    text: str
    url: str = ""


class ChannelGuide(NamedTuple):
    """How a channel is named, cancelled and refunded; `store` is True when the vendor cannot cancel it."""

    label: str
    cancel: tuple[Step, ...]
    refund: tuple[Step, ...]
    store: bool = False


_VENDOR_CANCEL = Step(N_("Cancel with the vendor: its cancellation page, or the cancel letter (Drafts)."))
_VENDOR_REFUND = Step(N_("Ask the vendor for a refund: the refund letter (Drafts)."))

# The one table of channel steps: the detail pane, the CLI's `show` and the letters read it.
CHANNEL_GUIDES: dict[Channel, ChannelGuide] = {
    Channel.CARD: ChannelGuide(
        N_("Card"),
        (_VENDOR_CANCEL,),
        (_VENDOR_REFUND, Step(N_("If the vendor refuses a charge you did not owe, dispute it with your card issuer."))),
    ),
    Channel.BANK_DEBIT: ChannelGuide(
        N_("Bank debit"),
        (
            _VENDOR_CANCEL,
            Step(N_("Then revoke the direct-debit mandate at your bank, so no further debit goes through.")),
        ),
        (
            _VENDOR_REFUND,
            Step(
                N_("An unauthorised or disputed debit can be returned by your bank (SEPA: 8 weeks, no reason needed).")
            ),
        ),
    ),
    Channel.PAYPAL: ChannelGuide(
        N_("PayPal"),
        (
            _VENDOR_CANCEL,
            Step(
                N_("Revoke the pre-approved payment in PayPal (Settings → Payments → Automatic payments)."),
                "https://www.paypal.com/myaccount/autopay/",
            ),
        ),
        (
            _VENDOR_REFUND,
            Step(
                N_("If the vendor does not answer, open a dispute in PayPal's Resolution Centre."),
                "https://www.paypal.com/disputes/",
            ),
        ),
    ),
    Channel.APP_STORE: ChannelGuide(
        N_("Apple App Store"),
        (
            Step(
                N_(
                    "Cancel in Apple's subscription settings (iPhone: Settings → your name → Subscriptions); "
                    "the vendor cannot cancel an App Store subscription."
                ),
                "https://apps.apple.com/account/subscriptions",
            ),
        ),
        (
            Step(
                N_("Ask Apple, not the vendor: report a problem with the charge."), "https://reportaproblem.apple.com/"
            ),
        ),
        store=True,
    ),
    Channel.GOOGLE_PLAY: ChannelGuide(
        N_("Google Play"),
        (
            Step(
                N_("Cancel in Google Play (Payments & subscriptions → Subscriptions); uninstalling the app does not."),
                "https://play.google.com/store/account/subscriptions",
            ),
        ),
        (
            Step(
                N_("Ask Google for a refund within 48 hours of the charge, later ask the developer."),
                "https://support.google.com/googleplay/workflow/9813244",
            ),
        ),
        store=True,
    ),
    Channel.AMAZON: ChannelGuide(
        N_("Amazon"),
        (
            Step(
                N_("Cancel in Amazon's Memberships & Subscriptions."),
                "https://www.amazon.com/yourmembershipsandsubscriptions",
            ),
        ),
        (
            Step(
                N_("Ask Amazon's customer service for the refund."),
                "https://www.amazon.com/gp/help/customer/contact-us",
            ),
        ),
        store=True,
    ),
    Channel.CARRIER: ChannelGuide(
        N_("Mobile carrier"),
        (_VENDOR_CANCEL, Step(N_("Ask your carrier to block third-party billing on your line."))),
        (Step(N_("Ask your carrier to reverse the charge on your phone bill.")),),
    ),
    Channel.INVOICE: ChannelGuide(
        N_("Invoice"),
        (_VENDOR_CANCEL,),
        (Step(N_("Do not pay an invoice for a period after your cancellation; contest it in writing.")),),
    ),
    Channel.OTHER: ChannelGuide(N_("Other"), (_VENDOR_CANCEL,), (_VENDOR_REFUND,)),
}

# Checked in order: "PayPal (Visa)" is billed by PayPal, "Apple Pay" is a card.
_GUESSES: tuple[tuple[str, Channel], ...] = (
    (r"pay\s*pal", Channel.PAYPAL),
    (r"app\s*store|itunes|apple(?!\s*pay)", Channel.APP_STORE),
    (r"google\s*play|play\s*store", Channel.GOOGLE_PLAY),
    (r"amazon", Channel.AMAZON),
    (r"invoice|rechnung|bank\s*transfer", Channel.INVOICE),
    (r"sepa|direct\s*debit|lastschrift|\bbank\b|\biban\b|\bach\b", Channel.BANK_DEBIT),
    (r"carrier|phone\s*bill|mobile|vodafone|verizon|t-mobile|\bo2\b", Channel.CARRIER),
    (
        r"visa|master\s*card|amex|american\s*express|discover|maestro|\bcard\b|ending\s*\d{4}|•+\s*\d{4}|apple\s*pay",
        Channel.CARD,
    ),
)


def guess_channel(payment_method: str) -> Channel:
    """The channel a payment-method label names ("PayPal", "Visa ending 4242"), else OTHER."""
    for pattern, channel in _GUESSES:
        if compiled(pattern, re.IGNORECASE).search(payment_method or ""):
            return channel
    return Channel.OTHER


def parse_channel(text: str) -> Channel:
    """A channel from its value ("app_store") or label ("Apple App Store"); raises ValidationError."""
    key = (text or "").strip().casefold().replace("-", "_").replace(" ", "_")
    for channel, guide in CHANNEL_GUIDES.items():
        if key in (channel.value, guide.label.casefold().replace(" ", "_")):
            return channel
    raise ValidationError(
        "channel", _("{text!r} is not one of: {choices}").format(text=text, choices=", ".join(c.value for c in Channel))
    )
