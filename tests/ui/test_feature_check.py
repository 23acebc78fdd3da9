"""PySide6's `__feature__` import hook, deferred until a feature is selected: the same answers, none read before."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import PySide6
import PySide6.QtCore  # installs the import hook these tests read

from renewaltracker.ui.pyside_fixes import FEATURE_HOOK_CHECKED
from tests.ui.child_probe import run_probe


def test_the_hook_is_the_one_the_deferral_was_read_against() -> None:
    # A new PySide6 release fails here: read shibokensupport/feature.py again, then add the release to the list.
    assert PySide6.__version__.startswith(FEATURE_HOOK_CHECKED)
    feature: Any = sys.modules["shibokensupport.feature"]
    assert feature._is_initialized is False  # nothing in the app or its tests selects a feature
    # Each import is filed by `feature_imported`, which the loader looks up anew at every import (the test below
    # sees the deferral take effect)...
    filing = feature.feature_imported.__code__
    assert {"pyside_feature_dict", "_mod_uses_pyside"} <= set(filing.co_names)
    # ...and the first selection runs `__init__`, which files every loaded module not filed yet, with the same test.
    assert "__init__" in feature.feature_import.__code__.co_names
    init = set(feature.__init__.__code__.co_names)
    assert {"_is_initialized", "sys", "modules", "items", "pyside_feature_dict", "_mod_uses_pyside"} <= init


MODULES = {
    "with_qt": "from PySide6.QtCore import QObject\n\ndef name():\n    return QObject().objectName()\n",
    "without_qt": '"""Plain Python."""\n\ndef name():\n    return ""\n',
    "mentions_qt": '"""Drawn later with PySide6."""\n',
    # A module that selects a feature for itself: QObject's methods in snake_case there, and only there.
    "selector": (
        "from __feature__ import snake_case\nfrom PySide6.QtCore import QObject\n\n"
        "def name():\n    return QObject().object_name()\n"
    ),
    "late_qt": "from PySide6.QtCore import QObject\n\ndef name():\n    return QObject().objectName()\n",
    "late_plain": "VALUE = 1\n",
}
PROBE = """
import json, linecache, sys
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "deferred":
    from renewaltracker.ui.pyside_fixes import defer_feature_check
    installed = [defer_feature_check(), defer_feature_check()]
else:
    import PySide6.QtCore
    installed = []
feature = sys.modules["shibokensupport.feature"]
names = ["with_qt", "without_qt", "mentions_qt", "selector", "late_qt", "late_plain"]
import with_qt, without_qt, mentions_qt
before = {name: feature.pyside_feature_dict.get(name) for name in names}
read = sorted(name.rsplit("/", 1)[-1] for name in linecache.cache if name.startswith(sys.argv[1]))
import selector
import late_qt, late_plain
after = {name: feature.pyside_feature_dict.get(name) for name in names}
calls = [with_qt.name(), selector.name(), late_qt.name()]
print(json.dumps({"installed": installed, "before": before, "read": read, "after": after, "calls": calls}))
"""


def _run(folder: Path, mode: str) -> dict[str, Any]:
    return run_probe(PROBE, [str(folder), mode], dict(os.environ, QT_QPA_PLATFORM="offscreen"))


def test_once_a_feature_is_selected_every_module_is_filed_as_pyside6_files_it(tmp_path: Path) -> None:
    for name, source in MODULES.items():
        (tmp_path / f"{name}.py").write_text(source)
    original, deferred = _run(tmp_path, "original"), _run(tmp_path, "deferred")
    # PySide6's own hook reads each module's source as it is imported...
    assert original["before"] == dict.fromkeys(MODULES) | {"with_qt": 0, "without_qt": -1, "mentions_qt": 0}
    assert original["read"] == ["mentions_qt.py", "with_qt.py", "without_qt.py"]
    # ...the deferred one reads none until a module selects a feature, as for modules imported before PySide6.
    assert deferred["installed"] == [True, True]
    assert deferred["before"] == dict.fromkeys(MODULES) and deferred["read"] == []
    # From the selection on, both have filed the same answers, and Qt answers each module in its own spelling.
    assert deferred["after"] == original["after"]
    assert original["after"] == {
        "with_qt": 0,
        "without_qt": -1,
        "mentions_qt": 0,
        "selector": 1,  # snake_case
        "late_qt": 0,
        "late_plain": -1,
    }
    assert deferred["calls"] == original["calls"] == ["", "", ""]
