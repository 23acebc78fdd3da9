"""Work-arounds for PySide6 bugs that would crash a long-running tray app."""

from __future__ import annotations

import ctypes
import sys

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
