"""Starts the desktop app: opens the database, builds the context and shows the main window."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from renewaltracker import APP_ID, APP_NAME, __version__
from renewaltracker.cli import build_parser
from renewaltracker.domain.clock import SystemClock
from renewaltracker.i18n import current_language, install_language
from renewaltracker.services.demo import fill_demo
from renewaltracker.storage.database import GUI_BUSY_TIMEOUT, open_database
from renewaltracker.storage.errors import StorageError
from renewaltracker.storage.paths import demo_db_path, resolve_db_path
from renewaltracker.ui.composition import Collaborators, build_main_window
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.crash import CrashHandler
from renewaltracker.ui.icons import icon
from renewaltracker.ui.pyside_fixes import pin_singletons
from renewaltracker.ui.single_instance import SingleInstance


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


def main(argv: Sequence[str]) -> int:
    """The window's entry point; `renewaltracker.__main__` has checked that a display answers."""
    args = build_parser().parse_args(list(argv))
    install_language(args.lang or "")  # an unknown language shows English
    app = create_application()
    path = demo_db_path() if args.demo else resolve_db_path(args.db)
    instance = SingleInstance(path)
    if not instance.acquire():
        return 0  # the running copy was asked to show its window
    crashes = CrashHandler()
    crashes.install()
    try:
        database = open_database(path, busy_timeout=GUI_BUSY_TIMEOUT)
    except StorageError as error:
        QMessageBox.critical(None, APP_NAME, str(error))
        return 2
    context = AppContext.create(database, SystemClock(), demo=args.demo)
    context.signals.watch(path)  # changes by the CLI, cron or another window show within a second
    if args.lang is None and context.service.setting("language"):
        install_qt_translation(app, install_language(context.service.setting("language")))
    if args.demo and not context.service.all():
        fill_demo(context.service)
    features = build_main_window(context, Collaborators.system())
    window = features.window
    crashes.parent_window = lambda: window
    instance.show_requested.connect(window.show_and_raise)
    if features.start():
        window.show()
    code = int(app.exec())
    features.close()
    instance.release()
    context.signals.detach()
    crashes.uninstall()
    database.close()
    return code
