"""Support contacts: who was reached, how, with which case number, and what came of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from renewaltracker.domain.errors import ValidationError, message_day
from renewaltracker.domain.payment import redact_card_like
from renewaltracker.i18n import _

MAX_SHORT_TEXT = 200
MAX_LONG_TEXT = 10_000


class Channel(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    CHAT = "chat"
    WEB_FORM = "web_form"
    IN_PERSON = "in_person"
    LETTER = "letter"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


def parse_channel(text: str) -> Channel:
    """Accept "web form", "web-form" or "web_form"; name the choices when the text is none of them."""
    cleaned = "_".join((text or "").strip().lower().replace("-", " ").split())
    try:
        return Channel(cleaned)
    except ValueError:
        choices = ", ".join(channel.label for channel in Channel)
        raise ValidationError(
            "channel", _("{text!r} is not one of: {choices}").format(text=text, choices=choices)
        ) from None


def _short(value: str, field: str) -> str:
    cleaned = " ".join(value.split())
    if len(cleaned) > MAX_SHORT_TEXT:
        raise ValidationError(
            field, _("is longer than {max_short_text} characters").format(max_short_text=MAX_SHORT_TEXT)
        )
    return cleaned


def _long(value: str, field: str) -> str:
    cleaned = redact_card_like(value.strip())
    if len(cleaned) > MAX_LONG_TEXT:
        raise ValidationError(field, _("is longer than {max_long_text} characters").format(max_long_text=MAX_LONG_TEXT))
    return cleaned


@dataclass(frozen=True, slots=True)
class Contact:
    """One contact with a vendor's support about a subscription."""

    subscription_id: int
    at: datetime
    channel: Channel
    case_number: str = ""
    agent: str = ""
    summary: str = ""
    outcome: str = ""
    follow_up: date | None = None
    id: int | None = None
    request_id: int | None = None
    promised: str = ""
    promised_by: date | None = None

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValidationError("at", _("needs a time zone"))
        set_ = object.__setattr__
        set_(self, "channel", Channel(self.channel))
        set_(self, "case_number", redact_card_like(_short(self.case_number, "case")))
        set_(self, "agent", _short(self.agent, "agent"))
        set_(self, "summary", _long(self.summary, "summary"))
        set_(self, "outcome", _long(self.outcome, "outcome"))
        set_(self, "promised", _long(self.promised, "promised"))
        if self.follow_up is not None and self.follow_up < self.at.date():
            raise ValidationError(
                "follow-up",
                _("{follow_up} is before the contact itself ({at})").format(
                    follow_up=message_day(self.follow_up), at=message_day(self.at.date())
                ),
            )

    def matches(self, text: str) -> bool:
        """True when every word of `text` appears somewhere in the contact (case-insensitive)."""
        haystack = " ".join(
            (
                self.channel.label,
                self.case_number,
                self.agent,
                self.summary,
                self.outcome,
                self.promised,
                self.at.date().isoformat(),
            )
        ).casefold()
        return all(word in haystack for word in text.casefold().split())
