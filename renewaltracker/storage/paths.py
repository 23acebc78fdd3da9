"""Where the database lives: --db, then RENEWALTRACKER_DB, then the user's data directory."""

from __future__ import annotations

import os
import posixpath
import sys
from pathlib import Path

from renewaltracker import APP_ID

DB_ENV = "RENEWALTRACKER_DB"
DB_FILENAME = "renewals.sqlite3"
DEMO_FILENAME = "demo.sqlite3"


# platformdirs loads when a folder is asked for: `--help`, which reads the database's language setting, finds the
# database with quick_db_path instead.
def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_ID, appauthor=False)


def config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_ID, appauthor=False)


def log_dir() -> Path:
    from platformdirs import user_log_path

    return user_log_path(APP_ID, appauthor=False)


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path(APP_ID, appauthor=False)


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def demo_db_path() -> Path:
    return data_dir() / DEMO_FILENAME


def quick_data_dir() -> Path | None:
    """data_dir() without importing platformdirs (tempfile and random load under it: a tenth of a `--help`), on
    Linux where it is $XDG_DATA_HOME or ~/.local/share; None wherever only platformdirs knows."""
    if sys.platform != "linux" or os.environ.get("ANDROID_DATA") == "/data":
        return None
    # An XDG value that is not absolute is ignored, as the XDG spec and platformdirs ignore it; a HOME that is not
    # absolute makes platformdirs ask the password database, which it alone does.
    for base, below in ((os.environ.get("XDG_DATA_HOME", ""), ()), (os.environ.get("HOME", ""), (".local", "share"))):
        if posixpath.isabs(base):
            return Path(base, *below, APP_ID)
    return None


def quick_cache_dir() -> Path:
    """cache_dir() without importing platformdirs on Linux ($XDG_CACHE_HOME or ~/.cache), as quick_data_dir."""
    if sys.platform != "linux" or os.environ.get("ANDROID_DATA") == "/data":
        return cache_dir()
    for base, below in ((os.environ.get("XDG_CACHE_HOME", ""), ()), (os.environ.get("HOME", ""), (".cache",))):
        if posixpath.isabs(base):
            return Path(base, *below, APP_ID)
    return cache_dir()


def quick_db_path(explicit: str | None, demo: bool) -> Path:
    """The database `--db`, `--demo` and $RENEWALTRACKER_DB name, as resolve_db_path and demo_db_path find it,
    with platformdirs imported only where quick_data_dir cannot tell the folder."""
    folder = None if explicit and not demo else quick_data_dir()
    if demo:
        return (folder or data_dir()) / DEMO_FILENAME
    if explicit or os.environ.get(DB_ENV) or folder is None:
        return resolve_db_path(explicit)
    return folder / DB_FILENAME


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file to open, by the documented order of precedence."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return default_db_path()


# SQLite's files beside a database (the write-ahead log, its index, a rollback journal) and the window's
# single-instance lock: writing any of them over loses data as surely as writing the database itself.
DATABASE_COMPANIONS = ("-wal", "-shm", "-journal", ".lock")


def is_database_file(path: Path, database: Path) -> bool:
    """Whether `path` names `database` or one of the files SQLite and the app keep beside it (by any spelling,
    symbolic or hard link)."""
    database = database.expanduser()
    target = path.expanduser()
    for own in (database, *(database.with_name(database.name + suffix) for suffix in DATABASE_COMPANIONS)):
        try:
            if target.resolve() == own.resolve() or (target.exists() and own.exists() and target.samefile(own)):
                return True
        except (OSError, RuntimeError):  # a symlink loop or an unreadable folder: not ours to judge here
            continue
    return False


def database_file_problem(path: Path, database: Path | None) -> str | None:
    """What is wrong with writing an output to `path`, when it would overwrite the database or its files."""
    if database is None or not is_database_file(path, database):
        return None
    from renewaltracker.i18n import _

    return _("{path} is the database {database} or one of its files; choose another file").format(
        path=path, database=database
    )


def refuse_database_file(path: Path, database: Path | None, field: str) -> None:
    """Raise a ValidationError naming `field` when an output `path` would overwrite the database or its files."""
    problem = database_file_problem(path, database)
    if problem is not None:
        from renewaltracker.domain.errors import ValidationError

        raise ValidationError(field, problem)
