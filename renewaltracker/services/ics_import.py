"""Reading .ics files: this app's own files come back whole; other calendars' repeating events after a preview."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Any

from dateutil.rrule import rrulestr
from icalendar import Calendar, Component
from sqlalchemy.orm import Session

from renewaltracker.domain.amounts import read_amount
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.events import EVENT_LABELS, EventKind
from renewaltracker.domain.interval import Interval, Unit, parse_interval
from renewaltracker.domain.money import currency_codes
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import Subscription
from renewaltracker.i18n import _, current_language, ngettext
from renewaltracker.services.calendar_data import decode_data, subscription_from_data
from renewaltracker.services.ics_export import UID_DOMAIN, X_DATA, X_KEY, EventRole, uid_namespace
from renewaltracker.services.import_guard import check_unchanged
from renewaltracker.services.subscriptions import Change, SubscriptionService
from renewaltracker.storage.calendar import CalendarLinkRepository
from renewaltracker.storage.errors import ConflictError
from renewaltracker.storage.models import SubscriptionRow
from renewaltracker.storage.repositories import SubscriptionRepository

log = logging.getLogger(__name__)
MAX_FILE_BYTES = 50 * 1024 * 1024
_FREQUENCIES = {"DAILY": Unit.DAY, "WEEKLY": Unit.WEEK, "MONTHLY": Unit.MONTH, "YEARLY": Unit.YEAR}
_SYMBOLS = {"€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW"}
_DOLLARS = {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"}
# A number standing alone (not part of a longer one), with optional thousands groups and decimals.
_NUMBER = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:[ ,.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?!\d)")
# A currency sign or code right before (prefix) or after (suffix) a number, with at most one space between.
_PREFIX = re.compile(r"(?:(?<=[^A-Za-z])|^)(?P<marker>[€£$¥₹₩]|[A-Z]{3})(?P<gap>\s?)$")
_SUFFIX = re.compile(r"^(?P<gap>\s?)(?P<marker>[€£$¥₹₩]|[A-Z]{3}(?![A-Za-z]))")
# The app's own event UIDs: "<key>.<role><part or -YYYYMMDD>@renewaltracker".
_OWN_UID = re.compile(rf"^(?P<key>.+)\.(?P<role>{'|'.join(r.value for r in EventRole)})(?:\d+|-\d{{8}})?@{UID_DOMAIN}$")
# Days of the month or months of the year a rule may list several of; each value becomes its own subscription.
_SPLITTABLE = {"BYMONTHDAY", "BYMONTH"}
_READ_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", *_SPLITTABLE}


class RowSource(StrEnum):
    APP = "app"
    OTHER = "other"


class RowAction(StrEnum):
    ADD = "add"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    SKIP = "skip"


@dataclass
class ImportRow:
    """One subscription found in the file; name, amount, currency, cycle, start and include are editable."""

    key: str
    source: RowSource
    summary: str
    name: str
    amount: str
    currency: str
    every: str
    start: date | None
    end_date: date | None = None
    end_count: int | None = None
    include: bool = True
    action: RowAction = RowAction.ADD
    existing_id: int | None = None
    note: str = ""
    existing: Subscription | None = field(default=None, repr=False)  # as the preview read it: the import checks it
    data: dict[str, Any] | None = field(default=None, repr=False)
    pauses: tuple[Pause, ...] = ()  # one day each: the EXDATEs of another calendar's event

    def ends(self, day: Callable[[date], str] = date.isoformat) -> str:
        """When the plan stops, in words for the preview: "on 2027-06-30", "after 7 charges" or ""; `day` writes
        the dates (the window's in the interface language)."""
        end_date, end_count = self.end_date, self.end_count
        if self.data is not None:
            end_date = date.fromisoformat(self.data["end_date"]) if self.data.get("end_date") else None
            end_count = int(self.data["end_count"]) if self.data.get("end_count") else None
            if self.data.get("cancelled_on"):
                return _("cancelled from {date}").format(date=day(date.fromisoformat(self.data["cancelled_on"])))
        parts = ([_("on {date}").format(date=day(end_date))] if end_date else []) + (
            [ngettext("after {count} charge", "after {count} charges", end_count).format(count=end_count)]
            if end_count
            else []
        )
        return ", ".join(parts)

    def build(self) -> Subscription:
        """The subscription this row describes, with the user's edits; raises ValidationError."""
        if not self.amount.strip():
            raise ValidationError("amount", _("is missing from the event; enter it"))
        amount = read_amount(self.amount, currency=self.currency).value
        interval = parse_interval(self.every)
        if self.data is not None:
            base = subscription_from_data(self.data, amount=amount)
            # A trial-only subscription shows its trial end as the start; it stays without an anchor unless edited.
            trial_only = base.anchor is None and self.start == base.trial_end
            anchor = None if trial_only else self.start
            return replace(
                base, name=self.name, amount=amount, currency=self.currency, interval=interval, anchor=anchor
            )
        return Subscription(
            name=self.name,
            amount=amount,
            currency=self.currency,
            interval=interval,
            anchor=self.start,
            end_date=self.end_date,
            end_count=self.end_count,
            pauses=self.pauses,
            notes=f"Imported from a calendar: {self.summary}" if self.summary != self.name else "",
        )

    def problem(self) -> str | None:
        """What keeps this row from being imported, in plain words, or None."""
        if not self.include or self.action is RowAction.SKIP:
            return None
        try:
            self.build()
        except ValidationError as error:
            return _("{field} {problem}").format(
                field=error.field.replace("-", " ").capitalize(), problem=error.problem
            )
        return None


@dataclass
class ImportPreview:
    calendar_name: str
    rows: list[ImportRow]
    # Items left out because an earlier one had the same key or UID: "name (key)", each counted as skipped.
    dropped: list[str] = field(default_factory=list)

    def importable(self) -> list[ImportRow]:
        return [r for r in self.rows if r.include and r.action in (RowAction.ADD, RowAction.UPDATE)]

    def problems(self) -> list[str]:
        return [f"{row.summary or row.key}: {problem}" for row in self.rows if (problem := row.problem())]


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: tuple[int, ...]
    updated: tuple[int, ...]
    unchanged: int
    skipped: int


def _currency(marker: str, default_currency: str) -> str | None:
    if marker == "$":
        return default_currency if default_currency in _DOLLARS else "USD"
    code = _SYMBOLS.get(marker, marker)
    return code if code in currency_codes() else None


def parse_amount_text(text: str, default_currency: str) -> tuple[str, str, str] | None:
    """The first amount next to a currency sign or code in free text: "Netflix €12,99" → ("12.99", "EUR",
    "€12,99"). A sign between two numbers belongs to the one it touches, else to the one after it, so
    "Microsoft 365 €99" is 99 EUR, not 365."""
    numbers = list(_NUMBER.finditer(text))
    claims: dict[int, tuple[int, bool, re.Match[str], str, str]] = {}  # marker start → (rank, prefix, …)
    for index, number in enumerate(numbers):
        left = text[numbers[index - 1].end() if index else 0 : number.start()]
        right = text[number.end() : numbers[index + 1].start() if index + 1 < len(numbers) else len(text)]
        sides = []
        if prefix := _PREFIX.search(left):
            position = number.start() - len(prefix.group(0))
            sides.append((position, not prefix.group("gap"), True, prefix.group("marker"), prefix.group(0)))
        if suffix := _SUFFIX.match(right):
            position = number.end() + len(suffix.group("gap"))
            sides.append((position, not suffix.group("gap"), False, suffix.group("marker"), suffix.group(0)))
        for position, touching, is_prefix, marker, shown in sides:
            rank = 2 * touching + is_prefix  # touching first, then a prefix over a suffix
            held = claims.get(position)
            if held is None or rank > held[0]:
                matched = shown + number.group(0) if is_prefix else number.group(0) + shown
                claims[position] = (rank, is_prefix, number, marker, matched)
    for _rank, _prefix, number, marker, matched in sorted(claims.values(), key=lambda claim: claim[2].start()):
        currency = _currency(marker, default_currency)
        if currency is None:
            continue
        try:
            value = read_amount(number.group(0), currency=currency).value
        except ValidationError:
            continue
        return str(value), currency, matched.strip()
    return None


def _day(value: Any, zone: tzinfo | None = None) -> date:
    """The local date of a DATE or DATE-TIME: 23:30 UTC is already tomorrow east of Greenwich."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and zone is not None:
            return value.astimezone(zone).date()
        return value.date()
    if isinstance(value, date):
        return value
    raise ValidationError("file", _("{value!r} is not a date").format(value=value))


def _text(event: Component, name: str) -> str:
    value = event.get(name)
    return str(value) if value is not None else ""


def _app_row(key: str, event: Component) -> ImportRow:
    try:
        data = decode_data(_text(event, X_DATA))
        if not isinstance(data, dict):
            raise TypeError("not an object")
        interval = data["interval"]
        every = str(Interval(int(interval["count"]), Unit(interval["unit"])))
        anchor = data.get("anchor") or data.get("trial_end")
        start = date.fromisoformat(anchor) if anchor else None
    except (ValueError, TypeError, KeyError, ValidationError) as error:
        raise ValidationError(
            "file", _("the Renewal Tracker data of {key!r} is damaged ({error})").format(key=key, error=error)
        ) from None
    amount = data.get("amount")
    return ImportRow(
        key=key,
        source=RowSource.APP,
        summary=str(data.get("name", "")),
        name=str(data.get("name", "")),
        amount="" if amount is None else str(amount),
        currency=str(data.get("currency", "")),
        every=every,
        start=start,
        data=data,
    )


def derived_uid(event: Component) -> str:
    """A stable key for an event that has no UID: the same file gives the same key on every import."""
    parts = [_text(event, name) for name in ("SUMMARY", "RRULE", "DESCRIPTION")]
    start = event.get("DTSTART")
    parts.append(start.to_ical().decode() if start is not None else "")
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
    return f"no-uid-{digest}"


def own_deadline(event: Component) -> bool:
    """This app's cancel-by or trial-end event, even after a client dropped the X- properties: never a plan."""
    match = _OWN_UID.match(_text(event, "UID").strip())
    if match is not None:
        return match.group("role") != EventRole.CHARGE.value
    summary = _text(event, "SUMMARY")
    return any(
        summary.startswith(f"{EVENT_LABELS[kind].noun}: ") for kind in (EventKind.CANCEL_BY, EventKind.TRIAL_END)
    )


def _split_starts(rule: Any, start: date, zone: tzinfo | None) -> list[tuple[str, str, date, int]]:
    """For a rule listing several days or months: (key, label in the interface language, first date, charges or 0
    when open) per value; the key stays the same in every language, so a second import finds its rows again."""
    text = rule.to_ical().decode()
    moment = datetime.combine(start, datetime.min.time())
    expanded = rrulestr(re.sub(r"UNTIL=[^;]+", "", text), dtstart=moment, ignoretz=True)
    until = rule.get("UNTIL")
    last = _day(until[0], zone) if until else None
    finite = bool(rule.get("COUNT")) or last is not None
    groups: dict[tuple[int, int], list[date]] = {}
    yearly = (rule.get("FREQ") or [""])[0] == "YEARLY"
    for index, occurrence in enumerate(expanded):
        day = occurrence.date()
        if (last is not None and day > last) or index >= 5000:
            break
        groups.setdefault((day.month if yearly else 0, day.day), []).append(day)
        if not finite and index >= 48:
            break
    found = []
    for (month, monthday), dates in sorted(groups.items(), key=lambda item: item[1][0]):
        key = f"{date(2000, month, 1):%B} {monthday}" if month else f"day {monthday}"
        label = _day_of(month, monthday)
        found.append((key, label, dates[0], len(dates) if finite else 0))
    return found


def _day_of(month: int, monthday: int) -> str:
    """ "March 15" of a yearly rule, "day 15" of a monthly one, in the interface language ("15. März", "jour 15")."""
    if not month:
        return _("day {day}").format(day=monthday)
    from babel.dates import format_skeleton

    return format_skeleton("MMMMd", date(2000, month, monthday), locale=current_language())


def other_event_rows(event: Component, default_currency: str, zone: tzinfo | None = None) -> list[ImportRow]:
    """Preview rows for another calendar's event: usually one; a rule with several days of the month or months
    of the year gives one row per value, so that none of its charges is lost."""
    row = other_event_row(event, default_currency, zone)
    rule = event.get("RRULE")
    if row.action is RowAction.SKIP or rule is None or row.start is None:
        return [row]
    several = [part for part in _SPLITTABLE if len(rule.get(part) or []) > 1]
    if not several or set(rule) - _READ_PARTS:
        return [row]
    rows = []
    for key, label, first, count in _split_starts(rule, row.start, zone):
        rows.append(
            replace(
                row,
                key=f"{row.key}#{key.replace(' ', '-').lower()}",
                name=f"{row.name} ({label})",
                start=first,
                end_count=count or None,
                end_date=None if count else row.end_date,
                note=(row.note + "; " if row.note else "")
                + _("the rule charges on several days; this row is the one of {day}").format(day=label),
            )
        )
    return rows


def other_event_row(event: Component, default_currency: str, zone: tzinfo | None = None) -> ImportRow:
    """A preview row for another calendar's event: cycle from its rule, amount from its text when there is one."""
    summary = _text(event, "SUMMARY").strip()
    uid = _text(event, "UID").strip() or derived_uid(event)
    start = _day(getattr(event.get("DTSTART"), "dt", None), zone) if event.get("DTSTART") is not None else None
    row = ImportRow(
        key=uid,
        source=RowSource.OTHER,
        summary=summary,
        name=summary,
        amount="",
        currency=default_currency,
        every="1 month",
        start=start,
    )
    rule = event.get("RRULE")
    if isinstance(rule, list):  # icalendar gives a list when the event has several RRULE lines
        raise ValidationError(
            "file",
            _("the event {summary!r} has {count} repeat rules (RRULE); one is supported").format(
                summary=summary, count=len(rule)
            ),
        )
    if rule is None or start is None:
        row.include, row.action, row.note = False, RowAction.SKIP, _("does not repeat")
        return row
    frequency = (rule.get("FREQ") or [""])[0]
    if frequency not in _FREQUENCIES:
        note = _("repeats {frequency}, not a billing cycle").format(frequency=frequency.lower())
        row.include, row.action, row.note = False, RowAction.SKIP, note
        return row
    row.every = str(Interval(int((rule.get("INTERVAL") or [1])[0]), _FREQUENCIES[frequency]))
    if rule.get("COUNT"):
        row.end_count = int(rule["COUNT"][0])
    if rule.get("UNTIL"):
        row.end_date = _day(rule["UNTIL"][0], zone)
    row.pauses = _exdate_pauses(event, zone)
    unusual = sorted(set(rule) - _READ_PARTS)
    if unusual:
        row.note = _(
            "its rule ({rule}) is read as every {every} from the start date: check the charges ({unusual} not followed)"
        ).format(rule=rule.to_ical().decode(), every=row.every, unusual=", ".join(unusual))
    in_summary = parse_amount_text(summary, default_currency)
    found = in_summary or parse_amount_text(" ".join(_text(event, "DESCRIPTION").split()), default_currency)
    if found:
        row.amount, row.currency, _matched = found
    if in_summary:
        row.name = summary.replace(in_summary[2], "").strip(" -–—:()|") or summary
    if not found:
        row.note = (row.note + "; " if row.note else "") + _("no amount in the event: enter it")
    return row


def _read_own_cycle(row: ImportRow, event: Component) -> None:
    """This app's "Renews: monthly" line: its first series alone may be a yearly part of a month-end plan."""
    for line in _text(event, "DESCRIPTION").splitlines():
        if line.startswith("Renews: "):
            try:
                row.every = str(parse_interval(line.removeprefix("Renews: ").removeprefix("every ")))
            except ValidationError:
                return
            row.end_date = row.end_count = None
            row.note = _("a Renewal Tracker plan without its data: check the end and the notice period")
            return


def _exdate_pauses(event: Component, zone: tzinfo | None) -> tuple[Pause, ...]:
    """Each excluded date as a one-day pause, which skips exactly that charge."""
    values = event.get("EXDATE")
    if values is None:
        return ()
    days = {_day(one.dt, zone) for value in (values if isinstance(values, list) else [values]) for one in value.dts}
    return tuple(Pause(day, day + timedelta(days=1)) for day in sorted(days))


def _same(stored: Subscription, incoming: Subscription) -> bool:
    """Equal apart from bookkeeping, which differs after every save."""

    def plain(subscription: Subscription) -> Subscription:
        return replace(subscription, id=None, created_at=None, updated_at=None, revision=0)

    return plain(stored) == plain(incoming)


class CalendarImporter:
    """Preview first (writes nothing), then apply the chosen rows in one transaction."""

    def __init__(self, service: SubscriptionService) -> None:
        self.service = service

    def preview_file(self, path: Path) -> ImportPreview:
        return self.preview(read_calendar_file(path))

    def preview(self, data: bytes) -> ImportPreview:
        """Parse the calendar and decide, per subscription, whether it is new, changed or unchanged."""
        try:
            calendar = Calendar.from_ical(data)
        except (ValueError, IndexError, KeyError) as error:
            raise ValidationError(
                "file", _("is not a valid iCalendar (.ics) file: {error}").format(error=error)
            ) from None
        # The parser trips over some damaged files itself (a TZID given twice reaches it as a list): still a
        # damaged file, not a bug of ours.
        except (TypeError, AttributeError) as error:
            log.info("icalendar could not parse an imported file: %s", type(error).__name__)
            raise ValidationError("file", _("is not a valid iCalendar (.ics) file: it is damaged")) from None
        if calendar.name != "VCALENDAR":
            raise ValidationError("file", _("is not an iCalendar file (no VCALENDAR)"))
        events = [event for event in calendar.walk("VEVENT") if event.get("RECURRENCE-ID") is None]
        for event in events:
            if event.errors:
                what = ", ".join(f"{name}: {problem}" for name, problem in event.errors)
                raise ValidationError(
                    "file",
                    _("the event {summary!r} is malformed ({what})").format(summary=_text(event, "SUMMARY"), what=what),
                )
        if not events:
            raise ValidationError("file", _("holds no events to import"))
        default_currency: str = self.service.setting("default_currency")
        zone = self.service.clock.now().tzinfo
        rows: list[ImportRow] = []
        seen: dict[str, str] = {}  # key or UID → the app data it came with ("" for other calendars' events)
        dropped: list[str] = []
        for event in events:
            try:
                self._add_row(event, rows, seen, dropped, default_currency, zone)
            # A file is untrusted input: any value icalendar hands over in an unexpected shape means a damaged file.
            except (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError) as error:
                if isinstance(error, ValidationError):
                    raise
                summary = " ".join(_text(event, "SUMMARY").split())[:60]
                log.info("unreadable event in an imported calendar: %s", type(error).__name__)
                raise ValidationError(
                    "file",
                    _("the event {summary!r} is damaged and cannot be read ({kind})").format(
                        summary=summary, kind=type(error).__name__
                    ),
                ) from None
        self._match_existing(rows)
        name = str(calendar.get("X-WR-CALNAME", "") or calendar.get("NAME", ""))
        return ImportPreview(name, rows, dropped)

    @staticmethod
    def _add_row(
        event: Component,
        rows: list[ImportRow],
        seen: dict[str, str],
        dropped: list[str],
        default_currency: str,
        zone: tzinfo | None,
    ) -> None:
        """One event's rows, unless they belong to a row already made (further events of one subscription)."""
        summary = _text(event, "SUMMARY") or "(no name)"
        key = _safe_key(_text(event, X_KEY))
        if key:
            app_data = _text(event, X_DATA)
            if not app_data:
                return  # the subscription's further series, deadlines and trial end come from its data
            if key in seen:
                if seen[key] != app_data:  # another subscription under the same key: named, never silently lost
                    dropped.append(f"{summary} (key {key!r})")
                return
            seen[key] = app_data
            rows.append(_app_row(key, event))
            return
        if own_deadline(event):
            return  # a deadline or trial end of one of this app's plans, its X- properties lost on the way
        own = _OWN_UID.match(_text(event, "UID").strip())
        if own is not None:
            # A further series of this app's charges (its month-end split) without the data: one plan.
            if own.group("key") in seen:
                return
            seen[own.group("key")] = ""
        uid = _safe_key(_text(event, "UID")) or derived_uid(event)
        if uid in seen and own is None:
            dropped.append(f"{summary} (UID {uid!r})")
            return
        seen[uid] = ""
        found = other_event_rows(event, default_currency, zone)
        if own is not None:
            _read_own_cycle(found[0], event)
        rows.extend(found)

    def _match_existing(self, rows: list[ImportRow]) -> None:
        # Read only: a preview (and so a dry run) writes nothing; without a namespace no key can be our own.
        namespace = uid_namespace(self.service) or None
        with self.service.transaction() as session:
            links = CalendarLinkRepository(session)
            subscriptions = SubscriptionRepository(session)
            for row in rows:
                existing = links.find(row.key)
                own_prefix = f"{namespace}-"
                if (
                    existing is None
                    and namespace
                    and row.key.startswith(own_prefix)
                    and row.key[len(own_prefix) :].isdigit()
                ):
                    candidate = int(row.key[len(own_prefix) :])
                    existing = candidate if session.get(SubscriptionRow, candidate) is not None else None
                if existing is None or row.action is RowAction.SKIP:
                    continue
                row.existing_id = existing
                row.existing = subscriptions.get(existing)
                row.action = RowAction.UPDATE
                try:
                    unchanged = _same(row.existing, row.build())
                except ValidationError:
                    unchanged = False
                if unchanged:
                    row.action, row.include = RowAction.UNCHANGED, False

    def apply(self, preview: ImportPreview) -> ImportResult:
        """Write every included row, or nothing at all when any of them is invalid."""
        added: list[int] = []
        updated: list[int] = []
        now = self.service.clock.now()
        with self.service.transaction() as session:
            subscriptions = SubscriptionRepository(session)
            links = CalendarLinkRepository(session)
            # Checked before anything is added: a new subscription may take the id of one deleted since the preview.
            for row in preview.importable():
                if row.existing is not None:
                    check_unchanged(session, row.existing)
            for row in preview.importable():
                try:
                    incoming = row.build()
                except ValidationError as error:
                    raise ValidationError(
                        error.field,
                        _("{problem} (in {summary!r})").format(problem=error.problem, summary=row.summary or row.key),
                    ) from None
                if row.existing_id is not None:
                    updated.append(_required_id(self._update(session, row, incoming, now)))
                    continue
                if links.find(row.key) is not None:  # imported meanwhile (the same file in another window)
                    problem = _("was imported after the preview was made; nothing was imported. Open the file again")
                    raise ValidationError(repr(row.name), problem)
                saved_id = _required_id(subscriptions.add(replace(incoming, id=None), now))
                if row.source is RowSource.APP:
                    _keep_bookkeeping(session.get(SubscriptionRow, saved_id), incoming)
                links.link(saved_id, row.key)
                added.append(saved_id)
        for subscription_id in added:
            self.service.notify(Change.ADDED, subscription_id)  # the service's listeners hear of every import
        for subscription_id in updated:
            self.service.notify(Change.UPDATED, subscription_id)
        unchanged = sum(1 for row in preview.rows if row.action is RowAction.UNCHANGED)
        skipped = len(preview.rows) - len(added) - len(updated) - unchanged + len(preview.dropped)
        return ImportResult(tuple(added), tuple(updated), unchanged, skipped)

    @staticmethod
    def _update(session: Session, row: ImportRow, incoming: Subscription, now: datetime) -> Subscription:
        """Write over the tracked subscription only if it is still what the preview showed (PreviewOutdated)."""
        subscriptions = SubscriptionRepository(session)
        if row.existing is None:  # a preview made elsewhere, without the subscription it read
            return subscriptions.update(replace(incoming, id=row.existing_id), now, overwrite=True)
        check_unchanged(session, row.existing)
        try:
            return subscriptions.update(replace(incoming, id=row.existing_id, revision=row.existing.revision), now)
        except ConflictError:  # written by another process between the check and the update
            check_unchanged(session, row.existing)
            raise


MAX_KEY_CHARS = 200


def _safe_key(key: str) -> str:
    """A key or UID from a file, kept only if later exports can reuse it (one printable line, not too long).

    Anything else becomes a stable digest of itself, so importing the same file again still finds it.
    """
    if not key or (key.isprintable() and len(key) <= MAX_KEY_CHARS and " " not in key):
        return key
    return "import-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def read_calendar_file(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES: /dev/zero, a FIFO or a folder is refused, not read."""
    limit = f"{MAX_FILE_BYTES // (1024 * 1024)} MB"
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise ValidationError(
                "file",
                _("{path} is not a regular file (a device, pipe or folder cannot be imported)").format(path=path),
            )
        # O_NONBLOCK: if the path was swapped for a FIFO after the check, opening it must not wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ValidationError("file", _("{path} is not a regular file").format(path=path))
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ValidationError(
            "file", _("cannot read {path}: {strerror}").format(path=path, strerror=error.strerror or error)
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            "file", _("{path} is larger than {limit}, the limit for a calendar file").format(path=path, limit=limit)
        )
    return data


def _required_id(subscription: Subscription) -> int:
    assert subscription.id is not None
    return subscription.id


def _keep_bookkeeping(row: SubscriptionRow | None, incoming: Subscription) -> None:
    """A restored subscription keeps its creation time, last change and revision, so it exports identically."""
    assert row is not None
    if incoming.created_at is not None:
        row.created_at = incoming.created_at
    if incoming.updated_at is not None:
        row.updated_at = incoming.updated_at
    row.revision = incoming.revision
