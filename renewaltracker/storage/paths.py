"""Where the database lives: --db, then RENEWALTRACKER_DB, then the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

from renewaltracker import APP_ID

DB_ENV = "RENEWALTRACKER_DB"
DB_FILENAME = "renewals.sqlite3"


# platformdirs loads when a folder is asked for: `--db PATH --help` (which reads its language setting) never asks.
def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_ID, appauthor=False)


def config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_ID, appauthor=False)


def log_dir() -> Path:
    from platformdirs import user_log_path

    return user_log_path(APP_ID, appauthor=False)


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def demo_db_path() -> Path:
    return data_dir() / "demo.sqlite3"


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file to open, by the documented order of precedence."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return default_db_path()
