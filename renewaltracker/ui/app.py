"""Starts the desktop app: opens the database, builds the services and shows the main window."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

from renewaltracker import APP_NAME
from renewaltracker.cli import build_parser
from renewaltracker.storage.database import open_database
from renewaltracker.storage.errors import StorageError
from renewaltracker.storage.paths import demo_db_path, resolve_db_path


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    path = demo_db_path() if args.demo else resolve_db_path(args.db)
    try:
        database = open_database(path)
    except StorageError as error:
        QMessageBox.critical(None, APP_NAME, str(error))
        return 2
    window = QMainWindow()
    window.setWindowTitle(APP_NAME)
    window.setCentralWidget(QLabel(f"Database: {database.path}"))
    window.resize(900, 600)
    window.show()
    return int(app.exec())
