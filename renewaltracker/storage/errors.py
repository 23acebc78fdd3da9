"""Storage errors that are the environment's fault, not bugs: shown to the user in plain words.

Every SQLite error is classified once, in `storage.classify`; front ends catch these classes and never read
exception text. An error that is not one of these is a bug and reaches the crash report.
"""

from renewaltracker.i18n import N_, _

# Marked here, translated where it is raised (the interface language is chosen after import).
BUSY_MESSAGE = N_("the database is busy (another Renewal Tracker process is writing); try again")


class StorageError(RuntimeError):
    """The database cannot be used because of its environment (locked, full, read-only, damaged, foreign)."""


class DatabaseBusyError(StorageError):
    """Another process held the write lock for longer than the busy timeout; trying again later works."""


# The window's (and any long-running command's) ORM connection, when the file was migrated under it.
SCHEMA_CHANGED_MESSAGE = N_(
    "the database {path} was migrated by another version of Renewal Tracker while it was open here; nothing "
    "more is saved (start the app again to open it)"
)


class SchemaChangedError(DatabaseBusyError):
    """Migrated by another version after a connection found it current: opening it again decides."""


# A connection whose file another program replaced (a sync tool, a backup copied over it) or deleted: what it
# wrote would go to a file no longer at that path and be lost with it.
FILE_REPLACED_MESSAGE = N_(
    "the database {path} was replaced or deleted by another program while it was open here; nothing more is "
    "saved here (start the app again to open the file that is there now)"
)


class FileReplacedError(SchemaChangedError):
    """The path no longer names the file the connection has open; handled as a migration is (nothing more is
    written through this connection, opening the path again decides)."""


class DiskFullError(StorageError):
    """The disk (or the user's quota) has no room for the database to grow."""


class ReadOnlyError(StorageError):
    """The database file or its folder cannot be written."""


class DamagedDatabaseError(StorageError):
    """The file is an SQLite database with damaged pages, or not a database at all any more."""


class NewerSchemaError(StorageError):
    """The database was written by a newer version of Renewal Tracker."""


class ForeignDatabaseError(StorageError):
    """The file belongs to another program: not a Renewal Tracker database."""


class ConflictError(StorageError):
    """The record was changed by someone else (another window or command) after it was read; nothing was saved."""

    def __init__(self, subscription_id: int) -> None:
        super().__init__(
            _(
                "subscription {subscription_id} was changed elsewhere since you opened it; nothing was saved "
                "(look at it again and retry)"
            ).format(subscription_id=subscription_id)
        )
        self.subscription_id = subscription_id
