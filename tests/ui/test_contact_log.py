"""The Contacts tab: the timeline model, search, add/edit/delete, and following the selection."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.i18n import install_language
from renewaltracker.ui import contact_log
from renewaltracker.ui.composition import Features
from renewaltracker.ui.contact_log import ContactDialog, ContactLogWidget, timeline_text
from tests.ui.drafts_fixtures import Setup, setup
from tests.ui.waiting import tab_read

__all__ = ["setup"]  # the fixture


def _add(setup: Setup, day: int, **fields: object) -> Contact:
    values: dict[str, object] = {"channel": Channel.PHONE, **fields}
    contact = Contact(setup.subscription_id, datetime(2026, 3, day, 9, tzinfo=UTC), **values)  # type: ignore[arg-type]
    return setup.feature.contacts.add(contact)


def _tab(setup: Setup) -> ContactLogWidget:
    """The Contacts tab, brought to the front (a hidden tab reads nothing)."""
    tabs = setup.window.detail_tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    widget = tabs.widget(titles.index("Contacts"))
    assert isinstance(widget, ContactLogWidget)
    tabs.setCurrentWidget(widget)
    return widget


def test_model_passes_the_model_tester(setup: Setup, qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    _add(setup, 1, case_number="A-1", agent="Ana", summary="Line one\nline two")
    _add(setup, 2, outcome="refund promised", follow_up=date(2026, 3, 20))
    tab = _tab(setup)
    tab.set_subscription(setup.subscription_id)
    tab_read(qtbot, tab)
    assert tab.model.rowCount() == 2
    qtmodeltester.check(tab.model)
    tab.search.setText("ana")
    tab_read(qtbot, tab)
    assert tab.model.rowCount() == 1
    qtmodeltester.check(tab.model)


def test_the_tab_follows_selection_and_changes(setup: Setup, qtbot: QtBot) -> None:
    tab = _tab(setup)
    assert tab.model.rowCount() == 0 and not tab.add_button.isEnabled()
    setup.window.selection_changed.emit(setup.subscription_id)
    assert tab.add_button.isEnabled()
    tab_read(qtbot, tab)
    assert "No contacts yet" in tab.empty.text()
    with qtbot.waitSignal(tab.model.modelReset):
        _add(setup, 1, case_number="A-1", agent="Ana")
    with qtbot.waitSignal(tab.model.modelReset):
        _add(setup, 5, channel=Channel.CHAT, outcome="Refund promised", follow_up=date(2026, 3, 12))
    texts = [tab.model.index(row).data() for row in range(tab.model.rowCount())]
    assert texts[0].startswith("5 March 2026") and "Outcome: Refund promised" in texts[0]
    assert "Follow up on 12 March 2026" in texts[0]
    assert "case A-1 · with Ana" in texts[1]
    qtbot.keyClicks(tab.search, "ana")
    tab_read(qtbot, tab)
    assert tab.model.rowCount() == 1
    tab.search.clear()
    setup.context.service.delete(setup.subscription_id)
    tab_read(qtbot, tab)
    assert tab.model.rowCount() == 0
    setup.window.selection_changed.emit(None)
    assert not tab.add_button.isEnabled() and "Select a subscription" in tab.empty.text()


def test_add_edit_and_delete_through_the_tab(setup: Setup, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    tab = _tab(setup)
    tab.set_subscription(setup.subscription_id)
    dialog = tab.add_contact()
    assert isinstance(dialog, ContactDialog)
    qtbot.addWidget(dialog)
    dialog.channel.setCurrentIndex(list(Channel).index(Channel.WEB_FORM))
    qtbot.keyClicks(dialog.case_number, "WF-12")
    dialog.agent.setText("Björn")  # keyClicks only types ASCII
    dialog.summary.setPlainText("Asked for a refund of the March charge")
    dialog.has_follow_up.setChecked(True)
    with qtbot.waitSignal(dialog.accepted):
        dialog.save()
    [saved] = setup.feature.contacts.list_for(setup.subscription_id)
    assert (saved.channel, saved.case_number, saved.agent) == (Channel.WEB_FORM, "WF-12", "Björn")
    assert saved.follow_up == date(2026, 3, 17)  # a week after "today" by default
    assert abs(saved.at - setup.context.clock.now()).total_seconds() < 60
    tab_read(qtbot, tab)
    assert tab.model.rowCount() == 1

    tab.view.setCurrentIndex(tab.model.index(0))
    editor = tab.edit_selected()
    assert editor is not None
    qtbot.addWidget(editor)
    assert editor.case_number.text() == "WF-12" and editor.has_follow_up.isChecked()
    editor.follow_up.setDate(editor.when.date().addDays(-3))  # before the contact: refused
    editor.save()
    assert editor.problem.isVisible() and "Follow-up" in editor.problem.text()
    assert setup.feature.contacts.get(saved.id or 0) == saved  # nothing changed
    editor.has_follow_up.setChecked(False)
    editor.outcome.setPlainText("Refunded")
    with qtbot.waitSignal(editor.accepted):
        editor.save()
    tab_read(qtbot, tab)
    assert "Outcome: Refunded" in tab.model.index(0).data()

    tab.view.setCurrentIndex(tab.model.index(0))
    monkeypatch.setattr(contact_log, "confirm", lambda *args: True)
    tab.delete_selected()
    tab_read(qtbot, tab)
    assert tab.model.rowCount() == 0 and setup.feature.contacts.list_for(setup.subscription_id) == []


def test_timeline_text_leaves_out_what_is_unknown() -> None:
    text = timeline_text(Contact(1, datetime(2026, 3, 1, 9, tzinfo=UTC), Channel.LETTER))
    assert text.count("\n") == 0 and "letter" in text and "case" not in text and "None" not in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "1 March 2026, {time} · letter\nFollow up on 9 March 2026"),
        ("de", "1. März 2026, {time} · Brief\nNachfassen am 9. März 2026"),
        ("fr", "1er mars 2026, {time} · courrier\nRelancer le 9 mars 2026"),
    ],
)
def test_the_timeline_speaks_the_interface_language(language: str, expected: str) -> None:
    """Dates spelled out and the channel named in the window's language (they were English in every window)."""
    install_language(language)
    at = datetime(2026, 3, 1, 12, tzinfo=UTC)
    contact = Contact(1, at, Channel.LETTER, follow_up=date(2026, 3, 9))
    assert timeline_text(contact) == expected.format(time=f"{at.astimezone():%H:%M}")


def test_install_adds_menus_and_the_tab(setup: Setup) -> None:
    subscription_menu = setup.window.menu("subscription")
    titles = [action.text() for action in subscription_menu.actions()]
    assert "Draft e&mail" in titles and "&Log a support contact…" in titles
    draft_menu = next(a.menu() for a in subscription_menu.actions() if a.text() == "Draft e&mail")
    assert len(draft_menu.actions()) == 7
    assert [a.text() for a in setup.window.menu("tools").actions()] == ["&Email settings…", "Email &templates folder"]


def test_contact_changes_reach_the_app_data_signal(setup: Setup, qtbot: QtBot) -> None:
    # The reminder planner and the other views listen here; a new follow-up date must re-plan reminders.
    with qtbot.waitSignal(setup.context.signals.changed) as blocker:
        _add(setup, 1, follow_up=date(2026, 3, 20))
    assert blocker.args == ["contacts", setup.subscription_id]


def test_the_app_installs_the_feature(features: Features) -> None:
    window = features.window
    tabs = window.detail_tabs
    assert "Contacts" in [tabs.tabText(i) for i in range(tabs.count())]
    assert "Draft e&mail" in [action.text() for action in window.menu("subscription").actions()]
    assert features.letters.contact_tab in [tabs.widget(i) for i in range(tabs.count())]


@pytest.fixture
def german_region() -> Iterator[None]:
    """The app's date pickers follow the default QLocale: the interface's language in the desktop's region."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(before)


@pytest.mark.usefixtures("german_region")
def test_the_contact_dialog_writes_dates_the_regions_way(setup: Setup, qtbot: QtBot) -> None:
    dialog = ContactDialog(setup.feature.contacts, setup.context.clock, setup.subscription_id)
    qtbot.addWidget(dialog)
    assert dialog.when.displayFormat().startswith("dd.MM.yyyy")
    assert dialog.follow_up.displayFormat() == dialog.promised_by.displayFormat() == "dd.MM.yyyy"
    assert dialog.follow_up.text() == "17.03.2026"


def test_every_field_of_the_contact_dialog_is_named_and_no_label_shows_an_ampersand(setup: Setup, qtbot: QtBot) -> None:
    dialog = ContactDialog(setup.feature.contacts, setup.context.clock, setup.subscription_id)
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    assert all("&" not in text or label_has_buddy(dialog, text) for text in labels), labels
    unnamed = [
        type(widget).__name__
        for widget in dialog.findChildren(QWidget)
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not widget.accessibleName()
        and not isinstance(widget, QAbstractButton)
        and not any(label.buddy() is widget for label in dialog.findChildren(QLabel))
        and widget.parent() is dialog
    ]
    assert unnamed == []


def label_has_buddy(dialog: ContactDialog, text: str) -> bool:
    return any(label.text() == text and label.buddy() is not None for label in dialog.findChildren(QLabel))


def test_the_contacts_search_box_has_an_accessible_name(setup: Setup) -> None:
    """Its placeholder is only a description to a screen reader; the box itself needs a name."""
    assert _tab(setup).search.accessibleName()


@pytest.mark.usefixtures("german_region")
def test_the_request_choice_dates_the_request_the_regions_way(setup: Setup, qtbot: QtBot) -> None:
    from renewaltracker.domain.requests import RequestKind
    from renewaltracker.services.requests import RequestService

    RequestService(setup.context.database, setup.context.clock).open(setup.subscription_id, RequestKind.CANCEL)
    dialog = ContactDialog(setup.feature.contacts, setup.context.clock, setup.subscription_id)
    qtbot.addWidget(dialog)
    assert "10.03.2026" in dialog.request.itemText(1) and "2026-03-10" not in dialog.request.itemText(1)
