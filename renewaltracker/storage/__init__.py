"""SQLite storage through SQLAlchemy 2.x, with Alembic migrations and repositories."""
