"""What the commands print over nothing: one line that says so (and what to do), never headers over no rows."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cli_runs import call


def fresh_db() -> Path:
    """A database path of its own for one hypothesis example (the CLI creates the file)."""
    return Path(tempfile.mkdtemp()) / "renewals.sqlite3"


def test_remind_dry_run_says_when_nothing_is_due_and_plain_remind_stays_silent(tmp_path: Path) -> None:
    db = tmp_path / "renewals.sqlite3"
    # Before: the dry run printed nothing at all, like a run that did not look.
    assert call(db, "remind", "--dry-run") == (0, "No reminders are due now.\n", "")
    assert call(db, "remind") == (0, "", "")  # cron mails any output: nothing due must stay silent
    assert call(db, "remind", "--dry-run", "--json") == (0, "[]\n", "")


def test_member_list_on_an_empty_household_says_how_to_add_one(tmp_path: Path) -> None:
    db = tmp_path / "renewals.sqlite3"
    code, out, _err = call(db, "member", "list")
    # Before: nothing at all.
    assert code == 0 and out.count("\n") == 1
    assert "No household members yet" in out and "member add NAME" in out
    call(db, "member", "add", "Alex")
    assert call(db, "member", "list") == (0, "Alex\n", "")
    assert call(db, "member", "list", "--json")[1] == '[\n  {"id": 1, "name": "Alex"}\n]\n'


@settings(max_examples=10, deadline=None)
@given(months=st.integers(0, 24), subscribed=st.booleans())
def test_review_agrees_with_its_setting_and_the_data(months: int, subscribed: bool) -> None:
    db = fresh_db()
    assert call(db, "config", "review_months", str(months))[0] == 0
    if subscribed:
        assert call(db, "add", "--name", "Gym", "--amount", "30", "--every", "monthly", "--start", "2026-01-05")[0] == 0
    code, out, _err = call(db, "review")
    assert code == 0
    if not subscribed:
        # Before: the headers and "Decide for each…" over no rows, and "Next review: off" with review_months 6.
        assert "Name" not in out and "Decide for each" not in out
        assert "Nothing to review" in out
    off = "Next review: off" in out or "Reviews are off" in out
    assert off == (months == 0)
    if months and not subscribed:
        assert f"{months} month" in out and "after you add your first subscription" in out
    if months and subscribed:
        assert "Next review: 20" in out


def test_household_leaves_out_an_empty_nobody_row_and_says_how_to_add_a_member(tmp_path: Path) -> None:
    db = tmp_path / "renewals.sqlite3"
    code, out, _err = call(db, "household")
    # Before: a "(nobody in particular)  —" row under the headers, and no word on how to fill them.
    assert code == 0 and "nobody in particular" not in out
    assert "member add NAME" in out
    call(db, "member", "add", "Alex")
    call(db, "add", "--name", "Gym", "--amount", "30", "--every", "monthly", "--start", "2026-01-05", "--payer", "Alex")
    code, out, _err = call(db, "household")
    assert "nobody in particular" not in out and "member add" not in out
    assert "Alex" in out and "360.00 USD" in out
    call(db, "add", "--name", "Cloud", "--amount", "5", "--every", "monthly", "--start", "2026-01-05")
    assert "(nobody in particular)  60.00 USD" in call(db, "household")[1]


def test_caldav_sync_with_nothing_set_up_names_the_options_to_give(tmp_path: Path) -> None:
    db = tmp_path / "renewals.sqlite3"
    code, out, err = call(db, "caldav-sync")
    # Before: "url: no CalDAV address is set; pass --url https://…", silent on the user name and the calendar.
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert "no CalDAV server is set up" in err
    assert all(option in err for option in ("--url", "--user", "--calendar"))
    assert "url:" not in err
