"""Opening the database: SQLite pragmas, automatic migrations with a backup first, version checks."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from renewaltracker.i18n import _
from renewaltracker.storage.backup import backup_database
from renewaltracker.storage.classify import classify, translated
from renewaltracker.storage.errors import (
    FILE_REPLACED_MESSAGE,
    SCHEMA_CHANGED_MESSAGE,
    FileReplacedError,
    ForeignDatabaseError,
    NewerSchemaError,
    SchemaChangedError,
    StorageError,
)
from renewaltracker.storage.file_identity import FileIdentity, file_identity, moved_away
from renewaltracker.storage.files import create_private, make_private, private_folder
from renewaltracker.storage.gil_handover import install_handover
from renewaltracker.storage.schema import (
    APPLICATION_ID,
    CLI_BUSY_TIMEOUT,
    GUI_BUSY_TIMEOUT,
    SCHEMA_HEADS,
    connection_settings,
)

__all__ = ["APPLICATION_ID", "CLI_BUSY_TIMEOUT", "GUI_BUSY_TIMEOUT", "SCHEMA_HEADS", "Database", "open_database"]

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
SQLITE_HEADER = b"SQLite format 3\x00"


def _pragma_setter(busy_timeout: float) -> Any:
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for setting in connection_settings(busy_timeout):
            cursor.execute(setting)
        cursor.close()
        install_handover(dbapi_connection, any_thread=True)  # the pool hands connections to any thread

    return set_pragmas


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("renewaltracker.storage") / "migrations"))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def _known_revisions(config: Config) -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}


def known_revisions() -> frozenset[str]:
    """Every schema revision this version can migrate from: a file or export naming only these is not newer."""
    return frozenset(_known_revisions(alembic_config()))


def _head_revisions(config: Config) -> set[str]:
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(config).get_heads())


def _check_is_sqlite(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StorageError(
            _("cannot read the database {path}: {strerror}").format(path=path, strerror=error.strerror)
        ) from error
    if header != SQLITE_HEADER:
        raise ForeignDatabaseError(_("{path} is not a Renewal Tracker database (not an SQLite file)").format(path=path))


def _check_is_ours(path: Path) -> bool:
    """Whether `path` is a Renewal Tracker database (or an empty one); ForeignDatabaseError for anyone else's.

    Read with a plain read-only connection: the engine would switch the file to WAL on connecting.
    Returns whether the file still needs our application id (new, empty, or made by an older version).
    """
    if not path.exists() or path.stat().st_size == 0:
        return True
    try:
        connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=CLI_BUSY_TIMEOUT)
        try:
            application_id = connection.execute("PRAGMA application_id").fetchone()[0]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            connection.close()
    except sqlite3.Error as error:
        classified = classify(error, path)
        raise classified or StorageError(
            _("cannot read the database {path}: {error}").format(path=path, error=error)
        ) from error
    if application_id == APPLICATION_ID:
        return False
    if application_id == 0 and (not tables or {"alembic_version", "subscriptions"} <= tables):
        return True  # empty, or ours from before the mark existed
    raise ForeignDatabaseError(
        _("{path} is another program's SQLite database, not a Renewal Tracker one; it was left untouched").format(
            path=path
        )
    )


def _mark_as_ours(engine: Engine, path: Path) -> None:
    with engine.begin() as connection:
        connection.execute(text(f"PRAGMA application_id = {APPLICATION_ID}"))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        make_private(file)


def make_engine(path: Path, busy_timeout: float = CLI_BUSY_TIMEOUT) -> Engine:
    # URL.create keeps the path literal: in a "sqlite:///…" string "?", "#" and "%xx" would be parsed away.
    # hide_parameters: a logged error shows the statement but never the user's data bound to it.
    url = URL.create("sqlite", database=str(path))
    engine = create_engine(url, connect_args={"timeout": busy_timeout}, hide_parameters=True)
    event.listen(engine, "connect", _pragma_setter(busy_timeout))
    return engine


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        ).first()
        if not exists:
            return set()
        return {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}


def migrate(engine: Engine, path: Path | None) -> None:
    """Bring the schema to the newest revision, after a backup when a populated database changes."""
    current = current_revisions(engine)
    if current == SCHEMA_HEADS:
        return
    from alembic import command

    config = alembic_config(engine)
    unknown = current - _known_revisions(config)
    if unknown:
        raise NewerSchemaError(
            _(
                "the database {path} was written by a newer version of Renewal Tracker (schema "
                "{unknown}); update the app to open it. Nothing was changed."
            ).format(path=path, unknown=", ".join(sorted(unknown)))
        )
    if current == _head_revisions(config):
        return
    if current and path is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        copy = path.with_name(f"{path.stem}.before-migration-{stamp}{path.suffix}")
        backup_database(path, copy)
        log.info("backed up %s to %s before migrating", path, copy)
    command.upgrade(config, "heads")


class Database:
    """An open database: its engine and a session factory (one transaction per user action).

    `schema`: the revisions it was opened at; a transaction that writes after another version migrated the file
    is rolled back with SchemaChangedError (None: not checked). `identity`: the file it opened (`file_identity`); a
    transaction that writes after another program replaced or deleted it is rolled back with FileReplacedError.
    """

    def __init__(
        self,
        engine: Engine,
        path: Path | None,
        schema: frozenset[str] | None = None,
        identity: FileIdentity | None = None,
    ) -> None:
        self.engine = engine
        self.path = path
        self.schema = schema
        self.identity = identity
        self.sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work, committed on success and rolled back on any error; SQLite errors become StorageError."""
        try:
            with translated(self.path), self.sessions.begin() as session:
                yield session
                if self.schema is not None or self.identity is not None:
                    self._check_still_current(session)
        except (DBAPIError, sqlite3.Error) as error:
            # A statement this version's models made and a newer schema refused (a renamed column, a new
            # constraint): the user is told why, not shown a crash report.
            if self.schema is not None and self._schema_changed():
                raise self._changed_error() from error
            raise

    def _check_still_current(self, session: Session) -> None:
        session.flush()
        connection = session.connection()
        # sqlite3 begins the transaction at the first write, taking the write lock: from then on no migration can
        # commit, and one committed before is visible here. A transaction that only read is not checked.
        if not connection.connection.driver_connection.in_transaction:  # type: ignore[union-attr]
            return
        # The open connection keeps writing to the file it opened, even once that is no longer at the path.
        if self.replaced():
            raise FileReplacedError(self.replaced_text())
        if self.schema is not None:
            found = frozenset(row[0] for row in connection.exec_driver_sql("SELECT version_num FROM alembic_version"))
            if found != self.schema:
                raise self._changed_error()

    def replaced(self) -> bool:
        """Whether the path no longer names the file this database opened (replaced or deleted by another program)."""
        return self.path is not None and moved_away(self.path, self.identity)

    def adopt_file(self) -> None:
        """The app itself put another file at the path (a restore, every connection closed first): writes go
        there from now on."""
        if self.path is not None:
            self.identity = file_identity(self.path)

    def replaced_text(self) -> str:
        """The sentence a write refused because the file was replaced says."""
        return _(FILE_REPLACED_MESSAGE).format(path=self.path)

    def _schema_changed(self) -> bool:
        try:
            return frozenset(current_revisions(self.engine)) != self.schema
        except (DBAPIError, sqlite3.Error):
            return False  # locked or damaged: the original error says more

    def schema_changed_text(self) -> str:
        """The sentence a refused write says, for the window to say it before anything is tried."""
        return _(SCHEMA_CHANGED_MESSAGE).format(path=self.path)

    def _changed_error(self) -> SchemaChangedError:
        return SchemaChangedError(self.schema_changed_text())

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: Path, *, migrate_schema: bool = True, busy_timeout: float | None = None) -> Database:
    """Open (creating if needed) and migrate the database, or raise StorageError in plain words."""
    path = path.expanduser()
    _check_is_sqlite(path)
    needs_mark = _check_is_ours(path)
    try:
        private_folder(path.parent)
        create_private(path)  # SQLite gives its -wal and -shm files the database file's mode
    except OSError as error:
        raise StorageError(
            _("cannot create the folder {parent}: {strerror}").format(parent=path.parent, strerror=error.strerror)
        ) from error
    engine = make_engine(path, CLI_BUSY_TIMEOUT if busy_timeout is None else busy_timeout)
    try:
        if migrate_schema:
            migrate(engine, path)
            if needs_mark:
                _mark_as_ours(engine, path)
        else:
            with engine.connect():
                pass
        make_private(path)
    except StorageError:
        engine.dispose()
        raise
    except (OperationalError, DatabaseError, sqlite3.Error) as error:
        engine.dispose()
        classified = classify(error, path)
        if classified is not None:
            raise classified from error
        raise StorageError(
            _("cannot open the database {path}: {problem}").format(path=path, problem=getattr(error, "orig", error))
        ) from error
    return Database(engine, path, SCHEMA_HEADS if migrate_schema else None, file_identity(path))
