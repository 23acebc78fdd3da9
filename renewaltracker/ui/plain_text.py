"""Labels and message boxes for text from outside the app (names, server answers, file names, error messages): drawn
as written, never read as rich text, so a "<b>" in a server's answer or an "&" in a name shows as typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain_label(parent: QWidget | None = None, text: str = "") -> QLabel:
    """A label that shows its text as plain text, whatever it holds."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_box(
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    parent: QWidget | None = None,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
) -> QMessageBox:
    """A message box whose text is plain text (Qt's static warning(), question()… guess, and take tags as markup)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def warn(parent: QWidget | None, title: str, text: str) -> None:
    plain_box(QMessageBox.Icon.Warning, title, text, parent).exec()


def inform(parent: QWidget | None, title: str, text: str) -> None:
    plain_box(QMessageBox.Icon.Information, title, text, parent).exec()


def alarm(parent: QWidget | None, title: str, text: str) -> None:
    plain_box(QMessageBox.Icon.Critical, title, text, parent).exec()


def confirm(parent: QWidget | None, title: str, question: str) -> bool:
    """Yes or No, as QMessageBox.question asks; True for Yes."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    return (
        plain_box(QMessageBox.Icon.Question, title, question, parent, buttons).exec() == QMessageBox.StandardButton.Yes
    )
