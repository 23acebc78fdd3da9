"""Wakes exactly when the next reminder falls due: one single-shot timer, a coarse re-check, and wake-ups."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import SLOT, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtDBus import QDBusConnection

from renewaltracker.domain.clock import Clock
from renewaltracker.domain.reminders import Notice, Reminder, notice_for
from renewaltracker.services.reminders import ReminderService
from renewaltracker.ui.notifier import NoticeAction, Notifier, actions_for

if TYPE_CHECKING:
    from renewaltracker.ui.context import DataSignals

log = logging.getLogger(__name__)

# Qt timers take a signed 32-bit millisecond count; stay well below 2³¹−1 ms (≈ 24.8 days).
MAX_TIMER_MS = 2**31 - 1 - 60_000
RECHECK_MS = 15 * 60 * 1000
# Wall time running ahead of monotonic time by more than this means the machine slept.
SLEEP_GAP_SECONDS = 90.0
# Data changes often come in bursts (an import); one re-plan after the burst is enough.
CHANGE_DEBOUNCE_MS = 300
LOGIND = ("org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager")


def timer_interval_ms(now: datetime, due: datetime) -> int:
    """Milliseconds from now until due, rounded up, never negative and never past what a Qt timer holds."""
    # In UTC: Python subtracts two datetimes of the same zone by wall clock, which is an hour off across DST.
    milliseconds = (due.astimezone(UTC) - now.astimezone(UTC)).total_seconds() * 1000
    return max(0, min(MAX_TIMER_MS, int(milliseconds) + 1))


class _JobSignals(QObject):
    done = Signal(object)


class _PlanJob(QRunnable):
    """Reads and plans on the scheduler's worker thread; the result comes back to the GUI thread by signal."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.signals = _JobSignals()
        self._work = work
        self.result: Any = None  # also kept here: `ReminderScheduler.stop` reads it before the signal arrives

    def run(self) -> None:
        try:
            result = self._work()
        except Exception:  # a locked or broken database must not kill the tray; the re-check tries again
            log.exception("could not check for due reminders")
            result = None
        self.result = result
        self.signals.done.emit(result)


class ReminderScheduler(QObject):
    """Claims and shows due reminders, then sleeps until the next one; no polling."""

    # A notice that no notifier could show: the window shows it instead.
    undelivered = Signal(object)
    # Every notice delivered (shown by a notifier or handed to the window).
    delivered = Signal(object)
    slept = Signal(float)  # seconds the machine was asleep, as far as the clock gap tells
    # A check or re-plan finished on the worker and its result was acted on (tests and benchmarks wait for it).
    checked = Signal()

    def __init__(
        self,
        reminders: ReminderService,
        signals: DataSignals,
        clock: Clock,
        notifier: Notifier,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.reminders = reminders
        self.clock = clock
        self.notifier = notifier
        self.actions: list[NoticeAction] = [NoticeAction.SNOOZE, NoticeAction.CANCEL]
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        # Coarse timers may fire up to 5 % early (a day early on a 24-day wait); this one fires rarely anyway.
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.check_now)
        # Its own timer: arming `timer` for the next reminder when a check ends must not cancel a pending re-plan.
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(CHANGE_DEBOUNCE_MS)
        self.debounce.timeout.connect(self.check_now)
        self.recheck = QTimer(self)
        self.recheck.setInterval(RECHECK_MS)
        self.recheck.timeout.connect(self._coarse_recheck)
        self.next_due: datetime | None = None
        self.wakeups = 0
        self._marks = (time.monotonic(), time.time())
        # One worker thread: reading and planning thousands of subscriptions never holds up the window, and
        # checks run one at a time (a request made meanwhile runs once the current one is done).
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._job: _PlanJob | None = None
        self._queued: str | None = None  # "check" or "plan", waiting for the running job
        self._stopped = False
        signals.changed.connect(self._data_changed)

    def start(self) -> None:
        """Deliver what fell due while the app was closed (one summary), then arm for the next."""
        self._stopped = False
        self.recheck.start()
        self.check_now()

    def stop(self, *, deliver: bool = False) -> None:
        """Stop the timers and wait for a running check, so the database can be closed after this. `deliver`: show
        what that check claimed now (another scheduler takes over), rather than leave the claim to be shown again
        as a crashed process's, STALE_CLAIM later (as at quitting)."""
        self._stopped = True
        self.timer.stop()
        self.debounce.stop()
        self.recheck.stop()
        self.pool.waitForDone()
        job, self._job = self._job, None  # its queued `done` finds the scheduler stopped and does nothing
        if deliver and job is not None and job.result is not None:
            _kind, now, batch, _next_due = job.result
            if batch:
                try:
                    self._deliver(now, batch)
                except Exception:  # the hand-over goes on; an unconfirmed claim is shown again after STALE_CLAIM
                    log.exception("could not confirm the reminders shown while stopping")

    @property
    def busy(self) -> bool:
        return self._job is not None

    @Slot()
    def check_now(self) -> None:
        """Claim what is due on the worker, then show it here and arm the timer for the next reminder."""
        self.wakeups += 1
        self._marks = (time.monotonic(), time.time())
        self._submit("check")

    def rearm(self) -> None:
        """Plan the next reminder again (after a snooze or a new event source), claiming nothing."""
        self._submit("plan")

    def _submit(self, kind: str) -> None:
        if self._stopped:
            return
        if self._job is not None:
            # A check also plans: it wins over a waiting re-plan.
            self._queued = "check" if "check" in (kind, self._queued) else "plan"
            return
        now = self.clock.now()
        reminders = self.reminders
        if kind == "check":
            job = _PlanJob(lambda: ("check", now, *reminders.check(now)))
        else:
            job = _PlanJob(lambda: ("plan", now, [], reminders.next_due_time(now)))
        job.signals.done.connect(self._finished)
        self._job = job
        self.pool.start(job)

    def _finished(self, result: tuple[str, datetime, list[Any], datetime | None] | None) -> None:
        self._job = None
        if self._stopped:
            return
        if result is not None:
            _kind, now, batch, next_due = result
            if batch:
                self._deliver(now, batch)
            self._arm(now, next_due)
        else:
            self._arm(self.clock.now(), None)
        queued, self._queued = self._queued, None
        if queued is not None:
            self._submit(queued)
        self.checked.emit()

    def _deliver(self, now: datetime, batch: list[Reminder]) -> None:
        notice = notice_for(batch, now.astimezone(self.reminders.zone).date(), now)
        if not self.notifier.show(notice, actions_for(notice, self.actions)):
            self.undelivered.emit(notice)
        self.reminders.confirm(batch)
        self.delivered.emit(notice)

    def _arm(self, now: datetime, next_due: datetime | None) -> None:
        self.next_due = next_due
        if next_due is None:
            self.timer.stop()
        else:
            self.timer.start(timer_interval_ms(now, next_due))

    def _data_changed(self, change: str, subscription_id: object) -> None:
        # Re-plan soon: a new subscription may already have a reminder due, an edit may move one.
        self.check_soon()

    def check_soon(self) -> None:
        """Check after a short pause, so a burst of changes (an import) costs one check."""
        self.debounce.start()

    def _coarse_recheck(self) -> None:
        monotonic, wall = self._marks
        gap = (time.time() - wall) - (time.monotonic() - monotonic)
        if gap > SLEEP_GAP_SECONDS:
            log.info("the clock jumped %.0f s ahead (sleep or clock change); catching up", gap)
            self.slept.emit(gap)
        self._follow_system_zone()
        self.check_now()

    def _follow_system_zone(self) -> None:
        # No desktop tells a process on Linux that the zone changed: look on each re-check and wake.
        try:
            self.reminders.follow_system_zone()
        except Exception:  # an unreadable zone file must not stop the checks; the old zone stays
            log.exception("could not read the system time zone")

    @Slot(bool)
    def prepare_for_sleep(self, going_to_sleep: bool) -> None:
        """logind's PrepareForSleep: False means the machine just woke up."""
        if not going_to_sleep:
            log.info("woke from sleep; catching up on reminders")
            self._follow_system_zone()
            self.check_now()

    def watch_logind(self, bus: object | None = None) -> bool:
        """Listen for logind's PrepareForSleep on the system bus (Linux); False when it is not there."""
        connection = bus if isinstance(bus, QDBusConnection) else QDBusConnection.systemBus()
        if not connection.isConnected():
            return False
        service, path, interface = LOGIND
        slot = SLOT("prepare_for_sleep(bool)")  # PySide6 takes this str although its stubs say bytes
        connected = connection.connect(service, path, interface, "PrepareForSleep", self, slot)  # type: ignore[call-overload]
        return bool(connected)

    def handle(self, notice: Notice, action: str) -> None:
        """Actions on a notice that stay within reminders (snooze); the tray handles the rest."""
        if action == NoticeAction.SNOOZE.value:
            until = self.reminders.tomorrow_at_reminder_time(self.clock.now())
            self.reminders.snooze_shown(notice.reminders, until)
            self.rearm()
