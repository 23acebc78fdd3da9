"""Renewals as an iCalendar file: one all-day recurring event per subscription, plus deadlines and trial ends."""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path

from dateutil.relativedelta import relativedelta
from icalendar import Alarm, Calendar, Event, vDuration, vRecur

from renewaltracker import APP_NAME, __version__
from renewaltracker.domain.events import next_cancel_by
from renewaltracker.domain.recurrence import schedule_series
from renewaltracker.domain.subscription import Status, Subscription
from renewaltracker.services.calendar_data import subscription_data
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.calendar import CalendarLinkRepository
from renewaltracker.storage.repositories import SettingsRepository

PRODID = f"-//{APP_NAME}//renewaltracker {__version__}//EN"
X_KEY = "X-RENEWALTRACKER-SUBSCRIPTION"
X_KIND = "X-RENEWALTRACKER-KIND"
X_DATA = "X-RENEWALTRACKER-DATA"
UID_DOMAIN = "renewaltracker"
EXPANDED_MONTHS = 24
REFRESH = timedelta(hours=12)


class Scope(StrEnum):
    ALL = "all"
    ACTIVE = "active"
    SELECTED = "selected"


class EventRole(StrEnum):
    CHARGE = "charge"
    CANCEL_BY = "cancel-by"
    TRIAL_END = "trial-end"


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Which subscriptions, and how: amounts can be left out; `expanded` writes single events for Outlook."""

    scope: Scope = Scope.ALL
    ids: tuple[int, ...] = ()
    include_amounts: bool = True
    expanded: bool = False
    calendar_name: str = "Renewals"


def uid_namespace(service: SubscriptionService) -> str:
    """This database's random UID prefix, created on first use without announcing a settings change."""
    with service.transaction() as session:
        settings = SettingsRepository(session)
        current: str = settings.get("calendar_uid_namespace")
        if not current:
            current = secrets.token_hex(8)
            settings.set("calendar_uid_namespace", current)
        return current


def event_uid(key: str, role: EventRole, suffix: str = "") -> str:
    return f"{key}.{role.value}{suffix}@{UID_DOMAIN}"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


_CONTROL = dict.fromkeys([*range(0x20), 0x7F])
del _CONTROL[0x09], _CONTROL[0x0A]


def clean_text(text: str) -> str:
    """Text safe for iCalendar: strict readers refuse control characters other than tab and newline."""
    return text.replace("\r\n", "\n").translate(_CONTROL)


def _amount_text(subscription: Subscription) -> str:
    text = f"{subscription.amount} {subscription.currency}"
    if subscription.is_shared:
        text += f", your share {subscription.user_amount} {subscription.currency}"
    return text


def _description(subscription: Subscription, include_amounts: bool) -> str:
    lines = []
    if include_amounts:
        lines.append(f"Amount: {_amount_text(subscription)}")
    lines.append(f"Renews: {subscription.interval.describe()}")
    labelled = (
        ("Vendor", subscription.vendor),
        ("Category", subscription.category),
        ("Paid with", subscription.payment_method),  # already cut to the last four digits
        ("Account", subscription.account),
        ("Order", subscription.order_number),
        ("Support", subscription.support_email),
        ("Cancel at", subscription.cancel_url),
    )
    lines.extend(f"{label}: {value}" for label, value in labelled if value)
    if subscription.notice_days:
        lines.append(f"Notice period: {subscription.notice_days} days")
    if subscription.status is not Status.ACTIVE:
        lines.append(f"Status: {subscription.status.value}")
    if subscription.notes:
        lines.extend(("", subscription.notes))
    return clean_text("\n".join(lines))


class CalendarExporter:
    """Builds the calendar from the service's current data; reads settings once per export."""

    def __init__(self, service: SubscriptionService) -> None:
        self.service = service

    def subscriptions(self, options: ExportOptions) -> list[Subscription]:
        if options.scope is Scope.ACTIVE:
            return self.service.active()
        chosen = self.service.all()
        if options.scope is Scope.SELECTED:
            wanted = set(options.ids)
            chosen = [s for s in chosen if s.id in wanted]
        return chosen

    def keys(self) -> dict[int, str]:
        """subscription id → the key its UIDs are built from (an imported key, or namespace-id)."""
        namespace = uid_namespace(self.service)
        with self.service.transaction() as session:
            linked = CalendarLinkRepository(session).all()
        return {s.id: linked.get(s.id, f"{namespace}-{s.id}") for s in self.service.all() if s.id is not None}

    def events(self, options: ExportOptions) -> list[Event]:
        builder = EventBuilder(
            now=_utc(self.service.clock.now()),
            today=self.service.clock.today(),
            lead_days=self.service.default_lead_days(),
            reminder_time=self.service.setting("reminder_time"),
            include_amounts=options.include_amounts,
            expanded=options.expanded,
        )
        keys = self.keys()
        events: list[Event] = []
        for subscription in self.subscriptions(options):
            assert subscription.id is not None
            events.extend(builder.build(subscription, keys[subscription.id]))
        return events

    def calendar(self, options: ExportOptions) -> Calendar:
        return wrap_calendar(self.events(options), options.calendar_name)

    def to_ics(self, options: ExportOptions) -> bytes:
        return bytes(self.calendar(options).to_ical())


def wrap_calendar(events: Iterable[Event], name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for event in events:
        calendar.add_component(event)
    return calendar


@dataclass(frozen=True, slots=True)
class EventBuilder:
    now: datetime
    today: date
    lead_days: tuple[int, ...]
    reminder_time: time
    include_amounts: bool
    expanded: bool

    def build(self, subscription: Subscription, key: str) -> list[Event]:
        events = self._charges(subscription, key)
        events.extend(self._deadlines(subscription, key))
        if subscription.trial_end is not None:
            trial = self._event(subscription, key, EventRole.TRIAL_END, "", subscription.trial_end)
            trial.add("summary", clean_text(f"Trial ends: {subscription.name}"))
            events.append(trial)
        if events:
            data = subscription_data(subscription, include_amounts=self.include_amounts)
            events[0].add(X_DATA, json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
        return events

    def _summary(self, subscription: Subscription) -> str:
        if not self.include_amounts:
            return clean_text(subscription.name)
        return clean_text(f"{subscription.name} ({_amount_text(subscription)})")

    def _charges(self, subscription: Subscription, key: str) -> list[Event]:
        summary = self._summary(subscription)
        events: list[Event] = []
        if self.expanded:
            horizon = self.today + relativedelta(months=EXPANDED_MONTHS)
            for day in subscription.schedule.charges_between(self.today, horizon):
                event = self._event(subscription, key, EventRole.CHARGE, day.strftime("-%Y%m%d"), day)
                event.add("summary", summary)
                events.append(event)
            return events
        for part, series in enumerate(schedule_series(subscription.schedule)):
            event = self._event(subscription, key, EventRole.CHARGE, str(part) if part else "", series.start)
            event.add("summary", summary)
            event.add(
                "rrule", vRecur({name: list(v) if isinstance(v, tuple) else v for name, v in series.rule.items()})
            )
            if series.exdates:
                event.add("exdate", list(series.exdates))
            events.append(event)
        return events

    def _deadlines(self, subscription: Subscription, key: str) -> list[Event]:
        """Cancel-by days of the next charges: a rule cannot say "the last day of the month minus 30 days"."""
        notice = subscription.notice_days
        if not notice:
            return []
        events: list[Event] = []
        horizon = self.today + relativedelta(months=EXPANDED_MONTHS)
        lead = timedelta(days=notice)
        first = next_cancel_by(subscription, self.today)
        if first is None:
            return []
        for charge in subscription.schedule.charges_between(first[1], horizon + lead):
            deadline = charge - lead
            event = self._event(subscription, key, EventRole.CANCEL_BY, deadline.strftime("-%Y%m%d"), deadline)
            event.add("summary", clean_text(f"Cancel by: {subscription.name} (renews {charge.isoformat()})"))
            events.append(event)
        return events

    def _event(self, subscription: Subscription, key: str, role: EventRole, suffix: str, day: date) -> Event:
        event = Event()
        event.add("uid", event_uid(key, role, suffix))
        event.add("dtstamp", self.now)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        if subscription.created_at is not None:
            event.add("created", _utc(subscription.created_at))
        if subscription.updated_at is not None:
            event.add("last-modified", _utc(subscription.updated_at))
        event.add("sequence", subscription.revision)
        event.add("transp", "TRANSPARENT")
        event.add("description", _description(subscription, self.include_amounts))
        if subscription.cancel_url:
            event.add("url", subscription.cancel_url)
        event.add(X_KEY, key)
        event.add(X_KIND, role.value)
        at = timedelta(hours=self.reminder_time.hour, minutes=self.reminder_time.minute)
        for days in subscription.lead_days(self.lead_days):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            when = "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")
            alarm.add("description", clean_text(f"{subscription.name}: {role.value.replace('-', ' ')} {when}"))
            # An all-day event starts at midnight, so the time of day is added to the lead.
            alarm.add("trigger", timedelta(days=-days) + at)
            event.add_component(alarm)
        return event


def write_atomically(path: Path, data: bytes) -> None:
    """Replace the file in one step, so a calendar app never reads half a file."""
    path = path.expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private; a calendar file is often served to a phone, so keep the usual mode.
        Path(temporary).chmod(path.stat().st_mode & 0o777 if path.exists() else 0o644)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
