"""Fixtures for widget tests: an AppContext over the test database, fake collaborators, and the real window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from renewaltracker.domain.clock import FixedClock
from renewaltracker.services.secrets import MemorySecretStore
from renewaltracker.storage.database import Database
from renewaltracker.ui.composition import Collaborators, Features, build_main_window
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.pyside_fixes import pin_singletons
from tests.ui.fakes import FakeNotifier

# pytest-qt builds its own QApplication, not through create_application(), so pin here as the app does.
pin_singletons()


@pytest.fixture(autouse=True)
def window_settings_in_tmp(tmp_path: Path) -> None:
    """Qt caches its settings folder for the whole process; point it at this test's folder."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def context(database: Database, clock: FixedClock) -> Iterator[AppContext]:
    app_context = AppContext.create(database, clock)
    yield app_context
    app_context.signals.detach()


@pytest.fixture
def formatter() -> Formatter:
    return Formatter("en_US")


@pytest.fixture
def secrets() -> MemorySecretStore:
    return MemorySecretStore()


@pytest.fixture
def notifier() -> FakeNotifier:
    return FakeNotifier()


@pytest.fixture
def collaborators(secrets: MemorySecretStore, notifier: FakeNotifier, formatter: Formatter) -> Collaborators:
    """Fakes for everything outside the process; offscreen there is no tray, and quitting does nothing."""
    return Collaborators(secrets, notifier.factory, formatter, tray_available=False, quit_app=lambda: None)


@pytest.fixture
def features(qtbot: QtBot, context: AppContext, collaborators: Collaborators) -> Features:
    """The whole app window as `main` builds it, over fakes; not shown."""
    built = build_main_window(context, collaborators)
    qtbot.addWidget(built.window)
    return built


@pytest.fixture
def window(qtbot: QtBot, context: AppContext, formatter: Formatter) -> MainWindow:
    main_window = MainWindow(context, formatter=formatter)
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    qtbot.waitUntil(lambda: main_window.model.loaded)
    return main_window
