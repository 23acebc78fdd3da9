"""What a CLI command needs: the opened services, the clock and the output streams."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from renewaltracker.domain.clock import Clock, SystemClock
from renewaltracker.i18n import _
from renewaltracker.services.auto_export import AutoExporter
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import Database, open_database


@dataclass
class Context:
    db_path: Path
    clock: Clock = field(default_factory=SystemClock)
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _database: Database | None = None
    _service: SubscriptionService | None = None

    @property
    def database(self) -> Database:
        """Opened (and migrated) on first use, so `--help` never touches the file."""
        if self._database is None:
            self._database = open_database(self.db_path)
        return self._database

    @property
    def service(self) -> SubscriptionService:
        if self._service is None:
            self._service = SubscriptionService(self.database, self.clock)
            # Changes made from the command line refresh the auto-exported calendar file too.
            AutoExporter(self._service, on_error=self._warn).attach()
        return self._service

    def _warn(self, message: str) -> None:
        """One line on stderr; the exit status stays that of the command, whose change was saved."""
        self.err.write(_("renewaltracker: warning: {message}").format(message=" ".join(message.split())) + "\n")

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
