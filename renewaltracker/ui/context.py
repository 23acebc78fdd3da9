"""What the windows need, built once at start-up and passed in (no global app object)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QFileSystemWatcher, QObject, QTimer, Signal

from renewaltracker.domain.clock import Clock
from renewaltracker.storage.change_probe import ChangeProbe

if TYPE_CHECKING:  # the tray at login watches the file without SQLAlchemy (ui/idle_tray.py)
    from renewaltracker.services.subscriptions import Change, SubscriptionService
    from renewaltracker.storage.database import Database

# Change.UPDATED's value, without importing the service (and SQLAlchemy with it) for one word.
UPDATED = "updated"

# How often a shown window looks for commits by other processes (a CLI `add`, cron's `remind`, a second window):
# one cheap PRAGMA on an idle connection, so changes show within a second. Hidden in the tray it does not poll:
# the file-system watcher wakes it when the database or its write-ahead log is written (idle is truly idle).
WATCH_INTERVAL_MS = 500
# A commit writes the log in several steps; look once they are done.
FILE_SETTLE_MS = 50


def _nothing() -> None:
    pass


class DataSignals(QObject):
    """Re-emits the service's committed changes as a Qt signal, so views refresh without polling."""

    changed = Signal(str, object)  # (Change value, subscription id or None)
    # Another version migrated the file: this one's models no longer fit it, so nothing is reloaded any more.
    schema_changed = Signal()
    # Another program replaced or deleted the file: the service's connection still has the old one, where nothing
    # more is saved (storage FileReplacedError), so nothing is reloaded any more either.
    file_replaced = Signal()

    def __init__(self, service: SubscriptionService | None, parent: QObject | None = None) -> None:
        """`service` None: only other processes' commits are reported (the tray at login writes no rows)."""
        super().__init__(parent)
        self._unsubscribe = service.subscribe(self._forward) if service is not None else _nothing
        # The revisions the service's database was opened at (the tray at login checks its own, as it writes).
        self._schema = service.database.schema if service is not None else None
        self._database = service.database if service is not None else None
        self._probe: ChangeProbe | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(WATCH_INTERVAL_MS)
        self._timer.timeout.connect(self._look_outside)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(FILE_SETTLE_MS)
        self._settle.timeout.connect(self._look_outside)
        self._files: QFileSystemWatcher | None = None
        self._path: Path | None = None
        self._polling = True  # until told that no window shows (`follow_visibility`)
        # The day the views were last read on: "days left", statuses and "today" go stale at midnight.
        self._clock: Clock | None = service.clock if service is not None else None
        self._day = self._clock.today() if self._clock is not None else None

    def _forward(self, change: Change, subscription_id: int | None) -> None:
        if self._probe is not None:
            self._probe.changed()  # our own commit: the views hear of it here, not again from the probe
        self.changed.emit(change.value, subscription_id)

    def watch(self, path: Path, probe: ChangeProbe | None = None) -> None:
        """Also report commits made by other processes to the database at `path` (a full reload); `probe`, made
        before the first rows were read, reports what was committed since then too."""
        self._probe = probe or ChangeProbe(path)
        self._path = path.resolve()
        self._files = QFileSystemWatcher(self)
        self._files.fileChanged.connect(self._file_touched)
        self._files.directoryChanged.connect(self._file_touched)  # the log file appeared or went
        self._watch_files()
        if self._polling:
            self._timer.start()

    @property
    def polling(self) -> bool:
        """Whether the 500 ms poll runs (only while a window shows)."""
        return self._timer.isActive()

    def set_polling(self, on: bool) -> None:
        """Poll while a window shows; hidden, only file-system notices wake the watcher."""
        self._polling = on
        if self._probe is None:
            return
        if on and not self._timer.isActive():
            self._timer.start()
            self._look_outside()  # whatever happened while hidden shows at once
        elif not on:
            self._timer.stop()

    def follow_visibility(self, window: QObject) -> None:
        """Poll only while `window` shows (a window hidden to the tray or minimised needs no 500 ms poll)."""
        window.installEventFilter(self)
        self.set_polling(bool(getattr(window, "isVisible", lambda: True)()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self.set_polling(True)
        elif event.type() == QEvent.Type.Hide:
            self.set_polling(False)
        return False

    def _watch_files(self) -> None:
        """Watch the database, its write-ahead log (which SQLite may delete and create again) and their folder."""
        if self._files is None or self._path is None:
            return
        wanted = [str(self._path), f"{self._path}-wal", str(self._path.parent)]
        watched = set(self._files.files()) | set(self._files.directories())
        missing = [name for name in wanted if name not in watched and Path(name).exists()]
        if missing:
            self._files.addPaths(missing)

    def _file_touched(self, _path: str) -> None:
        self._watch_files()
        self._settle.start()

    def _look_outside(self) -> None:
        if self._probe is None or self._replaced():
            return
        if not self._probe.changed():
            if self._new_day():
                self.reload_all()  # a window left open past midnight (or woken on another day) reads again
            return
        self._new_day()  # the reload below serves the new day too
        if self._schema is not None and self._probe.revisions() not in (None, self._schema):
            # Reloading would read the new schema with this version's models: stop looking, and say why once.
            self._timer.stop()
            self._settle.stop()
            self._probe.close()
            self._probe = None
            self.schema_changed.emit()
            return
        self.reload_all()

    def _new_day(self) -> bool:
        """Whether the local date moved since the views were last read (it is then remembered as read)."""
        if self._clock is None:
            return False
        today = self._clock.today()
        if today == self._day:
            return False
        self._day = today
        return True

    def _replaced(self) -> bool:
        """Whether another file is at the path than the probe watches: one the app put there itself (a restore,
        `Database.adopt_file`) is followed; another program's ends the watching, and `file_replaced` says so."""
        probe, database = self._probe, self._database
        if probe is None or probe.identity is None:
            return False
        now = probe.file_at_path()
        if now == probe.identity:
            return False
        if database is not None and now is not None and now == database.identity:
            probe.close()
            self._probe = ChangeProbe(probe.path)
            self.reload_all()
            return True
        self._timer.stop()
        self._settle.stop()
        probe.close()
        self._probe = None
        self.file_replaced.emit()
        return True

    def reload_all(self) -> None:
        """Tell every view that anything may have changed (View ▸ Refresh, or another process wrote)."""
        self.changed.emit(UPDATED, None)

    def detach(self) -> None:
        self._unsubscribe()
        self._timer.stop()
        self._settle.stop()
        if self._files is not None:
            self._files.deleteLater()
            self._files = None
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
        from renewaltracker.services.subscriptions import SubscriptionService

        service = SubscriptionService(database, clock)
        return cls(database=database, service=service, clock=clock, signals=DataSignals(service), demo=demo)
