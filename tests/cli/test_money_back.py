"""The seed story from the command line: a $39.99 renewal, a refund request, a call, a follow-up, the money back."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from renewaltracker.cli import run
from renewaltracker.domain.clock import FixedClock

BERLIN = ZoneInfo("Europe/Berlin")


def cli(db_path: Path, clock: FixedClock, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(db_path), *argv], clock=clock, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def ok(db_path: Path, clock: FixedClock, *argv: str) -> str:
    code, out, err = cli(db_path, clock, *argv)
    assert code == 0, err
    return out


def test_the_seed_story_end_to_end(db_path: Path, clock: FixedClock) -> None:
    # The magazine renews on 10 March; the vendor allows 3 days (72 hours) to ask for the money back.
    ok(
        db_path,
        clock,
        "add",
        "--name",
        "Monthly Reader",
        "--vendor",
        "Acme Magazines",
        "--amount",
        "39.99",
        "--currency",
        "USD",
        "--every",
        "1 year",
        "--start",
        "2025-03-10",
        "--refund-days",
        "3",
        "--support-email",
        "help@acme.example",
    )
    charge = json.loads(ok(db_path, clock, "charge", "add", "1", "--date", "2026-03-10", "--reference", "INV-778"))
    assert charge["id"] == 1 and charge["state"] == "charged" and charge["amount"] == "39.99"
    # The same charge again is refused unless the user insists.
    code, out, err = cli(db_path, clock, "charge", "add", "1", "--date", "2026-03-10")
    assert (code, out) == (2, "") and err.count("\n") == 1 and "--force" in err

    # The refund request, drafted and recorded: a request opens, about that charge, for the whole amount.
    request = json.loads(ok(db_path, clock, "request", "open", "1", "--kind", "refund", "--charge", "1"))
    assert (request["id"], request["amount"], request["state"]) == (1, "39.99", "open")
    ok(
        db_path,
        clock,
        "contact",
        "add",
        "1",
        "--request",
        "1",
        "--channel",
        "email",
        "--summary",
        "Asked for a refund of the renewal within the 72-hour window",
    )

    # A call the next day: a case number, an agent and a promise, with a follow-up a week later.
    clock.set(datetime(2026, 3, 11, 15, 0, tzinfo=BERLIN))
    contact = json.loads(
        ok(
            db_path,
            clock,
            "contact",
            "add",
            "1",
            "--request",
            "1",
            "--channel",
            "phone",
            "--case",
            "CS-4471",
            "--agent",
            "Dana",
            "--summary",
            "Called about the refund",
            "--outcome",
            "Refund approved",
            "--promised",
            "the refund within 5 business days",
            "--promised-by",
            "2026-03-18",
            "--follow-up",
            "2026-03-18",
        )
    )
    assert contact["promised_by"] == "2026-03-18" and contact["request_id"] == 1
    assert json.loads(ok(db_path, clock, "request", "list", "--json"))[0]["state"] == "waiting"

    # A week later the follow-up is due, and stays due after days away.
    code, out, _ = cli(db_path, clock, "remind", "--now", "2026-03-20T09:00+01:00", "--json", "--dry-run")
    follow_ups = [r for r in json.loads(out) if r["kind"] == "follow_up"]
    assert code == 0 and len(follow_ups) == 1 and "Monthly Reader" in follow_ups[0]["message"]

    clock.set(datetime(2026, 3, 20, 9, 0, tzinfo=BERLIN))
    letter = ok(db_path, clock, "draft", "follow-up", "1", "--request", "1", "--tone", "neutral")
    for quoted in (
        "case CS-4471",
        "a refund of $39.99 for the charge of $39.99 on 10 March 2026",
        "INV-778",
        "Dana",
        "Refund approved",
        "the refund within 5 business days, by 18 March 2026",
        "That date has passed",
        "Please refund the $39.99 now",
        "Asked for a refund",
    ):
        assert quoted in letter, quoted
    assert letter.startswith("To: help@acme.example\nSubject: Follow-up on case CS-4471")

    # The money comes back: the charge is marked refunded and the request won.
    refunded = json.loads(ok(db_path, clock, "charge", "refund", "1", "1", "--date", "2026-03-21"))
    assert (refunded["state"], refunded["refunded_amount"]) == ("refunded", "39.99")
    resolved = json.loads(ok(db_path, clock, "request", "resolve", "1", "--outcome", "won"))
    assert (resolved["state"], resolved["outcome"], resolved["recovered"]) == ("resolved", "won", "39.99")
    savings = json.loads(ok(db_path, clock, "savings", "--json"))
    assert savings["recovered"] == {"USD": "39.99"} and savings["avoided"] == {}
    assert [item["amount"] for item in savings["items"]] == ["39.99"]
    # Resolved: the follow-up is no longer a reminder.
    code, out, _ = cli(db_path, clock, "remind", "--now", "2026-03-22T09:00+01:00", "--json", "--dry-run")
    assert [r for r in json.loads(out) if r["kind"] == "follow_up"] == []


def test_charges_can_be_corrected_disputed_and_deleted(db_path: Path, clock: FixedClock) -> None:
    ok(
        db_path,
        clock,
        "add",
        "--name",
        "Gym",
        "--amount",
        "30",
        "--currency",
        "EUR",
        "--every",
        "1 month",
        "--start",
        "2026-01-05",
    )
    ok(db_path, clock, "charge", "add", "1", "--date", "2026-02-05")
    edited = json.loads(ok(db_path, clock, "charge", "edit", "1", "1", "--amount", "32", "--reference", "R-9"))
    assert (edited["amount"], edited["reference"]) == ("32.00", "R-9")
    assert json.loads(ok(db_path, clock, "charge", "dispute", "1", "1"))["state"] == "disputed"
    partial = json.loads(ok(db_path, clock, "charge", "refund", "1", "1", "--amount", "12"))
    assert (partial["refunded_amount"], partial["refunded_on"]) == ("12.00", "2026-03-10")
    code, out, err = cli(db_path, clock, "charge", "refund", "1", "1", "--amount", "40")
    assert (code, out) == (2, "") and "at most €32.00" in err
    code, _, err = cli(db_path, clock, "charge", "rm", "1", "2")
    assert code == 2 and "no charge with id 2" in err
    assert "Deleted charge 1" in ok(db_path, clock, "charge", "rm", "1", "1")
    assert json.loads(ok(db_path, clock, "charge", "list", "1", "--json")) == []


def test_a_cancellation_before_a_charge_counts_the_year_of_charges_avoided(db_path: Path, clock: FixedClock) -> None:
    ok(
        db_path,
        clock,
        "add",
        "--name",
        "News",
        "--amount",
        "10",
        "--currency",
        "EUR",
        "--every",
        "1 month",
        "--start",
        "2026-01-15",
    )
    ok(db_path, clock, "cancel", "1", "--effective", "2026-03-10")
    savings = json.loads(ok(db_path, clock, "savings", "--json"))
    assert savings["avoided"] == {"EUR": "120.00"} and savings["recovered"] == {}
    assert savings["items"][0]["what"] == "12 charges of 10.00 EUR not made after cancelling"


def test_a_shared_plan_cancelled_saves_the_users_share_as_its_total_counts(db_path: Path, clock: FixedClock) -> None:
    plan = ("--amount", "20", "--currency", "EUR", "--every", "1 month", "--start", "2026-01-15", "--split", "4")
    ok(db_path, clock, "add", "--name", "Family", *plan)
    ok(db_path, clock, "cancel", "1", "--effective", "2026-03-10")
    savings = json.loads(ok(db_path, clock, "savings", "--json"))
    assert savings["avoided"] == {"EUR": "60.00"}  # 12 charges of 20.00 shared by four: 12 × 5.00
    assert savings["items"][0]["what"] == "12 charges of 20.00 EUR not made after cancelling (your share of 240.00 EUR)"
    assert "Renewals avoided (your share): 60.00 EUR" in ok(db_path, clock, "savings")


def test_recording_a_charge_ends_its_reminders(db_path: Path, clock: FixedClock) -> None:
    ok(
        db_path,
        clock,
        "add",
        "--name",
        "Box",
        "--amount",
        "20",
        "--currency",
        "EUR",
        "--every",
        "1 month",
        "--start",
        "2026-03-11",
        "--notice-days",
        "1",
    )

    def about_the_charge() -> list[str]:
        out = ok(db_path, clock, "remind", "--now", "2026-03-11T10:00+01:00", "--json", "--dry-run")
        return [r["kind"] for r in json.loads(out) if r["key"].split(":")[2] in ("2026-03-11", "2026-03-10")]

    assert about_the_charge(), "the charge of the 11th is reminded before it is recorded"
    ok(db_path, clock, "charge", "add", "1", "--date", "2026-03-11")
    assert about_the_charge() == []


def test_the_request_parser_spells_out_the_domains_kinds_and_outcomes() -> None:
    from renewaltracker.cli import requests
    from renewaltracker.domain.requests import Outcome, RequestKind

    assert tuple(RequestKind) == requests.REQUEST_KINDS
    assert tuple(Outcome) == requests.OUTCOMES
