"""Starts the desktop app: opens the database, builds the context and shows the main window."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QMessageBox

from renewaltracker import APP_ID, APP_NAME, __version__
from renewaltracker.cli import build_parser
from renewaltracker.domain.clock import SystemClock
from renewaltracker.storage.database import open_database
from renewaltracker.storage.errors import StorageError
from renewaltracker.storage.paths import demo_db_path, resolve_db_path
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.pyside_fixes import pin_singletons
from renewaltracker.ui.single_instance import SingleInstance
from renewaltracker.ui.tray import ReminderTray, start_in_tray
from renewaltracker.ui.tray import install as install_reminders


def create_application() -> QApplication:
    pin_singletons()  # before any signal is emitted
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_ID)
    return app


def build_main_window(context: AppContext) -> MainWindow:
    """The window with every feature installed; tests call this too."""
    window = MainWindow(context)
    # Features add their menus, tabs and tray here, each through its own install function.
    install_reminders(window)
    return window


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    app = create_application()
    path = demo_db_path() if args.demo else resolve_db_path(args.db)
    instance = SingleInstance(path)
    if not instance.acquire():
        return 0  # the running copy was asked to show its window
    try:
        database = open_database(path)
    except StorageError as error:
        QMessageBox.critical(None, APP_NAME, str(error))
        return 2
    context = AppContext.create(database, SystemClock(), demo=args.demo)
    window = build_main_window(context)
    instance.show_requested.connect(window.show_and_raise)
    tray = window.findChild(ReminderTray)
    if tray is not None:
        tray.scheduler.watch_logind()
        tray.start()
    if tray is None or not start_in_tray(tray):
        window.show()
    code = int(app.exec())
    if tray is not None:
        tray.notifier.close()
    instance.release()
    database.close()
    return code
