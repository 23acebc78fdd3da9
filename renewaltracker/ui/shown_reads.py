"""A detail tab's rows, read on the tab's own worker and only while the tab is the one shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from renewaltracker.ui.background import LatestOnly

K = TypeVar("K")  # what to read: the subscription (and whatever else narrows the rows)
R = TypeVar("R")  # what was read


class ShownReads(QObject, Generic[K, R]):
    """Runs `read(key)` on a worker for the newest `request(key)` and hands the result to `show(key, result)`.

    A request made while the tab is hidden (another detail tab in front) is read when the tab comes to the
    front: a hidden tab read every selection's rows on the GUI thread before. Whatever comes back for any key
    but the newest is dropped, so a tab never shows another subscription's rows.
    """

    def __init__(self, tab: QWidget, read: Callable[[K], R], show: Callable[[K, R], None]) -> None:
        super().__init__(tab)
        self.background = LatestOnly(self)
        self.key: K | None = None  # the newest request (None: nothing to read)
        self._tab = tab
        self._read = read
        self._show = show
        self._stale = False  # requested while hidden: read when shown
        tab.installEventFilter(self)

    @property
    def busy(self) -> bool:
        """A read is under way or its result is being applied (tests wait for it)."""
        return self.background.busy

    @property
    def waiting(self) -> bool:
        """A request is held until the tab is shown."""
        return self._stale

    def shown(self) -> bool:
        # Relative to the window: a tab of a window hidden in the tray still follows the data as before.
        return self._tab.isVisibleTo(self._tab.window())

    def request(self, key: K | None) -> None:
        """Read `key` now if the tab is shown, else once it is; None drops whatever is under way."""
        self.key = key
        self._stale = key is not None and not self.shown()
        if key is not None and not self._stale:
            self._submit(key)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # ShowToParent comes when the tab is brought to the front, even in a window not on screen yet.
        if watched is self._tab and event.type() == QEvent.Type.ShowToParent and self._stale and self.key is not None:
            self._stale = False
            self._submit(self.key)
        return False

    def _submit(self, key: K) -> None:
        read = self._read
        self.background.submit(lambda: read(key), lambda result: self._apply(key, result))

    def _apply(self, key: K, result: R) -> None:
        if key == self.key:  # a request since (or a deselection) that the worker did not see is newer
            self._show(key, result)
