"""Work-arounds for PySide6: bugs that would crash a long-running tray app, and costs it adds to start-up."""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtWidgets import QAbstractScrollArea, QWidget

# Far more references than any run can drop: 2⁴⁰ signal emissions.
_PIN = 1 << 40


def pin_singletons() -> None:
    """Keep True, False and None alive however often PySide6 drops a reference to them.

    PySide6 6.12 on Python 3.11 drops one reference to True on every Python `Signal.emit()` and one to
    None on every `processEvents()`; after a few hundred emissions the interpreter aborts with
    "bool_dealloc: deallocating True or False". From Python 3.12 these objects are immortal and this is a no-op.
    """
    if sys.version_info >= (3, 12):
        return
    for singleton in (True, False, None):
        ctypes.c_ssize_t.from_address(id(singleton)).value += _PIN


def viewport_of(area: QAbstractScrollArea) -> QWidget:
    """`area.viewport()`, without the first call's 12 ms: PySide6 wraps the returned `QWidget*` only after trying
    every widget class it might be, which creates those classes' enum types (70 of them) on the GUI thread.
    Found by the object name Qt gives every viewport it makes, as a plain `QWidget`; later calls of `viewport()`
    return this same wrapper."""
    found = area.findChild(QWidget, "qt_scrollarea_viewport")
    return found if found is not None and found.parent() is area else area.viewport()
