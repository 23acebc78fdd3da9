"""Windows and dialogs sized and placed inside the screen they open on, so small screens show them whole."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QDialog, QWidget


def fitted(wanted: QRect, minimum: QSize, available: QRect) -> QRect:
    """`wanted` no larger than `available` (yet not below `minimum`), moved inside it as little as it takes."""
    width = max(minimum.width(), min(wanted.width(), available.width()))
    height = max(minimum.height(), min(wanted.height(), available.height()))
    x = max(available.x(), min(wanted.x(), available.x() + available.width() - width))
    y = max(available.y(), min(wanted.y(), available.y() + available.height() - height))
    return QRect(x, y, width, height)


def fit_on_screen(window: QWidget) -> None:
    """Shrink and move a window that is about to show so that its frame lies inside its screen's free area."""
    # The screen the window is placed on (a remembered position may be on another one than the primary).
    screen = QGuiApplication.screenAt(window.geometry().center()) or window.screen()
    handle = window.windowHandle()
    if screen is None:
        return
    # The frame's margins are known once the platform made the window; a window manager may add its own later.
    margins = handle.frameMargins() if handle is not None else QMargins()
    available = screen.availableGeometry().marginsRemoved(margins)
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    placed = fitted(window.geometry(), minimum, available)
    if placed != window.geometry():
        window.setGeometry(placed)


class FittedDialog(QDialog):
    """A dialog that opens inside its screen whatever size it asked for, so a small screen still shows its buttons."""

    def showEvent(self, event: QShowEvent) -> None:
        fit_on_screen(self)
        super().showEvent(event)
