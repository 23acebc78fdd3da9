"""`renewaltracker remind`: prints what is due, once; JSON for scripts; one-line errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

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
