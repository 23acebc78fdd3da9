"""The kinds and tones of draft emails: a module of its own so the command line's help names them cheaply."""

from __future__ import annotations

from enum import StrEnum

from renewaltracker.domain.errors import ValidationError
from renewaltracker.i18n import N_, _


class DraftKind(StrEnum):
    CANCEL = "cancel"
    REFUND = "refund"
    TRIAL_REFUND = "trial-refund"
    DISPUTE = "dispute"
    PRICE_INCREASE = "price-increase"
    FOLLOW_UP = "follow-up"
    BANK_STOP = "bank-stop"

    @property
    def label(self) -> str:
        """What the letter is for, in the interface language."""
        return _(_KIND_LABELS[self])

    @property
    def names_a_charge(self) -> bool:
        """Kinds written about one particular charge."""
        return self in (DraftKind.REFUND, DraftKind.TRIAL_REFUND, DraftKind.DISPUTE, DraftKind.PRICE_INCREASE)


_KIND_LABELS = {
    DraftKind.CANCEL: N_("Cancel the subscription"),
    DraftKind.REFUND: N_("Refund an unwanted renewal"),
    DraftKind.TRIAL_REFUND: N_("Refund after a trial converted"),
    DraftKind.DISPUTE: N_("Unrecognised or duplicate charge"),
    DraftKind.PRICE_INCREASE: N_("Object to a price increase"),
    DraftKind.FOLLOW_UP: N_("Follow up on an earlier contact"),
    DraftKind.BANK_STOP: N_("Ask my bank to stop the payments"),
}


class Tone(StrEnum):
    FRIENDLY = "friendly"
    NEUTRAL = "neutral"
    FIRM = "firm"

    @property
    def label(self) -> str:
        """The tone's name in the interface language ("Friendly")."""
        return _(_TONE_LABELS[self])


_TONE_LABELS = {Tone.FRIENDLY: N_("Friendly"), Tone.NEUTRAL: N_("Neutral"), Tone.FIRM: N_("Firm")}


def parse_kind(text: str) -> DraftKind:
    cleaned = (text or "").strip().lower().replace("_", "-")
    try:
        return DraftKind(cleaned)
    except ValueError:
        raise ValidationError(
            "kind", _("{text!r} is not one of: {choices}").format(text=text, choices=", ".join(DraftKind))
        ) from None


def parse_tone(text: str) -> Tone:
    try:
        return Tone((text or "").strip().lower())
    except ValueError:
        raise ValidationError(
            "tone", _("{text!r} is not one of: {choices}").format(text=text, choices=", ".join(Tone))
        ) from None
