"""What the windows need, built once at start-up and passed in (no global app object)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from renewaltracker.domain.clock import Clock
from renewaltracker.services.subscriptions import Change, SubscriptionService
from renewaltracker.storage.database import Database


class DataSignals(QObject):
    """Re-emits the service's committed changes as a Qt signal, so views refresh without polling."""

    changed = Signal(str, object)  # (Change value, subscription id or None)

    def __init__(self, service: SubscriptionService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = service.subscribe(self._forward)

    def _forward(self, change: Change, subscription_id: int | None) -> None:
        self.changed.emit(change.value, subscription_id)

    def detach(self) -> None:
        self._unsubscribe()


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
