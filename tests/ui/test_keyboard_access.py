"""Keyboard use in English, German and French: every menu entry and dialog control has an Alt+letter of its own,
every shortcut is bound once, and every label's letter reaches a field that takes the focus.

The checks walk the whole menu bar and every dialog the menus open, so an entry or dialog added later is
checked too."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QInputDialog,
    QLabel,
    QMenu,
    QMenuBar,
    QMessageBox,
    QPushButton,
    QTabBar,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from renewaltracker.domain.charges import Charge
from renewaltracker.i18n import install_language
from renewaltracker.services.secrets import MemorySecretStore
from renewaltracker.ui.app import install_qt_translation
from renewaltracker.ui.charge_history import ChargeDialog
from renewaltracker.ui.composition import Collaborators, Features, build_main_window
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.crash_dialog import CrashDialog
from renewaltracker.ui.due_reminders import DueRemindersDialog
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.price_steps import PriceStepDialog
from tests.factories import make_subscription
from tests.ui.fakes import FakeNotifier

LOCALES = {"en": "en_US", "de": "de_DE", "fr": "fr_FR"}


def mnemonic(text: str) -> str | None:
    """The Alt+letter of a text ("Sa&ve" → "v"), or None; "&&" is a literal ampersand."""
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def clashes(place: str, texts: list[str]) -> list[str]:
    """A problem per text without a letter and per letter that more than one text uses."""
    problems = [f"{place}: {text!r} has no Alt+letter" for text in texts if mnemonic(text) is None]
    by_letter: dict[str, list[str]] = {}
    for text in texts:
        letter = mnemonic(text)
        if letter is not None:
            by_letter.setdefault(letter, []).append(text)
    problems += [f"{place}: {letter!r} is shared by {same}" for letter, same in by_letter.items() if len(same) > 1]
    return problems


def entry_text(action: QAction) -> str:
    submenu = action.menu()
    return submenu.title() if isinstance(submenu, QMenu) else action.text()


def menu_problems(menu: QMenu, place: str) -> list[str]:
    entries = [action for action in menu.actions() if not action.isSeparator()]
    problems = clashes(place, [entry_text(action) for action in entries])
    for action in entries:
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            problems += menu_problems(submenu, f"{place} → {submenu.title()}")
    return problems


@pytest.fixture(params=sorted(LOCALES))
def features(
    request: pytest.FixtureRequest, qtbot: QtBot, qapp: QApplication, context: AppContext
) -> Iterator[Features]:
    """The whole window in one interface language, with one renewal selected (so every command is enabled)."""
    language = request.param
    install_language(language)
    install_qt_translation(qapp, language)
    collaborators = Collaborators(
        MemorySecretStore(), FakeNotifier().factory, Formatter(LOCALES[language]), tray_available=False
    )
    built = build_main_window(context, collaborators)
    qtbot.addWidget(built.window)
    try:
        saved = context.service.add(make_subscription(name="Gym", amount=Decimal("30"), anchor=date(2026, 1, 5)))
        assert saved.id is not None
        built.window.show()
        qtbot.waitUntil(lambda: built.window.model.loaded)
        built.window.open_subscription(saved.id)
        yield built
    finally:
        built.close()
        install_language("en")
        install_qt_translation(qapp, "en")


def test_every_menu_entry_has_an_alt_letter_of_its_own(features: Features) -> None:
    """In the menu bar and in each menu and submenu, every entry has a letter and no two share one."""
    bar = features.window.menuBar()
    menus = [action.menu() for action in bar.actions()]
    problems = clashes("menu bar", [menu.title() for menu in menus if isinstance(menu, QMenu)])
    for menu in menus:
        if isinstance(menu, QMenu):
            problems += menu_problems(menu, menu.title())
    assert not problems, "\n".join(problems)


def test_no_shortcut_is_bound_twice(features: Features) -> None:
    bound: dict[str, list[str]] = {}
    for action in features.window.findChildren(QAction):
        for key in action.shortcuts():
            bound.setdefault(key.toString(), []).append(action.text())
    assert bound, "the window binds shortcuts"
    assert {key: texts for key, texts in bound.items() if len(texts) > 1} == {}


def dialogs_of_the_menus(features: Features, qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> list[QDialog]:
    """Every dialog a menu entry or a window button ending in "…" opens for the selected renewal (file and item
    pickers answer "cancelled", so only the app's own dialogs come up), and those opened from elsewhere; left open
    for the checks."""
    opened: list[QDialog] = []

    def shown(dialog: QDialog) -> int:
        dialog.show()
        opened.append(dialog)
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(QDialog, "exec", shown)
    monkeypatch.setattr(QMessageBox, "exec", shown)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([], ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: "")
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("", False))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *_a, **_k: ("", False))
    window = features.window
    selected = window.selected_subscription_id()
    assert selected is not None

    def opens(command: Callable[[], object]) -> None:
        before = [widget for widget in qapp.topLevelWidgets() if widget.isVisible()]
        command()
        opened.extend(
            widget
            for widget in qapp.topLevelWidgets()
            if isinstance(widget, QDialog) and widget.isVisible() and not any(widget is old for old in before)
        )
        window.open_subscription(selected)

    for action in menu_actions(window.menuBar()):
        if action.text().endswith("…") and action.isEnabled() and action.isVisible():
            opens(action.trigger)
    # The buttons in the window's views and detail tabs that open a dialog ("Log contact…", "Open request…").
    clicked: set[int] = set()
    for _place in pages(window):
        for button in window.findChildren(QPushButton):
            own = button.window() is window and id(button) not in clicked
            if own and button.text().endswith("…") and button.isEnabled() and button.isVisibleTo(window):
                clicked.add(id(button))
                opens(button.click)
    # Reached from a context menu, a change of price, the tray or a crash.
    today = window.context.clock.today()
    charge = Charge(subscription_id=selected, date=today, amount=Decimal("30"), currency="USD", id=1)
    for dialog in (
        ChargeDialog(charge, window.formatter, window),
        PriceStepDialog("USD", today, window.formatter, window),
        DueRemindersDialog(today, window),
        CrashDialog("It broke.", "Traceback: …", window),
    ):
        dialog.show()
        opened.append(dialog)
    return list({id(dialog): dialog for dialog in opened}.values())


def menu_actions(bar: QMenuBar | QMenu) -> Iterator[QAction]:
    for action in bar.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            yield from menu_actions(submenu)
        elif not action.isSeparator():
            yield action


def pages(root: QWidget) -> Iterator[str]:
    """Each state in which a different set of controls shows: every combination of the pages of its tab widgets
    (the window shows a view and a detail tab side by side)."""
    all_tabs = root.findChildren(QTabWidget)
    for indexes in itertools.product(*(range(tabs.count()) for tabs in all_tabs)):
        shown = list(zip(all_tabs, indexes, strict=True))
        for tabs, index in shown:
            tabs.setCurrentIndex(index)
        yield " → ".join([root.windowTitle(), *(tabs.tabText(index) for tabs, index in shown)])


def in_every_dialog_page(
    features: Features,
    qapp: QApplication,
    monkeypatch: pytest.MonkeyPatch,
    check: Callable[[str, QDialog], list[str]],
) -> list[str]:
    """`check(place, dialog)` on each tab page of every dialog the menus open, each problem once; the dialogs are
    closed afterwards."""
    dialogs = dialogs_of_the_menus(features, qapp, monkeypatch)
    assert len(dialogs) >= 8, [dialog.windowTitle() for dialog in dialogs]
    try:
        problems = [problem for dialog in dialogs for place in pages(dialog) for problem in check(place, dialog)]
    finally:
        for dialog in dialogs:
            dialog.reject()
            dialog.deleteLater()
    return list(dict.fromkeys(problems))


def lettered(root: QWidget) -> list[tuple[str, QWidget]]:
    """The texts that carry an Alt+letter among a window's visible controls, with the control each belongs to."""
    found: list[tuple[str, QWidget]] = []
    for widget in root.findChildren(QWidget):
        if widget.window() is not root or not widget.isVisibleTo(root):
            continue
        plain_label = isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.RichText
        if plain_label or isinstance(widget, QAbstractButton):
            found.append((widget.text(), widget))
        elif isinstance(widget, QGroupBox):
            found.append((widget.title(), widget))
        elif isinstance(widget, QTabBar):
            found += [(widget.tabText(index), widget) for index in range(widget.count())]
    return [(text, widget) for text, widget in found if mnemonic(text) is not None]


def focus_target(widget: QWidget) -> QWidget:
    while widget.focusProxy() is not None:
        widget = widget.focusProxy()
    return widget


def label_problems(place: str, texts: list[tuple[str, QWidget]]) -> list[str]:
    """A label's letter does something only when it has a buddy that takes the focus (Qt's QLabel skips one
    whose focus policy is NoFocus), and without a buddy the label shows a literal '&'."""
    problems = []
    for text, widget in texts:
        if not isinstance(widget, QLabel):
            continue
        buddy = widget.buddy()
        if buddy is None:
            problems.append(f"{place}: {text!r} has no field to move to")
        elif focus_target(buddy).focusPolicy() == Qt.FocusPolicy.NoFocus:
            problems.append(f"{place}: {text!r} moves to a {type(buddy).__name__} that takes no focus")
    return problems


def test_every_dialog_letter_is_unique_and_reaches_its_field(
    features: Features, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In each dialog the menus open, on each of its tab pages: no two controls share an Alt+letter, and a
    label's letter moves to its field."""

    def check(place: str, dialog: QDialog) -> list[str]:
        texts = lettered(dialog)
        return clashes(place, [text for text, _widget in texts]) + label_problems(place, texts)

    problems = in_every_dialog_page(features, qapp, monkeypatch, check)
    assert not problems, "\n".join(problems)


def test_the_window_letters_and_the_menu_bar_never_share_one(features: Features) -> None:
    """Buttons in the window's views and detail tabs take Alt+letters beside the menu bar's: with any view and
    any detail tab showing, no letter is used twice (Qt then moves between them instead of acting)."""
    window = features.window
    bar = [action.menu().title() for action in window.menuBar().actions() if isinstance(action.menu(), QMenu)]
    problems = []
    for place in pages(window):
        texts = lettered(window)
        problems += clashes(place, bar + [text for text, _widget in texts]) + label_problems(place, texts)
    assert not problems, "\n".join(dict.fromkeys(problems))


def unnamed(place: str, root: QWidget) -> list[str]:
    """The visible controls Tab stops at whose name a screen reader finds empty (Qt's accessibility interface:
    the accessible name, else the text or the buddy label's text)."""
    problems = []
    for widget in root.findChildren(QWidget):
        # A spin box's or combo box's own line edit is reached through its box, which carries the name.
        inner = isinstance(widget.parent(), QAbstractSpinBox | QComboBox)
        stops = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.isEnabled()
        if inner or not stops or widget.window() is not root or not widget.isVisibleTo(root):
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        if interface is None or not interface.text(QAccessible.Text.Name).strip():
            problems.append(f"{place}: a {type(widget).__name__} in a {type(widget.parent()).__name__} has no name")
    return problems


def test_every_control_tab_reaches_has_a_name(
    features: Features, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the window (each view and detail tab in turn) and in every dialog the menus open, a screen reader
    names each control the Tab key stops at."""
    problems = [problem for place in pages(features.window) for problem in unnamed(place, features.window)]
    problems += in_every_dialog_page(features, qapp, monkeypatch, unnamed)
    assert not problems, "\n".join(dict.fromkeys(problems))


@pytest.mark.parametrize("undo_by", ["Alt+U", "click"])
@pytest.mark.parametrize("position", [0, 1, 2])
def test_after_delete_and_undo_the_table_keeps_the_focus(
    qtbot: QtBot, window: MainWindow, position: int, undo_by: str
) -> None:
    """Del on any row leaves the table focused on a neighbour; Undo (Alt+U or a click) brings the row back,
    selected, with the focus on the table again: the next Del or Enter acts on the list, not on the tab bar the
    hidden Undo button would hand the focus to."""
    for name in ("Alpha", "Beta", "Gamma"):
        window.context.service.add(make_subscription(name=name))
    view = window.subscriptions
    view.table.selectRow(position)
    chosen = window.selected_subscription_id()
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.commands.undo_bar.isVisible())
    assert view.table.hasFocus()
    assert window.selected_subscription_id() not in (None, chosen)
    if undo_by == "click":
        qtbot.mouseClick(window.commands.undo_bar.button, Qt.MouseButton.LeftButton)
    else:
        qtbot.keyClick(view.table, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.selected_subscription_id() == chosen)
    assert not window.commands.undo_bar.isVisible()
    assert QApplication.focusWidget() is view.table


def chain(root: QWidget) -> list[QWidget]:
    """The widgets Tab visits from `root`, in order, once round."""
    visited: list[QWidget] = []
    widget = root.nextInFocusChain()
    while widget is not root and len(visited) < 1000:
        visited.append(widget)
        widget = widget.nextInFocusChain()
    return visited


def form_order_problems(place: str, dialog: QDialog) -> list[str]:
    """Within each visible form, Tab visits the fields row by row, top to bottom."""
    order = {id(widget): index for index, widget in enumerate(chain(dialog))}
    problems = []
    for form in dialog.findChildren(QFormLayout):
        fields = []
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            field = item.widget() if item is not None else None
            if field is None or not field.isVisibleTo(dialog):
                continue
            target = focus_target(field)
            if target.focusPolicy() & Qt.FocusPolicy.TabFocus and id(target) in order:
                fields.append((order[id(target)], form.itemAt(row, QFormLayout.ItemRole.LabelRole)))
        positions = [position for position, _label in fields]
        if positions != sorted(positions):
            labels = [label.widget().text() if label and label.widget() else "?" for _position, label in fields]
            problems.append(f"{place}: Tab visits the rows {labels} out of order {positions}")
    return problems


def test_tab_follows_the_rows_of_every_form(
    features: Features, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems = in_every_dialog_page(features, qapp, monkeypatch, form_order_problems)
    assert not problems, "\n".join(problems)
