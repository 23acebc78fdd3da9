"""Subscriptions still paid for and lying unused: the flag each row of the table shows (domain/review.py lists them)."""

from __future__ import annotations

from datetime import date

from renewaltracker.domain.costs import is_charging
from renewaltracker.domain.errors import ValidationError, message_day
from renewaltracker.domain.subscription import Subscription
from renewaltracker.i18n import _

# Not used for this long and still paid for: flagged in the window between reviews.
UNUSED_DAYS = 60


def days_unused(subscription: Subscription, today: date) -> int | None:
    """Days since the subscription was last used, or None when nobody recorded a use."""
    if subscription.last_used is None:
        return None
    return max(0, (today - subscription.last_used).days)


def is_unused(subscription: Subscription, today: date) -> bool:
    """Still charging (not paused today), and not used for UNUSED_DAYS days or more (unknown use is not flagged)."""
    days = days_unused(subscription, today)
    return days is not None and days >= UNUSED_DAYS and is_charging(subscription, today)


def check_used_on(day: date, today: date) -> None:
    """Refuse a use on a day still to come: it would hide every real use recorded before that day."""
    if day > today:
        raise ValidationError(
            "used", _("{day} is in the future; record a use once it happened").format(day=message_day(day))
        )
