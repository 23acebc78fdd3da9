"""Dated events of a subscription: charges, trial ends, cancel-by deadlines, refund-window ends."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from datetime import date as Date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from renewaltracker.domain.subscription import Subscription


class EventKind(StrEnum):
    CHARGE = "charge"
    TRIAL_END = "trial_end"
    CANCEL_BY = "cancel_by"
    REFUND_WINDOW_END = "refund_window_end"
    # Not produced by a schedule: a contact-log entry's follow-up date, fed to reminders by its own service.
    FOLLOW_UP = "follow_up"


# Same-day events sort with the most urgent first: a deadline matters more than the charge it guards.
KIND_ORDER = {
    EventKind.CANCEL_BY: 0,
    EventKind.TRIAL_END: 1,
    EventKind.CHARGE: 2,
    EventKind.REFUND_WINDOW_END: 3,
    EventKind.FOLLOW_UP: 4,
}


class Event(NamedTuple):
    """One dated event; `charge_date` is the charge a deadline belongs to."""

    date: Date
    kind: EventKind
    subscription_id: int
    name: str
    amount: Decimal
    currency: str
    charge_date: Date

    def sort_key(self) -> tuple[Date, int, str, int]:
        return (self.date, KIND_ORDER[self.kind], self.name.casefold(), self.subscription_id)


def subscription_events(subscription: Subscription, start: date, end: date) -> list[Event]:
    """All events of one subscription dated within [start, end], unsorted."""
    sid = subscription.id if subscription.id is not None else 0
    name = subscription.name
    amount = subscription.amount
    currency = subscription.currency
    schedule = subscription.schedule
    events = [
        Event(day, EventKind.CHARGE, sid, name, amount, currency, day) for day in schedule.charges_between(start, end)
    ]
    notice = subscription.notice_days
    if notice:
        lead = timedelta(days=notice)
        events.extend(
            Event(day - lead, EventKind.CANCEL_BY, sid, name, amount, currency, day)
            for day in schedule.charges_between(start + lead, end + lead)
        )
    refund = subscription.refund_days
    if refund:
        lag = timedelta(days=refund)
        events.extend(
            Event(day + lag, EventKind.REFUND_WINDOW_END, sid, name, amount, currency, day)
            for day in schedule.charges_between(start - lag, end - lag)
        )
    trial_end = subscription.trial_end
    if trial_end is not None and start <= trial_end <= end:
        events.append(Event(trial_end, EventKind.TRIAL_END, sid, name, amount, currency, trial_end))
    return events


def events_between(subscriptions: Iterable[Subscription], start: date, end: date) -> list[Event]:
    """Every event of the subscriptions within [start, end], sorted by date then urgency."""
    events: list[Event] = []
    for subscription in subscriptions:
        events.extend(subscription_events(subscription, start, end))
    events.sort(key=Event.sort_key)
    return events


def next_cancel_by(subscription: Subscription, today: date) -> tuple[date, date] | None:
    """The next cancel-by deadline not yet passed and the charge it guards."""
    if not subscription.notice_days:
        return None
    charge = subscription.next_charge(today + timedelta(days=subscription.notice_days))
    if charge is None:
        return None
    return charge - timedelta(days=subscription.notice_days), charge
