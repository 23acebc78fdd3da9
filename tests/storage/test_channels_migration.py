"""The 0006 revision guesses each channel from the payment-method text, keeps the text, and downgrades cleanly."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from renewaltracker.domain.channels import Channel
from renewaltracker.storage.database import alembic_config, make_engine, open_database
from renewaltracker.storage.repositories import SubscriptionRepository

METHODS = {
    1: ("PayPal", Channel.PAYPAL),
    2: ("Apple App Store", Channel.APP_STORE),
    3: ("Google Play", Channel.GOOGLE_PLAY),
    4: ("SEPA direct debit", Channel.BANK_DEBIT),
    5: ("Visa ending 4242", Channel.CARD),
    6: ("", Channel.OTHER),
}


def test_upgrade_guesses_the_channel_and_keeps_the_text(empty_db_path: Path) -> None:
    engine = make_engine(empty_db_path)
    command.upgrade(alembic_config(engine), "0005_merge_features")
    stamp = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    with engine.begin() as connection:
        for sid, (method, _) in METHODS.items():
            connection.execute(
                text(
                    "INSERT INTO subscriptions (id, name, vendor, category, notes, amount, currency, interval_count,"
                    " interval_unit, anchor, keep_clipped_day, status, payment_method, account, order_number,"
                    " support_email, cancel_url, created_at, updated_at, revision) VALUES (:id, 'Old', '', '', '',"
                    " '9.99', 'USD', 1, 'month', '2025-12-05', 0, 'active', :method, '', '', '', '', :stamp, :stamp, 0)"
                ),
                {"id": sid, "method": method, "stamp": stamp},
            )
    engine.dispose()
    database = open_database(empty_db_path)
    try:
        with database.sessions.begin() as session:
            read = {s.id: s for s in SubscriptionRepository(session).all()}
        for sid, (method, channel) in METHODS.items():
            assert (read[sid].payment_method, read[sid].channel) == (method, channel)
            assert read[sid].tags == () and read[sid].last_used is None
        config = alembic_config(database.engine)
        command.downgrade(config, "0005_merge_features")
        with database.engine.begin() as connection:
            tables = inspect(connection).get_table_names()
            columns = {c["name"] for c in inspect(connection).get_columns("subscriptions")}
        assert "members" not in tables and "attachments" not in tables and "channel" not in columns
        command.upgrade(config, "heads")
    finally:
        database.close()
