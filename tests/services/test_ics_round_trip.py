"""Export, import and export again: nothing lost, nothing duplicated, bad files change nothing."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar, Event

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import Status, Subscription
from renewaltracker.services.calendar_data import decode_data, encode_data, subscription_data, subscription_from_data
from renewaltracker.services.ics_export import X_DATA, CalendarExporter, ExportOptions, Scope
from renewaltracker.services.ics_import import CalendarImporter, RowAction, other_event_row, parse_amount_text
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import open_database
from tests.factories import make_subscription
from tests.services.calendar_strategies import subscriptions


def fill(service: SubscriptionService) -> list[Subscription]:
    return [
        service.add(make_subscription(name="Magazine", anchor=date(2025, 1, 31), notice_days=14, reminder_days=(3,))),
        service.add(
            make_subscription(
                name='Cloud, storage; "plus"',
                amount=Decimal("1200"),
                currency="JPY",
                interval="1 year",
                anchor=date(2024, 2, 29),
                keep_clipped_day=True,
                cancel_url="https://example.com/cancel",
                payment_method="Visa 4242",
                notes="Line one\nLine two, with commas; and semicolons\\",
                split_between=3,
            )
        ),
        service.add(
            make_subscription(
                name="Gym",
                anchor=date(2025, 3, 30),
                status=Status.CANCELLED,
                cancelled_on=date(2026, 6, 1),
                pauses=(Pause(date(2025, 7, 1), date(2025, 9, 1)),),
                trial_end=date(2025, 3, 1),
            )
        ),
        service.add(make_subscription(name="Paper", interval="2 weeks", anchor=date(2026, 1, 5), end_count=10)),
    ]


def events_without_stamp(ics: bytes) -> dict[str, bytes]:
    found = {}
    for event in Calendar.from_ical(ics).walk("VEVENT"):
        event.pop("DTSTAMP")
        found[str(event["UID"])] = event.to_ical()
    return found


@pytest.fixture
def other_service(tmp_path: Path, clock: FixedClock, migrated_template: Path) -> Iterator[SubscriptionService]:
    database = open_database(shutil.copyfile(migrated_template, tmp_path / "other.sqlite3"))
    yield SubscriptionService(database, clock)
    database.close()


def test_uids_are_stable_across_exports_and_edits(service: SubscriptionService) -> None:
    fill(service)
    exporter = CalendarExporter(service)
    first = events_without_stamp(exporter.to_ics(ExportOptions()))
    service.edit(service.all()[0].id, notes="changed")  # type: ignore[arg-type]
    second = events_without_stamp(exporter.to_ics(ExportOptions()))
    assert set(first) == set(second)
    assert first != second


def test_export_import_export_gives_the_same_events(
    service: SubscriptionService, other_service: SubscriptionService
) -> None:
    fill(service)
    original = CalendarExporter(service).to_ics(ExportOptions())
    importer = CalendarImporter(other_service)
    preview = importer.preview(original)
    assert [row.action for row in preview.rows] == [RowAction.ADD] * 4
    result = importer.apply(preview)
    assert len(result.added) == 4
    again = CalendarExporter(other_service).to_ics(ExportOptions())
    assert events_without_stamp(again) == events_without_stamp(original)


def test_reimport_updates_by_uid_and_never_duplicates(service: SubscriptionService) -> None:
    saved = fill(service)
    exported = CalendarExporter(service).to_ics(ExportOptions())
    importer = CalendarImporter(service)
    assert {row.action for row in importer.preview(exported).rows} == {RowAction.UNCHANGED}
    service.edit(saved[0].id, name="Renamed")  # type: ignore[arg-type]
    preview = importer.preview(exported)
    assert [row.action for row in preview.rows].count(RowAction.UPDATE) == 1
    result = importer.apply(preview)
    assert result.updated == (saved[0].id,)
    assert len(service.all()) == 4
    assert service.get(saved[0].id).name == "Magazine"  # type: ignore[arg-type]


def test_selected_and_active_scopes(service: SubscriptionService) -> None:
    saved = fill(service)
    exporter = CalendarExporter(service)
    active = exporter.subscriptions(ExportOptions(scope=Scope.ACTIVE))
    assert "Gym" in {s.name for s in active}  # cancelled from 1 June: its charges until then are real
    service.add(make_subscription(name="Old gym", status=Status.CANCELLED, cancelled_on=date(2026, 1, 1)))
    service.add(make_subscription(name="Resting", status=Status.PAUSED, pauses=(Pause(date(2026, 2, 1)),)))
    service.add(make_subscription(name="Resting soon", status=Status.PAUSED, pauses=(Pause(date(2026, 9, 1)),)))
    active = exporter.subscriptions(ExportOptions(scope=Scope.ACTIVE))
    assert {"Gym", "Resting soon"} <= {s.name for s in active}
    assert not {"Old gym", "Resting"} & {s.name for s in active}
    chosen = exporter.subscriptions(ExportOptions(scope=Scope.SELECTED, ids=(saved[1].id,)))  # type: ignore[arg-type]
    assert [s.name for s in chosen] == [saved[1].name]
    with pytest.raises(ValidationError, match="no subscription has id 999"):
        exporter.subscriptions(ExportOptions(scope=Scope.SELECTED, ids=(saved[1].id, 999)))  # type: ignore[arg-type]


def test_without_amounts_nothing_shows_money_and_import_asks_for_it(
    service: SubscriptionService, other_service: SubscriptionService
) -> None:
    fill(service)
    ics = CalendarExporter(service).to_ics(ExportOptions(include_amounts=False))
    assert b"39.99" not in ics and b"1200" not in ics
    assert b"4242" in ics  # the card's last four, as the user labelled it
    importer = CalendarImporter(other_service)
    preview = importer.preview(ics)
    assert all("amount is missing" in (row.problem() or "").lower() for row in preview.rows)
    with pytest.raises(ValidationError, match="amount"):
        importer.apply(preview)
    assert other_service.all() == []
    for row in preview.rows:
        row.amount = "5"
    assert len(importer.apply(preview).added) == 4


@pytest.mark.parametrize(
    "data",
    [
        b"not a calendar",
        b"",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:notadate\r\nRRULE:FREQ=MONTHLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
    ],
)
def test_malformed_file_is_refused_in_plain_words_and_writes_nothing(service: SubscriptionService, data: bytes) -> None:
    fill(service)
    before = service.all()
    with pytest.raises(ValidationError) as caught:
        CalendarImporter(service).preview(data)
    assert caught.value.field == "file"
    assert service.all() == before


def test_damaged_app_data_is_refused(service: SubscriptionService) -> None:
    fill(service)
    calendar = Calendar.from_ical(CalendarExporter(service).to_ics(ExportOptions()))
    event = next(e for e in calendar.walk("VEVENT") if X_DATA in e)
    event[X_DATA] = encode_data({**decode_data(str(event[X_DATA])), "interval": {"x": 1}})
    ics = calendar.to_ical()
    with pytest.raises(ValidationError, match="damaged"):
        CalendarImporter(service).preview(ics)


FOREIGN = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Other//EN\r
BEGIN:VEVENT\r
UID:netflix-123@other.example\r
DTSTAMP:20260101T000000Z\r
DTSTART;VALUE=DATE:20250115\r
SUMMARY:Netflix \xe2\x82\xac12,99\r
RRULE:FREQ=MONTHLY;INTERVAL=1\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:domain-9@other.example\r
DTSTAMP:20260101T000000Z\r
DTSTART:20250301T100000Z\r
SUMMARY:Domain renewal\r
DESCRIPTION:Costs USD 15.00 a year\r
RRULE:FREQ=YEARLY;COUNT=5\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:dentist@other.example\r
DTSTAMP:20260101T000000Z\r
DTSTART;VALUE=DATE:20250301\r
SUMMARY:Dentist\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:club@other.example\r
DTSTAMP:20260101T000000Z\r
DTSTART;VALUE=DATE:20250301\r
SUMMARY:Book club\r
RRULE:FREQ=WEEKLY;INTERVAL=2\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_other_calendars_map_to_subscriptions_after_a_preview(service: SubscriptionService) -> None:
    importer = CalendarImporter(service)
    preview = importer.preview(FOREIGN)
    rows = {row.key: row for row in preview.rows}
    netflix = rows["netflix-123@other.example"]
    assert (netflix.name, netflix.amount, netflix.currency, netflix.every, netflix.start) == (
        "Netflix",
        "12.99",
        "EUR",
        "1 month",
        date(2025, 1, 15),
    )
    domain = rows["domain-9@other.example"]
    assert (domain.amount, domain.currency, domain.every, domain.end_count) == ("15.00", "USD", "1 year", 5)
    assert rows["dentist@other.example"].action is RowAction.SKIP
    club = rows["club@other.example"]
    assert club.amount == "" and (club.problem() or "").startswith("Amount is missing")
    with pytest.raises(ValidationError):
        importer.apply(preview)
    assert service.all() == []
    club.include = False
    result = importer.apply(preview)
    assert len(result.added) == 2
    again = importer.preview(FOREIGN)
    again_rows = {row.key: row for row in again.rows}
    assert again_rows["netflix-123@other.example"].action is RowAction.UNCHANGED
    again_rows["club@other.example"].include = False
    importer.apply(again)
    assert len(service.all()) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Netflix €12,99", ("12.99", "EUR")),
        ("Spotify 9.99 EUR monthly", ("9.99", "EUR")),
        ("Hosting $1,200.50", ("1200.50", "USD")),
        ("£5 magazine", ("5", "GBP")),
        ("Plan 4K for 2 screens", None),
    ],
)
def test_amounts_are_read_from_free_text(text: str, expected: tuple[str, str] | None) -> None:
    found = parse_amount_text(text, "USD")
    assert (found[:2] if found else None) == expected


@given(subscriptions(with_id=None))
def test_subscription_data_round_trips_through_json(subscription: Subscription) -> None:
    data = json.loads(json.dumps(subscription_data(subscription)))
    assert subscription_from_data(data) == subscription


FREQUENCIES = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


@given(
    name=st.text("abcdefghij klmnop", min_size=1, max_size=20).filter(lambda text: bool(text.strip())),
    frequency=st.sampled_from(sorted(FREQUENCIES)),
    interval=st.integers(1, 12),
    cents=st.integers(1, 999_999),
    style=st.sampled_from(["{name} {amount} {code}", "{code} {amount} {name}", "{name} – {symbol}{amount}"]),
    currency=st.sampled_from([("EUR", "€"), ("GBP", "£"), ("USD", "$")]),
    start=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    count=st.none() | st.integers(1, 50),
)
def test_other_calendars_repeat_rules_and_amounts_are_read(
    name: str,
    frequency: str,
    interval: int,
    cents: int,
    style: str,
    currency: tuple[str, str],
    start: date,
    count: int | None,
) -> None:
    code, symbol = currency
    amount = f"{Decimal(cents) / 100:.2f}"
    summary = style.format(name=name.strip(), amount=amount, code=code, symbol=symbol)
    event = Event()
    event.add("uid", "x@example")
    event.add("dtstamp", datetime(2026, 1, 1, tzinfo=UTC))
    event.add("dtstart", start)
    event.add("summary", summary)
    rule: dict[str, object] = {"FREQ": frequency, "INTERVAL": interval}
    if count:
        rule["COUNT"] = count
    event.add("rrule", rule)
    calendar = Calendar()
    calendar.add("prodid", "-//test//EN")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    parsed = other_event_row(Calendar.from_ical(calendar.to_ical()).walk("VEVENT")[0], "USD")
    assert (parsed.amount, parsed.currency) == (str(Decimal(amount)), code)
    assert parsed.every == str(Interval(interval, Unit(FREQUENCIES[frequency])))
    assert (parsed.start, parsed.end_count) == (start, count)
    built = parsed.build()
    assert built.amount == Decimal(amount) and built.name == parsed.name
    assert name.strip() in built.name
