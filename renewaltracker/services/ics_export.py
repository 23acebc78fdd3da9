"""Renewals as an iCalendar file: one all-day recurring event per subscription, plus deadlines and trial ends."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from dateutil.relativedelta import relativedelta
from icalendar import Alarm, Calendar, Event, vDDDTypes, vDuration, vRecur, vText

from renewaltracker import APP_NAME, __version__
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.events import EVENT_LABELS, EventKind, event_title
from renewaltracker.domain.prices import PriceHistory
from renewaltracker.domain.recurrence import Series, deadline_encoding, schedule_series
from renewaltracker.domain.reminders import trial_ends_in_a_charge
from renewaltracker.domain.subscription import Status, Subscription
from renewaltracker.i18n import _
from renewaltracker.services.calendar_data import encode_data, subscription_data
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.calendar import CalendarLinkRepository
from renewaltracker.storage.files import write_private
from renewaltracker.storage.paths import refuse_database_file
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
    """An exported event's part in its subscription; the values are in UIDs, so they never change."""

    CHARGE = "charge"
    CANCEL_BY = "cancel-by"
    TRIAL_END = "trial-end"

    @property
    def kind(self) -> EventKind:
        return EventKind(self.value.replace("-", "_"))


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Which subscriptions, and how: amounts can be left out; `expanded` writes single events for Outlook."""

    scope: Scope = Scope.ALL
    ids: tuple[int, ...] = ()
    include_amounts: bool = True
    expanded: bool = False
    calendar_name: str = "Renewals"


def uid_namespace(service: SubscriptionService, proposed: str = "") -> str:
    """This database's random UID prefix ("" while none was made); `proposed` is stored when none is yet.

    It is stored without announcing a settings change. An export to a file proposes one only once the file is
    written (`CalendarExporter.export_to`): an export that fails leaves the database as it was.
    """
    with service.transaction() as session:
        settings = SettingsRepository(session)
        current: str = settings.get("calendar_uid_namespace")
        if not current and proposed:
            current = proposed
            settings.set("calendar_uid_namespace", current)
        return current


def still_due(subscription: Subscription, today: date) -> bool:
    """Active or in trial, or cancelled or paused from a day still ahead: its charges until then are real."""
    if subscription.status in (Status.ACTIVE, Status.TRIAL):
        return True
    ahead = subscription.trial_end is not None and subscription.trial_end >= today
    return ahead or subscription.next_charge(today) is not None


def event_uid(key: str, role: EventRole, suffix: str = "") -> str:
    return f"{key}.{role.value}{suffix}@{UID_DOMAIN}"


def to_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


_CONTROL = dict.fromkeys([*range(0x20), 0x7F])
del _CONTROL[0x09], _CONTROL[0x0A]


def clean_text(text: str) -> str:
    """Text safe for iCalendar: strict readers refuse control characters other than tab and newline."""
    return text.replace("\r\n", "\n").translate(_CONTROL)


def one_line(text: str) -> str:
    """A SUMMARY on one line: calcurse rejects an event whose title holds a line break."""
    return " ".join(clean_text(text).split())


def _amount_text(subscription: Subscription) -> str:
    text = f"{subscription.amount} {subscription.currency}"
    if subscription.is_shared:
        text += f", your share {subscription.user_amount} {subscription.currency}"
    return text


def _price_schedule(history: PriceHistory, currency: str) -> str:
    """Every price of a plan whose price changes, with the date each starts: true of the whole series."""
    parts = [f"{history.base} {currency}"] + [
        f"{s.amount} {currency} from {s.effective.isoformat()}" for s in history.steps
    ]
    return ", then ".join(parts)


def _varies(history: PriceHistory | None) -> bool:
    return history is not None and len({history.base, *(s.amount for s in history.steps)}) > 1


def _description(subscription: Subscription, include_amounts: bool, history: PriceHistory | None = None) -> str:
    lines = []
    if include_amounts and _varies(history):
        assert history is not None
        lines.append(f"Amount: {_price_schedule(history, subscription.currency)}")
    elif include_amounts:
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
        self._new_namespace = ""  # made up for this export, stored by `keep_namespace` once it is written

    def namespace(self) -> str:
        """The stored UID namespace, or one made up for this export while none is stored."""
        stored = uid_namespace(self.service)
        if stored:
            return stored
        if not self._new_namespace:
            self._new_namespace = secrets.token_hex(8)
        return self._new_namespace

    def keep_namespace(self) -> None:
        """Store the namespace this export made up: call it once the calendar reached its file or reader."""
        if self._new_namespace:
            # Were another process to have stored one meanwhile, it stays (the next export uses it).
            uid_namespace(self.service, self._new_namespace)
            self._new_namespace = ""

    def export_to(self, path: Path, options: ExportOptions, *, keep: bool = True) -> bytes:
        """Write the calendar to `path` in one step; the namespace is kept only when that succeeded (else OSError,
        or ValidationError for a path that is the database's own), and not at all when `keep` is false (a window
        that can no longer write to its database)."""
        refuse_database_file(path, self.service.database.path, "file")
        data = self.to_ics(options, keep=False)
        write_atomically(path, data)
        if keep:
            self.keep_namespace()
        return data

    def subscriptions(self, options: ExportOptions) -> list[Subscription]:
        """The chosen subscriptions; raises ValidationError naming ids that do not exist."""
        chosen = self.service.all()
        if options.scope is Scope.ACTIVE:
            today = self.service.clock.today()
            return [s for s in chosen if still_due(s, today)]
        if options.scope is Scope.SELECTED:
            wanted = set(options.ids)
            chosen = [s for s in chosen if s.id in wanted]
            unknown = sorted(wanted - {s.id for s in chosen})
            if unknown:
                raise ValidationError(
                    "ids", _("no subscription has id {unknown}").format(unknown=", ".join(map(str, unknown)))
                )
        return chosen

    def keys(self, subscriptions: Iterable[Subscription]) -> dict[int, str]:
        """subscription id → the key its UIDs are built from (an imported key, or namespace-id)."""
        namespace = self.namespace()
        with self.service.transaction() as session:
            linked = CalendarLinkRepository(session).all()
        return {s.id: linked.get(s.id, f"{namespace}-{s.id}") for s in subscriptions if s.id is not None}

    def builder(self, options: ExportOptions) -> EventBuilder:
        return EventBuilder(
            now=to_utc(self.service.clock.now()),
            today=self.service.clock.today(),
            lead_days=self.service.default_lead_days(),
            reminder_time=self.service.setting("reminder_time"),
            include_amounts=options.include_amounts,
            expanded=options.expanded,
            prices=self.service.price_histories(),
        )

    def events(self, options: ExportOptions) -> list[Event]:
        """The events as icalendar objects (CalDAV puts them one by one); stores a new namespace right away, since
        a sync that fails half-way has already put some of its UIDs on the server."""
        builder = self.builder(options)
        chosen = self.subscriptions(options)
        keys = self.keys(chosen)
        events: list[Event] = []
        for subscription in chosen:
            assert subscription.id is not None
            events.extend(builder.build(subscription, keys[subscription.id]))
        self.keep_namespace()
        return events

    def calendar(self, options: ExportOptions) -> Calendar:
        return wrap_calendar(self.events(options), options.calendar_name)

    def to_ics(self, options: ExportOptions, *, keep: bool = True) -> bytes:
        """The file's bytes, written as text (`ics_writer`): the same as `calendar(options).to_ical()`, ten times
        faster. A namespace made up for it is stored unless `keep` is false (`export_to` stores it after writing)."""
        from renewaltracker.services.ics_writer import IcsWriter

        builder = self.builder(options)
        chosen = self.subscriptions(options)
        keys = self.keys(chosen)
        pairs = [(subscription, keys[subscription.id]) for subscription in chosen if subscription.id is not None]
        data = IcsWriter(builder).calendar(pairs, options.calendar_name)
        if keep:
            self.keep_namespace()
        return data


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
class Planned:
    """One event of a subscription before it is written: what the icalendar objects and the fast writer share."""

    role: EventRole
    suffix: str  # of the UID: a series' number, or a single event's date
    day: date
    summary: str
    series: Series | None = None


@dataclass(frozen=True, slots=True)
class EventBuilder:
    now: datetime
    today: date
    lead_days: tuple[int, ...]
    reminder_time: time
    include_amounts: bool
    expanded: bool
    prices: Mapping[int, PriceHistory] = field(default_factory=dict, hash=False, compare=False)

    def build(self, subscription: Subscription, key: str) -> list[Event]:
        events = [self._planned_event(subscription, key, planned) for planned in self.plan(subscription)]
        if events:
            events[0].add(X_DATA, encode_data(self.data(subscription)))
        return events

    def data(self, subscription: Subscription) -> dict[str, object]:
        """The app data the first event of a subscription carries (what an import reads back)."""
        return subscription_data(subscription, include_amounts=self.include_amounts)

    def plan(self, subscription: Subscription) -> list[Planned]:
        """The subscription's events in file order: charges, cancel-by days, trial end."""
        planned = self._charges(subscription)
        planned.extend(self._deadlines(subscription))
        if subscription.trial_end is not None:
            title = one_line(event_title(EventKind.TRIAL_END, subscription.name))
            planned.append(Planned(EventRole.TRIAL_END, "", subscription.trial_end, title))
        return planned

    def _planned_event(self, subscription: Subscription, key: str, planned: Planned) -> Event:
        event = self._event(subscription, key, planned.role, planned.suffix, planned.day)
        event["SUMMARY"] = vText(planned.summary)
        if planned.series is not None:
            rule = planned.series.rule
            event.add("rrule", vRecur({name: list(v) if isinstance(v, tuple) else v for name, v in rule.items()}))
            if planned.series.exdates:
                event.add("exdate", list(planned.series.exdates))
        return event

    def summary(self, subscription: Subscription) -> str:
        # A recurring rule has one title for every occurrence: a plan whose price changes names no amount there
        # (the description lists each price and its date), which every calendar reads the same way.
        if not self.include_amounts or _varies(self.prices.get(subscription.id or 0)):
            return one_line(subscription.name)
        return one_line(f"{subscription.name} ({_amount_text(subscription)})")

    def description(self, subscription: Subscription) -> str:
        return _description(subscription, self.include_amounts, self.prices.get(subscription.id or 0))

    @staticmethod
    def _series(role: EventRole, summary: str, series: list[Series]) -> list[Planned]:
        return [Planned(role, str(part) if part else "", one.start, summary, one) for part, one in enumerate(series)]

    @staticmethod
    def _singles(role: EventRole, summary: str, days: Iterable[date]) -> list[Planned]:
        """One event per date, its UID named after the date so that it stays the same across exports."""
        return [Planned(role, day.strftime("-%Y%m%d"), day, summary) for day in days]

    def _charges(self, subscription: Subscription) -> list[Planned]:
        summary = self.summary(subscription)
        if not self.expanded:
            return self._series(EventRole.CHARGE, summary, schedule_series(subscription.schedule))
        horizon = self.today + relativedelta(months=EXPANDED_MONTHS)
        return self._singles(EventRole.CHARGE, summary, subscription.schedule.charges_between(self.today, horizon))

    def _deadlines(self, subscription: Subscription) -> list[Planned]:
        """Cancel-by days: portable rules plus single dates where leap years move a deadline (no horizon);
        in expanded mode the deadlines within the same 24 months as the charges."""
        notice = subscription.notice_days
        if not notice:
            return []
        summary = one_line(event_title(EventKind.CANCEL_BY, subscription.name))
        lead = timedelta(days=notice)
        if not self.expanded:
            encoding = deadline_encoding(subscription.schedule, notice)
            planned = self._series(EventRole.CANCEL_BY, summary, encoding.series)
            return planned + self._singles(EventRole.CANCEL_BY, summary, encoding.singles)
        horizon = self.today + relativedelta(months=EXPANDED_MONTHS)
        charges = subscription.schedule.charges_between(self.today + lead, horizon + lead)
        return [
            Planned(
                EventRole.CANCEL_BY,
                (charge - lead).strftime("-%Y%m%d"),
                charge - lead,
                one_line(f"{summary} (renews {charge.isoformat()})"),
            )
            for charge in charges
        ]

    def _event(self, subscription: Subscription, key: str, role: EventRole, suffix: str, day: date) -> Event:
        # Typed values set directly: `add` infers each type again, which dominates a large export.
        event = Event()
        event["UID"] = vText(event_uid(key, role, suffix))
        event["DTSTART"] = vDDDTypes(day)
        event["DTEND"] = vDDDTypes(day + timedelta(days=1))
        event.update(self._template(subscription, key))
        event[X_KIND] = vText(role.value)
        event.subcomponents.extend(self._alarms(subscription, role))
        return event

    @lru_cache(maxsize=4)  # noqa: B019 - a builder lives for one export; the cache holds the last subscriptions
    def _template(self, subscription: Subscription, key: str) -> Event:
        """The properties every event of a subscription shares, converted once (ten thousand subscriptions)."""
        template = Event()
        template.add("dtstamp", self.now)
        if subscription.updated_at is not None:
            template.add("last-modified", to_utc(subscription.updated_at))
        template.add("sequence", subscription.revision)
        template.add("transp", "TRANSPARENT")
        template.add("description", self.description(subscription))
        if subscription.cancel_url:
            template.add("url", subscription.cancel_url)
        template.add(X_KEY, key)
        return template

    @lru_cache(maxsize=16)  # noqa: B019 - as above
    def _alarms(self, subscription: Subscription, role: EventRole) -> tuple[Alarm, ...]:
        if role is EventRole.TRIAL_END and not trial_ends_in_a_charge(subscription):
            return ()  # a trial no charge follows (cancelled or paused before it ends) is not warned of, as in the app
        at = timedelta(hours=self.reminder_time.hour, minutes=self.reminder_time.minute)
        alarms = []
        for days in subscription.lead_days(self.lead_days):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            when = "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")
            alarm.add("description", clean_text(f"{subscription.name}: {EVENT_LABELS[role.kind].soon} {when}"))
            # An all-day event starts at midnight, so the time of day is added to the lead.
            alarm.add("trigger", timedelta(days=-days) + at)
            alarms.append(alarm)
        return tuple(alarms)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace the file in one step (a calendar app never reads half a file), readable by the user only."""
    write_private(path, data)
