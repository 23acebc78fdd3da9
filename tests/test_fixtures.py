"""The shared database fixture: a copy of a template migrated once, which opens without Alembic or a backup."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from renewaltracker.storage.database import SCHEMA_HEADS, Database, current_revisions, open_database


def test_a_copied_template_opens_at_the_head_without_migrating(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    upgrades: list[object] = []
    monkeypatch.setattr(command, "upgrade", lambda *args, **kwargs: upgrades.append(args))
    database = open_database(db_path)
    try:
        assert current_revisions(database.engine) == SCHEMA_HEADS
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM subscriptions")).scalar() == 0
    finally:
        database.close()
    assert upgrades == []
    assert list(db_path.parent.glob("*.before-migration-*")) == []


def test_each_test_gets_its_own_copy(database: Database, migrated_template: Path) -> None:
    assert database.path is not None and database.path != migrated_template
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE scribble (x)"))
    with closing(sqlite3.connect(f"file:{migrated_template}?mode=ro", uri=True)) as template:
        assert template.execute("SELECT name FROM sqlite_master WHERE name = 'scribble'").fetchall() == []
