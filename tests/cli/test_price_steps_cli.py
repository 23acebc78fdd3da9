"""`price step/list/rm` and `add --intro-price`: the upcoming list follows the steps."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from renewaltracker.cli import run as run_cli


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run(db: Path, *args: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(["--db", str(db), *args], out=out, err=err)
    return Result(code, out.getvalue(), err.getvalue())


def test_intro_price_then_full_price_in_upcoming_and_steps(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    added = run(
        db,
        "add",
        "--name",
        "Streamly",
        "--amount",
        "14.99",
        "--currency",
        "USD",
        "--every",
        "month",
        "--start",
        "2030-01-03",
        "--intro-price",
        "1.99",
        "--intro-until",
        "2030-04-03",
    )
    assert added.returncode == 0, added.stderr
    listed = json.loads(run(db, "price", "list", "1", "--json").stdout)
    assert [(s["from"], s["amount"], s["planned"]) for s in listed] == [
        ("2030-01-03", "1.99", True),
        ("2030-04-03", "14.99", True),
    ]
    upcoming = json.loads(run(db, "upcoming", "--from", "2030-03-01", "--days", "40", "--json").stdout)
    assert [e["amount"] for e in upcoming if e["kind"] == "charge"] == ["1.99", "14.99"]
    assert run(db, "price", "step", "1", "--from", "2030-06-03", "--amount", "17.99").returncode == 0
    assert run(db, "price", "rm", "1", "2030-06-03").returncode == 0
    missing = run(db, "price", "rm", "1", "2030-06-03")
    assert missing.returncode != 0 and missing.stderr.count("\n") == 1


def test_intro_needs_both_options(tmp_path: Path) -> None:
    result = run(
        tmp_path / "t.db",
        "add",
        "--name",
        "X",
        "--amount",
        "5",
        "--every",
        "month",
        "--start",
        "2030-01-01",
        "--intro-price",
        "1",
    )
    assert result.returncode == 2 and "intro" in result.stderr


def test_list_and_show_give_the_price_in_force_once_a_planned_step_date_passes(tmp_path: Path) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from renewaltracker.domain.clock import FixedClock

    db = tmp_path / "t.db"

    def at(day: str, *args: str) -> Result:
        clock = FixedClock(datetime.fromisoformat(f"{day}T09:00").replace(tzinfo=ZoneInfo("UTC")))
        out, err = io.StringIO(), io.StringIO()
        code = run_cli(["--db", str(db), *args], clock=clock, out=out, err=err)
        return Result(code, out.getvalue(), err.getvalue())

    add = ("add", "--name", "Streamly", "--amount", "9.99", "--currency", "USD", "--every", "month")
    assert at("2026-03-01", *add, "--start", "2026-03-01").returncode == 0
    assert at("2026-03-01", "price", "step", "1", "--from", "2026-06-01", "--amount", "12.99").returncode == 0
    assert "9.99 USD" in at("2026-03-01", "list").stdout
    later = at("2026-06-02", "list")
    assert "12.99 USD" in later.stdout and "9.99 USD" not in later.stdout
    assert json.loads(at("2026-06-02", "list", "--json").stdout)[0]["amount"] == "12.99"
    assert json.loads(at("2026-06-02", "show", "1", "--json").stdout)["amount"] == "12.99"


def test_list_sorts_by_the_price_in_force_today(tmp_path: Path) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from renewaltracker.domain.clock import FixedClock

    db = tmp_path / "t.db"

    def at(day: datetime, *args: str) -> Result:
        out, err = io.StringIO(), io.StringIO()
        code = run_cli(["--db", str(db), *args], clock=FixedClock(day), out=out, err=err)
        return Result(code, out.getvalue(), err.getvalue())

    before, after = datetime(2026, 3, 1, tzinfo=ZoneInfo("UTC")), datetime(2026, 6, 1, tzinfo=ZoneInfo("UTC"))
    for name, amount in (("Rising", "10"), ("Steady", "20")):
        added = at(before, "add", "--name", name, "--amount", amount, "--every", "month", "--start", "2026-01-05")
        assert added.returncode == 0, added.stderr
    assert at(before, "price", "step", "1", "--from", "2026-05-05", "--amount", "30").returncode == 0
    # The planned rise has come: Rising shows 30.00 and sorts above Steady's 20.00.
    listed = json.loads(at(after, "list", "--json", "--sort", "amount").stdout)
    assert [(item["name"], item["amount"]) for item in listed] == [("Rising", "30.00"), ("Steady", "20.00")]
