"""Change listeners for services: told after a commit, and never able to undo it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, ParamSpec

log = logging.getLogger(__name__)
P = ParamSpec("P")


class Listeners(Generic[P]):
    """A list of callbacks; one that raises is logged and the others still run."""

    def __init__(self, what: str) -> None:
        self._what = what
        self._callbacks: list[Callable[P, None]] = []

    def add(self, callback: Callable[P, None]) -> Callable[[], None]:
        """Register `callback`; returns a function that removes it again."""
        self._callbacks.append(callback)

        def remove() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return remove

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for callback in list(self._callbacks):
            try:
                callback(*args, **kwargs)
            except Exception:  # a broken view must not undo a committed change
                log.exception("%s listener failed", self._what)
