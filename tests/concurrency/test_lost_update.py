"""No lost update: two processes changing one subscription at once both keep their change, or one is refused."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.subscription import Status
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import open_database

ROUNDS = 30


def test_concurrent_edit_and_cancel_never_lose_an_acknowledged_change(tmp_path: Path) -> None:
    db = tmp_path / "race.sqlite3"
    driver = Path(__file__).with_name("race_driver.py")
    result = subprocess.run(
        [sys.executable, str(driver), str(db), str(ROUNDS)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    rounds = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rounds) == ROUNDS
    database = open_database(db)
    try:
        service = SubscriptionService(database, FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC)))
        for race in rounds:
            stored = service.get(race["id"])
            (edit_code, _), (cancel_code, _) = race["edit"], race["cancel"]
            assert edit_code in (0, 2) and cancel_code in (0, 2), race
            assert all(code == 0 or err.count("\n") == 1 for code, err in (race["edit"], race["cancel"])), race
            if edit_code == 0:
                assert stored.notes == f"note {race['id'] - 1}", race
            if cancel_code == 0:
                assert stored.status is Status.CANCELLED and stored.cancelled_on == date(2026, 12, 1), race
    finally:
        database.close()


def _names(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return [name for (name,) in connection.execute("SELECT name FROM subscriptions ORDER BY id")]
    finally:
        connection.close()


def test_a_restore_while_another_process_adds_loses_no_acknowledged_change(tmp_path: Path) -> None:
    """The subscription `add` reported is in the restored database or in the copy of the previous one; never in
    neither (written between the copy aside and the swap), and the file is never a mix of the two."""
    driver = Path(__file__).with_name("restore_race_driver.py")
    result = subprocess.run(
        [sys.executable, str(driver), str(tmp_path), str(ROUNDS)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rounds = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rounds) == ROUNDS
    for race in rounds:
        (restore_code, _), (add_code, add_err) = race["restore"], race["add"]
        assert restore_code == 0, race
        assert add_code in (0, 2) and (add_code == 0 or add_err.count("\n") == 1), race
        db = Path(race["db"])
        (aside,) = db.parent.glob("renewals.before-restore-*")
        restored, previous = _names(db), _names(aside)
        assert restored in (["Restored"], ["Restored", race["name"]]), race
        assert previous in (["Before"], ["Before", race["name"]]), race
        if add_code == 0:
            assert race["name"] in restored + previous, race
