"""`renewaltracker remind`: prints what is due, once; JSON for scripts; one-line errors."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewaltracker.cli import run
from renewaltracker.domain.clock import FixedClock


def cli(db_path: Path, clock: FixedClock, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(db_path), *argv], clock=clock, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def add_netflix(db_path: Path, clock: FixedClock) -> None:
    code, _, err = cli(
        db_path,
        clock,
        "add",
        "--name",
        "Netflix",
        "--amount",
        "15.99",
        "--currency",
        "EUR",
        "--every",
        "1 month",
        "--start",
        "2026-03-17",
        "--notice-days",
        "3",
    )
    assert code == 0, err


def test_remind_prints_due_reminders_once(db_path: Path, clock: FixedClock) -> None:
    add_netflix(db_path, clock)
    code, out, err = cli(db_path, clock, "remind")
    assert (code, err) == (0, "")
    assert "Netflix charges €15.99 on 17 March 2026" in out
    assert "Cancel by 14 March 2026 to avoid this charge." in out
    assert cli(db_path, clock, "remind") == (0, "", "")


def test_remind_json_at_a_given_time_and_dry_run(db_path: Path, clock: FixedClock) -> None:
    add_netflix(db_path, clock)
    code, out, _ = cli(db_path, clock, "remind", "--now", "2026-03-13T09:00+01:00", "--json", "--dry-run")
    assert code == 0
    peeked, charge = json.loads(out)
    assert charge["key"] == "1:charge:2026-03-17:7"
    assert peeked["key"] == "1:cancel_by:2026-03-14:1"
    assert peeked["amount"] == "15.99" and peeked["currency"] == "EUR"
    assert peeked["message"] == "Cancel tomorrow (14 March 2026) to avoid the charge of €15.99 on 17 March 2026."
    _, again, _ = cli(db_path, clock, "remind", "--now", "2026-03-13T09:00+01:00", "--json")
    assert json.loads(again) == [peeked, charge]
    _, third, _ = cli(db_path, clock, "remind", "--now", "2026-03-13T09:00+01:00", "--json")
    assert json.loads(third) == []


def test_remind_refuses_a_bad_time_in_one_line(db_path: Path, clock: FixedClock) -> None:
    code, out, err = cli(db_path, clock, "remind", "--now", "next tuesday")
    assert code == 2 and out == ""
    assert err == "renewaltracker: error: now: 'next tuesday' is not a valid date and time (write YYYY-MM-DDTHH:MM)\n"


def test_a_pause_set_from_the_command_line_holds_reminders_back(db_path: Path, clock: FixedClock) -> None:
    add_netflix(db_path, clock)
    assert cli(db_path, clock, "config", "reminders_paused_until", "2026-03-10T12:00+01:00")[0] == 0
    assert cli(db_path, clock, "remind") == (0, "", "")
    code, out, _ = cli(db_path, clock, "remind", "--now", "2026-03-10T12:00+01:00")
    assert code == 0 and "Netflix charges €15.99" in out
    code, _, err = cli(db_path, clock, "config", "reminders_paused_until", "tomorrow")
    assert code == 2
    assert "reminders_paused_until: 'tomorrow' is not a date and time" in err
    code, _, err = cli(db_path, clock, "config", "reminders_paused_until", "2026-03-10T12:00")
    assert code == 2 and "needs a time zone offset" in err


def test_a_follow_up_date_from_the_contact_log_is_reminded(db_path: Path, clock: FixedClock) -> None:
    add_netflix(db_path, clock)
    code, _, err = cli(
        db_path,
        clock,
        "contact",
        "add",
        "1",
        "--channel",
        "phone",
        "--case",
        "CB-7",
        "--summary",
        "Charged twice",
        "--follow-up",
        "2026-03-10",
    )
    assert code == 0, err
    code, out, _ = cli(db_path, clock, "remind", "--json")
    assert code == 0
    follow_ups = [r for r in json.loads(out) if r["kind"] == "follow_up"]
    assert [(r["subscription_id"], r["event_date"]) for r in follow_ups] == [(1, "2026-03-10")]
    _, again, _ = cli(db_path, clock, "remind", "--json")
    assert [r for r in json.loads(again) if r["kind"] == "follow_up"] == []


def test_remind_json_names_the_kind_of_every_reminder_including_refund_windows(
    db_path: Path, clock: FixedClock
) -> None:
    code, _, err = cli(
        db_path, clock, "add", "--name", "The Magazine", "--amount", "39.99", "--currency", "USD",
        "--every", "1 year", "--start", "2026-03-02", "--refund-days", "3",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = cli(db_path, clock, "remind", "--now", "2026-03-03T12:00+01:00", "--json")
    assert code == 0
    [away] = json.loads(out)
    assert away["kind"] == "charged_while_away"
    assert away["also"] == []
    assert (away["charge_date"], away["refund_until"]) == ("2026-03-02", "2026-03-05")
    assert (
        away["message"]
        == "Charged on 2 March 2026 while you were away — you can still ask for a refund until 5 March 2026."
    )
    code, out, _ = cli(db_path, clock, "remind", "--now", "2026-03-04T09:00+01:00", "--json")
    assert [item["kind"] for item in json.loads(out)] == ["refund_window_end"]


ZONES = [ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")]
START = datetime(2026, 3, 1, 0, 0, tzinfo=ZoneInfo("Europe/Berlin"))
# What a user does between two `remind` runs: nothing (the machine slept), record the next charge early, cancel.
steps = st.lists(
    st.tuples(
        st.integers(-6 * 60, 3 * 24 * 60),  # minutes since the step before: a negative gap is a clock set back
        st.sampled_from(range(len(ZONES))),  # the machine's time zone at that run (travel)
        st.sampled_from(["remind", "remind", "remind", "charge", "cancel"]),
        st.integers(0, 2),  # which subscription a charge or cancellation is about
    ),
    min_size=1,
    max_size=16,
)
plans = st.lists(
    st.tuples(st.integers(0, 10), st.sampled_from(["1 month", "1 week"]), st.sampled_from([None, 3])),
    min_size=1,
    max_size=3,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans=plans, steps=steps)
def test_remind_after_sleep_clock_or_zone_changes_says_each_thing_once_and_only_while_true(
    migrated_template: Path, tmp_path_factory: pytest.TempPathFactory, plans: list[Any], steps: list[Any]
) -> None:
    db = tmp_path_factory.mktemp("remind") / "renewals.sqlite3"
    shutil.copyfile(migrated_template, db)
    setup = FixedClock(START)
    for number, (day, every, notice) in enumerate(plans):
        start = (START.date() + timedelta(days=day)).isoformat()
        args = ["add", "--name", f"S{number}", "--amount", "5", "--every", every, "--start", start]
        assert cli(db, setup, *args, *(["--notice-days", str(notice)] if notice else []))[0] == 0
    seen: set[str] = set()
    recorded: set[tuple[int, str]] = set()
    cancelled: dict[int, date] = {}
    moment = START
    for minutes, zone, action, which in steps:
        moment += timedelta(minutes=minutes)
        now = moment.astimezone(ZONES[zone])
        clock = FixedClock(now)
        sid = which % len(plans) + 1
        if action == "charge":
            _, out, _ = cli(db, clock, "show", str(sid), "--json")
            upcoming = json.loads(out)["next_charge"]
            early = upcoming is not None and date.fromisoformat(upcoming) <= now.date() + timedelta(days=1)
            if early and (sid, upcoming) not in recorded:
                code, _, err = cli(db, clock, "charge", "add", str(sid), "--date", upcoming)
                assert code == 0, err
                recorded.add((sid, upcoming))
            continue
        if action == "cancel":
            if sid not in cancelled:
                assert cli(db, clock, "cancel", str(sid), "--effective", now.date().isoformat())[0] == 0
                cancelled[sid] = now.date()
            continue
        code, out, err = cli(db, clock, "remind", "--now", now.isoformat(), "--json")
        assert code == 0, err
        batch = json.loads(out)
        today = now.date()
        for item in batch:
            assert item["key"] not in seen, f"{item['key']} delivered twice"
            seen.add(item["key"])
            assert datetime.fromisoformat(item["due_at"]) <= now
            assert date.fromisoformat(item["event_date"]) >= today, "a reminder of an event already past"
            charge = (item["subscription_id"], item["charge_date"])
            assert charge not in recorded, "a reminder of a charge already recorded"
            stop = cancelled.get(item["subscription_id"])
            assert stop is None or date.fromisoformat(item["charge_date"]) < stop, "a charge after the cancellation"
        # One summary names each event once, soonest first.
        events = [(i["subscription_id"], i["kind"], i["event_date"]) for i in batch]
        assert len(events) == len(set(events))
        assert [i["event_date"] for i in batch] == sorted(i["event_date"] for i in batch)
