"""PySide6's per-import "uses PySide6?" test, answered from the file's bytes: the same answer as PySide6's own."""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import linecache
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import PySide6
import PySide6.QtCore  # installs the import hook these tests read
from hypothesis import given, settings
from hypothesis import strategies as st

from renewaltracker.ui.pyside_fixes import FEATURE_HOOK_CHECKED, source_mentions_pyside
from tests.ui.child_probe import run_probe

_names = itertools.count()


def _feature() -> Any:
    return sys.modules["shibokensupport.feature"]


def _original() -> Callable[[ModuleType], bool]:
    """PySide6's own test (this process never installs ours)."""
    test: Callable[[ModuleType], bool] = _feature()._mod_uses_pyside
    assert test.__name__ == "_mod_uses_pyside"
    return test


def _module_at(path: Path) -> ModuleType:
    """A module object for a file, as the import system makes it (not run: only its source is read)."""
    spec = importlib.util.spec_from_file_location(f"feature_probe_{next(_names)}", path)
    assert spec is not None
    return importlib.util.module_from_spec(spec)


def test_the_hook_is_the_one_the_quick_test_was_read_against() -> None:
    # A new PySide6 release fails here: read shibokensupport/feature.py again, then add the release to the list.
    assert PySide6.__version__.startswith(FEATURE_HOOK_CHECKED)
    feature = _feature()
    # The hook looks the test up by its global name at every import, and files the answer in this dict.
    assert {"_mod_uses_pyside", "pyside_feature_dict"} <= set(feature.feature_imported.__code__.co_names)
    assert isinstance(feature.pyside_feature_dict, dict)
    # The test itself: "PySide6" in inspect.getsource(module), False for a module without source.
    code = _original().__code__
    assert set(code.co_names) == {"inspect", "getsource", "TypeError", "OSError", "SyntaxError"}
    assert {"PySide6", False} <= set(code.co_consts)


def test_every_loaded_module_gets_the_original_answer() -> None:
    for name in ("renewaltracker.ui.composition", "renewaltracker.ui.app", "babel.dates", "sqlalchemy.orm"):
        importlib.import_module(name)
    original = _original()
    asked: list[str] = []

    def ask(module: ModuleType) -> bool:
        asked.append(module.__name__)
        return original(module)

    modules = [module for module in list(sys.modules.values()) if isinstance(module, ModuleType)]
    differing = [m.__name__ for m in modules if source_mentions_pyside(m, ask) != original(m)]
    assert differing == []
    mentioning = {m.__name__ for m in modules if original(m)}
    assert {"renewaltracker.ui.app", "renewaltracker.ui.main_window"} <= mentioning
    assert "renewaltracker.domain.subscription" not in mentioning
    # Plain source files are answered from their bytes; only the others (built-in, frozen, compiled) are asked.
    assert "renewaltracker.ui.app" not in asked and "babel.dates" not in asked and "sqlalchemy.orm" not in asked
    assert len(asked) < len(modules) / 2


_TEXT = st.lists(
    st.sampled_from(["x = 1\n", "# PySide6\n", "PySide", "6", "\r\n", "é", "€", " ", "'''", "\n", "PySide6", "ü"]),
    max_size=12,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(
    text=_TEXT,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"]),
    cookie=st.booleans(),
    garbage=st.sampled_from([b"", b"\xff\xfe", b"\xc3", b"# PySide6 \xe9\n"]),
)
def test_a_source_file_gets_the_original_answer(
    tmp_path_factory: Any, text: str, encoding: str, cookie: bool, garbage: bytes
) -> None:
    folder: Path = tmp_path_factory.mktemp("sources")
    head = f"# -*- coding: {encoding} -*-\n" if cookie else ""
    try:
        data = (head + text).encode(encoding) + garbage
    except UnicodeEncodeError:
        data = (head + text).encode("utf-8") + garbage
    path = folder / f"probe_{next(_names)}.py"  # a new name each time: linecache keys on the path
    path.write_bytes(data)
    module = _module_at(path)
    asked: list[ModuleType] = []

    def ask(module: ModuleType) -> bool:
        asked.append(module)
        return _original()(module)

    try:
        assert source_mentions_pyside(module, ask) == _original()(module)
        if not garbage and not cookie and encoding in ("utf-8", "utf-8-sig"):
            assert asked == []  # answered from the bytes
    finally:
        linecache.checkcache(str(path))
        linecache.cache.pop(str(path), None)


def test_a_missing_or_unreadable_file_is_left_to_the_original(tmp_path: Path) -> None:
    path = tmp_path / "gone.py"
    path.write_text("import PySide6\n")
    module = _module_at(path)
    path.unlink()
    assert source_mentions_pyside(module, lambda _m: True) is True  # asked, not answered
    assert _original()(module) is False


PROBE = """
import json, linecache, sys
sys.path.insert(0, sys.argv[1])
from renewaltracker.ui.pyside_fixes import quicken_feature_check
installed = quicken_feature_check()
again = quicken_feature_check()
import with_qt, without_qt
feature = sys.modules["shibokensupport.feature"]
print(json.dumps({
    "installed": installed, "again": again,
    "with": feature.pyside_feature_dict.get("with_qt"), "without": feature.pyside_feature_dict.get("without_qt"),
    "cached": sorted(name for name in linecache.cache if name.endswith("_qt.py")),
}))
"""


def test_installed_the_hook_files_the_same_answers_without_reading_through_linecache(tmp_path: Path) -> None:
    (tmp_path / "with_qt.py").write_text('"""Drawn with PySide6."""\n')
    (tmp_path / "without_qt.py").write_text('"""Plain Python."""\n')
    seen = run_probe(PROBE, [str(tmp_path)], dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert seen == {"installed": True, "again": True, "with": 0, "without": -1, "cached": []}
