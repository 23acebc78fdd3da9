"""The window's first rows, read with sqlite3 before the services load, are exactly the rows the service gives."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given
from pytestqt.qtbot import QtBot

from renewaltracker.domain.clock import FixedClock
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.change_probe import ChangeProbe
from renewaltracker.storage.database import open_database
from renewaltracker.ui.app import quick_rows
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.subscription_model import Rows, SubscriptionTableModel
from tests.factories import make_subscription
from tests.storage.test_quick_read import CLOCK, FUNCTION_FIXTURES, _fill, _plain, collections, fresh_db

__all__ = ["fresh_db"]  # the fixture, shared with the storage tests


def _comparable(rows: Rows) -> tuple[list[Any], dict[int, Any]]:
    records, prices = rows
    return list(records), _plain(prices)


@FUNCTION_FIXTURES
@given(drawn=collections)
def test_the_quick_rows_are_the_service_rows(fresh_db: Any, drawn: tuple[Any, ...]) -> None:
    path = fresh_db()
    _fill(path, drawn)
    today = CLOCK.today()
    quick = quick_rows(path, today)
    assert quick is not None
    database = open_database(path)
    try:
        model = SubscriptionTableModel(SubscriptionService(database, FixedClock(CLOCK.now())), Formatter("en_US"))
        assert _comparable(quick) == _comparable(model.read())
    finally:
        database.close()


def test_a_database_that_is_not_current_is_left_to_the_service(tmp_path: Path, migrated_template: Path) -> None:
    assert quick_rows(tmp_path / "missing.sqlite3") is None
    old = tmp_path / "old.sqlite3"
    shutil.copyfile(migrated_template, old)
    database = open_database(old)
    with database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0009_older'")
    database.close()
    assert quick_rows(old, date(2026, 1, 1)) is None


def test_a_commit_between_the_quick_read_and_the_watch_reloads_the_table(
    qtbot: QtBot, tmp_path: Path, migrated_template: Path
) -> None:
    path = tmp_path / "gap.sqlite3"
    shutil.copyfile(migrated_template, path)
    probe = ChangeProbe.of_existing(path)  # made before the quick read, as start-up does
    assert probe is not None and ChangeProbe.of_existing(tmp_path / "none.sqlite3") is None
    writer = open_database(path)  # another process writes while the window still imports its features
    SubscriptionService(writer, CLOCK).add(make_subscription(name="Meanwhile"))
    writer.close()
    database = open_database(path)
    context = AppContext.create(database, FixedClock(CLOCK.now()))
    try:
        with qtbot.waitSignal(context.signals.changed, timeout=3000) as blocker:
            context.signals.watch(path, probe)
        assert blocker.args == ["updated", None]  # a full reload
    finally:
        context.signals.detach()
        database.close()
