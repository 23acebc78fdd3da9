"""Reading a menu as a user does: its entries' texts, and one entry (or submenu) by its text."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu


def texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def action(menu: QMenu, text: str) -> QAction:
    for candidate in menu.actions():
        if candidate.text() == text or (candidate.menu() is not None and candidate.menu().title() == text):
            return candidate
    raise AssertionError(f"no {text!r} in {texts(menu)}")
