"""The Contacts and Requests tabs read on their own worker, only while in front, and a newer selection wins."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.domain.requests import RequestKind
from renewaltracker.services.requests import RequestService, RequestsOverview
from renewaltracker.ui.composition import Features
from renewaltracker.ui.contact_log import ContactLogWidget
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.requests_view import RequestsTab
from tests.factories import make_subscription
from tests.ui.waiting import details_shown, front_tab, tab_read


def _two(features: Features) -> tuple[int, int]:
    """Alpha and Beta, each with a request and a contact about it that name their subscription."""
    window = features.window
    requests = RequestService(window.context.database, window.context.clock)
    ids = []
    for name in ("Alpha", "Beta"):
        saved = window.context.service.add(make_subscription(name=name))
        assert saved.id is not None
        request = requests.open(saved.id, RequestKind.REFUND)
        at = datetime(2026, 3, 1, 9, tzinfo=UTC)
        features.letters.contacts.add(
            Contact(saved.id, at, Channel.PHONE, summary=f"{name} call", request_id=request.id)
        )
        ids.append(saved.id)
    window.load()
    return ids[0], ids[1]


def _tabs(features: Features) -> tuple[ContactLogWidget, RequestsTab]:
    tabs = features.window.detail_tabs
    widgets = [tabs.widget(i) for i in range(tabs.count())]
    (requests,) = [w for w in widgets if isinstance(w, RequestsTab)]
    return features.letters.contact_tab, requests


def _texts(tab: ContactLogWidget | RequestsTab) -> str:
    """Everything the tab shows: its rows and, for Requests, the selected request's contacts."""
    if isinstance(tab, ContactLogWidget):
        return " ".join(str(tab.model.index(row).data()) for row in range(tab.model.rowCount()))
    return " ".join(str(contact) for contact in [tab.contacts.text(), *map(repr, tab.model.records())])


def _hold(features: Features, tab: ContactLogWidget | RequestsTab, monkeypatch: pytest.MonkeyPatch, held: int) -> Any:
    """Make the tab's read of `held` wait for the returned event; records the threads every read ran on."""
    release, started = threading.Event(), threading.Event()
    threads: list[threading.Thread] = []
    service: Any = features.letters.contacts if isinstance(tab, ContactLogWidget) else tab.requests
    name = "list_for" if isinstance(tab, ContactLogWidget) else "overview"
    real = getattr(service, name)

    def holding(subscription_id: int) -> Any:
        threads.append(threading.current_thread())
        if subscription_id == held:
            started.set()
            release.wait(5)
        return real(subscription_id)

    monkeypatch.setattr(service, name, holding)
    return release, started, threads


def _pair_and_tab(features: Features, which: str) -> tuple[int, int, ContactLogWidget | RequestsTab, MainWindow]:
    """Two subscriptions, the detail tab named by `which` ("contacts" or "requests") and the window."""
    alpha, beta = _two(features)
    contacts, requests = _tabs(features)
    return alpha, beta, contacts if which == "contacts" else requests, features.window


@pytest.mark.parametrize("which", ["contacts", "requests"])
def test_selecting_a_then_b_quickly_ends_on_b_and_never_shows_a(
    qtbot: QtBot, features: Features, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    alpha, beta, tab, window = _pair_and_tab(features, which)
    front_tab(qtbot, window, tab)
    release, started, threads = _hold(features, tab, monkeypatch, alpha)
    window.open_subscription(alpha)
    qtbot.waitUntil(started.is_set)  # Alpha's read is under way on the worker, and held there
    window.open_subscription(beta)
    assert "Alpha" not in _texts(tab) and "Beta" not in _texts(tab)  # nothing of another subscription meanwhile
    if isinstance(tab, RequestsTab):  # meanwhile a request can be opened for Beta, and none resolved
        assert tab.open_button.isEnabled() and not tab.resolve_button.isEnabled()
    else:  # a contact can be logged for Beta; "no contacts yet" waits for the read to say so
        assert tab.add_button.isEnabled() and tab.empty.isHidden()
    seen: list[str] = []
    shown = tab.model.modelReset
    shown.connect(lambda: seen.append(_texts(tab)))  # every set of rows the tab puts up from here on
    release.set()
    tab_read(qtbot, tab)
    details_shown(qtbot, window)
    assert seen and not any("Alpha" in text for text in seen), seen
    assert "Beta call" in _texts(tab) and "Alpha" not in _texts(tab)
    assert threads and all(thread is not threading.main_thread() for thread in threads)


@pytest.mark.parametrize("which", ["contacts", "requests"])
def test_a_hidden_tab_reads_only_when_brought_to_the_front(
    qtbot: QtBot, features: Features, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    alpha, beta, tab, window = _pair_and_tab(features, which)
    assert window.detail_tabs.currentWidget() is window.details
    _release, _started, threads = _hold(features, tab, monkeypatch, 0)
    for subscription_id in (alpha, beta, alpha, beta):
        window.open_subscription(subscription_id)
        details_shown(qtbot, window)
    assert threads == [], "a hidden tab read rows nobody sees"
    assert tab.reads.waiting and "Alpha" not in _texts(tab)
    front_tab(qtbot, window, tab)
    assert len(threads) == 1 and threads[0] is not threading.main_thread()
    assert "Beta call" in _texts(tab) and "Alpha" not in _texts(tab)
    # In front, a change to the shown subscription is read again at once; a change elsewhere is not read.
    features.letters.contacts.add(Contact(beta, datetime(2026, 3, 2, 9, tzinfo=UTC), Channel.CHAT, summary="Beta 2"))
    tab_read(qtbot, tab)
    assert len(threads) == 2 and ("Beta 2" in _texts(tab) or which == "requests")
    features.letters.contacts.add(Contact(alpha, datetime(2026, 3, 2, 9, tzinfo=UTC), Channel.CHAT))
    tab_read(qtbot, tab)
    assert len(threads) == 2


def test_the_requests_tab_shows_a_requests_contacts_without_reading(
    qtbot: QtBot, features: Features, monkeypatch: pytest.MonkeyPatch
) -> None:
    _alpha, beta = _two(features)
    requests = RequestService(features.window.context.database, features.window.context.clock)
    requests.open(beta, RequestKind.DISPUTE)
    _contacts, tab = _tabs(features)
    front_tab(qtbot, features.window, tab)
    features.window.open_subscription(beta)
    tab_read(qtbot, tab)
    assert isinstance(tab.overview, RequestsOverview) and tab.model.rowCount() == 2
    for name in ("all", "charge", "contacts", "overview"):
        monkeypatch.setattr(tab.requests, name, lambda *args: pytest.fail("read on the GUI thread"))
    texts = []
    for row in range(2):
        tab.table.selectRow(row)
        texts.append(tab.contacts.text())
    assert any("Beta call" in text for text in texts) and any("No contacts logged" in text for text in texts)


@pytest.mark.parametrize("which", ["contacts", "requests"])
def test_a_read_under_way_is_dropped_when_the_selection_moves_on_behind_the_tab(
    qtbot: QtBot, features: Features, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    alpha, beta, tab, window = _pair_and_tab(features, which)
    front_tab(qtbot, window, tab)
    window.open_subscription(beta)
    tab_read(qtbot, tab)
    release, started, threads = _hold(features, tab, monkeypatch, alpha)
    window.open_subscription(alpha)
    assert "Beta" not in _texts(tab), "another subscription's rows stayed up while Alpha's were read"
    qtbot.waitUntil(started.is_set)
    window.detail_tabs.setCurrentWidget(window.details)
    window.open_subscription(beta)  # behind the tab: nothing is read until it is in front again
    release.set()
    qtbot.waitUntil(lambda: not tab.reads.busy)
    assert "Alpha" not in _texts(tab) and len(threads) == 1
    front_tab(qtbot, window, tab)
    assert "Beta call" in _texts(tab) and "Alpha" not in _texts(tab) and len(threads) == 2


def test_with_nothing_selected_the_tabs_offer_nothing_to_act_on(features: Features) -> None:
    contacts, requests = _tabs(features)
    assert not requests.open_button.isEnabled() and not requests.resolve_button.isEnabled()
    assert not contacts.add_button.isEnabled() and "Select a subscription" in contacts.empty.text()
