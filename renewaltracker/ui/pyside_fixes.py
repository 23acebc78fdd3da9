"""Work-arounds for PySide6: bugs that would crash a long-running tray app, and costs it adds to start-up."""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from PySide6.QtWidgets import QAbstractScrollArea, QWidget

# Far more references than any run can drop: 2⁴⁰ signal emissions.
_PIN = 1 << 40
# The PySide6 releases whose `__feature__` import hook `defer_feature_check` was read against: another release
# keeps its hook until someone reads it again (tests/ui/test_feature_check.py fails to say so).
FEATURE_HOOK_CHECKED = ("6.12.",)


def pin_singletons() -> None:
    """Keep True, False and None alive however often PySide6 drops a reference to them.

    PySide6 6.12 on Python 3.11 drops one reference to True on every Python `Signal.emit()` and one to
    None on every `processEvents()`; after a few hundred emissions the interpreter aborts with
    "bool_dealloc: deallocating True or False". From Python 3.12 these objects are immortal and this is a no-op.
    """
    if sys.version_info >= (3, 12):
        return
    count = _reference_count_type()
    for singleton in (True, False, None):
        count.from_address(id(singleton)).value += _PIN


def _reference_count_type() -> Any:
    """`ctypes.c_ssize_t` (an object's reference count is its first field), made as the `ctypes` package makes it
    from the C module alone: the package's import took 2 ms before the window's first paint."""
    import struct
    from _ctypes import _SimpleCData

    code = next(code for code in "ilq" if struct.calcsize(code) == struct.calcsize("P"))
    return type("c_ssize_t", (_SimpleCData,), {"_type_": code})


def defer_feature_check() -> bool:
    """Have PySide6's import hook look at modules only once some module selects a `__feature__`, as it already does
    for those imported before PySide6; True when installed (a release it was not read against keeps its hook)."""
    # The hook asks of every module imported after QtCore whether its source mentions "PySide6" (inspect.getsource):
    # 14 ms of the window's first paint over 145 modules, file reads that hand the interpreter to the other start-up
    # thread, 5 MB of lines left in linecache. The answer matters only once a feature is selected, which nothing here
    # does; the hook's `__init__` then files every module loaded by then with the same test, and from then on the
    # hook runs as before (tests/ui/test_feature_check.py compares both hooks' answers).
    import PySide6
    import PySide6.QtCore  # installs the hook

    feature: Any = sys.modules.get("shibokensupport.feature")
    imported = getattr(feature, "feature_imported", None)
    if feature is None or not callable(imported) or not PySide6.__version__.startswith(FEATURE_HOOK_CHECKED):
        return False
    if getattr(imported, "__name__", "") == "_feature_imported_once_selected":
        return True  # already installed

    def _feature_imported_once_selected(module: ModuleType) -> None:
        if feature._is_initialized:  # a feature has been selected
            imported(module)

    feature.feature_imported = _feature_imported_once_selected
    return True


def viewport_of(area: QAbstractScrollArea) -> QWidget:
    """`area.viewport()`, without the first call's 12 ms: PySide6 wraps the returned `QWidget*` only after trying
    every widget class it might be, which creates those classes' enum types (70 of them) on the GUI thread.
    Found by the object name Qt gives every viewport it makes, as a plain `QWidget`; later calls of `viewport()`
    return this same wrapper."""
    found = area.findChild(QWidget, "qt_scrollarea_viewport")
    return found if found is not None and found.parent() is area else area.viewport()
