"""The window and every dialog fit the screen they open on, with their buttons reachable and their labels whole: on
small laptop screens, with a large desktop font, and with German and French words, longer than English ones."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QRect, QSize, Qt, QThreadPool
from PySide6.QtGui import QFont, QScreen
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

import renewaltracker.ui
from renewaltracker.domain.clock import FixedClock
from renewaltracker.i18n import install_language
from renewaltracker.services.secrets import MemorySecretStore
from renewaltracker.services.statement_import import StatementImporter
from renewaltracker.storage.database import open_database
from renewaltracker.ui.app import install_qt_translation
from renewaltracker.ui.composition import Collaborators, Features, build_main_window
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.screen_fit import FittedDialog, fitted
from renewaltracker.ui.statement_import import StatementImportDialog
from tests.factories import make_subscription
from tests.ui.fakes import FakeNotifier
from tests.ui.test_translated_window import screens

STATEMENT = Path(__file__).parents[1] / "fixtures" / "statements" / "bank-de-cp1252.csv"
# What a desktop panel and a title bar take from a screen's height.
DECORATION = 64
# The smallest screen each look is used on: a 1024×600 netbook at the usual font; a 14 pt desktop font on 1366×768.
SMALLEST = {0: QSize(1024, 600 - DECORATION), 14: QSize(1366, 768 - DECORATION)}
SMALL_SCREEN = {0: "netbook", 14: "laptop"}  # tests/fixtures/offscreen-screens.json
LOCALES = {"en": "en_US", "de": "de_DE", "fr": "fr_FR"}

sizes = st.integers(1, 4000)
rects = st.builds(QRect, st.integers(-3000, 3000), st.integers(-3000, 3000), sizes, sizes)


@given(rects, rects, st.integers(0, 4000), st.integers(0, 4000))
def test_a_fitted_window_lies_inside_the_screen_and_keeps_what_fits(
    wanted: QRect, available: QRect, min_width: int, min_height: int
) -> None:
    minimum = QSize(min(min_width, available.width()), min(min_height, available.height()))
    placed = fitted(wanted, minimum, available)
    assert available.contains(placed)
    assert placed.width() >= minimum.width() and placed.height() >= minimum.height()
    assert placed.width() == max(minimum.width(), min(wanted.width(), available.width()))
    assert placed.height() == max(minimum.height(), min(wanted.height(), available.height()))
    if available.contains(wanted) and wanted.width() >= minimum.width() and wanted.height() >= minimum.height():
        assert placed == wanted  # a window that fits stays where it is, as large as it is


def screen_named(name: str) -> QScreen:
    return next(screen for screen in QApplication.screens() if screen.name() == name)


def test_a_first_start_opens_inside_the_screen(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.setScreen(screen_named("netbook"))
    window.move(screen_named("netbook").geometry().topLeft())
    window.show()
    qtbot.waitExposed(window)
    assert window.screen().availableGeometry().contains(window.frameGeometry())


@pytest.fixture(params=[("en", 0), ("de", 0), ("fr", 0), ("en", 14), ("de", 14), ("fr", 14)], ids=str)
def looks(request: pytest.FixtureRequest, qapp: QApplication, tmp_path: Path) -> Iterator[tuple[Features, int]]:
    """The whole window in a language and at a desktop font size (0: the usual one), over one charged renewal."""
    language, points = request.param
    font = qapp.font()
    if points:
        larger = QFont(font)
        larger.setPointSize(points)
        qapp.setFont(larger)
    install_language(language)
    install_qt_translation(qapp, language)
    database = open_database(tmp_path / "fit.sqlite3")
    context = AppContext.create(database, FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))))
    saved = context.service.add(
        make_subscription(name="Gym", vendor="Acme", amount=Decimal("30"), anchor=date(2026, 1, 5), refund_days=60)
    )
    assert saved.id is not None
    context.service.record_charge(saved.id, date(2026, 2, 5))
    collaborators = Collaborators(
        MemorySecretStore(),
        FakeNotifier().factory,
        Formatter(LOCALES[language]),
        tray_available=False,
        quit_app=lambda: None,
    )
    features = build_main_window(context, collaborators)
    features.window.open_subscription(saved.id)
    small = screen_named(SMALL_SCREEN[points])  # the dialogs open over the window, on its screen
    features.window.hide()  # shown again there, as a start on that screen shows it
    features.window.setScreen(small)
    features.window.move(small.geometry().topLeft())
    try:
        yield features, points
    finally:
        features.window.close()
        features.close()
        context.signals.detach()
        qapp.setFont(font)
        install_language("en")
        install_qt_translation(qapp, "en")


def test_the_window_shrinks_to_the_smallest_screen_on_every_tab(looks: tuple[Features, int]) -> None:
    features, points = looks
    window = features.window
    window.show()
    too_large = {}
    for index in range(window.views.count()):
        window.views.setCurrentIndex(index)
        QApplication.processEvents()
        least = window.minimumSizeHint().expandedTo(window.minimumSize())
        if least.width() > SMALLEST[points].width() or least.height() > SMALLEST[points].height():
            too_large[window.views.tabText(index)] = least.toTuple()
    assert not too_large, f"cannot shrink to {SMALLEST[points].toTuple()}: {too_large}"


def _statement_import(features: Features) -> QWidget:
    importer = StatementImporter(features.window.context.service)
    dialog = StatementImportDialog(importer, features.window.formatter, QThreadPool.globalInstance(), features.window)
    dialog.open_file(STATEMENT)
    dialog.show()
    QThreadPool.globalInstance().waitForDone(10000)
    QApplication.processEvents()
    return dialog


def _mnemonic_free(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _in_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent is not None


def misfits(widget: QWidget, smallest: QSize) -> list[str]:
    """A shown window's least size beyond the smallest screen; what of it lies off its screen where it could fit;
    its one-line plain labels narrower than their text."""
    available = widget.screen().availableGeometry()
    frame = widget.frameGeometry().size() - widget.geometry().size()
    least = widget.minimumSizeHint().expandedTo(widget.minimumSize()) + frame
    found = [] if least.boundedTo(smallest) == least else [f"at least {least.toTuple()}"]
    placeable = least.boundedTo(available.size()) == least  # else the test's screen is smaller than the smallest
    if placeable and not available.contains(widget.frameGeometry()):
        found.append(f"window {widget.frameGeometry().getRect()}")
    for child in widget.findChildren(QWidget):
        if not child.isVisibleTo(widget):
            continue
        scrolled = _in_scroll_area(child)  # reached by scrolling
        if placeable and not scrolled and isinstance(child, QAbstractButton) and child.text():
            corner = child.mapToGlobal(child.rect().bottomRight())
            if not (available.contains(child.mapToGlobal(child.rect().topLeft())) and available.contains(corner)):
                found.append(f"button {child.text()!r} off the screen")
        plain = isinstance(child, QLabel) and child.textFormat() != Qt.TextFormat.RichText and "<" not in child.text()
        if isinstance(child, QLabel) and plain and not child.wordWrap() and child.text():
            lines = _mnemonic_free(child.text()).split("\n")
            needed = max(child.fontMetrics().horizontalAdvance(line) for line in lines)
            if needed > child.contentsRect().width():
                found.append(f"label {child.text()!r} {needed} px in {child.contentsRect().width()} px")
    return found


def test_every_dialog_opens_inside_the_screen_with_its_buttons_and_labels_whole(
    qtbot: QtBot, looks: tuple[Features, int]
) -> None:
    features, points = looks
    opened = {name: screen for name, screen in screens().items() if name != "household"}
    opened["statement import"] = _statement_import
    problems = {}
    for name, screen in opened.items():
        widget = screen(features)
        if widget.parent() is None:
            widget.setScreen(features.window.screen())
            widget.move(features.window.screen().geometry().topLeft())
        widget.show()
        qtbot.waitExposed(widget)
        QApplication.processEvents()
        problems[name] = misfits(widget, SMALLEST[points])
        widget.close()
    assert not {name: found for name, found in problems.items() if found}


def test_every_dialog_of_the_app_fits_itself_to_the_screen() -> None:
    for info in pkgutil.iter_modules(renewaltracker.ui.__path__, "renewaltracker.ui."):
        importlib.import_module(info.name)
    pending, dialogs = [QDialog], []
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("renewaltracker.ui."):
                dialogs.append(subclass)
    assert len(dialogs) >= 16
    assert not [d.__qualname__ for d in dialogs if not issubclass(d, FittedDialog)]
