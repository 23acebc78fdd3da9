"""Views that recompute only when seen: a change marks them stale, showing them refreshes them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from renewaltracker.domain.prices import PriceHistories
from renewaltracker.domain.subscription import Subscription
from renewaltracker.ui.formatting import Formatter


class LazyView(QWidget):
    """A view computed from all subscriptions; subclasses implement `refresh()`, and `follow(model)` marks it stale."""

    _stale = True

    def __init__(
        self,
        formatter: Formatter,
        today: Callable[[], date],
        subscriptions: Callable[[], list[Subscription]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.formatter = formatter
        self._today = today
        self._subscriptions = subscriptions
        # The price histories read with the subscriptions (the window sets this; none: every plan at its amount).
        self.prices: Callable[[], PriceHistories] = dict

    def follow(self, model: QAbstractItemModel) -> None:
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged):
            signal.connect(self.mark_stale)

    def mark_stale(self, *args: Any) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh_now()

    def refresh_now(self) -> None:
        self._stale = False
        self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh_now()
        super().showEvent(event)


def scrolled(owner: QWidget, inner: QWidget, name: str) -> None:
    """Fill `owner` with `inner` inside a frameless scroll area, so small windows still reach everything; `name`
    is what a screen reader says when Tab stops on the area."""
    scroll = QScrollArea(owner)
    scroll.setAccessibleName(name)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(inner)
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(scroll)
