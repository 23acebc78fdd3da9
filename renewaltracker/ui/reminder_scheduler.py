"""Wakes exactly when the next reminder falls due: one single-shot timer, a coarse re-check, and wake-ups."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from PySide6.QtCore import SLOT, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtDBus import QDBusConnection

from renewaltracker.domain.clock import Clock
from renewaltracker.domain.reminders import Notice, notice_for
from renewaltracker.services.reminders import ReminderService
from renewaltracker.ui.context import DataSignals
from renewaltracker.ui.notifier import NoticeAction, Notifier, actions_for

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


class ReminderScheduler(QObject):
    """Claims and shows due reminders, then sleeps until the next one; no polling."""

    # A notice that no notifier could show: the window shows it instead.
    undelivered = Signal(object)
    # Every notice delivered (shown by a notifier or handed to the window).
    delivered = Signal(object)
    slept = Signal(float)  # seconds the machine was asleep, as far as the clock gap tells

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
        self.recheck = QTimer(self)
        self.recheck.setInterval(RECHECK_MS)
        self.recheck.timeout.connect(self._coarse_recheck)
        self.next_due: datetime | None = None
        self.wakeups = 0
        self._marks = (time.monotonic(), time.time())
        signals.changed.connect(self._data_changed)

    def start(self) -> None:
        """Deliver what fell due while the app was closed (one summary), then arm for the next."""
        self.recheck.start()
        self.check_now()

    def stop(self) -> None:
        self.timer.stop()
        self.recheck.stop()

    @Slot()
    def check_now(self) -> None:
        """Claim and show what is due, then arm the timer for the next reminder."""
        self.wakeups += 1
        self._marks = (time.monotonic(), time.time())
        now = self.clock.now()
        try:
            batch, next_due = self.reminders.check(now)
        except Exception:  # a locked or broken database must not kill the tray; the re-check tries again
            log.exception("could not check for due reminders")
            batch, next_due = [], None
        if batch:
            notice = notice_for(batch, now.astimezone(self.reminders.zone).date())
            if not self.notifier.show(notice, actions_for(notice, self.actions)):
                self.undelivered.emit(notice)
            self.reminders.confirm(batch)
            self.delivered.emit(notice)
        self._arm(now, next_due)

    def rearm(self) -> None:
        now = self.clock.now()
        try:
            next_due = self.reminders.next_due_time(now)
        except Exception:
            log.exception("could not plan the next reminder")
            next_due = None
        self._arm(now, next_due)

    def _arm(self, now: datetime, next_due: datetime | None) -> None:
        self.next_due = next_due
        if next_due is None:
            self.timer.stop()
        else:
            self.timer.start(timer_interval_ms(now, next_due))

    def _data_changed(self, change: str, subscription_id: object) -> None:
        # Re-plan soon: a new subscription may already have a reminder due, an edit may move one.
        self.timer.start(CHANGE_DEBOUNCE_MS)

    def _coarse_recheck(self) -> None:
        monotonic, wall = self._marks
        gap = (time.time() - wall) - (time.monotonic() - monotonic)
        if gap > SLEEP_GAP_SECONDS:
            log.info("the clock jumped %.0f s ahead (sleep or clock change); catching up", gap)
            self.slept.emit(gap)
        self.check_now()

    @Slot(bool)
    def prepare_for_sleep(self, going_to_sleep: bool) -> None:
        """logind's PrepareForSleep: False means the machine just woke up."""
        if not going_to_sleep:
            log.info("woke from sleep; catching up on reminders")
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
            for reminder in notice.reminders:
                self.reminders.snooze(reminder.key, until)
            self.rearm()
