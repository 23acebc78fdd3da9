"""The Requests tab by keyboard and context menu, its texts in the interface language, and the contact dialog's
choice of request."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.requests import Outcome, RequestKind
from renewaltracker.i18n import _, install_language
from renewaltracker.services.requests import RequestService
from renewaltracker.ui import requests_view
from renewaltracker.ui.composition import Features
from renewaltracker.ui.contact_log import ContactDialog
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.requests_view import RequestsTab
from tests.factories import make_subscription
from tests.ui.waiting import front_tab, requests_tab, tab_read


@pytest.fixture
def german() -> Iterator[None]:
    install_language("de")
    yield
    install_language("en")


def subscription_with_requests(
    qtbot: QtBot, features: Features, clock: FixedClock, *kinds: RequestKind
) -> tuple[int, RequestsTab]:
    """A subscription with requests of these kinds, shown in the Requests tab (brought to the front)."""
    service = features.window.context.service
    saved = service.add(make_subscription(name="Gym", amount=Decimal("30"), anchor=date(2026, 1, 5)))
    assert saved.id is not None
    requests = RequestService(features.window.context.database, clock)
    for kind in kinds:
        requests.open(saved.id, kind)
    tab = requests_tab(features)
    tab.set_subscription(saved.id)
    front_tab(qtbot, features.window, tab)
    return saved.id, tab


def answer_items(monkeypatch: pytest.MonkeyPatch, *choices: str) -> list[list[str]]:
    """Answers the tab's item prompts with `choices` in turn; returns the options each question offered."""
    offered: list[list[str]] = []
    answers = iter(choices)

    def get_item(parent: object, title: str, label: str, items: list[str], *rest: object) -> tuple[str, bool]:
        offered.append(list(items))
        return next(answers), True

    monkeypatch.setattr(requests_view, "ask_item", get_item)
    return offered


def test_insert_in_the_table_opens_a_request_and_enter_resolves_it(
    qtbot: QtBot, features: Features, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid, tab = subscription_with_requests(qtbot, features, clock)
    offered = answer_items(monkeypatch, "Cancellation", "Lost")
    features.window.show()
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Insert)
    requests = RequestService(features.window.context.database, clock)
    (opened,) = requests.all(sid)
    assert opened.kind is RequestKind.CANCEL and not opened.is_resolved
    assert "Cancellation" in offered[0] and "Price objection" in offered[0]
    tab_read(qtbot, tab)
    tab.table.selectRow(0)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert requests.get(opened.id or 0).outcome is Outcome.LOST
    tab_read(qtbot, tab)
    assert tab.model.data(tab.model.index(0, 3)) == "Resolved: lost"
    assert features.window.context.service.get(sid).name == "Gym", "Enter did not reach the window's editor"


def test_the_context_menu_opens_each_kind_and_resolves_only_an_open_request(
    qtbot: QtBot, features: Features, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid, tab = subscription_with_requests(qtbot, features, clock, RequestKind.REFUND)
    tab.table.selectRow(0)
    menu = tab.menu()
    opening, resolve = (a for a in menu.actions() if a.text())
    assert opening.menu() is not None
    kinds = [a.text() for a in opening.menu().actions()]  # type: ignore[union-attr]
    assert kinds == [kind.label.capitalize() for kind in RequestKind]
    assert resolve.isEnabled()
    dispute = next(a for a in opening.menu().actions() if a.text() == "Dispute")  # type: ignore[union-attr]
    dispute.trigger()
    assert sorted(r.kind.value for r in RequestService(features.window.context.database, clock).all(sid)) == [
        "dispute",
        "refund",
    ]
    answer_items(monkeypatch, "Dropped", "Dropped")
    tab_read(qtbot, tab)
    for row in range(tab.model.rowCount()):
        tab.table.selectRow(row)
        tab._ask_resolve()
        tab_read(qtbot, tab)
    tab.table.selectRow(0)
    assert not next(a for a in tab.menu().actions() if a.text() == "&Resolve…").isEnabled()


def test_the_tab_speaks_the_interface_language(
    qtbot: QtBot, features: Features, clock: FixedClock, german: None
) -> None:
    sid, tab = subscription_with_requests(qtbot, features, clock, RequestKind.REFUND)
    requests = RequestService(features.window.context.database, clock)
    (request,) = requests.all(sid)
    requests.resolve(request.id or 0, Outcome.WON, Decimal("30"))
    tab.refresh()
    tab_read(qtbot, tab)
    tab.table.selectRow(0)
    assert tab.model.data(tab.model.index(0, 1)) == "Erstattung"
    state = tab.model.data(tab.model.index(0, 3))
    assert state.startswith("Erledigt: gewonnen") and "zurück" in state
    assert f"Anliegen Nr. {request.id}: Erstattung" in tab.contacts.text()
    assert "request" not in tab.contacts.text()


def test_the_contact_dialog_preselects_the_newest_unresolved_request(
    qtbot: QtBot, features: Features, clock: FixedClock
) -> None:
    sid, _tab = subscription_with_requests(qtbot, features, clock, RequestKind.REFUND, RequestKind.DISPUTE)
    requests = RequestService(features.window.context.database, clock)
    refund, dispute = sorted(requests.all(sid), key=lambda r: r.id or 0)
    requests.resolve(dispute.id or 0, Outcome.LOST)
    dialog = ContactDialog(features.letters.contacts, clock, sid, parent=features.window)
    qtbot.addWidget(dialog)
    assert dialog.request.currentData() == refund.id, "the resolved dispute is newer but not preselected"
    texts = [dialog.request.itemText(i) for i in range(dialog.request.count())]
    assert texts[0] == "No request" and any("dispute (lost" in text for text in texts)


@pytest.mark.parametrize(("language", "locale"), [("en", "en_US"), ("de", "de_DE"), ("fr", "fr_FR")])
def test_the_state_column_shows_its_longest_text_whole_in_every_language(
    qtbot: QtBot, context: AppContext, clock: FixedClock, language: str, locale: str
) -> None:
    install_language(language)
    try:
        service = context.service
        saved = service.add(make_subscription(name="Reader", amount=Decimal("39.99"), anchor=date(2026, 1, 5)))
        assert saved.id is not None
        charge = service.record_charge(saved.id, date(2026, 3, 5))
        requests = RequestService(context.database, clock)
        refund = requests.open(saved.id, RequestKind.REFUND, charge.id)
        service.refund_charge(saved.id, charge.id or 0, on=date(2026, 3, 9))
        assert refund.id is not None
        requests.resolve(refund.id, Outcome.WON)
        requests.open(saved.id, RequestKind.CANCEL)
        tab = RequestsTab(context, requests, Formatter(locale))
        qtbot.addWidget(tab)
        tab.set_subscription(saved.id)
        tab.show()
        tab_read(qtbot, tab)
        state = tab.model.column("state")
        longest = max((tab.model.index(row, state).data() for row in range(2)), key=len)
        money_back = tab.formatter.money(Decimal("39.99"), saved.currency)
        assert longest == _("Resolved: {outcome}, {amount} back").format(outcome=Outcome.WON.label, amount=money_back)
        # From the narrowest pane to a wide one (the window's detail pane starts at 420 pixels).
        for width in (260, 420, 640, 900):
            tab.resize(width, 400)
            qtbot.waitUntil(lambda: tab.table.columnWidth(state) >= tab.table.sizeHintForColumn(state))
            text = tab.table.fontMetrics().horizontalAdvance(longest)
            assert tab.table.columnWidth(state) > text
    finally:
        install_language("en")


def test_german_nouns_keep_their_capitals_in_the_tab(
    qtbot: QtBot, features: Features, clock: FixedClock, german: None
) -> None:
    """Only the first letter is raised: "Einspruch gegen den Preis", never "Einspruch gegen den preis"."""
    _sid, tab = subscription_with_requests(qtbot, features, clock, RequestKind.PRICE)
    tab_read(qtbot, tab)
    assert tab.model.data(tab.model.index(0, 1)) == "Einspruch gegen den Preis"
    menus = [tab.menu()]
    offered = []
    while menus:
        for action in menus.pop().actions():
            offered.append(action.text())
            if action.menu() is not None:
                menus.append(action.menu())
    assert "Einspruch gegen den Preis" in offered
