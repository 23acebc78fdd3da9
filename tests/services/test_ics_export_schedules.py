"""The exported rules expand, in other libraries, to exactly the app's own charge dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import recurring_ical_events
from hypothesis import example, given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from renewaltracker.domain.events import EventKind, subscription_events
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import Status, Subscription
from renewaltracker.services.ics_export import X_KIND, EventBuilder, one_line, wrap_calendar
from tests.factories import make_subscription
from tests.services.calendar_strategies import subscriptions

NOW = datetime(2026, 3, 10, 8, 30, tzinfo=UTC)


def export(subscription: Subscription) -> bytes:
    builder = EventBuilder(
        now=NOW, today=NOW.date(), lead_days=(7, 1), reminder_time=time(9, 0), include_amounts=True, expanded=False
    )
    return wrap_calendar(builder.build(subscription, "test-1"), "Renewals").to_ical()


def expanded_charge_dates(ics: bytes, start: date, end: date) -> list[date]:
    calendar = Calendar.from_ical(ics)
    occurrences = recurring_ical_events.of(calendar).between(start, end + timedelta(days=1))
    found = [event["DTSTART"].dt for event in occurrences if str(event.get(X_KIND)) == "charge"]
    return sorted(found)


@given(subscriptions())
@example(make_subscription(id=1, anchor=date(2023, 1, 31)))
@example(make_subscription(id=1, anchor=date(2023, 1, 30)))
@example(make_subscription(id=1, anchor=date(2023, 1, 29)))
@example(make_subscription(id=1, anchor=date(2024, 2, 29), interval="1 year"))
@example(make_subscription(id=1, anchor=date(2024, 2, 29), interval="1 year", keep_clipped_day=True))
@example(make_subscription(id=1, anchor=date(2023, 5, 31), interval="1 month", keep_clipped_day=True))
@example(make_subscription(id=1, anchor=date(2024, 1, 31), interval="3 months", keep_clipped_day=True, end_count=7))
def test_expanded_occurrences_equal_the_app_schedule_over_five_years(subscription: Subscription) -> None:
    start = subscription.anchor_date - timedelta(days=40)
    end = start + timedelta(days=5 * 366)
    ics = export(subscription)
    assert expanded_charge_dates(ics, start, end) == list(subscription.schedule.charges_between(start, end))


def export_many(subscription_list: list[Subscription], *, expanded: bool = False) -> bytes:
    builder = EventBuilder(
        now=NOW, today=NOW.date(), lead_days=(3,), reminder_time=time(9, 0), include_amounts=True, expanded=expanded
    )
    events = [event for s in subscription_list for event in builder.build(s, f"test-{s.id}")]
    return wrap_calendar(events, "Renewals — ünïcode").to_ical()


def assert_well_formed(ics: bytes) -> None:
    assert ics.endswith(b"\r\n")
    lines = ics.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    calendar = Calendar.from_ical(ics)
    events = list(calendar.walk("VEVENT"))
    assert all(event.get("UID") and event.get("DTSTAMP") for event in events)
    assert len({str(event["UID"]) for event in events}) == len(events)
    strict = IcsCalendarStream.calendar_from_ics(ics.decode("utf-8"))
    assert len(strict.events) == len(events)


@given(st.lists(subscriptions(), min_size=1, max_size=3), st.booleans())
def test_file_is_strict_icalendar_with_folded_crlf_lines(subscription_list: list[Subscription], expanded: bool) -> None:
    numbered = [replace(s, id=index) for index, s in enumerate(subscription_list, start=1)]
    assert_well_formed(export_many(numbered, expanded=expanded))


def test_alarm_fires_at_the_reminder_time_before_an_all_day_event() -> None:
    ics = export(make_subscription(id=1, reminder_days=(3, 0)))
    triggers = [alarm["TRIGGER"].dt for alarm in Calendar.from_ical(ics).walk("VALARM")]
    assert triggers == [timedelta(days=-3, hours=9), timedelta(hours=9)]
    assert b"TRIGGER:-P2DT15H" in ics


def rules_of(subscription: Subscription, kind: str = "charge") -> list[tuple[date, bytes]]:
    events = Calendar.from_ical(export(subscription)).walk("VEVENT")
    return sorted(
        (e["DTSTART"].dt, e["RRULE"].to_ical() if "RRULE" in e else b"") for e in events if str(e[X_KIND]) == kind
    )


def test_month_end_rules_need_no_set_position() -> None:
    """BYSETPOS is ignored by calcurse and ical.js: the 31st is "the last day", the 29th and 30th one yearly
    series per month (February's on its last day)."""
    last_day = rules_of(make_subscription(id=1, anchor=date(2023, 1, 31)))
    assert last_day == [(date(2023, 1, 31), b"FREQ=MONTHLY;BYMONTHDAY=-1")]
    assert rules_of(make_subscription(id=1, anchor=date(2023, 1, 15))) == [(date(2023, 1, 15), b"FREQ=MONTHLY")]
    thirtieth = rules_of(make_subscription(id=1, anchor=date(2023, 1, 30)))
    assert len(thirtieth) == 12
    assert (date(2023, 2, 28), b"FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=2") in thirtieth
    assert (date(2023, 3, 30), b"FREQ=YEARLY") in thirtieth
    every_other = rules_of(make_subscription(id=1, anchor=date(2023, 1, 29), interval="2 months"))
    assert [day for day, _ in every_other] == [date(2023, m, 29) for m in (1, 3, 5, 7, 9, 11)]
    leap = rules_of(make_subscription(id=1, anchor=date(2024, 2, 29), interval="1 year"))
    assert leap == [(date(2024, 2, 29), b"FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=2")]
    for _, rule in (*thirtieth, *every_other, *leap):
        assert b"BYSETPOS" not in rule


def test_deadlines_that_leap_years_move_split_by_leap_class_with_century_years_single() -> None:
    subscription = make_subscription(id=1, anchor=date(2024, 3, 10), interval="1 year", notice_days=20)
    deadlines = rules_of(subscription, "cancel-by")
    ruled = [rule for _, rule in deadlines if rule]
    assert len(ruled) == 4 and all(rule.startswith(b"FREQ=YEARLY") and b"INTERVAL=4" in rule for rule in ruled)
    assert (date(2100, 2, 18), b"") in deadlines  # 2100 is no leap year
    assert not any(b"RDATE" in line for line in export(subscription).splitlines())


def test_cancellation_ends_the_rule_with_until_and_a_closed_pause_with_exdates() -> None:
    subscription = make_subscription(
        id=1,
        anchor=date(2026, 1, 15),
        status=Status.CANCELLED,
        cancelled_on=date(2026, 9, 1),
        pauses=(Pause(date(2026, 3, 1), date(2026, 5, 1)),),
    )
    event = Calendar.from_ical(export(subscription)).walk("VEVENT")[0]
    assert event["RRULE"]["UNTIL"] == [date(2026, 8, 31)]
    assert [d.dt for d in event["EXDATE"].dts] == [date(2026, 3, 15), date(2026, 4, 15)]
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(days=1)


def test_keep_clipped_day_splits_the_series_where_the_day_shrinks() -> None:
    subscription = make_subscription(id=1, anchor=date(2023, 1, 31), keep_clipped_day=True)
    events = Calendar.from_ical(export(subscription)).walk("VEVENT")
    charges = [e for e in events if str(e[X_KIND]) == "charge"]
    assert [(e["DTSTART"].dt, e["RRULE"].to_ical()) for e in charges] == [
        (date(2023, 1, 31), b"FREQ=MONTHLY;UNTIL=20230131;BYMONTHDAY=-1"),
        (date(2023, 2, 28), b"FREQ=MONTHLY"),
    ]


@settings(max_examples=30)  # expanding 700 days of daily deadlines is slow
@given(subscriptions().filter(lambda s: bool(s.notice_days)), st.booleans())
def test_cancel_by_events_fall_on_the_app_deadlines(subscription: Subscription, expanded: bool) -> None:
    builder = EventBuilder(
        now=NOW, today=NOW.date(), lead_days=(), reminder_time=time(9, 0), include_amounts=True, expanded=expanded
    )
    ics = wrap_calendar(builder.build(subscription, "test-1"), "Renewals").to_ical()
    start, end = NOW.date(), NOW.date() + timedelta(days=700)
    occurrences = recurring_ical_events.of(Calendar.from_ical(ics)).between(start, end + timedelta(days=1))
    found = sorted(event["DTSTART"].dt for event in occurrences if str(event.get(X_KIND)) == "cancel-by")
    # The export always names the next deadline, even past the 24 months this test looks at.
    expected = [e.date for e in subscription_events(subscription, start, end) if e.kind is EventKind.CANCEL_BY]
    assert found == sorted(expected)


@settings(max_examples=25)  # a daily plan alone writes 730 events
@given(subscriptions())
def test_expanded_mode_writes_each_charge_of_the_next_24_months_once(subscription: Subscription) -> None:
    builder = EventBuilder(
        now=NOW, today=NOW.date(), lead_days=(1,), reminder_time=time(9, 0), include_amounts=True, expanded=True
    )
    events = Calendar.from_ical(wrap_calendar(builder.build(subscription, "t-1"), "R").to_ical()).walk("VEVENT")
    charges = sorted(e["DTSTART"].dt for e in events if str(e[X_KIND]) == "charge")
    assert not any("RRULE" in e or "RDATE" in e for e in events)
    horizon = date(2028, 3, 10)
    assert charges == list(subscription.schedule.charges_between(NOW.date(), horizon))


def test_titles_are_one_line_whatever_the_text() -> None:
    assert one_line("Gym\r\nplus\tmore\x0b") == "Gym plus more"
    subscription = make_subscription(id=1, name="Gym", notice_days=3, trial_end=date(2026, 1, 1))
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(export(subscription)).walk("VEVENT")]
    assert all("\n" not in text and "\r" not in text for text in summaries)
