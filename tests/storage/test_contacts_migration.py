"""The 0003_contacts revision: an older database gains the table with its data kept, and contacts cascade."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.services.contacts import ContactService
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import alembic_config, make_engine, open_database


def test_an_initial_database_gains_contacts_and_keeps_its_data(empty_db_path: Path, clock: FixedClock) -> None:
    engine = make_engine(empty_db_path)
    command.upgrade(alembic_config(engine), "0001_initial")
    with engine.begin() as connection:
        assert "contacts" not in inspect(connection).get_table_names()
    with engine.begin() as connection:  # plain SQL: today's repository writes columns 0001 does not have
        connection.execute(
            text(
                "INSERT INTO subscriptions (id, name, vendor, category, notes, amount, currency, interval_count,"
                " interval_unit, anchor, keep_clipped_day, status, payment_method, account, order_number,"
                " support_email, cancel_url, created_at, updated_at, revision) VALUES (1, 'Old one', '', '',"
                " '', '39.99', 'USD', 1, 'year', '2025-12-05', 0, 'active', '', '', '', '', '', :stamp, :stamp, 0)"
            ),
            {"stamp": clock.now().isoformat()},
        )
    engine.dispose()

    database = open_database(empty_db_path)
    try:
        assert [s.name for s in SubscriptionService(database, clock).all()] == ["Old one"]
        contacts = ContactService(database, clock)
        saved = contacts.add(Contact(1, datetime(2026, 3, 1, 9, tzinfo=UTC), Channel.LETTER, summary="Sent by post"))
        assert contacts.list_for(1) == [saved]
        assert list(empty_db_path.parent.glob("*.before-migration-*")), "a backup is made before migrating"
        with database.engine.begin() as connection:
            connection.execute(text("DELETE FROM subscriptions WHERE id = 1"))
            assert connection.execute(text("SELECT count(*) FROM contacts")).scalar() == 0
    finally:
        database.close()


def test_the_revision_downgrades_cleanly(db_path: Path) -> None:
    database = open_database(db_path)
    config = alembic_config(database.engine)
    command.downgrade(config, "0001_initial")  # past any merge revision that joins the feature branches
    with database.engine.begin() as connection:
        assert "contacts" not in inspect(connection).get_table_names()
        assert "subscriptions" in inspect(connection).get_table_names()
    command.upgrade(config, "heads")
    with database.engine.begin() as connection:
        assert "contacts" in inspect(connection).get_table_names()
    database.close()
