"""The 0011 revision: a dismissal per plan; one made before (per payee) still hides every plan of its payee."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.errors import ValidationError
from renewaltracker.services.data_export import FORMAT, export_data, restore_backup
from renewaltracker.services.statement_import import StatementImporter
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import alembic_config, make_engine, open_database

# Two household plans at Streamly, one plan at Cloudbox, in the default currency (USD).
STATEMENT = (
    "Date,Payee,Amount\n"
    + "".join(f"2025-{m:02}-07,Streamly,-9.99\n2025-{m:02}-07,Streamly,-9.99\n" for m in range(1, 7))
    + "".join(f"2025-{m:02}-12,Cloudbox,-2.99\n" for m in range(1, 7))
).encode()


def test_a_payee_dismissed_before_the_upgrade_stays_dismissed(empty_db_path: Path, clock: FixedClock) -> None:
    engine = make_engine(empty_db_path)
    command.upgrade(alembic_config(engine), "0010_letter_language")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO dismissed_candidates (key, currency) VALUES ('STREAMLY', 'USD')"))
    engine.dispose()
    database = open_database(empty_db_path)
    try:
        importer = StatementImporter(SubscriptionService(database, clock))
        review = importer.review(importer.read(STATEMENT, "bank.csv"))
        assert ([c.key for c in review.candidates], review.dismissed) == (["CLOUDBOX"], 2)
        importer.apply(review, [], dismissed=review.candidates)
        again = importer.review(importer.read(STATEMENT, "bank.csv"))
        assert (again.candidates, again.dismissed) == ([], 3)
        config = alembic_config(database.engine)
        command.downgrade(config, "0010_letter_language")
        with database.engine.begin() as connection:
            rows = connection.execute(text("SELECT key, currency FROM dismissed_candidates ORDER BY key")).all()
            columns = {c["name"] for c in inspect(connection).get_columns("dismissed_candidates")}
        assert [tuple(row) for row in rows] == [("CLOUDBOX", "USD"), ("STREAMLY", "USD")]
        assert columns == {"key", "currency"}
        command.upgrade(config, "heads")
    finally:
        database.close()


def test_a_json_export_written_before_the_upgrade_is_restored_and_its_dismissals_kept(
    tmp_path: Path, clock: FixedClock
) -> None:
    """An export of yesterday's version (schema 0010) is an older one, not a newer one: restored with its dismissals."""
    old = tmp_path / "old.sqlite3"
    engine = make_engine(old)
    command.upgrade(alembic_config(engine), "0010_letter_language")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO dismissed_candidates (key, currency) VALUES ('STREAMLY', 'USD')"))
        names = [row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))]
        # What that version's export wrote: every table's rows as stored.
        tables = {
            name: [dict(row._mapping) for row in connection.execute(text(f'SELECT * FROM "{name}"'))]
            for name in names
            if name not in ("alembic_version", "delivered_reminders", "reminder_snoozes", "caldav_synced")
        }
    engine.dispose()
    export = tmp_path / "old.json"
    export.write_text(
        json.dumps({"format": FORMAT, "version": 1, "schema": ["0010_letter_language"], "tables": tables})
    )
    target = tmp_path / "restored.sqlite3"
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"format": FORMAT, "version": 1, "schema": ["0099_future"], "tables": tables}))
    with pytest.raises(ValidationError, match="newer version"):
        restore_backup(newer, target)
    assert restore_backup(export, target) is None
    database = open_database(target)
    try:
        importer = StatementImporter(SubscriptionService(database, clock))
        review = importer.review(importer.read(STATEMENT, "bank.csv"))
        assert ([c.key for c in review.candidates], review.dismissed) == (["CLOUDBOX"], 2)
    finally:
        database.close()


@pytest.mark.parametrize(("count", "unit"), [(1, "fortnight"), (0, "month")])
def test_an_export_with_a_dismissal_the_import_cannot_read_is_refused_naming_the_row(
    tmp_path: Path, clock: FixedClock, count: int, unit: str
) -> None:
    """A hand-edited cycle would break every later statement import's review: refused at restore, as other rows are."""
    source = open_database(tmp_path / "source.sqlite3")
    try:
        data = export_data(SubscriptionService(source, clock))
    finally:
        source.close()
    row = {"key": "STREAMLY", "currency": "USD", "amount": "9.99", "interval_count": count, "interval_unit": unit}
    data["tables"]["dismissed_candidates"] = [{"id": 1, **row, "anchor": "2025-01-07"}]
    export = tmp_path / "edited.json"
    export.write_text(json.dumps(data))
    with pytest.raises(ValidationError, match="table dismissed_candidates row 1"):
        restore_backup(export, tmp_path / "restored.sqlite3")
