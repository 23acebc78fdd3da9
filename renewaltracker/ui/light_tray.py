"""The app started at login into the tray, until someone opens the window: the icon, its menu and the reminders,
checked and claimed on plain sqlite3 (storage/quick_reminders.py) without SQLAlchemy, Jinja2 or the window.

Whatever needs more than that (the window, a subscription, a letter, the settings, marking one cancelled) builds the
whole app through `open_window` and hands the tray over to it: this tray's scheduler stops and the window's tray,
with its own scheduler on the ORM, takes over. The exactly-once reminder log is the same table on both paths.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from renewaltracker import APP_NAME
from renewaltracker.domain import events
from renewaltracker.domain.clock import Clock
from renewaltracker.domain.reminders import Notice
from renewaltracker.domain.schedule import release_calendar_tables
from renewaltracker.domain.subscription import Subscription
from renewaltracker.services.reminder_store import StoreSources
from renewaltracker.services.reminders import ReminderService
from renewaltracker.storage.errors import SchemaChangedError
from renewaltracker.storage.quick_reminders import PlainReminderData, PlainReminderStore
from renewaltracker.storage.quick_write import QuickWriter, open_quick_writer
from renewaltracker.storage.schema import GUI_BUSY_TIMEOUT
from renewaltracker.ui.context import DataSignals
from renewaltracker.ui.notifier import NoticeAction, Notifier, NotifierFactory
from renewaltracker.ui.reminder_scheduler import ReminderScheduler, _PlanJob
from renewaltracker.ui.tray import coming_up, fill_menu, pause_menu, tray_parts, tray_tooltip

if TYPE_CHECKING:
    from renewaltracker.ui.composition import Features
    from renewaltracker.ui.formatting import Formatter

log = logging.getLogger(__name__)
# What to do with the whole app once it is built (None: only show the window).
Then = Callable[["Features"], object] | None
Charges = list[tuple[str, int]]
# What the menu shows, read on the worker: the entries coming up, the icon's tooltip and the end of a pause.
MenuState = tuple[Charges, str, datetime | None]


class SharedReminderStore(PlainReminderStore):
    """The plain store on one connection, used by the GUI thread and the scheduler's worker one at a time."""

    def __init__(self, writer: QuickWriter) -> None:
        super().__init__(writer)
        self._lock = threading.RLock()
        # Migrated by another version, or replaced by another program, meanwhile: every plain transaction fails now.
        self.schema_changed = False

    def all(self) -> list[Subscription]:
        with self._lock:
            return super().all()

    def get(self, subscription_id: int) -> Subscription:
        with self._lock:
            return super().get(subscription_id)

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[PlainReminderData]:
        try:
            with self._lock, super().transaction(write=write) as data:
                yield data
        except SchemaChangedError:
            self.schema_changed = True
            raise


def _coming_up(reminders: ReminderService, clock: Clock, formatter: Formatter) -> MenuState:
    """The menu's entries and pause, on the worker: from the subscriptions the reminder plan already holds."""
    with reminders.store.transaction() as data:
        days = int(data.setting("upcoming_days"))
        paused: datetime | None = data.setting("reminders_paused_until")
    subscriptions = reminders.plan.subscriptions()
    today, prices = clock.today(), reminders.plan.prices
    found = coming_up(subscriptions, prices, today, days, formatter)
    tip = tray_tooltip(subscriptions, prices, today, days, formatter, found)
    # The next question comes in minutes or hours: what speeds up a burst of them is memory held for nothing.
    events.clear_cache()
    release_calendar_tables()
    return [(label, sid) for label, sid, _charge in found], tip, paused


class LightTray(QObject):
    """The tray icon, its menu and the reminders of an app started at login, without the window."""

    # The scheduler's `checked`, after the menu's entries were read again too (tests wait for it).
    refreshed = Signal()

    def __init__(
        self,
        path: Path,
        writer: QuickWriter,
        clock: Clock,
        notifier: Notifier | NotifierFactory,
        open_window: Callable[[Then], object],
        quit_app: Callable[[], object] | None = None,
        formatter: Formatter | None = None,
    ) -> None:
        super().__init__()
        self.writer = writer
        self.clock = clock
        self._open_window = open_window
        self.quit_app = quit_app or QApplication.quit
        self.store = SharedReminderStore(writer)
        found = StoreSources(self.store)
        # The window's tray reminds of follow-ups and reviews through its features; here they come from the store.
        self.reminders = ReminderService(
            None, None, clock, extra_sources=[found.follow_up_events, found.review_events], store=self.store
        )
        self.icon, self.menu, self.notifier = tray_parts(self, None, self._icon_activated, notifier)
        # Another process's commit (the CLI, a second window) wakes the scheduler: file-system notices, no poll.
        self.signals = DataSignals(None, self)
        self.signals.set_polling(False)
        self.signals.watch(path)
        # Another program replaced the file: its plain writes are refused from now on, so the normal opening takes
        # the file that is there now, as after a migration.
        self.signals.file_replaced.connect(self._file_replaced)
        self.scheduler = ReminderScheduler(self.reminders, self.signals, clock, self.notifier, self)
        # As the window's tray offers them, once its letters are installed.
        self.scheduler.actions = [NoticeAction.SNOOZE, NoticeAction.CANCEL, NoticeAction.DRAFT]
        self.scheduler.undelivered.connect(self._undelivered)
        self.scheduler.checked.connect(self._read_charges)
        self.notifier.activated.connect(self.act)
        self.menu.aboutToShow.connect(self._build_menu)
        if formatter is None:
            from renewaltracker.ui.formatting import Formatter

            formatter = Formatter.system()
        self.formatter = formatter
        self.charges: Charges | None = None
        # The pause as last read or written: the menu never reads the shared connection on the GUI thread, where
        # it would wait for the worker's transaction (and that for another process's write lock).
        self.paused: datetime | None = None
        self.features: Features | None = None  # once handed over
        self.handed_over = False
        self._reading: _PlanJob | None = None
        self._build_menu()

    # -- running ---------------------------------------------------------------
    def start(self, *, watch_sleep: bool = True) -> None:
        """Show the icon and deliver what fell due while the app was closed, then wait for the next reminder."""
        self.icon.setToolTip(APP_NAME)
        if QSystemTrayIcon.isSystemTrayAvailable():  # always, but for tests (offscreen has none)
            self.icon.show()
        if watch_sleep:
            self.scheduler.watch_logind()
        self.scheduler.start()

    def _file_replaced(self) -> None:
        self.store.schema_changed = True
        self._read_charges()

    def _read_charges(self) -> None:
        if self.store.schema_changed and not self.handed_over:
            # Not this version's schema any more: the normal opening migrates it or says why it cannot (a newer
            # version's), where the plain checks would fail in silence until the next login.
            log.warning("the database was migrated or replaced while the tray ran; opening it the normal way")
            self.open_window()
            return
        if self.handed_over or self._reading is not None:
            return
        reminders, clock, formatter = self.reminders, self.clock, self.formatter
        job = _PlanJob(lambda: _coming_up(reminders, clock, formatter))
        job.signals.done.connect(self._charges_read)
        self._reading = job
        self.scheduler.pool.start(job)  # one worker: after the check, never beside it

    def _charges_read(self, state: MenuState | None) -> None:
        self._reading = None
        if self.handed_over:
            return
        if state is not None:
            self.charges, tip, self.paused = state
            self.icon.setToolTip(tip)
            self._build_menu()
        self.refreshed.emit()

    def _build_menu(self) -> None:
        if self.handed_over:
            return
        now = self.clock.now()
        pauses = pause_menu(
            self.menu, self.paused, now, self.reminders.zone, self.pause, lambda: self.pause_until(None)
        )
        fill_menu(
            self.menu,
            self.charges,
            pauses,
            open_subscription=lambda sid: self.open_window(lambda features: features.window.open_subscription(sid)),
            open_window=lambda: self.open_window(),
            open_settings=lambda: self.open_window(lambda features: features.tray.open_settings()),
            quit_app=self.quit,
        )

    def pause(self, length: timedelta | None) -> None:
        now = self.clock.now()
        self.pause_until(now + length if length is not None else self.reminders.tomorrow_at_reminder_time(now))

    def pause_until(self, until: datetime | None) -> None:
        self.reminders.pause(until)
        self.paused = until
        self.scheduler.rearm()  # the window's tray hears of it as a settings change; here nobody else listens

    def quit(self) -> None:
        self.icon.hide()
        self.quit_app()

    # -- notices ---------------------------------------------------------------
    def act(self, notice: Notice, action: str) -> None:
        """A notification's click or button: a snooze is stored here, anything else needs the whole app."""
        if self.features is not None:
            self.features.tray.act(notice, action)
        elif action == NoticeAction.SNOOZE.value and not self.handed_over:
            self.scheduler.handle(notice, action)
        else:
            self.open_window(lambda features: features.tray.act(notice, action))

    def _undelivered(self, notice: Notice) -> None:
        # Once the scheduler has confirmed it: the hand-over closes the plain connection the confirmation needs.
        QTimer.singleShot(0, self, lambda: self.open_window(lambda features: features.tray.show_in_window(notice)))

    def _icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_window()

    # -- handing over ------------------------------------------------------------
    def open_window(self, then: Then = None) -> None:
        """Build the whole app (the first time) and show its window; `then` runs once its features are there."""
        if not self.handed_over:
            self._hand_over(deliver=True)
        self._open_window(then)

    def became(self, features: Features) -> None:
        """The whole app is built: notifications still on screen from here act through its tray."""
        self.features = features

    def _hand_over(self, *, deliver: bool = False) -> None:
        # The window's tray starts its own scheduler on the ORM: this one must not check beside it. What a check
        # running now claims is shown now (`deliver`); at quitting it waits for the next start, as the window's.
        self.handed_over = True
        self.scheduler.stop(deliver=deliver)
        self.signals.detach()
        self.icon.hide()
        self.writer.close()

    def close(self) -> None:
        """Stop checking and release the database and the notifier (after the event loop)."""
        if not self.handed_over:
            self._hand_over()
        self.notifier.close()
        self.menu.deleteLater()


def open_light_tray(
    path: Path, clock: Clock, notifier: Notifier | NotifierFactory, open_window: Callable[[Then], object]
) -> LightTray | None:
    """The light tray over a current database of ours; None when it must be opened the normal way (missing,
    older, newer, foreign or busy: the same rules as the command line's `remind`)."""
    writer = open_quick_writer(path, GUI_BUSY_TIMEOUT, shared=True)
    if writer is None:
        return None
    return LightTray(path, writer, clock, notifier, open_window)
