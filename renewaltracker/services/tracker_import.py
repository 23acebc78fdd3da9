"""Importing subscriptions from other trackers (Wallos, SubTrackr), any CSV of subscriptions, or our own export.

Every source becomes rows of role → text (`domain.tracker_rows.ROLES`), read into subscriptions by one converter;
a preview flags rows that look like a subscription already tracked, and `apply` writes the rest in one transaction.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from renewaltracker.domain.amounts import read_amount, read_currency
from renewaltracker.domain.dates import read_date
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.subscription import Status, Subscription
from renewaltracker.domain.tracker_rows import (
    ROLES,
    check_role,
    duplicate_key,
    guess_columns,
    is_inactive,
    parse_cycle,
)
from renewaltracker.i18n import _, ngettext
from renewaltracker.services.subscriptions import Change, SubscriptionService
from renewaltracker.storage.repositories import SubscriptionRepository

MAX_FILE_BYTES = 50 * 1024 * 1024


class Source(StrEnum):
    WALLOS = "wallos"
    SUBTRACKR = "subtrackr"
    CSV = "csv"
    JSON = "json"


# Wallos's JSON keys (endpoints/subscriptions/export.php) and SubTrackr's (internal/models/subscription.go).
_WALLOS_KEYS = {
    "name": "Name",
    "cycle": "Payment Cycle",
    "next": "Next Payment",
    "category": "Category",
    "payment_method": "Payment Method",
    "amount": "Price",
    "notes": "Notes",
    "url": "URL",
    "status": "Active",
    "cancelled": "Cancellation Date",
}
_SUBTRACKR_KEYS = {
    "name": "name",
    "amount": "cost",
    "currency": "original_currency",
    "cycle": "schedule",
    "count": "schedule_interval",
    "status": "status",
    "payment_method": "payment_method",
    "start": "start_date",
    "next": "renewal_date",
    "cancelled": "cancellation_date",
    "url": "url",
    "notes": "notes",
}


@dataclass(frozen=True)
class Row:
    """One subscription read from the file; `duplicate_of` names the tracked (or earlier) one it looks like."""

    where: str
    subscription: Subscription
    duplicate_of: str | None = None

    @property
    def action(self) -> str:
        return "duplicate" if self.duplicate_of else "new"


@dataclass(frozen=True)
class Preview:
    source: str
    rows: list[Row]

    @property
    def new(self) -> list[Row]:
        return [row for row in self.rows if row.duplicate_of is None]


def read_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValidationError(
                str(path), _("is larger than {megabytes} MB").format(megabytes=MAX_FILE_BYTES // 2**20)
            )
        return path.read_bytes()
    except OSError as error:
        raise ValidationError(str(path), _("cannot be read: {strerror}").format(strerror=error.strerror)) from None


def _text(data: bytes, source: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(source, _("is neither UTF-8 nor Windows-1252 text"))  # pragma: no cover - cp1252 takes all


def _json(data: bytes, source: str) -> Any:
    try:
        return json.loads(_text(data, source))
    except json.JSONDecodeError as error:
        raise ValidationError(f"{source} line {error.lineno}", _("is not JSON: {msg}").format(msg=error.msg)) from None


def csv_rows(data: bytes, source: str, columns: Mapping[str, str] | None = None) -> list[tuple[str, dict[str, str]]]:
    """The rows of a CSV as role → text; the header row's words choose the columns, `columns` corrects them."""
    text = _text(data, source)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ValidationError(f"{source} line 1", _("has no header row"))
    try:
        sniffed: Any = csv.Sniffer().sniff(lines[0], delimiters=",;\t|")
    except csv.Error:
        sniffed = csv.excel
    # Only the separator is taken from the header: the sniffer guesses doublequote=False from a line without a
    # quoted quote, and every spreadsheet doubles a quote inside a quoted cell (RFC 4180).
    reader = csv.reader(io.StringIO(text), delimiter=sniffed.delimiter, skipinitialspace=sniffed.skipinitialspace)
    try:
        header = [cell.strip() for cell in next(reader)]
        body = []
        start = reader.line_num + 1
        for row in reader:  # a row is named by the line it starts on, even when a quoted cell spans lines
            body.append((start, row))
            start = reader.line_num + 1
    except csv.Error as error:
        raise ValidationError(
            f"{source} line {reader.line_num}", _("is not CSV: {error}").format(error=error)
        ) from None
    found = guess_columns(header)
    for role, column in (columns or {}).items():
        found[check_role(role)] = _column_index(header, column, source)
    for role in ("name", "amount"):
        if role not in found:
            raise ValidationError(
                f"{source} line 1",
                _("has no {role} column (header: {header}); name it with --map {role}=COL").format(
                    role=role, header=", ".join(header)
                ),
            )
    if "next" not in found and "start" not in found:
        raise ValidationError(f"{source} line 1", _("has no next or start date column; name it with --map next=COL"))
    rows: list[tuple[str, dict[str, str]]] = []
    for line, cells in body:
        if not any(cell.strip() for cell in cells):
            continue
        # More filled cells than headers means a separator inside a cell (Wallos does not quote its CSV): the
        # columns after it would be read shifted, so the row is refused rather than guessed.
        short = len(cells) < len(header) and max(found.values()) >= len(cells)
        if short or any(cell.strip() for cell in cells[len(header) :]):
            raise ValidationError(
                f"{source} line {line}",
                ngettext(
                    "has {count} field, the header has {header}",
                    "has {count} fields, the header has {header}",
                    len(cells),
                ).format(count=len(cells), header=len(header)),
            )
        rows.append((f"{source} line {line}", {role: cells[index].strip() for role, index in found.items()}))
    return rows


def _column_index(header: list[str], column: str, source: str) -> int:
    if column.isdigit() and 1 <= int(column) <= len(header):
        return int(column) - 1
    folded = [cell.casefold() for cell in header]
    if column.casefold() in folded:
        return folded.index(column.casefold())
    raise ValidationError(
        "--map",
        _("{source} has no column {column!r} (columns: {header})").format(
            source=source, column=column, header=", ".join(header)
        ),
    )


def _keyed_rows(entries: Any, keys: Mapping[str, str], source: str) -> list[tuple[str, dict[str, str]]]:
    if not isinstance(entries, list):
        raise ValidationError(source, _("holds no list of subscriptions"))
    rows = []
    for number, entry in enumerate(entries, start=1):
        where = f"{source} entry {number}"
        if not isinstance(entry, dict):
            raise ValidationError(where, _("is not an object"))
        row = {role: _cell(entry.get(key)) for role, key in keys.items()}
        category = entry.get("category")
        if isinstance(category, dict):  # SubTrackr nests its category: {"id": 3, "name": "Streaming"}
            row["category"] = _cell(category.get("name"))
        rows.append((where, row))
    return rows


def _cell(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def parse_rows(
    data: bytes, source: str, kind: Source, columns: Mapping[str, str] | None = None
) -> list[tuple[str, dict[str, str]]]:
    """Role → text rows of a Wallos or SubTrackr export (JSON or CSV) or any CSV of subscriptions."""
    looks_json = data.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] in (b"[", b"{")
    if kind is Source.CSV or not looks_json:
        return csv_rows(data, source, columns)
    loaded = _json(data, source)
    # Wallos's endpoint answers {"success": true, "subscriptions": […]}; its page saves the bare list.
    entries = loaded.get("subscriptions") if isinstance(loaded, dict) else loaded
    return _keyed_rows(entries, _WALLOS_KEYS if kind is Source.WALLOS else _SUBTRACKR_KEYS, source)


def to_subscription(where: str, row: Mapping[str, str], default_currency: str, today: date) -> Subscription:
    """One row read into a subscription; a ValidationError names the row and the field."""
    try:
        return _to_subscription(row, default_currency, today)
    except ValidationError as error:
        raise ValidationError(f"{where}", f"{error.field}: {error.problem}") from None


def _to_subscription(row: Mapping[str, str], default_currency: str, today: date) -> Subscription:
    def get(role: str) -> str:
        return row.get(role, "").strip()

    read = read_amount(get("amount"), "amount", currency=get("currency") or None)
    currency = read_currency(get("currency")) if get("currency") else read.currency or default_currency
    interval = parse_cycle(get("cycle")) if get("cycle") else Interval(1, Unit.MONTH)  # a sheet without a cycle column
    count = get("count")
    if count.isdigit() and int(count) > 1 and interval.count == 1:
        interval = Interval(int(count), interval.unit)
    start = _date(get("start"), "start")
    next_date = _date(get("next"), "next")
    anchor = start or next_date
    if anchor is None:
        raise ValidationError("next", _("is missing (a next or first payment date is needed)"))
    notes = get("notes")
    url = get("url")
    cancel_url = url if url.lower().startswith(("http://", "https://")) and " " not in url else ""
    if url and not cancel_url:
        notes = f"{notes}\n{url}".strip()
    stopped = bool(get("status")) and is_inactive(get("status"))
    cancelled_on = _date(get("cancelled"), "cancelled") if stopped else None
    return Subscription(
        name=get("name"),
        amount=read.value,
        currency=currency,
        interval=interval,
        anchor=anchor,
        vendor=get("vendor"),
        category=get("category"),
        notes=notes,
        payment_method=get("payment_method"),
        cancel_url=cancel_url,
        status=Status.CANCELLED if stopped else Status.ACTIVE,
        cancelled_on=(cancelled_on or next_date or today) if stopped else None,
    )


def _date(text: str, field: str) -> date | None:
    if not text:
        return None
    # Trackers write timestamps ("2026-04-01T00:00:00Z", "2026-04-01 00:00:00"): the date is what counts.
    day = text[:10] if len(text) > 10 and text[4:5] == "-" and text[10:11] in ("T", " ") else text
    return read_date(day, "en_GB", field)


_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_ROLES = ("next", "start", "cancelled")


def month_first_throughout(rows: list[tuple[str, dict[str, str]]]) -> list[tuple[str, dict[str, str]]]:
    """A sheet whose slash dates include one that can only be month-first (12/31/2026) is American: its other
    slash dates are month-first too. Read one by one, 01/05/2026 beside it would be taken as 1 May."""
    found = [
        match for _where, row in rows for role in _DATE_ROLES if (match := _SLASH_DATE.fullmatch(row.get(role, "")))
    ]
    if not any(int(match[2]) > 12 for match in found) or any(int(match[1]) > 12 for match in found):
        return rows
    american = []
    for where, row in rows:
        changed = dict(row)
        for role in _DATE_ROLES:
            if match := _SLASH_DATE.fullmatch(row.get(role, "")):
                changed[role] = f"{match[3]}-{int(match[1]):02}-{int(match[2]):02}"
        american.append((where, changed))
    return american


def _refuse_twins_added_since(preview: Preview, stored: Sequence[Subscription]) -> None:
    """Refuse the import when a row the preview called new now looks like a stored subscription: it was added or
    changed after the preview (another window, a command), and importing would track it twice."""
    tracked: dict[tuple[str, Any, str], Subscription] = {}
    for existing in stored:
        for key in duplicate_key(existing.name, existing.vendor, existing.amount, existing.currency):
            tracked.setdefault(key, existing)
    for row in preview.new:
        sub = row.subscription
        keys = duplicate_key(sub.name, sub.vendor, sub.amount, sub.currency)
        twin = next((tracked[key] for key in keys if key in tracked), None)
        if twin is not None:
            raise ValidationError(
                row.where,
                _(
                    "looks like {name!r} (subscription {id}), which was added or changed after the preview "
                    "was made, in another window or by another command; nothing was imported. Open the file "
                    "again to see the current state"
                ).format(name=twin.name, id=twin.id),
            )


class TrackerImporter:
    """Read a file into a preview; `apply` writes the new rows, the database is touched by nothing else."""

    def __init__(self, service: SubscriptionService) -> None:
        self.service = service

    def read(self, data: bytes, source: str, kind: Source, columns: Mapping[str, str] | None = None) -> list[Row]:
        if kind is Source.JSON:
            return [Row(where, sub) for where, sub in self._own_export(data, source)]
        currency = str(self.service.setting("default_currency"))
        today = self.service.clock.today()
        return [
            Row(where, to_subscription(where, row, currency, today))
            for where, row in month_first_throughout(parse_rows(data, source, kind, columns))
        ]

    def preview(self, data: bytes, source: str, kind: Source, columns: Mapping[str, str] | None = None) -> Preview:
        """The file's subscriptions, each flagged when it looks like one already tracked or an earlier row."""
        rows = self.read(data, source, kind, columns)
        seen: dict[tuple[str, Any, str], str] = {}
        for existing in self.service.all():
            for key in duplicate_key(existing.name, existing.vendor, existing.amount, existing.currency):
                seen.setdefault(key, existing.name)
        flagged = []
        for row in rows:
            sub = row.subscription
            keys = duplicate_key(sub.name, sub.vendor, sub.amount, sub.currency)
            twin = next((seen[key] for key in keys if key in seen), None)
            flagged.append(replace(row, duplicate_of=twin))
            for key in keys:
                seen.setdefault(key, sub.name)
        return Preview(source, flagged)

    def apply(self, preview: Preview) -> list[int]:
        """Write the rows not flagged as duplicates, all in one transaction; returns their ids."""
        now = self.service.clock.now()
        added: list[int] = []
        with self.service.transaction() as session:
            repository = SubscriptionRepository(session)
            _refuse_twins_added_since(preview, repository.all())
            for row in preview.new:
                try:
                    row.subscription.check_limits()
                except ValidationError as error:
                    raise ValidationError(row.where, f"{error.field}: {error.problem}") from None
                saved = repository.add(row.subscription, now)
                assert saved.id is not None
                added.append(saved.id)
        for subscription_id in added:
            self.service.notify(Change.ADDED, subscription_id)
        return added

    def _own_export(self, data: bytes, source: str) -> Sequence[tuple[str, Subscription]]:
        """Our own full export's subscriptions, read by loading it into a scratch database."""
        from renewaltracker.services.data_export import import_json
        from renewaltracker.storage.database import open_database

        loaded = _json(data, source)
        if not isinstance(loaded, dict):
            raise ValidationError(source, _("is not a Renewal Tracker JSON export"))
        with tempfile.TemporaryDirectory() as folder:
            scratch = open_database(Path(folder) / "import.sqlite3")
            try:
                other = SubscriptionService(scratch, self.service.clock)
                import_json(other, loaded, source)
                subscriptions = other.all()
            finally:
                scratch.close()
        return [
            (f"{source} subscription {sub.id}", replace(sub, id=None, created_at=None, updated_at=None, revision=0))
            for sub in subscriptions
        ]


__all__ = ["ROLES", "Preview", "Row", "Source", "TrackerImporter", "parse_rows", "read_file", "to_subscription"]
