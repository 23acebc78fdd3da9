"""The 0011 revision: a dismissal per plan; one made before (per payee) still hides every plan of its payee."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from renewaltracker.domain.clock import FixedClock
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
