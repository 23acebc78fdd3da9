"""The system tray: icon, tooltip naming the next charge, menu, notification actions and close-to-tray."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, SignalInstance
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

from renewaltracker import APP_NAME
from renewaltracker.assets import resource
from renewaltracker.domain.events import EVENT_LABELS, EventKind, events_between
from renewaltracker.domain.prices import PriceHistories, PriceHistory, amount_on
from renewaltracker.domain.reminders import Notice
from renewaltracker.domain.review import REVIEW_ID
from renewaltracker.domain.subscription import Subscription
from renewaltracker.i18n import N_, _, current_language
from renewaltracker.services.autostart import IN_TRAY_ENV
from renewaltracker.services.reminders import EventSource, ReminderService
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.notifier import NoticeAction, Notifier, NotifierFactory, choose_notifier
from renewaltracker.ui.plain_text import warn
from renewaltracker.ui.reminder_scheduler import ReminderScheduler
from renewaltracker.ui.widgets import saving_buttons

if TYPE_CHECKING:  # the tray at login (ui/idle_tray.py) shares this module's menu without building the window
    from renewaltracker.ui.due_reminders import DueRemindersDialog
    from renewaltracker.ui.formatting import Formatter
    from renewaltracker.ui.main_window import MainWindow

log = logging.getLogger(__name__)
MENU_CHARGES = 8
REFRESH_DEBOUNCE_MS = 250
DIALOG_WAIT_MS = 500
PAUSES = ((N_("For 1 hour"), timedelta(hours=1)), (N_("For 4 hours"), timedelta(hours=4)), (N_("Until tomorrow"), None))
STILL_RUNNING_MESSAGE = N_("Still running in the tray, so reminders keep coming. Quit from the tray menu.")
DELETED_MESSAGE = N_("{name} was deleted after this reminder was shown, so there is nothing to do for it.")
NO_TRAY_MESSAGE = N_(
    "No system tray or notification service was found on this desktop, so reminders are shown in this "
    "window while Renewal Tracker runs. Closing the window quits the app; the command "
    "“renewaltracker remind” in a cron job or systemd timer can remind you while it is closed."
)


def tray_icon() -> QIcon:
    """The app icon if the package has one, else the tray's own."""
    for name in ("app.svg", "tray.svg"):
        candidate = resource("icons", name)
        if candidate.is_file():
            return QIcon(str(candidate))
    return QIcon()


def tray_parts(
    owner: QObject,
    menu_parent: QWidget | None,
    activated: Callable[[QSystemTrayIcon.ActivationReason], object],
    notifier: Notifier | NotifierFactory,
) -> tuple[QSystemTrayIcon, QMenu, Notifier]:
    """The tray icon with its context menu and the notifier, as the window's tray and the light tray both have
    them: the icon and a notifier made for it are `owner`'s."""
    icon = QSystemTrayIcon(tray_icon(), owner)
    menu = QMenu(menu_parent)
    menu.setObjectName("TrayMenu")
    icon.setContextMenu(menu)
    icon.activated.connect(activated)
    made = notifier if isinstance(notifier, Notifier) else notifier(icon)
    if made.parent() is None:
        made.setParent(owner)
    return icon, menu, made


def icon_path() -> Path | None:
    for name in ("app.svg", "tray.svg"):
        candidate = resource("icons", name)
        if candidate.is_file():
            return Path(str(candidate))
    return None


def system_notifier(icon: QSystemTrayIcon) -> Notifier:
    """The desktop's notifier: the freedesktop service, the tray balloon or nothing (see `choose_notifier`)."""
    return choose_notifier(icon, icon_path())


def coming_up(
    subscriptions: Sequence[Subscription],
    prices: Mapping[int, PriceHistory],
    today: date,
    days: int,
    formatter: Formatter,
) -> list[tuple[str, int, bool]]:
    """Charges, trial ends and cancel-by deadlines in the next `days`: (label, subscription id, is a charge)."""
    events = events_between(list(subscriptions), today, today + timedelta(days=days), dict(prices))
    f = formatter
    found = []
    for e in events:
        when = f.date(e.date)
        if e.kind is EventKind.CHARGE:
            found.append((charge_label(e.name, e.date, e.amount, e.currency, f), e.subscription_id, True))
        elif e.kind in (EventKind.TRIAL_END, EventKind.CANCEL_BY):
            text = _("{when}: {name} — {event}").format(when=when, name=e.name, event=EVENT_LABELS[e.kind].soon)
            found.append((text, e.subscription_id, False))
    return found


def tooltip(charges: Sequence[tuple[str, int]], later: str | None = None) -> str:
    """The icon's tooltip: the next charge in the coming days, else `later` (the first one after them), if any."""
    charge = charges[0][0] if charges else later
    if charge is None:
        return _("{APP_NAME}: no charges coming up").format(APP_NAME=APP_NAME)
    return _("{APP_NAME}\nNext charge: {charge}").format(APP_NAME=APP_NAME, charge=charge)


def charge_label(name: str, day: date, amount: Decimal, currency: str, formatter: Formatter) -> str:
    """A charge as the menu and the tooltip name it."""
    return _("{when}: {name}, {money}").format(
        when=formatter.date(day), name=name, money=formatter.money(amount, currency)
    )


def later_charge(
    subscriptions: Sequence[Subscription], prices: Mapping[int, PriceHistory], today: date, formatter: Formatter
) -> str | None:
    """The first charge to come however far ahead, labelled as the menu's; None when nothing charges again."""
    # One date per plan, without expanding every plan's events over a longer window.
    found = [(day, s.name.casefold(), s.id or 0, s) for s in subscriptions if (day := s.next_charge(today))]
    if not found:
        return None
    day, _name, _id, s = min(found, key=lambda item: item[:3])
    return charge_label(s.name, day, amount_on(s, day, dict(prices)), s.currency, formatter)


def tray_tooltip(
    subscriptions: Sequence[Subscription],
    prices: Mapping[int, PriceHistory],
    today: date,
    days: int,
    formatter: Formatter,
    found: Sequence[tuple[str, int, bool]] | None = None,
) -> str:
    """The tooltip over the subscriptions: beyond the look-ahead's `days`, it names the next charge all the same
    ("no charges coming up" was untrue of a yearly plan charging in three months). `found`: `coming_up`'s answer."""
    if found is None:
        found = coming_up(subscriptions, prices, today, days, formatter)
    charges = [(label, sid) for label, sid, charge in found if charge]
    return tooltip(charges, None if charges else later_charge(subscriptions, prices, today, formatter))


def fill_menu(
    menu: QMenu,
    charges: Sequence[tuple[str, int]] | None,
    pauses: QMenu,
    *,
    open_subscription: Callable[[int], object],
    open_window: Callable[[], object],
    open_settings: Callable[[], object],
    quit_app: Callable[[], object],
) -> list[QAction]:
    """The tray menu; `charges` is None while they are still being read. Returns the entries that write (pausing,
    the settings), for a window that can no longer write to hold disabled."""
    menu.clear()
    heading = menu.addAction(_("Coming up"))
    heading.setEnabled(False)
    if charges is None:
        menu.addAction(_("Loading your renewals…")).setEnabled(False)
    elif not charges:
        menu.addAction(_("Nothing in the coming days")).setEnabled(False)
    for label, subscription_id in (charges or [])[:MENU_CHARGES]:
        action = menu.addAction(label)
        action.triggered.connect(lambda _=False, sid=subscription_id: open_subscription(sid))
    menu.addSeparator()
    menu.addAction(_("&Open {APP_NAME}").format(APP_NAME=APP_NAME), open_window)
    pausing = menu.addMenu(pauses)
    settings = menu.addAction(_("&Settings…"), open_settings)
    menu.addSeparator()
    menu.addAction(_("&Quit"), quit_app)
    return [pausing, settings]


def pause_menu(
    parent: QMenu,
    paused: datetime | None,
    now: datetime,
    zone: tzinfo,
    pause: Callable[[timedelta | None], object],
    resume: Callable[[], object],
) -> QMenu:
    """ "Pause reminders" with its lengths, titled with the pause's end while one holds."""
    menu = QMenu(_("&Pause reminders"), parent)
    if paused is not None and paused > now:
        from babel.dates import format_datetime  # only while a pause holds: the light tray stays light

        # The weekday in the interface language ("Di.", "mar."): strftime would write it in English.
        when = format_datetime(paused.astimezone(zone), "EEE HH:mm", tzinfo=zone, locale=current_language())
        menu.setTitle(_("Reminders paused until {when}").format(when=when))
    for label, length in PAUSES:
        menu.addAction(_(label), functools.partial(pause, length))
    menu.addSeparator()
    menu.addAction(_("&Resume reminders"), resume).setEnabled(paused is not None and paused > now)
    return menu


class ReminderTray(QObject):
    """Owns the tray icon and its menu, and turns notification clicks into window actions."""

    def __init__(
        self,
        window: MainWindow,
        reminders: ReminderService,
        notifier: Notifier | NotifierFactory,
        open_draft: Callable[[int], None] | None = None,
        quit_app: Callable[[], None] | None = None,
        tray_available: bool | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.context = window.context
        self.reminders = reminders
        self.open_draft = open_draft
        self.open_review: Callable[[], object] | None = None  # set by the review feature
        self.open_follow_up: Callable[[int], None] | None = None
        self.quit_app = quit_app or QApplication.quit
        self.tray_available = QSystemTrayIcon.isSystemTrayAvailable() if tray_available is None else tray_available
        self.icon, self.menu, self.notifier = tray_parts(self, window, self._icon_activated, notifier)
        self.scheduler = ReminderScheduler(reminders, self.context.signals, self.context.clock, self.notifier, self)
        if open_draft is not None:
            self.set_open_draft(open_draft)
        self.scheduler.undelivered.connect(self.show_in_window)
        self.notifier.activated.connect(self.act)
        # A burst of changes (an import) rebuilds the menu once; the re-check keeps the tooltip's "next" current.
        self.refresh_later = QTimer(self)
        self.refresh_later.setSingleShot(True)
        self.refresh_later.setInterval(REFRESH_DEBOUNCE_MS)
        self.refresh_later.timeout.connect(self.refresh)
        self.context.signals.changed.connect(lambda *_: self.refresh_later.start())
        self.scheduler.recheck.timeout.connect(self.refresh_later.start)
        self.menu.aboutToShow.connect(self.refresh)
        self.dialog: DueRemindersDialog | None = None
        self._pauses: QMenu | None = None  # the pause submenu, built again with the menu
        self._waiting: list[Notice] = []
        self._told_no_tray = False
        self.quitting = False
        # Charges come from the table's subscriptions once the window has read them (after its first paint):
        # the tray never reads every row itself before the window shows.
        window.model.modelReset.connect(self.refresh_later.start)
        self.refresh()

    # -- tray icon and menu ----------------------------------------------------
    def usable(self) -> bool:
        """Whether the tray really shows: otherwise the window must stay reachable."""
        return self.tray_available

    def refresh(self, *_: object) -> None:
        if not self.window.model.loaded:
            self.icon.setToolTip(APP_NAME)
            self._build_menu(None)
            return
        days, subscriptions, prices = self._rows()  # one read for both
        today, formatter = self.context.clock.today(), self.window.formatter
        coming = coming_up(subscriptions, prices, today, days, formatter)
        self.icon.setToolTip(tray_tooltip(subscriptions, prices, today, days, formatter, coming))
        self._build_menu([(label, sid) for label, sid, _charge in coming])

    def _rows(self) -> tuple[int, list[Subscription], PriceHistories]:
        """The look-ahead's days and, from the rows the table already holds, the subscriptions and their prices:
        nothing is read from the database on the GUI thread."""
        days = int(self.context.service.setting("upcoming_days"))
        return days, self.window.all_subscriptions(), self.window.price_histories()

    def upcoming_events(self) -> list[tuple[str, int, bool]]:
        """Charges, trial ends and cancel-by deadlines soon: (label, subscription id, is a charge)."""
        days, subscriptions, prices = self._rows()
        return coming_up(subscriptions, prices, self.context.clock.today(), days, self.window.formatter)

    def _build_menu(self, charges: list[tuple[str, int]] | None) -> None:
        """The menu; `charges` is None while the window is still reading the subscriptions."""
        if self._pauses is not None:
            self._pauses.deleteLater()  # the last build's submenu, no longer in the menu
        self._pauses = self._pause_menu()
        writing = fill_menu(
            self.menu,
            charges,
            self._pauses,
            open_subscription=self.window.open_subscription,
            open_window=self.window.show_and_raise,
            open_settings=self.open_settings,
            quit_app=self.quit,
        )
        self.window.writes.hold(writing)

    def _pause_menu(self) -> QMenu:
        now = self.context.clock.now()
        paused = self.reminders.paused_until()
        return pause_menu(self.menu, paused, now, self.reminders.zone, self.pause, lambda: self.pause_until(None))

    def pause(self, length: timedelta | None) -> None:
        now = self.context.clock.now()
        self.pause_until(now + length if length is not None else self.reminders.tomorrow_at_reminder_time(now))

    def pause_until(self, until: datetime | None) -> None:
        self.reminders.pause(until)  # a settings change: the scheduler re-arms on it

    def _icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            if self.window.isVisible() and not self.window.isMinimized():
                self.window.hide()
            else:
                self.window.show_and_raise()

    def open_settings(self) -> None:
        from renewaltracker.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.context.service, self.window)
        self.window.writes.hold(saving_buttons(dialog))  # the file may become read only while it is open
        dialog.open()

    def quit(self) -> None:
        self.quitting = True
        self.icon.hide()
        self.quit_app()

    # -- hooks for features installed after this one -----------------------------------
    def set_open_draft(self, open_draft: Callable[[int], None]) -> None:
        """Offer "Draft cancellation email" on notifications, calling `open_draft(subscription_id)`."""
        self.open_draft = open_draft
        if NoticeAction.DRAFT not in self.scheduler.actions:
            self.scheduler.actions.append(NoticeAction.DRAFT)

    def add_event_source(self, source: EventSource, changed: SignalInstance | None = None) -> None:
        """Remind of FOLLOW_UP events from `source(start, end)`; `changed` (a Qt signal) says when they change."""
        self.reminders.extra_sources.append(source)
        if changed is not None:
            changed.connect(lambda *_: self.scheduler.check_soon())
        self.scheduler.rearm()

    # -- notices ---------------------------------------------------------------
    def act(self, notice: Notice, action: str) -> None:
        """What a click or button on a notification does."""
        subscription_id = notice.subscription_id
        if subscription_id == REVIEW_ID:  # the periodic review: no subscription to cancel or write about
            if action == NoticeAction.OPEN.value and self.open_review is not None:
                self.open_review()
            elif action == NoticeAction.SNOOZE.value:
                self.scheduler.handle(notice, action)
            return
        if subscription_id is not None and not self._still_there(notice, subscription_id):
            name = notice.reminders[0].event.name
            warn(self.window, APP_NAME, _(DELETED_MESSAGE).format(name=name))
            return
        if action == NoticeAction.OPEN.value:
            if subscription_id is not None:
                self.window.open_subscription(subscription_id)
            else:
                self.show_in_window(notice)
        elif action == NoticeAction.SNOOZE.value:
            self.scheduler.handle(notice, action)
        elif action == NoticeAction.CANCEL.value and subscription_id is not None:
            self._mark_cancelled(subscription_id)
        elif action == NoticeAction.DRAFT.value and subscription_id is not None and self.open_draft is not None:
            self.open_draft(subscription_id)
        elif action == NoticeAction.FOLLOW_UP.value and subscription_id is not None and self.open_follow_up:
            self.open_follow_up(subscription_id)

    def _still_there(self, notice: Notice, subscription_id: int) -> bool:
        """Whether the plan a notice is about is still stored: SQLite gives a deleted plan's id to the next one
        added, which a notice shown before it was added is not about (unless it is that plan brought back by an
        undo, which keeps the id and the name)."""
        try:
            subscription = self.context.service.get(subscription_id)
        except LookupError:  # NotFoundError
            return False
        created, shown = subscription.created_at, notice.shown_at
        if created is None or shown is None or created.tzinfo is None or created <= shown:
            return True
        return subscription.name == notice.reminders[0].event.name

    def _mark_cancelled(self, subscription_id: int) -> None:
        try:
            self.context.service.cancel(subscription_id)
        except (ValueError, LookupError) as error:  # ValidationError and NotFoundError
            warn(self.window, APP_NAME, _("Could not mark it cancelled: {error}").format(error=error_text(error)))

    def show_in_window(self, notice: Notice) -> None:
        """The last resort and the summary view: the reminders listed in a window the user sees."""
        self._waiting.append(notice)
        self._show_waiting()

    def _show_waiting(self) -> None:
        # Never over a dialog the user is filling in (saving one may make a reminder due): after it closes.
        if self._busy_with_dialog():
            QTimer.singleShot(DIALOG_WAIT_MS, self._show_waiting)
            return
        waiting, self._waiting = self._waiting, []
        for notice in waiting:
            self._show_now(notice)

    def _busy_with_dialog(self) -> bool:
        modal = QApplication.activeModalWidget()
        return modal is not None and modal is not self.dialog

    def _show_now(self, notice: Notice) -> None:
        from renewaltracker.ui.due_reminders import DueRemindersDialog

        today = self.context.clock.today()
        if self.dialog is None:
            self.dialog = DueRemindersDialog(today, self.window)
            self.dialog.open_requested.connect(self.window.open_subscription)
        if not self.usable() and not self._told_no_tray:
            self._told_no_tray = True
            log.warning("no system tray: showing reminders in the window")
            self.dialog.explain(_(NO_TRAY_MESSAGE))
        self.dialog.add_notice(notice, today)
        self.window.show_and_raise()
        self.dialog.show()
        self.dialog.raise_()

    def start(self) -> None:
        """Show the icon and deliver what fell due while the app was closed (as one summary)."""
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.icon.show()
        self.scheduler.start()


class CloseToTray(QObject):
    """Event filter on the window: closing it hides it to the tray when the setting asks for that."""

    def __init__(self, tray: ReminderTray) -> None:
        super().__init__(tray)
        self.tray = tray
        self.told = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Close or self.tray.quitting:
            return False
        if self.tray.usable() and bool(self.tray.context.service.setting("close_to_tray")):
            event.ignore()
            if isinstance(watched, QWidget):
                watched.hide()
            if not self.told:
                self.told = True
                self.tray.icon.showMessage(APP_NAME, _(STILL_RUNNING_MESSAGE), self.tray.icon.icon(), 8000)
            return True
        # A real close: quit once the window has actually gone (its own handler may still refuse).
        QTimer.singleShot(0, self._quit_if_closed)
        return False

    def _quit_if_closed(self) -> None:
        if not self.tray.window.isVisible():
            self.tray.quit()


def _route_quit_to(window: MainWindow, quit_app: Callable[[], None]) -> None:
    """File ▸ Quit closes the window, which now only hides it: make it quit the app instead."""
    # The window's own action, not its label: "Quit" is "Beenden" or "Quitter" in another language.
    window.quit_action.triggered.disconnect()
    window.quit_action.triggered.connect(quit_app)


def install(
    window: MainWindow,
    *,
    open_draft: Callable[[int], None] | None = None,
    notifier: Notifier | NotifierFactory,
    extra_sources: Sequence[EventSource] = (),
    tray_available: bool | None = None,
    quit_app: Callable[[], None] | None = None,
) -> ReminderTray:
    """Add the tray, reminders and close-to-tray to the window; `main` calls `start()` once the app runs."""
    context = window.context
    reminders = ReminderService(context.database, context.service, context.clock, extra_sources)
    tray = ReminderTray(window, reminders, notifier, open_draft, quit_app, tray_available)
    window.installEventFilter(CloseToTray(tray))
    # Hidden to the tray, the window stops polling the database for other processes' commits (idle is idle).
    context.signals.follow_visibility(window)
    _route_quit_to(window, tray.quit)
    app = QApplication.instance()
    if isinstance(app, QApplication) and tray.usable():
        app.setQuitOnLastWindowClosed(False)  # a dialog closed while the window is hidden must not quit
    settings_action = QAction(_("&Reminders and tray…"), window)
    settings_action.triggered.connect(tray.open_settings)
    window.menu("tools").addAction(settings_action)
    return tray


def start_in_tray(tray: ReminderTray) -> bool:
    """Whether to stay hidden at start: launched at login (the login entry sets the variable) with a tray."""
    return bool(os.environ.get(IN_TRAY_ENV)) and tray.usable()
