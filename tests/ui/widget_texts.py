"""Every text a person reads in a widget tree, in a stable order, to compare one language's window with another's."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QWidget,
)


def widget_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for the root and every descendant widget: titles, labels, buttons, tabs, menus, hints."""
    found: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        kind = type(widget).__name__
        texts = [("title", widget.windowTitle()) if widget.isWindow() else ("", ""), ("name", widget.accessibleName())]
        texts.append(("tip", widget.toolTip()))
        if isinstance(widget, QLabel):
            texts.append(("label", widget.text()))
        if isinstance(widget, QAbstractButton):
            texts.append(("button", widget.text()))
        if isinstance(widget, QGroupBox):
            texts.append(("group", widget.title()))
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            texts.append(("placeholder", widget.placeholderText()))
        if isinstance(widget, QTabWidget):
            texts.extend(("tab", widget.tabText(i)) for i in range(widget.count()))
        if isinstance(widget, QSpinBox):
            texts.extend((("special", widget.specialValueText()), ("suffix", widget.suffix().strip())))
        if isinstance(widget, QComboBox):
            texts.extend(("item", widget.itemText(i)) for i in range(widget.count()))
        if isinstance(widget, QMenu):
            texts.append(("menu", widget.title()))
        for action in widget.actions():
            texts.extend((("action", action.text()), ("action tip", action.toolTip())))
        found.extend((f"{kind} {widget.objectName()} {where}".strip(), text) for where, text in texts if text)
    return found
