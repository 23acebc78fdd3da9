"""The reminder engine: when each warning before a charge, trial end or deadline falls due, and what it says."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from renewaltracker.domain.drafts import format_day, format_money
from renewaltracker.domain.events import Event, EventKind, events_between
from renewaltracker.domain.subscription import Subscription

# The kinds a user is warned about; refund-window ends are shown in the calendar but not pushed.
REMINDED_KINDS = frozenset({EventKind.CHARGE, EventKind.TRIAL_END, EventKind.CANCEL_BY, EventKind.FOLLOW_UP})
# A follow-up is a date the user chose to act on, so it is reminded on the day itself.
FOLLOW_UP_LEAD_DAYS: tuple[int, ...] = (0,)


@dataclass(frozen=True, slots=True, order=True)
class ReminderKey:
    """What makes a reminder itself, independent of the time of day it is shown: recorded once delivered."""

    subscription_id: int
    kind: EventKind
    event_date: date
    lead_days: int

    def text(self) -> str:
        return f"{self.subscription_id}:{self.kind.value}:{self.event_date.isoformat()}:{self.lead_days}"

    @classmethod
    def parse(cls, text: str) -> ReminderKey:
        """The inverse of `text()`; raises ValueError on anything else."""
        parts = text.split(":")
        if len(parts) != 4:
            raise ValueError(f"{text!r} is not a reminder key")
        sid, kind, day, lead = parts
        return cls(int(sid), EventKind(kind), date.fromisoformat(day), int(lead))


@dataclass(frozen=True, slots=True)
class Reminder:
    """One warning: the event it is about, when it falls due, and the cancel-by date guarding a charge."""

    key: ReminderKey
    due_at: datetime
    event: Event
    cancel_by: date | None = None

    @property
    def subscription_id(self) -> int:
        return self.event.subscription_id

    def title(self) -> str:
        # Dates and money as the letters write them ("3 December 2026", "$2.99"): one way, never ambiguous.
        event = self.event
        money = format_money(event.amount, event.currency)
        if event.kind is EventKind.CANCEL_BY:
            return f"Cancel {event.name} by {format_day(event.date)} to avoid the next charge"
        if event.kind is EventKind.TRIAL_END:
            return f"{event.name}: trial ends {format_day(event.date)}"
        if event.kind is EventKind.FOLLOW_UP:
            return f"Follow up with {event.name} on {format_day(event.date)}"
        return f"{event.name} charges {money} on {format_day(event.date)}"

    def body(self, today: date) -> str:
        """What to do, phrased for `today` (a reminder shown late still names the right day)."""
        event = self.event
        money = format_money(event.amount, event.currency)
        when = _relative_day(event.date, today)
        if event.kind is EventKind.CANCEL_BY:
            return (
                f"Cancel {when} ({format_day(event.date)}) to avoid the charge of {money} "
                f"on {format_day(event.charge_date)}."
            )
        if event.kind is EventKind.TRIAL_END:
            return f"The trial ends {when}; then it charges {money}. Cancel before then if you do not want it."
        if event.kind is EventKind.FOLLOW_UP:
            return f"You planned to contact {event.name} again {when} about your request."
        if self.cancel_by is not None and self.cancel_by >= today:
            return f"Charge {when}. Cancel by {format_day(self.cancel_by)} to avoid this charge."
        if self.cancel_by is not None:
            return (
                f"Charge {when}. The cancel-by date {format_day(self.cancel_by)} has passed; "
                "cancel now to stop the next one."
            )
        return f"Charge {when}. Nothing to do if you keep it; cancel before then if you do not."


def _relative_day(day: date, today: date) -> str:
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    return f"{-days} day{'s' if days != -1 else ''} ago"


def local_moment(day: date, time_of_day: time, zone: tzinfo) -> datetime:
    """`day` at `time_of_day` in `zone`, DST-safe as RFC 5545 reads it.

    A time that does not exist (spring forward) is read with the offset before the gap, so it moves forward by
    the gap; an ambiguous time (fall back) takes the first of its two moments.
    """
    naive = datetime.combine(day, time_of_day.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def _reminded_events(
    subscriptions: Sequence[Subscription], extra_events: Iterable[Event], first: date, last: date
) -> list[Event]:
    events = [e for e in events_between(subscriptions, first, last) if e.kind in REMINDED_KINDS]
    events.extend(e for e in extra_events if e.kind is EventKind.FOLLOW_UP and first <= e.date <= last)
    return events


def event_window(start: datetime, end: datetime, leads: Iterable[int]) -> tuple[date, date]:
    """The event dates whose reminders (at any of these lead times) can fall due within (start, end]."""
    longest = max(leads, default=0)
    # One day of slack each side: a local date can differ from the UTC one, and times of day shift it.
    return start.date() - timedelta(days=1), end.date() + timedelta(days=longest + 1)


def reminders_between(
    subscriptions: Sequence[Subscription],
    start: datetime,
    end: datetime,
    *,
    default_lead_days: tuple[int, ...],
    time_of_day: time,
    zone: tzinfo,
    extra_events: Iterable[Event] = (),
) -> list[Reminder]:
    """Every reminder falling due in (start, end], ordered by due time then urgency."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("reminder windows need time-zone aware datetimes")
    # Compared in UTC: within one zone Python compares wall clocks, which misorders the repeated DST hour.
    start_utc, end_utc = start.astimezone(UTC), end.astimezone(UTC)
    leads_by_id = {s.id: s.lead_days(default_lead_days) for s in subscriptions if s.id is not None}
    notice_by_id = {s.id: s.notice_days for s in subscriptions if s.id is not None}
    all_leads = [d for leads in leads_by_id.values() for d in leads] + list(default_lead_days) + [0]
    first, last = event_window(start, end, all_leads)
    reminders: list[Reminder] = []
    for event in _reminded_events(subscriptions, extra_events, first, last):
        if event.kind is EventKind.FOLLOW_UP:
            leads = FOLLOW_UP_LEAD_DAYS
        else:
            leads = leads_by_id.get(event.subscription_id, default_lead_days)
        notice = notice_by_id.get(event.subscription_id)
        cancel_by = event.date - timedelta(days=notice) if event.kind is EventKind.CHARGE and notice else None
        for lead in leads:
            due_at = local_moment(event.date - timedelta(days=lead), time_of_day, zone)
            if start_utc < due_at.astimezone(UTC) <= end_utc:
                key = ReminderKey(event.subscription_id, event.kind, event.date, lead)
                reminders.append(Reminder(key, due_at, event, cancel_by))
    reminders.sort(key=lambda r: (r.due_at.astimezone(UTC), r.event.sort_key(), -r.key.lead_days))
    return reminders


def latest_per_event(reminders: Iterable[Reminder]) -> list[Reminder]:
    """Of several reminders for one event, only the one closest to it: a late batch says each thing once."""
    chosen: dict[tuple[int, EventKind, date], Reminder] = {}
    for reminder in reminders:
        event_id = (reminder.key.subscription_id, reminder.key.kind, reminder.key.event_date)
        current = chosen.get(event_id)
        if current is None or reminder.key.lead_days < current.key.lead_days:
            chosen[event_id] = reminder
    return sorted(chosen.values(), key=lambda r: (r.event.sort_key(), r.due_at.astimezone(UTC)))


@dataclass(frozen=True, slots=True)
class Notice:
    """What one notification shows: a single reminder, or a summary of several delivered together."""

    title: str
    body: str
    reminders: tuple[Reminder, ...]

    @property
    def subscription_id(self) -> int | None:
        """The subscription a click opens; None for a summary about several."""
        ids = {r.subscription_id for r in self.reminders}
        return ids.pop() if len(ids) == 1 else None

    @property
    def is_summary(self) -> bool:
        return len(self.reminders) > 1


def notice_for(reminders: Sequence[Reminder], today: date) -> Notice:
    """One notice for a batch claimed together: never a burst of one notification per reminder."""
    if not reminders:
        raise ValueError("a notice needs at least one reminder")
    if len(reminders) == 1:
        only = reminders[0]
        return Notice(only.title(), only.body(today), (only,))
    lines = [f"• {r.title()}" for r in reminders]
    title = f"{len(reminders)} renewal reminders"
    return Notice(title, "\n".join(lines), tuple(reminders))


__all__ = [
    "Notice",
    "Reminder",
    "ReminderKey",
    "latest_per_event",
    "local_moment",
    "notice_for",
    "reminders_between",
]
