"""One computation at a time on a view's own worker thread; only the newest request's result comes back."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(int, object, bool)  # generation, result, whether it worked


class _Job(QRunnable):
    def __init__(self, generation: int, work: Callable[[], Any], newest: Callable[[], int]) -> None:
        super().__init__()
        self.signals = _Signals()
        self._generation = generation
        self._work = work
        self._newest = newest

    def run(self) -> None:
        if self._generation != self._newest():  # a newer request is queued behind this one: skip the work
            self.signals.done.emit(self._generation, None, False)
            return
        try:
            result, worked = self._work(), True
        except Exception:  # a locked database must not kill the window; the next refresh tries again
            log.exception("could not compute a view in the background")
            result, worked = None, False
        self.signals.done.emit(self._generation, result, worked)


# Posted to start the queued work once the GUI thread has handled what is already queued, its paint included.
_START = QEvent.Type(QEvent.registerEventType())

# What `apply` may return: further steps, run one per event-loop turn (or None: it applied everything at once).
Steps = Iterator[None] | None


class LatestOnly(QObject):
    """Runs `work` on a worker thread and `apply(result)` on the GUI thread, unless a newer request came since.

    The work starts only after the events already queued on the GUI thread (the paint of the page that asked for
    it among them, posted at low priority too): Python work on the worker holds the interpreter lock, and every
    Python call the GUI thread makes while it runs waits up to a switch interval for it (a page painting beside
    its computing worker stalled the GUI thread as long as the work took, with little CPU of its own).

    An `apply` that is a generator applies its result in slices, one per event-loop turn, so the window can paint
    and handle input between them (a page filled in one go held the GUI thread for its whole length).
    """

    # The newest request's result was applied, all its slices (tests and benchmarks wait for it).
    applied = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._generation = 0
        self._apply: Callable[[Any], Steps] = lambda result: None
        self._jobs: dict[int, _Job] = {}
        self._steps: Iterator[None] | None = None  # the rest of a result being applied in slices
        self._queued: list[_Job] = []  # submitted, not started yet

    @property
    def busy(self) -> bool:
        return bool(self._jobs) or self._steps is not None

    def submit(self, work: Callable[[], Any], apply: Callable[[Any], Steps]) -> None:
        self._generation += 1
        self._apply = apply
        job = _Job(self._generation, work, lambda: self._generation)
        job.signals.done.connect(self._done)
        self._jobs[self._generation] = job  # kept alive until its result is back
        if not self._queued:
            QCoreApplication.postEvent(self, QEvent(_START), Qt.EventPriority.LowEventPriority.value)
        self._queued.append(job)

    def event(self, event: QEvent) -> bool:
        if event.type() == _START:
            self._start_queued()
            return True
        return super().event(event)

    def _start_queued(self) -> None:
        queued, self._queued = self._queued, []
        for job in queued:  # older ones skip their work: a newer request is behind them
            self.pool.start(job)

    def wait(self) -> None:
        """Block until the worker is idle (closing, tests); queued results still arrive through the event loop."""
        self._start_queued()
        self.pool.waitForDone()

    @Slot(int, object, bool)
    def _done(self, generation: int, result: Any, worked: bool) -> None:
        self._jobs.pop(generation, None)
        if worked and generation == self._generation:
            # A newer result drops the rest of an older one's slices; a newer request alone does not (its work may
            # fail, and half a page from one result and half from another would show figures that never were).
            self._steps = self._apply(result)
            self._next_step(self._steps)

    def _next_step(self, steps: Iterator[None] | None) -> None:
        if steps is not self._steps:
            return  # a newer result is being applied instead
        if steps is not None:
            try:
                next(steps)
            except StopIteration:
                pass
            else:
                # A zero timer runs after the events already queued (the paint of the slice just applied among them).
                QTimer.singleShot(0, self, lambda: self._next_step(steps))
                return
        self._steps = None
        self.applied.emit()


def freeze_startup_heap() -> None:
    """Keep what start-up built (modules, widgets, the rows read) out of later full cycle collections.

    Those objects live as long as the app; a full collection scanned them all while holding the GIL, a pause of
    0.1–0.2 s at a thousand rows on whichever thread happened to allocate, the GUI thread included.
    """
    gc.freeze()
