"""What a CLI command needs: the opened services, the clock and the output streams."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from renewaltracker.domain.clock import Clock, SystemClock
from renewaltracker.i18n import _

if TYPE_CHECKING:  # SQLAlchemy loads with the first command that opens the database the normal way
    from renewaltracker.cli.reads import Reader
    from renewaltracker.services.reminder_store import ReminderStore
    from renewaltracker.services.subscriptions import SubscriptionService
    from renewaltracker.storage.database import Database
    from renewaltracker.storage.quick_write import QuickWriter


@dataclass
class Context:
    db_path: Path
    clock: Clock = field(default_factory=SystemClock)
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _database: Database | None = None
    _service: SubscriptionService | None = None
    _reader: Reader | None = None
    _writer: QuickWriter | None = None

    @property
    def database(self) -> Database:
        """Opened (and migrated) on first use, so `--help` never touches the file."""
        if self._database is None:
            from renewaltracker.storage.database import open_database

            self._drop_reader()  # reads after a write see it: they go through the services from now on
            self._database = open_database(self.db_path)
        return self._database

    @property
    def service(self) -> SubscriptionService:
        if self._service is None:
            from renewaltracker.services.auto_export import AutoExporter
            from renewaltracker.services.subscriptions import SubscriptionService

            self._service = SubscriptionService(self.database, self.clock)
            # Changes made from the command line refresh the auto-exported calendar file too.
            AutoExporter(self._service, on_error=self._warn).attach()
        return self._service

    @property
    def reader(self) -> Reader:
        """Subscriptions, prices, settings and members for commands that only read: straight from SQLite when the
        database is current (no SQLAlchemy to import), else through the services."""
        if self._reader is None:
            from renewaltracker.storage.quick_read import open_quick_reader

            quick = open_quick_reader(self.db_path) if self._database is None else None
            if quick is not None:
                self._reader = quick
            else:
                from renewaltracker.cli.reads import ServiceReader

                self._reader = ServiceReader(self.service)
        return self._reader

    def quick_writer(self) -> QuickWriter | None:
        """A plain-sqlite3 writer (storage/quick_write.py) when the database is current and not yet opened the
        normal way; None otherwise, and the command goes through the services."""
        if self._writer is None and self._database is None:
            from renewaltracker.storage.quick_write import open_quick_writer

            self._drop_reader()  # its snapshot would not show the write (and must not block it)
            self._writer = open_quick_writer(self.db_path)
        return self._writer if self._database is None else None

    def reminder_store(self) -> ReminderStore:
        """Where `remind` reads and claims: plain sqlite3 on a current database, else the services' database."""
        writer = self.quick_writer()
        if writer is not None:
            from renewaltracker.storage.quick_reminders import PlainReminderStore

            return PlainReminderStore(writer)
        from renewaltracker.services.reminder_data import ServiceReminderStore

        return ServiceReminderStore(self.service)

    def written(self) -> None:
        """Called after a write on the plain path: later reads take a fresh snapshot that holds it."""
        self._drop_reader()

    def _drop_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def _warn(self, message: str) -> None:
        """One line on stderr; the exit status stays that of the command, whose change was saved."""
        self.err.write(_("renewaltracker: warning: {message}").format(message=" ".join(message.split())) + "\n")

    def close(self) -> None:
        self._drop_reader()
        if self._writer is not None:
            self._writer.close()
        if self._database is not None:
            self._database.close()
