"""The seed story in the window: record the charge, draft and record a refund request, log the call with its
promise, the follow-up reminder and letter, then the refund, and the savings it shows; plus the charge history's
keys and menu."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.drafts import DraftKind
from renewaltracker.domain.requests import Outcome
from renewaltracker.domain.subscription import ChargeStatus
from renewaltracker.services.attachments import AttachmentService
from renewaltracker.services.requests import RequestService
from renewaltracker.ui import charge_history
from renewaltracker.ui.composition import Features
from renewaltracker.ui.contact_log import ContactDialog
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.notifier import NoticeAction
from renewaltracker.ui.requests_view import RequestsTab
from tests.factories import make_subscription
from tests.ui.fakes import FakeNotifier
from tests.ui.waiting import details_shown, front_tab, open_details, tab_read

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every yes/no question asked, answered yes."""
    asked: list[str] = []

    def yes(parent: object, title: str, question: str) -> bool:
        asked.append(question)
        return True

    monkeypatch.setattr(charge_history, "ask_yes_no", yes)
    monkeypatch.setattr("renewaltracker.ui.detail_pane.ask_yes_no", yes)
    return asked


def requests_tab(features: Features) -> RequestsTab:
    tabs = features.window.detail_tabs
    found = [tabs.widget(i) for i in range(tabs.count()) if isinstance(tabs.widget(i), RequestsTab)]
    assert len(found) == 1
    tab = found[0]
    assert isinstance(tab, RequestsTab)
    return tab


def test_the_seed_story_in_the_window(
    qtbot: QtBot, features: Features, clock: FixedClock, notifier: FakeNotifier, answers: list[str]
) -> None:
    window, service = features.window, features.window.context.service
    magazine = service.add(
        make_subscription(
            name="Monthly Reader",
            vendor="Acme Magazines",
            amount=Decimal("39.99"),
            currency="USD",
            anchor=date(2025, 3, 10),
            refund_days=3,
            support_email="help@acme.example",
        )
    )
    assert magazine.id is not None
    sid = magazine.id
    open_details(qtbot, window, sid)
    details = window.details
    assert details.record_charge(reference="INV-778")
    (charge,) = service.charges(sid)
    assert (charge.amount, charge.reference) == (Decimal("39.99"), "INV-778")

    # Draft the refund email and record it: a refund request opens, about that charge.
    dialog = features.letters.open_draft(DraftKind.REFUND, sid)
    assert dialog is not None
    assert dialog.record_contact() is not None
    dialog.close()
    requests = RequestService(window.context.database, clock)
    (request,) = requests.all(sid)
    assert (request.kind.value, request.charge_id, request.amount) == ("refund", charge.id, Decimal("39.99"))

    # The call: a case number and a promise, with a follow-up a week later, logged under the request.
    clock.set(datetime(2026, 3, 11, 15, 0, tzinfo=BERLIN))
    call = ContactDialog(features.letters.contacts, clock, sid, parent=window)
    qtbot.addWidget(call)
    assert call.request.currentData() == request.id, "the open request is preselected"
    call.channel.setCurrentIndex(call.channel.findData("phone"))
    call.case_number.setText("CS-4471")
    call.agent.setText("Dana")
    call.summary.setPlainText("Called about the refund")
    call.outcome.setPlainText("Refund approved")
    call.promised.setText("the refund within 5 business days")
    call.has_promised_by.setChecked(True)
    call.promised_by.setDate(QDate(2026, 3, 18))
    call.has_follow_up.setChecked(True)
    call.follow_up.setDate(QDate(2026, 3, 18))
    call.save()
    assert call.saved is not None and call.saved.request_id == request.id

    tab = requests_tab(features)
    tab.set_subscription(sid)
    front_tab(qtbot, window, tab)
    assert "CS-4471" in tab.contacts.text() and "Promised: the refund within 5 business days" in tab.contacts.text()

    # A week later, after two days away, the follow-up reminder is caught up and offers the follow-up letter.
    clock.set(datetime(2026, 3, 20, 9, 30, tzinfo=BERLIN))
    features.tray.start()
    qtbot.waitUntil(lambda: not features.tray.scheduler.busy, timeout=5000)
    features.tray.scheduler.check_now()
    qtbot.waitUntil(lambda: not features.tray.scheduler.busy, timeout=5000)
    follow_ups = [(n, a) for n, a in notifier.shown if "Follow up with Monthly Reader" in n.title]
    assert follow_ups, [n.title for n, _ in notifier.shown]
    assert NoticeAction.FOLLOW_UP in follow_ups[0][1]
    letter = features.letters.open_draft(DraftKind.FOLLOW_UP, sid)
    assert letter is not None
    body = letter.draft().body
    for quoted in (
        "CS-4471",
        "a refund of $39.99 for the charge of $39.99 on 10 March 2026",
        "Dana",
        "by 18 March 2026",
        "Please refund the $39.99 now",
    ):
        assert quoted in body, quoted
    letter.close()

    # The money comes back: marked refunded from the charge history's menu, the request resolved as won.
    details_shown(qtbot, window)
    history = details.history_actions
    details.history.selectRow(0)
    history.mark_refunded(history.selected() or charge, "39.99")
    assert service.charges(sid)[0].status is ChargeStatus.REFUNDED
    tab.refresh()
    tab_read(qtbot, tab)
    tab.table.selectRow(0)
    assert tab.resolve(Outcome.WON) is not None
    with qtbot.waitSignal(window.spending.background.applied):
        window.spending.refresh()
    assert "$39.99" in window.spending.savings_label.text()
    assert window.spending.savings.rowCount() == 1


def test_del_in_the_charge_history_deletes_the_charge_never_the_subscription(
    qtbot: QtBot, features: Features, answers: list[str]
) -> None:
    window, service = features.window, features.window.context.service
    saved = service.add(make_subscription(name="Gym", anchor=date(2026, 1, 5)))
    assert saved.id is not None
    service.record_charge(saved.id, date(2026, 2, 5))
    window.show()
    open_details(qtbot, window, saved.id)
    view = window.details.history
    view.selectRow(0)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert len(answers) == 1 and "The subscription stays" in answers[0]
    assert service.charges(saved.id) == []
    assert service.get(saved.id).name == "Gym"


def test_the_history_menu_offers_edit_refund_dispute_and_delete(
    qtbot: QtBot, features: Features, answers: list[str]
) -> None:
    window, service = features.window, features.window.context.service
    saved = service.add(make_subscription(name="Gym", amount=Decimal("30"), anchor=date(2026, 1, 5)))
    assert saved.id is not None
    service.record_charge(saved.id, date(2026, 2, 5))
    open_details(qtbot, window, saved.id)
    window.details.history.selectRow(0)
    actions = window.details.history_actions
    labels = [a.text() for a in actions.menu().actions() if a.text()]
    assert labels == [
        "&Edit…",
        "Mark &refunded…",
        "Mark &disputed",
        "Mark &charged",
        "Attach &file…",
        "De&lete charge…",
    ]
    charge = actions.selected()
    assert charge is not None
    # A new amount offers to become the plan's price from that date on.
    actions.apply_edit(charge, {"date": date(2026, 2, 5), "amount": Decimal("35.00"), "reference": "R-1"})
    assert "Make $35.00 its price" in answers[-1]
    assert service.get(saved.id).amount == Decimal("35.00")
    prices = service.prices(saved.id)
    assert prices.price_on(date(2026, 1, 5)) == Decimal("30.00") and prices.price_on(date(2026, 2, 5)) == Decimal("35")


def test_the_history_menu_attaches_a_file_to_the_selected_charge(
    qtbot: QtBot, features: Features, tmp_path: Path
) -> None:
    window, service = features.window, features.window.context.service
    saved = service.add(make_subscription(name="Gym", anchor=date(2026, 1, 5)))
    assert saved.id is not None
    charge = service.record_charge(saved.id, date(2026, 2, 5))
    receipt = tmp_path / "gym-invoice.pdf"
    receipt.write_bytes(b"%PDF invoice\x00\xff")
    open_details(qtbot, window, saved.id)
    window.details.history.selectRow(0)
    actions = window.details.history_actions
    reports: list[str] = []
    actions.report = reports.append
    asked: list[object] = []
    actions.choose_file = lambda parent: asked.append(parent) or str(receipt)
    attach = next(a for a in actions.menu().actions() if a.text() == "Attach &file…")
    assert attach.isEnabled()
    attach.trigger()
    assert asked == [window.details.history]
    files = AttachmentService(service).list_for(saved.id)
    assert [(f.charge_id, f.original_name, f.path.read_bytes()) for f in files] == [
        (charge.id, "gym-invoice.pdf", b"%PDF invoice\x00\xff")
    ]
    assert reports == ["Attached gym-invoice.pdf to the charge of Feb 5, 2026"]
    # Cancelling the chooser attaches nothing; a vanished file is reported, not raised.
    details_shown(qtbot, window)
    window.details.history.selectRow(0)  # the history reloaded after the change
    actions.choose_file = lambda parent: ""
    actions.attach()
    actions.choose_file = lambda parent: str(tmp_path / "gone.pdf")
    actions.attach()
    assert len(AttachmentService(service).list_for(saved.id)) == 1
    assert reports[-1].startswith("Not attached — "), reports
    assert "gym-invoice.pdf" in window.details.summary.text()


def test_the_savings_list_says_its_amounts_and_dates_in_the_interface_language(
    qtbot: QtBot, context: AppContext
) -> None:
    """German figures in the What column too: "12 charges of 20,00 €", not the CLI's "20.00 EUR" or ISO dates."""
    service = context.service
    family = service.add(make_subscription(name="Family", amount=Decimal("20.00"), currency="EUR", split_between=4))
    gym = service.add(make_subscription(name="Gym", amount=Decimal("39.00"), currency="EUR", anchor=date(2026, 1, 20)))
    assert family.id is not None and gym.id is not None
    service.cancel(family.id, date(2026, 3, 10))
    charge = service.record_charge(gym.id, date(2026, 2, 20))
    assert charge.id is not None
    service.refund_charge(gym.id, charge.id, on=date(2026, 3, 1))
    window = MainWindow(context, formatter=Formatter("de_DE"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.loaded)
    with qtbot.waitSignal(window.spending.background.applied):
        window.show_view(window.spending)
    model = window.spending.savings
    what = model.column("what")
    texts = sorted(model.index(row, what).data() for row in range(model.rowCount()))
    assert texts == [
        "12 charges of 20,00\xa0€ not made after cancelling (your share of 240,00\xa0€)",
        "refund of the 20.02.2026 charge",
    ]
