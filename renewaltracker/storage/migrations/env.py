"""Alembic environment: runs against the engine the app passes in, in batch mode for SQLite."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from renewaltracker.storage.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` run by hand from the command line, for new revisions
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///dev.sqlite3")

with engine.connect() as connection:
    # Batch migrations recreate tables; foreign keys must be off or SQLite cascades the copy's deletes.
    connection.execute(text("PRAGMA foreign_keys=OFF"))
    connection.commit()
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.execute(text("PRAGMA foreign_keys=ON"))
    connection.commit()
