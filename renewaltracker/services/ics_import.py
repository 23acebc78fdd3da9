"""Reading .ics files: this app's own files come back whole; other calendars' repeating events after a preview."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from icalendar import Calendar, Component

from renewaltracker.domain.amounts import read_amount
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.interval import Interval, Unit, parse_interval
from renewaltracker.domain.money import currency_codes
from renewaltracker.domain.subscription import Subscription
from renewaltracker.services.calendar_data import subscription_from_data
from renewaltracker.services.ics_export import X_DATA, X_KEY, uid_namespace
from renewaltracker.services.subscriptions import Change, SubscriptionService
from renewaltracker.storage.calendar import CalendarLinkRepository
from renewaltracker.storage.models import SubscriptionRow
from renewaltracker.storage.repositories import SubscriptionRepository

log = logging.getLogger(__name__)
MAX_FILE_BYTES = 50 * 1024 * 1024
_FREQUENCIES = {"DAILY": Unit.DAY, "WEEKLY": Unit.WEEK, "MONTHLY": Unit.MONTH, "YEARLY": Unit.YEAR}
_SYMBOLS = {"€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW"}
_DOLLARS = {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"}
# A number standing alone (not part of a longer one), with optional thousands groups and decimals.
_AMOUNT = re.compile(
    r"(?P<before>[€£$¥₹₩]|\b[A-Z]{3}\b)?\s?"
    r"(?P<number>(?<![\d.,])(?:\d{1,3}(?:[ ,.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?!\d))"
    r"\s?(?P<after>[€£$¥₹₩]|\b[A-Z]{3}\b)?"
)


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
    data: dict[str, Any] | None = field(default=None, repr=False)

    def build(self) -> Subscription:
        """The subscription this row describes, with the user's edits; raises ValidationError."""
        if not self.amount.strip():
            raise ValidationError("amount", "is missing from the event; enter it")
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
            notes=f"Imported from a calendar: {self.summary}" if self.summary != self.name else "",
        )

    def problem(self) -> str | None:
        """What keeps this row from being imported, in plain words, or None."""
        if not self.include or self.action is RowAction.SKIP:
            return None
        try:
            self.build()
        except ValidationError as error:
            return f"{error.field.replace('-', ' ').capitalize()} {error.problem}"
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


def parse_amount_text(text: str, default_currency: str) -> tuple[str, str, str] | None:
    """The first amount with a currency in free text: "Netflix €12,99" → ("12.99", "EUR", "€12,99")."""
    for match in _AMOUNT.finditer(text):
        marker = match.group("before") or match.group("after")
        if not marker:
            continue
        if marker == "$":
            currency = default_currency if default_currency in _DOLLARS else "USD"
        else:
            currency = _SYMBOLS.get(marker, marker)
        if currency not in currency_codes():
            continue
        try:
            value = read_amount(match.group("number"), currency=currency).value
        except ValidationError:
            continue
        return str(value), currency, match.group(0).strip()
    return None


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise ValidationError("file", f"{value!r} is not a date")


def _text(event: Component, name: str) -> str:
    value = event.get(name)
    return str(value) if value is not None else ""


def _app_row(key: str, event: Component) -> ImportRow:
    try:
        data = json.loads(_text(event, X_DATA))
        if not isinstance(data, dict):
            raise TypeError("not an object")
        interval = data["interval"]
        every = str(Interval(int(interval["count"]), Unit(interval["unit"])))
        anchor = data.get("anchor") or data.get("trial_end")
        start = date.fromisoformat(anchor) if anchor else None
    except (ValueError, TypeError, KeyError, ValidationError) as error:
        raise ValidationError("file", f"the Renewal Tracker data of {key!r} is damaged ({error})") from None
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


def other_event_row(event: Component, default_currency: str) -> ImportRow:
    """A preview row for another calendar's event: cycle from its rule, amount from its text when there is one."""
    summary = _text(event, "SUMMARY").strip()
    uid = _text(event, "UID").strip()
    start = _day(getattr(event.get("DTSTART"), "dt", None)) if event.get("DTSTART") is not None else None
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
        raise ValidationError("file", f"the event {summary!r} has {len(rule)} repeat rules (RRULE); one is supported")
    if rule is None or start is None:
        row.include, row.action, row.note = False, RowAction.SKIP, "does not repeat"
        return row
    frequency = (rule.get("FREQ") or [""])[0]
    if frequency not in _FREQUENCIES:
        row.include, row.action, row.note = False, RowAction.SKIP, f"repeats {frequency.lower()}, not a billing cycle"
        return row
    row.every = str(Interval(int((rule.get("INTERVAL") or [1])[0]), _FREQUENCIES[frequency]))
    if rule.get("COUNT"):
        row.end_count = int(rule["COUNT"][0])
    if rule.get("UNTIL"):
        row.end_date = _day(rule["UNTIL"][0])
    unusual = sorted(set(rule) - {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYMONTHDAY", "BYMONTH", "BYSETPOS"})
    if unusual:
        row.note = f"its rule ({rule.to_ical().decode()}) is read as every {row.every} from the start date"
    in_summary = parse_amount_text(summary, default_currency)
    found = in_summary or parse_amount_text(_text(event, "DESCRIPTION"), default_currency)
    if found:
        row.amount, row.currency, _matched = found
    if in_summary:
        row.name = summary.replace(in_summary[2], "").strip(" -–—:()|") or summary
    if not found:
        row.note = (row.note + "; " if row.note else "") + "no amount in the event: enter it"
    return row


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
            raise ValidationError("file", f"is not a valid iCalendar (.ics) file: {error}") from None
        if calendar.name != "VCALENDAR":
            raise ValidationError("file", "is not an iCalendar file (no VCALENDAR)")
        events = [event for event in calendar.walk("VEVENT") if event.get("RECURRENCE-ID") is None]
        for event in events:
            if event.errors:
                what = ", ".join(f"{name}: {problem}" for name, problem in event.errors)
                raise ValidationError("file", f"the event {_text(event, 'SUMMARY')!r} is malformed ({what})")
        if not events:
            raise ValidationError("file", "holds no events to import")
        default_currency: str = self.service.setting("default_currency")
        rows: list[ImportRow] = []
        seen: dict[str, str] = {}  # key or UID → the app data it came with ("" for other calendars' events)
        dropped: list[str] = []
        for event in events:
            try:
                self._add_row(event, rows, seen, dropped, default_currency)
            # A file is untrusted input: any value icalendar hands over in an unexpected shape means a damaged file.
            except (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError) as error:
                if isinstance(error, ValidationError):
                    raise
                summary = " ".join(_text(event, "SUMMARY").split())[:60]
                log.info("unreadable event in an imported calendar: %s", type(error).__name__)
                raise ValidationError(
                    "file", f"the event {summary!r} is damaged and cannot be read ({type(error).__name__})"
                ) from None
        self._match_existing(rows)
        name = str(calendar.get("X-WR-CALNAME", "") or calendar.get("NAME", ""))
        return ImportPreview(name, rows, dropped)

    @staticmethod
    def _add_row(
        event: Component, rows: list[ImportRow], seen: dict[str, str], dropped: list[str], default_currency: str
    ) -> None:
        """One event's row, unless it belongs to a row already made (further events of one subscription)."""
        key = _safe_key(_text(event, X_KEY))
        if key:
            app_data = _text(event, X_DATA)
            if not app_data:
                return  # the subscription's further series, deadlines and trial end come from its data
            if key in seen:
                if seen[key] != app_data:  # another subscription under the same key: named, never silently lost
                    dropped.append(f"{_text(event, 'SUMMARY') or '(no name)'} (key {key!r})")
                return
            seen[key] = app_data
            rows.append(_app_row(key, event))
        elif uid := _safe_key(_text(event, "UID")):
            if uid in seen:
                dropped.append(f"{_text(event, 'SUMMARY') or '(no name)'} (UID {uid!r})")
                return
            seen[uid] = ""
            rows.append(other_event_row(event, default_currency))

    def _match_existing(self, rows: list[ImportRow]) -> None:
        # Read only: a preview (and so a dry run) writes nothing; without a namespace no key can be our own.
        namespace = uid_namespace(self.service, create=False) or None
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
                row.action = RowAction.UPDATE
                try:
                    unchanged = _same(subscriptions.get(existing), row.build())
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
            for row in preview.importable():
                try:
                    incoming = row.build()
                except ValidationError as error:
                    raise ValidationError(error.field, f"{error.problem} (in {row.summary or row.key!r})") from None
                if row.existing_id is not None:
                    updated.append(
                        _required_id(subscriptions.update(replace(incoming, id=row.existing_id), now, overwrite=True))
                    )
                    continue
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
            raise ValidationError("file", f"{path} is not a regular file (a device, pipe or folder cannot be imported)")
        # O_NONBLOCK: if the path was swapped for a FIFO after the check, opening it must not wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ValidationError("file", f"{path} is not a regular file")
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ValidationError("file", f"cannot read {path}: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError("file", f"{path} is larger than {limit}, the limit for a calendar file")
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
