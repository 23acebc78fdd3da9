"""Letters that follow the billing channel: which template a kind uses for a channel, and what it may mention."""

from __future__ import annotations

from typing import Any

from renewaltracker.domain.channels import CHANNEL_GUIDES, Channel
from renewaltracker.domain.drafts import DraftKind

_STORE_REFUND_KINDS = frozenset({DraftKind.REFUND, DraftKind.TRIAL_REFUND, DraftKind.DISPUTE})
# (kind, channel) → the template written for that channel instead of the kind's own letter to the vendor.
_CHANNEL_TEMPLATES: dict[tuple[DraftKind, Channel], str] = {
    **{(kind, Channel.APP_STORE): "app-store-problem" for kind in _STORE_REFUND_KINDS},
    **{(kind, Channel.GOOGLE_PLAY): "google-play-refund" for kind in _STORE_REFUND_KINDS},
    (DraftKind.BANK_STOP, Channel.PAYPAL): "bank-stop-paypal",
}


def channel_template(kind: DraftKind, channel: Channel) -> str | None:
    """The template name (without suffix) this channel needs for `kind`, or None for the kind's usual one."""
    return _CHANNEL_TEMPLATES.get((kind, channel))


def is_form_text(kind: DraftKind, channel: Channel) -> bool:
    """True when the draft is pasted into a store's form rather than mailed to the vendor (no recipient)."""
    return (kind, channel) in _CHANNEL_TEMPLATES and kind is not DraftKind.BANK_STOP


def channel_context(channel: Channel) -> dict[str, Any]:
    """The channel facts a template may use: its name and the pages where it cancels and refunds."""
    guide = CHANNEL_GUIDES[channel]
    return {
        "channel": channel.value,
        "channel_label": guide.label,
        "channel_refund_url": next((step.url for step in guide.refund if step.url), ""),
        "channel_cancel_url": next((step.url for step in guide.cancel if step.url), ""),
        "paypal_agreement": channel is Channel.PAYPAL,
    }
