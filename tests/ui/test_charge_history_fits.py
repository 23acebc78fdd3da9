"""The detail pane's charge history shows every column whole, without scrolling sideways, in the window's default
size (1280x780, the pane about 420 pixels wide) in English, German and French."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from renewaltracker.domain.clock import FixedClock
from renewaltracker.i18n import install_language
from renewaltracker.services.demo import fill_demo
from renewaltracker.services.secrets import MemorySecretStore
from renewaltracker.ui.app import install_qt_translation
from renewaltracker.ui.composition import Collaborators, build_main_window
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.detail_pane import RISE_MARK
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.main_window import MainWindow
from tests.ui.fakes import FakeNotifier
from tests.ui.waiting import open_details

LOCALES = {"en": "en_US", "de": "de_DE", "fr": "fr_FR"}


# The demo records Netflix's last three charges: in December to February (the French "déc.", "janv.", "févr."),
# and in September to November ("sept.", the widest French month).
@pytest.fixture(params=[datetime(2026, 3, 10, 9, 30), datetime(2026, 11, 30, 9, 30)], ids=["winter", "autumn"])
def clock(request: pytest.FixtureRequest) -> FixedClock:
    return FixedClock(request.param.replace(tzinfo=ZoneInfo("Europe/Berlin")))


@pytest.fixture(params=sorted(LOCALES))
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    install_language(request.param)
    install_qt_translation(qapp, request.param)
    try:
        yield request.param
    finally:
        install_language("en")
        install_qt_translation(qapp, "en")


def test_every_column_of_the_charge_history_is_whole_without_scrolling(
    qtbot: QtBot, context: AppContext, language: str
) -> None:
    fill_demo(context.service)
    frame = MainWindow()
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    formatter = Formatter(LOCALES[language])
    collaborators = Collaborators(MemorySecretStore(), FakeNotifier().factory, formatter, False, lambda: None)
    features = build_main_window(context, collaborators, frame)
    window = features.window
    qtbot.waitUntil(lambda: window.model.loaded and not window.model.loading)
    assert window.size().toTuple() == (1280, 780)  # the default size, nothing remembered
    netflix = next(r.subscription for r in window.model.records() if r.subscription.name == "Netflix Standard")
    assert netflix.id is not None
    open_details(qtbot, window, netflix.id)
    history, charges = window.details.history, window.details.charges
    header = history.horizontalHeader()
    assert charges.rowCount() == 3 and 400 <= window.detail_tabs.width() <= 440

    def fits() -> None:
        assert history.horizontalScrollBar().maximum() == 0
        assert header.length() <= history.viewport().width()
        for column in range(charges.columnCount()):
            need = max(history.sizeHintForColumn(column), header.sectionSizeHint(column))
            assert history.columnWidth(column) >= need, charges.columns[column].key

    qtbot.waitUntil(fits, timeout=2000)
    # The rise is still shown: an arrow by the amount, its figures in the tooltip and for a screen reader.
    amount = charges.column("amount")
    risen = [charges.index(row, amount) for row in range(3) if RISE_MARK in charges.index(row, amount).data()]
    assert len(risen) == 1
    assert re.search(r"\+10[.,]7 %", risen[0].data(Qt.ItemDataRole.ToolTipRole))
    assert RISE_MARK not in risen[0].data(Qt.ItemDataRole.AccessibleTextRole)
    features.close()
