"""What the windows need, built once at start-up and passed in (no global app object)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from renewaltracker.domain.clock import Clock
from renewaltracker.services.subscriptions import Change, SubscriptionService
from renewaltracker.storage.change_probe import ChangeProbe
from renewaltracker.storage.database import Database

# How often the window looks for commits by other processes (a CLI `add`, cron's `remind`, a second window):
# one cheap PRAGMA on an idle connection, so changes show within a second.
WATCH_INTERVAL_MS = 500


class DataSignals(QObject):
    """Re-emits the service's committed changes as a Qt signal, so views refresh without polling."""

    changed = Signal(str, object)  # (Change value, subscription id or None)

    def __init__(self, service: SubscriptionService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = service.subscribe(self._forward)
        self._probe: ChangeProbe | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(WATCH_INTERVAL_MS)
        self._timer.timeout.connect(self._look_outside)

    def _forward(self, change: Change, subscription_id: int | None) -> None:
        if self._probe is not None:
            self._probe.changed()  # our own commit: the views hear of it here, not again from the probe
        self.changed.emit(change.value, subscription_id)

    def watch(self, path: Path, probe: ChangeProbe | None = None) -> None:
        """Also report commits made by other processes to the database at `path` (a full reload); `probe`, made
        before the first rows were read, reports what was committed since then too."""
        self._probe = probe or ChangeProbe(path)
        self._timer.start()

    def _look_outside(self) -> None:
        if self._probe is not None and self._probe.changed():
            self.reload_all()

    def reload_all(self) -> None:
        """Tell every view that anything may have changed (View ▸ Refresh, or another process wrote)."""
        self.changed.emit(Change.UPDATED.value, None)

    def detach(self) -> None:
        self._unsubscribe()
        self._timer.stop()
        if self._probe is not None:
            self._probe.close()
            self._probe = None


@dataclass
class AppContext:
    """The objects the UI works with; tests build one over a temporary database and a fixed clock."""

    database: Database
    service: SubscriptionService
    clock: Clock
    signals: DataSignals
    demo: bool = False

    @classmethod
    def create(cls, database: Database, clock: Clock, *, demo: bool = False) -> AppContext:
        service = SubscriptionService(database, clock)
        return cls(database=database, service=service, clock=clock, signals=DataSignals(service), demo=demo)
