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
from renewaltracker.ui import calendar_actions
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.main_window import MainWindow


def create_application() -> QApplication:
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
    calendar_actions.install(window)
    return window


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    app = create_application()
    path = demo_db_path() if args.demo else resolve_db_path(args.db)
    try:
        database = open_database(path)
    except StorageError as error:
        QMessageBox.critical(None, APP_NAME, str(error))
        return 2
    context = AppContext.create(database, SystemClock(), demo=args.demo)
    window = build_main_window(context)
    window.show()
    code = int(app.exec())
    database.close()
    return code
