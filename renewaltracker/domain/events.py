"""Dated events of a subscription: charges, trial ends, cancel-by deadlines, refund-window ends."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from datetime import date, timedelta
from datetime import date as Date
from decimal import Decimal
from enum import StrEnum
from operator import itemgetter
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


def _new_event(*fields: object) -> Event:
    # tuple.__new__ skips NamedTuple's Python-level constructor: the calendar builds ~10⁵ of these at once.
    return tuple.__new__(Event, fields)


def _collect(subscription: Subscription, start: date, end: date, buckets: dict[EventKind, list[Event]]) -> None:
    sid = subscription.id if subscription.id is not None else 0
    name = subscription.name
    amount = subscription.amount
    currency = subscription.currency
    notice = subscription.notice_days or 0
    refund = subscription.refund_days or 0
    # One expansion covers the charges, the deadlines before them and the refund windows after them.
    charges = subscription.schedule.charge_list(start - timedelta(days=refund), end + timedelta(days=notice))
    new = tuple.__new__
    bucket = buckets[EventKind.CHARGE]
    kind: EventKind = EventKind.CHARGE
    for day in charges:
        if start <= day <= end:
            bucket.append(new(Event, (day, kind, sid, name, amount, currency, day)))
    if notice:
        lead = timedelta(days=notice)
        bucket = buckets[EventKind.CANCEL_BY]
        kind = EventKind.CANCEL_BY
        for day in charges:
            deadline = day - lead
            if start <= deadline <= end:
                bucket.append(new(Event, (deadline, kind, sid, name, amount, currency, day)))
    if refund:
        lag = timedelta(days=refund)
        bucket = buckets[EventKind.REFUND_WINDOW_END]
        kind = EventKind.REFUND_WINDOW_END
        for day in charges:
            closes = day + lag
            if start <= closes <= end:
                bucket.append(new(Event, (closes, kind, sid, name, amount, currency, day)))
    trial_end = subscription.trial_end
    if trial_end is not None and start <= trial_end <= end:
        event = _new_event(trial_end, EventKind.TRIAL_END, sid, name, amount, currency, trial_end)
        buckets[EventKind.TRIAL_END].append(event)


def subscription_events(subscription: Subscription, start: date, end: date) -> list[Event]:
    """All events of one subscription dated within [start, end], sorted."""
    return events_between([subscription], start, end)


def events_between(subscriptions: Iterable[Subscription], start: date, end: date) -> list[Event]:
    """Every event of the subscriptions within [start, end], sorted by date, then urgency, then input order."""
    buckets: dict[EventKind, list[Event]] = {kind: [] for kind in sorted(KIND_ORDER, key=KIND_ORDER.__getitem__)}
    # Events are acyclic tuples; pausing the cycle collector spares it rescanning ~10⁵ new objects repeatedly.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for subscription in subscriptions:
            _collect(subscription, start, end, buckets)
    finally:
        if collecting:
            gc.enable()
    events = [event for bucket in buckets.values() for event in bucket]
    # A stable sort on the date alone keeps the urgency order the buckets were joined in.
    events.sort(key=itemgetter(0))
    return events


def next_cancel_by(subscription: Subscription, today: date) -> tuple[date, date] | None:
    """The next cancel-by deadline not yet passed and the charge it guards."""
    if not subscription.notice_days:
        return None
    charge = subscription.next_charge(today + timedelta(days=subscription.notice_days))
    if charge is None:
        return None
    return charge - timedelta(days=subscription.notice_days), charge
