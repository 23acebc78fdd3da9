"""Starts the desktop app: shows the window's frame first, then its rows, then opens the database and builds the rest.

Only PySide6 and a few small modules load before the first paint. Then the table is built (with Babel to format
it) and a worker reads the rows with `sqlite3` alone (storage/quick_read.py); once they are painted SQLAlchemy,
Jinja2 and the features are imported and attached. A database the quick reader declines (missing, older, newer,
foreign) is opened the normal way at once, and the model reads its rows through the service.
"""

from __future__ import annotations

import gc
import importlib
import linecache
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from renewaltracker import APP_ID, APP_NAME, __version__
from renewaltracker.i18n import _, current_language, install_language
from renewaltracker.options import window_arguments
from renewaltracker.services.autostart import IN_TRAY_ENV
from renewaltracker.storage.change_probe import ChangeProbe
from renewaltracker.storage.errors import StorageError
from renewaltracker.storage.paths import demo_db_path, resolve_db_path
from renewaltracker.storage.peek import peek_setting
from renewaltracker.storage.schema import GUI_BUSY_TIMEOUT
from renewaltracker.ui.crash import CrashHandler
from renewaltracker.ui.icons import icon
from renewaltracker.ui.pyside_fixes import pin_singletons
from renewaltracker.ui.single_instance import LockUnavailable, SingleInstance

if TYPE_CHECKING:
    from argparse import Namespace
    from datetime import date
    from pathlib import Path

    from renewaltracker.options import WindowOptions
    from renewaltracker.storage.database import Database
    from renewaltracker.storage.quick_read import QuickReader
    from renewaltracker.ui.composition import Collaborators, Features
    from renewaltracker.ui.context import AppContext
    from renewaltracker.ui.main_window import MainWindow
    from renewaltracker.ui.restart import Restart
    from renewaltracker.ui.subscription_model import FirstRows, Rows

# Set (to anything) to have the window write "visible", "populated" (rows painted) and "ready" (every feature
# attached) to stderr at those moments (benchmarks).
STARTUP_MARKS_ENV = "RENEWALTRACKER_STARTUP_MARKS"
# How long start-up waits for the first rows to paint before building the features anyway.
PAINT_GRACE_MS = 1000
# How long the window waits, unshown, for its first rows, so that the frame and the rows paint once: beyond it
# (a long or busy read) the frame shows at once with "Loading your renewals…" and the rows follow.
ROWS_BEFORE_FRAME_S = 0.3
# A collection longer than this paints its first screenful before the rest is built: the rows fitting the columns
# reads from the top (subscriptions_view.py FIT_ROWS, or the visible ones if more: ui/fitting.py `rows_read`) on a
# screen up to 200 rows high. Each row more is read, built and sorted before the paint.
FIRST_ROWS = 200
# The order a fresh window sorts its table in: the first screenful is its top rows.
FIRST_SORT_KEY = "next_charge"


def create_application() -> QApplication:
    pin_singletons()  # before any signal is emitted
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_ID)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(icon("app"))
    install_qt_translation(app, current_language())
    return app


def install_qt_translation(app: QApplication, language: str) -> None:
    """Qt's own words (Cancel, Yes, the date picker's months) in the interface language, from Qt's qtbase_*.qm."""
    for old in app.findChildren(QTranslator, "qtbase"):
        app.removeTranslator(old)
        old.deleteLater()
    translator = QTranslator(app)
    translator.setObjectName("qtbase")
    if translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    # Date pickers name months and weekdays from the default QLocale: the interface language's, in the desktop's
    # region, so a German window on an English desktop says "März".
    territory = QLocale.system().territory()
    QLocale.setDefault(QLocale(QLocale.codeToLanguage(language), territory))


def build_main_window(context: AppContext, collaborators: Collaborators, window: MainWindow | None = None) -> Features:
    """`composition.build_main_window`, imported when first needed (it loads every feature)."""
    from renewaltracker.ui.composition import build_main_window as build

    return build(context, collaborators, window)


def system_collaborators(restart: Restart | None = None) -> Collaborators:
    from renewaltracker.ui.composition import Collaborators

    return Collaborators.system(restart)


class _FirstPaint(QObject):
    """Calls `then` once, after `widget` first paints (so the frame is on screen before the slow part starts)."""

    def __init__(self, widget: QObject, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            then, self._then = self._then, None  # type: ignore[assignment]
            watched.removeEventFilter(self)
            QTimer.singleShot(0, then)  # after this paint has reached the screen
        return False


def quick_rows(path: Path, today: date | None = None) -> Rows | None:
    """The table's rows (as of `today`, by default the system's) read with sqlite3 alone, on the model's worker;
    None when the database must be opened the normal way first (missing, older, newer, foreign, locked)."""
    from renewaltracker.domain.clock import SystemClock
    from renewaltracker.storage.quick_read import open_quick_reader

    reader = open_quick_reader(path, busy_timeout=GUI_BUSY_TIMEOUT)
    if reader is None:
        return None
    from renewaltracker.ui.subscription_model import table_rows  # with Babel: only when there are rows to show

    try:
        # Rows this version saved are not checked again (two thirds of reading 10,000): they come out equal to
        # checked ones (tests/storage/test_trusted_rows.py), and every write checks what it stores.
        return table_rows(reader.all_unchecked(), reader.price_histories(), today or SystemClock().today())
    finally:
        reader.close()


def first_rows(reader: QuickReader, today: date, count: int | None = None) -> FirstRows | None:
    """The first `count` (FIRST_ROWS) records of the table as a fresh window sorts it (by next charge), built from
    the columns a next charge needs and `count` whole rows; None when the collection is not longer than that."""
    from renewaltracker.ui.subscription_model import FirstRows, table_rows

    count = FIRST_ROWS if count is None else count

    charges = reader.next_charges(today)  # in `all_unchecked`'s order, which the table's stable sort starts from
    if len(charges) <= count:
        return None
    # The table's stable sort by `none_last` of the next charge over the same order: the dated ones by date, then
    # those without one as they come.
    dated = sorted((pair for pair in charges if pair[1] is not None), key=itemgetter(1))
    ids = [sid for sid, _charge in dated[:count]]
    ids += [sid for sid, charge in charges if charge is None][: count - len(ids)]
    found = {s.id: s for s in reader.some_unchecked(ids)}
    chosen = [found[sid] for sid in ids]
    records, _prices = table_rows(chosen, reader.price_histories_of(chosen), today)
    return FirstRows(records, FIRST_SORT_KEY)


class EarlyRows:
    """The quick read on a thread of its own, started before the frame is built: it reads while Qt draws. A long
    collection gives its first screenful first, and builds the rest once that is painted (`painted`)."""

    def __init__(self, path: Path) -> None:
        # Made before the read: whatever another process commits from here on reloads the table later.
        self.probe = ChangeProbe.of_existing(path)
        self._rows: Rows | None = None
        self._first: FirstRows | None = None
        self._error: Exception | None = None
        self._first_ready = threading.Event()
        self._painted = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(path,), name="early rows", daemon=True)
        self._thread.start()

    def _read(self, path: Path) -> None:
        try:
            self._rows = self._read_rows(path)
        except Exception as error:  # raised again by `wait`, on the model's worker, which reports it
            self._error = error
        finally:
            self._first_ready.set()

    def _read_rows(self, path: Path) -> Rows | None:
        from renewaltracker.domain.clock import SystemClock
        from renewaltracker.storage.quick_read import open_quick_reader

        reader = open_quick_reader(path, busy_timeout=GUI_BUSY_TIMEOUT)
        if reader is None:
            return None
        from renewaltracker.ui.subscription_model import table_rows  # with Babel: only when there are rows to show

        try:
            today = SystemClock().today()
            self._first = first_rows(reader, today)
            self._first_ready.set()
            if self._first is not None:
                # The rest waits for the paint (or the grace), so it does not compete with it for the interpreter.
                self._painted.wait(PAINT_GRACE_MS / 1000)
            # Rows this version saved are not checked again (two thirds of reading 10,000): they come out equal to
            # checked ones (tests/storage/test_trusted_rows.py), and every write checks what it stores.
            return table_rows(reader.all_unchecked(), reader.price_histories(), today)
        finally:
            reader.close()

    def ready_within(self, seconds: float) -> FirstRows | Rows | None:
        """What the read has for the first paint within `seconds`: the first screenful of a long collection, or
        every row of a short one; None when it is not there in time, or the read declined or failed. Called on the
        GUI thread before the window is shown, so the frame and its rows paint once, together."""
        deadline = time.monotonic() + seconds
        if not self._first_ready.wait(seconds):
            return None
        if self._first is not None:
            return self._first
        self._thread.join(max(0.0, deadline - time.monotonic()))
        if self._thread.is_alive() or self._error is not None:
            return None
        return self._rows

    def wait_first(self) -> FirstRows | None:
        """The first screenful (None: none, or the read declined or failed); on the model's worker."""
        self._first_ready.wait()
        return self._first

    def painted(self) -> None:
        """The first screenful is on screen: build the rest now."""
        self._painted.set()

    def wait(self) -> Rows | None:
        """The rows (None: declined), once read; called on the table model's worker, never the GUI thread."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._rows


def _tray_available() -> bool:
    from PySide6.QtWidgets import QSystemTrayIcon  # asked only at login, when the tray may hold the app

    return QSystemTrayIcon.isSystemTrayAvailable()


def _no_logging() -> None:
    """Tests and benchmarks that call `main` themselves keep their own logging."""


def _mark(what: str) -> None:
    if os.environ.get(STARTUP_MARKS_ENV):
        sys.stderr.write(f"renewaltracker: {what}\n")
        sys.stderr.flush()


class _Session:
    """What `main` opens after the first paint and closes after the event loop."""

    def __init__(
        self,
        args: WindowOptions | Namespace,
        path: Path,
        window: MainWindow,
        instance: SingleInstance,
        early: EarlyRows | None,
    ) -> None:
        self.args, self.path, self.window, self.instance, self.early = args, path, window, instance, early
        self.database: Database | None = None
        self.features: Features | None = None
        self.probe: ChangeProbe | None = None
        self.opened = False
        self.code = 0
        self.restart: Restart | None = None  # made with the features: the window may ask for one
        self.ready: list[Callable[[Features], object]] = []  # called once every feature is attached
        # The log file's handler (logging.handlers), set up once the rows are on screen; records before it go to
        # stderr (logging's last resort).
        self.start_logging: Callable[[], None] = _no_logging

    def rows_before_paint(self) -> bool:
        """Build the table into the unshown frame and put the early read's first rows in, if they come within
        `ROWS_BEFORE_FRAME_S`: then the window's first paint has its rows. False: `show_rows` after the paint."""
        if self.early is None:
            return False
        model = self.window.show_table()
        if not model.sorted_by(FIRST_SORT_KEY):
            # A remembered other sort: no first screenful will be shown, so the rest must not wait for its paint.
            self.early.painted()
        early = self.early.ready_within(ROWS_BEFORE_FRAME_S)
        if early is None or not model.show_early(early):
            return False
        self.probe = self.early.probe
        if model.partial:  # the rest is built once the first screenful is on screen (`painted`)
            model.load_in_background(self.early.wait)
        return True

    def show_window(self) -> None:
        """Show the window, with its rows in its first paint when they come in time; then the rest of start-up."""
        window = self.window
        if self.rows_before_paint():
            _FirstPaint(window.subscriptions.table.viewport(), self._painted_with_rows)
            QTimer.singleShot(PAINT_GRACE_MS, self.open)  # a window that does not paint (minimised) is built too
        else:
            _FirstPaint(
                window.subscriptions.loading if hasattr(window, "subscriptions") else window.loading, self._painted
            )
        window.show()

    def _painted_with_rows(self) -> None:
        _mark("visible")
        self._rows_painted()

    def _painted(self) -> None:
        _mark("visible")
        self.show_rows()

    def show_rows(self) -> None:
        """Fill the frame's table from a sqlite3 read on the worker; `open` follows once the rows are painted (or
        at once when the quick read declines or fails: then the service reads them)."""
        if self.early is None:  # the demo (an empty one is filled by `open` first)
            self.open()
            return
        model = self.window.show_table()
        self.probe = self.early.probe
        model.rows_shown.connect(self._rows_arrived)
        model.read_declined.connect(self._rows_declined)
        model.read_failed.connect(self._rows_declined)
        model.load_in_background(self.early.wait, self.early.wait_first)

    def _rows_arrived(self) -> None:
        self._quick_read_done()
        if self.window.model.rowCount() and self.window.isVisible():
            _FirstPaint(self.window.subscriptions.table.viewport(), self._rows_painted)
            QTimer.singleShot(PAINT_GRACE_MS, self.open)  # a window that does not paint (minimised) is built too
        else:
            self._rows_painted()

    def _rows_painted(self) -> None:
        _mark("populated")
        self._populated_then_open()

    def _populated_then_open(self) -> None:
        if self.early is not None:
            self.early.painted()
        QTimer.singleShot(0, self._import_features)

    def _import_features(self) -> None:
        """The features' modules (most of SQLAlchemy's import), apart from `open`: the GUI thread handles what the
        user did meanwhile between the two, rather than stalling once for both."""
        if not self.opened:
            importlib.import_module("renewaltracker.ui.composition")
            QTimer.singleShot(0, self.open)

    def _rows_declined(self, *_problem: object) -> None:
        self._quick_read_done()
        self.open()

    def _quick_read_done(self) -> None:
        model = self.window.model
        model.rows_shown.disconnect(self._rows_arrived)
        model.read_declined.disconnect(self._rows_declined)
        model.read_failed.disconnect(self._rows_declined)

    def open(self) -> None:
        """Import the heavy modules, open the database and build every feature into the window already shown."""
        if self.opened:
            return
        self.opened = True
        self.start_logging()
        from renewaltracker.domain.clock import SystemClock
        from renewaltracker.storage.database import open_database
        from renewaltracker.ui.context import AppContext

        app = QApplication.instance()
        assert isinstance(app, QApplication)
        try:
            self.database = open_database(self.path, busy_timeout=GUI_BUSY_TIMEOUT)
        except StorageError as error:
            from renewaltracker.ui.error_text import error_text
            from renewaltracker.ui.plain_text import alarm

            alarm(self.window if self.window.isVisible() else None, APP_NAME, error_text(error))
            self.code = 2
            self.window.hide()
            app.exit(2)
            return
        context = AppContext.create(self.database, SystemClock(), demo=self.args.demo)
        # Changes by the CLI, cron or another window show within a second (and those since the quick read).
        context.signals.watch(self.path, self.probe)
        stored = context.service.setting("language") if self.args.lang is None else ""
        if stored and stored != current_language():  # the early sqlite3 look could not read it (a busy file)
            install_qt_translation(app, install_language(stored))
        if self.args.demo and not context.service.all():
            from renewaltracker.services.demo import fill_demo

            fill_demo(context.service)
        from renewaltracker.ui.restart import Restart

        self.restart = Restart()
        self.features = build_main_window(context, system_collaborators(self.restart), self.window)
        # Listening (QtNetwork) waited until now: a copy started meanwhile retries (`ask_running_copy_to_show`).
        self.instance.listen()
        self.instance.show_requested.connect(self.window.show_and_raise)
        model = self.window.model
        if model.loaded:  # the early read's rows are in: what start-up built is all there now
            self._freeze()
        else:
            model.read_finished.connect(self._rows_read)
        whole_to_come = model.partial  # the rest of the rows is being built on the worker
        if whole_to_come:
            model.read_failed.connect(self._rows_failed)
        if os.environ.get(STARTUP_MARKS_ENV) and not (model.loaded or whole_to_come):
            model.read_finished.connect(self._mark_populated)
        if self.features.start() and not self.window.isVisible():
            self.window.show()
        if not whole_to_come:  # otherwise with the whole set: the collector would scan the rows as they are made
            gc.enable()  # start-up is over (`main` paused the collector)
        _mark("ready")
        self.window.formatter.keep_shapes(record.subscription.currency for record in model.records())
        for then in self.ready:
            then(self.features)

    def _rows_read(self) -> None:
        self.window.model.read_finished.disconnect(self._rows_read)
        self._freeze()
        gc.enable()  # after the first screenful, start-up ends with the whole set

    def _rows_failed(self, _problem: str) -> None:
        self.window.model.read_failed.disconnect(self._rows_failed)
        gc.enable()

    @staticmethod
    def _freeze() -> None:
        """Once, after the first read: what start-up built stays out of later full cycle collections."""
        from renewaltracker.ui.background import freeze_startup_heap

        freeze_startup_heap()

    def _mark_populated(self) -> None:
        """ "populated" once the table has painted its first rows (or at once when there are none)."""
        self.window.model.read_finished.disconnect(self._mark_populated)
        if self.window.model.rowCount():
            _FirstPaint(self.window.subscriptions.table.viewport(), lambda: _mark("populated"))
        else:
            _mark("populated")

    def close(self) -> None:
        if hasattr(self.window, "model"):
            self.window.model.stop()  # a quick read still running when the window closed early
        if self.probe is not None and self.features is None:
            self.probe.close()  # never handed to the watcher, which closes it otherwise
        if self.features is not None:
            self.features.close()
            self.features.window.context.signals.detach()
        if self.database is not None:
            self.database.close()


class _WindowOnDemand:
    """The window of an app started into the light tray, built as a normal start builds it, when first asked for."""

    def __init__(
        self, args: WindowOptions | Namespace, path: Path, instance: SingleInstance, crashes: CrashHandler
    ) -> None:
        self.args, self.path, self.instance, self.crashes = args, path, instance, crashes
        self.session: _Session | None = None
        self.built: Callable[[Features], object] | None = None  # told first, once the features are attached

    def __call__(self, then: Callable[[Features], object] | None = None) -> None:
        session = self.session
        if session is None:
            from renewaltracker.ui.main_window import MainWindow

            window = MainWindow(demo=self.args.demo)
            self.crashes.parent_window = lambda: window
            session = self.session = _Session(self.args, self.path, window, self.instance, EarlyRows(self.path))
            if self.built is not None:
                session.ready.append(self.built)
            session.show_window()
        elif session.features is not None:
            session.window.show_and_raise()
        if then is None:
            return
        if session.features is not None:
            then(session.features)
        else:
            session.ready.append(then)


def _run_in_light_tray(
    args: WindowOptions | Namespace, path: Path, instance: SingleInstance, crashes: CrashHandler
) -> int | None:
    """Run from the tray without the window or SQLAlchemy until asked for more; None when the database must be
    opened the normal way (ui/light_tray.py)."""
    linecache.clearcache()  # see below: what the modules imported so far left there, reused by those that follow
    from renewaltracker.domain.clock import SystemClock
    from renewaltracker.ui.light_tray import open_light_tray
    from renewaltracker.ui.tray import system_notifier

    window = _WindowOnDemand(args, path, instance, crashes)
    tray = open_light_tray(path, SystemClock(), system_notifier, window)
    if tray is None:
        return None
    # On a PySide6 release `defer_feature_check` was not read against, its __feature__ check reads the source of
    # every module imported after it into linecache: 5 MB nobody reads again. Dropped now, before the first check,
    # its memory holds the reminders and Babel's data.
    linecache.clearcache()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)  # a dialog closed with no window shown must not quit
    instance.show_requested.connect(lambda: tray.open_window())
    window.built = tray.became
    # Start-up is over: `main` paused the cycle collector, and a tray left running all day must collect again.
    # What start-up made lives as long as the process, so it is frozen out of the collections.
    gc.freeze()
    gc.enable()
    tray.start()
    code = int(app.exec())
    tray.close()
    if window.session is None:
        return code
    window.session.close()
    _restart_if_asked(window.session, instance)
    return window.session.code or code


def main(argv: Sequence[str], start_logging: Callable[[], None] = _no_logging) -> int:
    """The window's entry point; `renewaltracker.__main__` has checked that a display answers and passes
    `start_logging` (the log file), called once the window's rows are on screen or before the tray starts."""
    # Start-up builds long-lived objects only (modules, widgets, the rows), yet the cycle collector scanned them
    # over and over while they were made: 30 ms of the first paint at 1,000 rows, 0.1 s at 10,000. Paused until
    # every feature is built (`_Session.open`), or until the event loop ends if that never happens.
    gc.disable()
    try:
        return _start(argv, start_logging)
    finally:
        gc.enable()


def _start(argv: Sequence[str], start_logging: Callable[[], None]) -> int:
    args: WindowOptions | Namespace | None = window_arguments(argv)
    if args is None:  # not the window's options alone: the full parser says what is wrong (or prints help)
        from renewaltracker.cli import build_parser

        args = build_parser().parse_args(list(argv))
    path = demo_db_path() if args.demo else resolve_db_path(args.db)
    # The frame is drawn in the saved language: read it with sqlite3 alone, before the database is opened.
    install_language(args.lang if args.lang is not None else peek_setting(path, "language"))
    # The read starts before Qt's application object: it reads (its sqlite3 steps and imports) while Qt connects
    # to the display and loads its fonts, not while the frame is being built.
    early = None if args.demo or os.environ.get(IN_TRAY_ENV) else EarlyRows(path)
    app = create_application()
    instance = SingleInstance(path)
    try:
        locked = instance.take_lock()
    except LockUnavailable as error:  # a first start with an unusable data folder: say which, then stop
        tell_cannot_start(str(error))
        return 2
    if not locked:
        instance.ask_running_copy_to_show()
        return 0
    in_tray = bool(os.environ.get(IN_TRAY_ENV)) and _tray_available()
    if in_tray:  # nothing to paint first: the tray answers a second start and logs from the beginning
        instance.listen()
        start_logging()
    elif early is None and not args.demo:  # started at login where no tray is: the window shows after all
        early = EarlyRows(path)
    crashes = CrashHandler()
    crashes.install()
    # At login with a tray: reminders on sqlite3 alone until the window is opened (ui/light_tray.py).
    quietly = _run_in_light_tray(args, path, instance, crashes) if in_tray and not args.demo else None
    if quietly is not None:
        instance.release()
        crashes.uninstall()
        return quietly
    from renewaltracker.ui.main_window import MainWindow  # not for the tray at login

    window = MainWindow(demo=args.demo)
    crashes.parent_window = lambda: window
    session = _Session(args, path, window, instance, early)
    session.start_logging = start_logging
    # Launched at login into a working tray: stay hidden (the tray decides again once it exists).
    if in_tray:
        QTimer.singleShot(0, session.open)
    else:
        session.show_window()
    code = int(app.exec())
    session.close()
    instance.release()
    crashes.uninstall()
    _restart_if_asked(session, instance)
    return session.code or code


def tell_cannot_start(problem: str) -> None:
    """Say why the app cannot start on stderr and in a message box (started from a menu, nobody reads stderr)."""
    from renewaltracker.ui.formatting import first_upper
    from renewaltracker.ui.plain_text import alarm

    sys.stderr.write(_("{prog}: error: {message}").format(prog=APP_ID, message=problem) + "\n")
    alarm(None, APP_NAME, first_upper(problem))  # a clause of the line above; alone in a box, a sentence


def _restart_if_asked(session: _Session, instance: SingleInstance) -> None:
    """Start again if the window asked to, once this run has closed: the new start takes the lock (released
    first) and opens the file in its own words (ui/restart.py)."""
    if session.restart is not None and session.restart.asked:
        instance.release()
        session.restart.run_if_asked()
