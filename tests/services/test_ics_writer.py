"""The export's text writer gives byte for byte what icalendar writes for the same events, and a calendar's UID
namespace is stored only by an export that reached its file."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar.parser.string import _foldline

from renewaltracker.domain.prices import PriceHistory, PriceStep
from renewaltracker.domain.subscription import Subscription
from renewaltracker.services.auto_export import AutoExporter
from renewaltracker.services.ics_export import CalendarExporter, EventBuilder, ExportOptions, wrap_calendar
from renewaltracker.services.ics_writer import IcsWriter, fold
from renewaltracker.services.subscriptions import SubscriptionService
from tests.factories import make_subscription
from tests.services.calendar_strategies import subscriptions

NOW = datetime(2026, 3, 10, 8, 30, tzinfo=UTC)
# Keys as an import keeps them: printable, no spaces, but with everything iCalendar escapes.
KEYS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=80)


def builder(*, include_amounts: bool, expanded: bool, prices: dict[int, PriceHistory] | None = None) -> EventBuilder:
    return EventBuilder(
        now=NOW,
        today=NOW.date(),
        lead_days=(7, 1, 0),
        reminder_time=time(9, 15),
        include_amounts=include_amounts,
        expanded=expanded,
        prices=prices or {},
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(subscriptions(with_id=None), min_size=1, max_size=3),
    st.lists(KEYS, min_size=3, max_size=3, unique=True),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["Renewals", "Verträge; privat, 2026 \\ alles — 日本語" * 3]),
)
def test_the_writer_writes_what_icalendar_writes(
    chosen: list[Subscription], keys: list[str], include_amounts: bool, expanded: bool, name: str
) -> None:
    numbered = [(replace(s, id=i), key) for i, (s, key) in enumerate(zip(chosen, keys, strict=False), start=1)]
    made = builder(include_amounts=include_amounts, expanded=expanded)
    events = [event for s, key in numbered for event in made.build(s, key)]
    assert IcsWriter(made).calendar(numbered, name) == wrap_calendar(events, name).to_ical()


def test_price_steps_dates_and_changes_are_written_alike() -> None:
    subscription = make_subscription(
        id=4,
        name="Stepped, \\N; plan",
        notice_days=30,
        cancel_url="https://example.com/a?b=1;c=2",
        trial_end=date(2026, 1, 1),
    )
    subscription = replace(subscription, updated_at=NOW, revision=7)
    history = PriceHistory(Decimal("9.99"), (PriceStep(date(2026, 6, 1), Decimal("12.99")),))
    for expanded in (False, True):
        made = builder(include_amounts=True, expanded=expanded, prices={4: history})
        expected = wrap_calendar(made.build(subscription, "k-4"), "R").to_ical()
        assert IcsWriter(made).calendar([(subscription, "k-4")], "R") == expected


@given(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400).map(lambda t: t.replace("\n", ""))
)
@example("DESCRIPTION:" + "a" * 61 + "\\n" + "b" * 100)
@example("X:" + "\\" * 200)
@example("X:" + "^" * 150 + "é" * 80)
def test_folding_equals_icalendar(line: str) -> None:
    assert fold(line) == _foldline(line)


def test_exporter_bytes_equal_the_icalendar_calendar(service: SubscriptionService) -> None:
    service.add(make_subscription(name="Monthly", notice_days=10))
    service.add(make_subscription(name="Yearly, leap", interval="1 year", anchor=date(2024, 2, 29), notice_days=3))
    exporter = CalendarExporter(service)
    for options in (ExportOptions(), ExportOptions(expanded=True, include_amounts=False)):
        assert exporter.to_ics(options) == exporter.calendar(options).to_ical()


def namespace(service: SubscriptionService) -> str:
    stored: str = service.setting("calendar_uid_namespace")
    return stored


def test_a_failed_export_stores_no_namespace(service: SubscriptionService, tmp_path: Path) -> None:
    service.add(make_subscription(name="Gym"))
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(OSError):
        CalendarExporter(service).export_to(blocker / "renewals.ics", ExportOptions())
    assert namespace(service) == ""
    target = tmp_path / "renewals.ics"
    data = CalendarExporter(service).export_to(target, ExportOptions())
    assert namespace(service) and f"UID:{namespace(service)}-1.charge@".encode() in data
    assert target.read_bytes() == data
    # The next export (another exporter) uses the stored namespace: the UIDs stay the same.
    assert CalendarExporter(service).to_ics(ExportOptions()) == data


@pytest.mark.expect_log_warnings
def test_a_failed_auto_export_stores_no_namespace(service: SubscriptionService, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    service.add(make_subscription(name="Gym"))
    service.set_setting("auto_export_path", str(blocker / "renewals.ics"))
    exporter = AutoExporter(service)
    assert exporter.export_now() is None and exporter.last_error
    assert namespace(service) == ""


@pytest.mark.parametrize(
    ("cancelled_on", "alarmed"),
    [(None, True), (date(2026, 12, 21), True), (date(2026, 12, 20), False), (date(2026, 11, 30), False)],
    ids=["a charge follows", "cancelled after the first charge", "cancelled at the end", "cancelled before"],
)
def test_a_trial_end_is_alarmed_only_when_a_charge_follows_it(cancelled_on: date | None, alarmed: bool) -> None:
    # As the app's reminders: "trial ends" warns of the charge after it; a trial cancelled before then has none.
    trial = make_subscription(id=2, anchor=None, trial_end=date(2026, 12, 20), name="Trialy", notice_days=3)
    if cancelled_on is not None:
        trial = trial.cancel(cancelled_on)
    trial = replace(trial, updated_at=NOW)
    for expanded in (False, True):
        made = builder(include_amounts=True, expanded=expanded)
        written = IcsWriter(made).calendar([(trial, "k-2")], "R").decode()
        assert written == wrap_calendar(made.build(trial, "k-2"), "R").to_ical().decode()
        trial_end = next(
            block for block in written.split("BEGIN:VEVENT")[1:] if "X-RENEWALTRACKER-KIND:trial-end" in block
        )
        assert ("BEGIN:VALARM" in trial_end) is alarmed
