"""Other calendars' files as users really have them: no UIDs, amounts beside names, several days per rule,
UTC times, EXDATEs, and this app's own deadline events that lost their X- properties."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.events import events_between
from renewaltracker.domain.schedule import Pause
from renewaltracker.services.ics_export import X_DATA, X_KEY, X_KIND, CalendarExporter, ExportOptions
from renewaltracker.services.ics_import import CalendarImporter, RowAction, parse_amount_text
from renewaltracker.services.subscriptions import SubscriptionService
from tests.cli.test_calendar_commands import cli
from tests.factories import make_subscription


def calendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\nDTSTAMP:20260101T000000Z\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other//EN\r\n{body}END:VCALENDAR\r\n"
    return text.replace("\n        ", "\r\n").encode()


def test_an_amount_is_read_beside_its_currency_not_from_the_product_name() -> None:
    assert parse_amount_text("Microsoft 365 €99", "EUR")[:2] == ("99", "EUR")  # type: ignore[index]
    assert parse_amount_text("Microsoft 365 99 €", "EUR")[:2] == ("99", "EUR")  # type: ignore[index]
    assert parse_amount_text("Netflix 12,99 € monthly", "EUR")[:2] == ("12.99", "EUR")  # type: ignore[index]
    assert parse_amount_text("Office 2024 USD 15.00 a year", "EUR")[:2] == ("15.00", "USD")  # type: ignore[index]
    assert parse_amount_text("Plan 3 for 4 people", "EUR") is None


def test_events_without_uid_get_a_stable_key(service: SubscriptionService) -> None:
    ics = calendar(
        "DTSTART;VALUE=DATE:20250115\r\nSUMMARY:Netflix €12,99\r\nRRULE:FREQ=MONTHLY",
        "DTSTART;VALUE=DATE:20250301\r\nSUMMARY:Domain USD 15\r\nRRULE:FREQ=YEARLY",
    )
    first = CalendarImporter(service).preview(ics)
    keys = [row.key for row in first.rows]
    assert len(keys) == 2 and len(set(keys)) == 2 and all(key.startswith("no-uid-") for key in keys)
    assert [row.key for row in CalendarImporter(service).preview(ics).rows] == keys
    CalendarImporter(service).apply(first)
    again = CalendarImporter(service).preview(ics)
    assert [row.action for row in again.rows] == [RowAction.UNCHANGED] * 2


def test_several_days_of_the_month_or_months_of_the_year_become_one_plan_each(service: SubscriptionService) -> None:
    ics = calendar(
        "UID:twice-a-month\r\nDTSTART;VALUE=DATE:20260101\r\nSUMMARY:Cleaner €40\r\n"
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=6",
        "UID:twice-a-year\r\nDTSTART;VALUE=DATE:20260110\r\nSUMMARY:Insurance €120\r\nRRULE:FREQ=YEARLY;BYMONTH=1,7",
    )
    importer = CalendarImporter(service)
    preview = importer.preview(ics)
    starts = [(row.start, row.every, row.end_count) for row in preview.rows]
    assert starts == [
        (date(2026, 1, 1), "1 month", 3),
        (date(2026, 1, 15), "1 month", 3),
        (date(2026, 1, 10), "1 year", None),
        (date(2026, 7, 10), "1 year", None),
    ]
    assert all("several days" in row.note for row in preview.rows)
    assert [row.name for row in preview.rows] == [
        "Cleaner (day 1)",
        "Cleaner (day 15)",
        "Insurance (January 10)",
        "Insurance (July 10)",
    ]
    from renewaltracker.i18n import install_language

    install_language("de")
    try:
        german = importer.preview(ics)
    finally:
        install_language("en")
    # In the interface language; each row is still the one it was, for a second import to find it.
    assert [row.name for row in german.rows] == [
        "Cleaner (Tag 1)",
        "Cleaner (Tag 15)",
        "Insurance (10. Januar)",
        "Insurance (10. Juli)",
    ]
    assert [row.key for row in german.rows] == [row.key for row in preview.rows]
    assert all("mehreren Tagen" in row.note for row in german.rows)
    importer.apply(preview)
    charges = [e.date for e in events_between(service.all(), date(2026, 1, 1), date(2026, 12, 31))]
    assert charges == sorted(
        [date(2026, m, d) for m in (1, 2, 3) for d in (1, 15)] + [date(2026, 1, 10), date(2026, 7, 10)]
    )


def test_utc_times_become_local_dates_and_exdates_skip_charges(service: SubscriptionService) -> None:
    # 23:30 UTC is already the next day in Berlin, the test clock's zone.
    ics = calendar(
        "UID:late\r\nDTSTART:20260131T233000Z\r\nSUMMARY:Cloud €5\r\n"
        "RRULE:FREQ=MONTHLY;UNTIL=20260630T233000Z\r\nEXDATE:20260331T233000Z",
    )
    importer = CalendarImporter(service)
    row = importer.preview(ics).rows[0]
    assert (row.start, row.end_date) == (date(2026, 2, 1), date(2026, 7, 1))
    assert row.pauses == (Pause(date(2026, 4, 1), date(2026, 4, 2)),)
    importer.apply(importer.preview(ics))
    charges = [e.date for e in events_between(service.all(), date(2026, 1, 1), date(2026, 12, 31))]
    assert charges == [date(2026, m, 1) for m in (2, 3, 5, 6, 7)]


def test_own_deadlines_without_x_properties_are_not_plans(service: SubscriptionService, tmp_path: Path) -> None:
    service.add(
        make_subscription(name="Magazine", anchor=date(2026, 1, 30), notice_days=10, trial_end=date(2026, 1, 1))
    )
    exported = CalendarExporter(service).to_ics(ExportOptions())
    stripped = _drop_property(exported, (X_KEY, X_KIND, X_DATA))
    assert b"X-RENEWALTRACKER" not in stripped
    preview = CalendarImporter(service).preview(stripped)
    # Twelve yearly series of one month-end plan, its cancel-by and trial-end events: one plan, monthly.
    assert [(row.name, row.every, row.amount) for row in preview.rows] == [("Magazine", "1 month", "39.99")]


def _drop_property(ics: bytes, names: tuple[str, ...]) -> bytes:
    """Remove properties (with their folded continuation lines), as a client that keeps no X- data would."""
    kept: list[bytes] = []
    dropping = False
    for line in ics.split(b"\r\n"):
        if line.startswith(b" ") and dropping:
            continue
        dropping = line.startswith(tuple(name.encode() + end for name in names for end in (b":", b";")))
        if not dropping:
            kept.append(line)
    return b"\r\n".join(kept)


def test_preview_json_shows_end_dates_and_charge_counts(tmp_path: Path, db_path: Path, clock: FixedClock) -> None:
    file = tmp_path / "other.ics"
    file.write_bytes(
        calendar(
            "UID:a\r\nDTSTART;VALUE=DATE:20260105\r\nSUMMARY:Gym €30\r\nRRULE:FREQ=MONTHLY;COUNT=12",
            "UID:b\r\nDTSTART;VALUE=DATE:20260105\r\nSUMMARY:News €5\r\nRRULE:FREQ=MONTHLY;UNTIL=20261231",
        )
    )
    code, out, _err = cli(db_path, clock, "import-ics", str(file), "--dry-run", "--json")
    assert code == 0
    rows = {row["name"]: row for row in json.loads(out)["rows"]}
    assert (rows["Gym"]["end_count"], rows["Gym"]["ends"]) == (12, "after 12 charges")
    assert (rows["News"]["end_date"], rows["News"]["ends"]) == ("2026-12-31", "on 2026-12-31")
    code, out, _err = cli(db_path, clock, "import-ics", str(file), "--dry-run")
    assert "after 12 charges" in out and "on 2026-12-31" in out


def test_export_with_an_unknown_id_is_one_line_and_exit_2(db_path: Path, clock: FixedClock) -> None:
    code, out, err = cli(db_path, clock, "export-ics", "--ids", "41")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "41" in err and "Traceback" not in err
