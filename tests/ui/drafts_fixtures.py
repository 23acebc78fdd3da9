"""A window with the drafts feature installed over a temporary database, and a subscription to write about."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from renewaltracker.domain.clock import FixedClock
from renewaltracker.services.secrets import MemorySecretStore
from renewaltracker.storage.database import Database
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.drafts import DraftsFeature, install
from renewaltracker.ui.main_window import MainWindow
from tests.factories import make_subscription


@dataclass
class Setup:
    context: AppContext
    window: MainWindow
    feature: DraftsFeature
    subscription_id: int


@pytest.fixture
def setup(qtbot: QtBot, database: Database, clock: FixedClock, secrets: MemorySecretStore) -> Iterator[Setup]:
    context = AppContext.create(database, clock)
    window = MainWindow(context)
    qtbot.addWidget(window)
    feature = install(window, secrets)
    subscription = make_subscription(
        name="Digital",
        vendor="The Magazine",
        support_email="help@magazine.example",
        order_number="ORD-9",
        refund_days=7,
        account="zoë@example.com",
    )
    saved = context.service.add(subscription)
    assert saved.id is not None
    context.service.record_charge(saved.id, date(2026, 3, 3), reference="INV-303")
    context.service.set_setting("user_name", "Zoë Quinn")
    yield Setup(context, window, feature, saved.id)
    feature.signals.detach()
    context.signals.detach()
