"""What a real start-up has imported by the time the table's first rows are painted: exactly these of our modules,
none of the heavy libraries, no regular expression of ours compiled, and none of them read by PySide6's import hook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.factories import make_subscription, saved
from tests.ui.child_probe import start_window

# Every module of ours the path to the populated paint needs (main thread and the early rows' thread). A module
# added here costs its import, its classes and PySide6's look at it on every start: keep it off that path if the
# first rows can do without it (import it where it is used).
POPULATED = frozenset(
    {
        "renewaltracker",
        "renewaltracker.__main__",
        "renewaltracker.assets",
        "renewaltracker.i18n",
        "renewaltracker.i18n_compile",  # its catalogue domain name only
        "renewaltracker.options",
        # The rows: read with sqlite3 alone, built as domain objects, flagged when unused.
        "renewaltracker.domain",
        "renewaltracker.domain.channels",
        "renewaltracker.domain.clock",
        "renewaltracker.domain.costs",
        "renewaltracker.domain.errors",
        "renewaltracker.domain.format_shapes",  # the rows' money and dates from formats an earlier start cached
        "renewaltracker.domain.interval",
        "renewaltracker.domain.languages",
        "renewaltracker.domain.letter_phrases",  # money written as Babel writes it, from a cached pattern
        "renewaltracker.domain.money",
        "renewaltracker.domain.patterns",
        "renewaltracker.domain.payment",
        "renewaltracker.domain.prices",
        "renewaltracker.domain.schedule",
        "renewaltracker.domain.subscription",
        "renewaltracker.domain.subscription_fields",
        "renewaltracker.domain.unused",
        "renewaltracker.services",
        "renewaltracker.services.autostart",  # the tray's environment variable's name
        "renewaltracker.services.format_cache",  # reads those cached formats (none yet here: Babel writes them)
        "renewaltracker.storage",
        "renewaltracker.storage.change_probe",
        "renewaltracker.storage.classify",
        "renewaltracker.storage.errors",
        "renewaltracker.storage.file_identity",
        "renewaltracker.storage.gil_handover",
        "renewaltracker.storage.paths",
        "renewaltracker.storage.peek",
        "renewaltracker.storage.quick_read",
        "renewaltracker.storage.schema",
        "renewaltracker.storage.subscription_rows",
        # The frame and its table.
        "renewaltracker.ui",
        "renewaltracker.ui.app",
        "renewaltracker.ui.crash",
        "renewaltracker.ui.display",
        "renewaltracker.ui.fitting",
        "renewaltracker.ui.formatting",
        "renewaltracker.ui.icons",
        "renewaltracker.ui.main_window",
        "renewaltracker.ui.pyside_fixes",
        "renewaltracker.ui.screen_fit",  # the first show fits the window to its screen
        "renewaltracker.ui.single_instance",
        "renewaltracker.ui.subscription_model",
        "renewaltracker.ui.subscriptions_view",
        "renewaltracker.ui.table_model",
    }
)
# Libraries (and parts of ours' dependencies) that belong to later: the features, the log file, the socket.
HEAVY = (
    "sqlalchemy",
    "alembic",
    "jinja2",
    "icalendar",
    "keyring",
    "platformdirs",
    "dateutil",
    "wcwidth",
    "asyncio",
    "email",
    "http",
    "urllib.request",
    "logging.handlers",
    "PySide6.QtNetwork",
    "PySide6.QtSvg",
    # Small ones the frame once loaded for one call each: the display check's socket (ui/display.py), the user's
    # name (ui/single_instance.py), the reference count type (ui/pyside_fixes.py), and argparse's look for its own
    # translations (`locale`), which a usual window command line is read without (options.py).
    "socket",
    "getpass",
    "ctypes",
    "locale",
)
# The real entry point (`python -m renewaltracker --db FILE`), offscreen; the start-up marks it writes to stderr
# ("visible", "populated", "ready") are caught in place, so what is loaded is read at the moment of the paint.
PROBE = f"""
import json, sys
seen = {{}}
class Marks:
    def __init__(self, stream):
        self.stream = stream
    def write(self, text):
        what = text.strip().removeprefix("renewaltracker: ")
        if what in ("visible", "populated", "ready") and what not in seen:
            from renewaltracker.domain.patterns import compiled
            feature = sys.modules["shibokensupport.feature"]
            seen[what] = {{
                "ours": sorted(name for name in sys.modules if name.split(".")[0] == "renewaltracker"),
                "heavy": [name for name in {HEAVY!r} if name in sys.modules],
                "patterns": compiled.cache_info().currsize,
                "hook": feature.feature_imported.__name__,
            }}
            if what == "ready":
                from PySide6.QtWidgets import QApplication
                QApplication.instance().quit()
        return self.stream.write(text)
    def flush(self):
        self.stream.flush()
sys.stderr = Marks(sys.stderr)
from renewaltracker.__main__ import main
code = main(sys.argv[1:])
print(json.dumps({{"code": code, **seen}}))
"""


def _start_up(db_path: Path, tmp_path: Path) -> dict[str, Any]:
    return start_window(PROBE, db_path, tmp_path)


def test_the_populated_paint_has_loaded_only_what_the_first_rows_need(tmp_path: Path) -> None:
    db_path = saved(tmp_path / "rows.sqlite3", [make_subscription(name=name) for name in ("Painted", "Early")])
    seen = _start_up(db_path, tmp_path)
    assert seen["code"] == 0 and list(seen) == ["code", "visible", "populated", "ready"]
    populated = seen["populated"]
    missing = sorted(POPULATED - set(populated["ours"]))
    added = sorted(set(populated["ours"]) - POPULATED)
    assert (added, missing) == ([], [])
    assert populated["heavy"] == []
    assert populated["patterns"] == 0  # the rows are read, not checked: no pattern of ours is compiled for them
    # PySide6 read none of them: its feature check waits for a selection (ui/pyside_fixes.py), from before Qt loaded.
    assert populated["hook"] == "_feature_imported_once_selected"
    # Once every feature is attached, the rest is there (the check that the probe sees a later import at all).
    assert "sqlalchemy" in seen["ready"]["heavy"] and "renewaltracker.domain.spending" in seen["ready"]["ours"]
