"""Work-arounds for PySide6 bugs that would crash a long-running tray app, and for one that slows its start-up."""

from __future__ import annotations

import ctypes
import io
import sys
import tokenize  # PySide6 loads it anyway (its hook imports inspect)
from collections.abc import Callable
from importlib.machinery import SourceFileLoader
from types import ModuleType

# Far more references than any run can drop: 2⁴⁰ signal emissions.
_PIN = 1 << 40
# The PySide6 releases whose `__feature__` import hook `quicken_feature_check` was read against: another release
# keeps the hook as it is until someone reads it again (tests/ui/test_feature_check.py fails to say so).
FEATURE_HOOK_CHECKED = ("6.12.",)


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


def quicken_feature_check() -> bool:
    """Give PySide6's per-import test "does this module's source mention PySide6?" the same answer without
    `inspect.getsource`; True when installed (a PySide6 release it was not checked against keeps its own).

    After PySide6.QtCore, every newly imported module is tested once; `inspect.getsource` made that 14 ms of the
    window's first paint (145 modules) and left each file's lines in linecache (5 MB). A module whose source is a
    plain .py file is answered here from its bytes, decoded as `inspect` decodes them; anything else is asked
    of the original test, so the answer never differs (tests/ui/test_feature_check.py).
    """
    import PySide6
    import PySide6.QtCore  # installs the hook

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original) or not PySide6.__version__.startswith(FEATURE_HOOK_CHECKED):
        return False
    if getattr(original, "__name__", "") == "_uses_pyside":
        return True  # already installed
    code = getattr(original, "__code__", None)
    if code is None or "getsource" not in code.co_names or "PySide6" not in code.co_consts:
        return False

    def _uses_pyside(module: ModuleType) -> bool:
        return source_mentions_pyside(module, original)

    feature._mod_uses_pyside = _uses_pyside  # type: ignore[attr-defined]
    return True


def source_mentions_pyside(module: ModuleType, ask: Callable[[ModuleType], bool]) -> bool:
    """Whether the module's source text holds "PySide6", as `"PySide6" in inspect.getsource(module)` says it
    (false when there is no source); a module that is not a plain source file is left to `ask`."""
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None)
    plain = (
        type(getattr(spec, "loader", None)) is SourceFileLoader
        and isinstance(origin, str)
        and origin.endswith(".py")
        and getattr(module, "__file__", None) == origin
        and not hasattr(module, "__wrapped__")  # `inspect` would follow it to another object
    )
    if not plain:
        return ask(module)
    assert isinstance(origin, str)
    try:
        with open(origin, "rb") as file:
            data = file.read()
    except OSError:
        return ask(module)
    try:
        # What `linecache` reads the file with (tokenize.open): a coding cookie, a BOM, or UTF-8.
        encoding, _lines = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return ask(module)  # `inspect` finds no source in an undecodable file: its answer is False
    return "PySide6" in text
