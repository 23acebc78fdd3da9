"""The app started at login into the tray: reminders without SQLAlchemy, another process's write noticed, and the
window built (with current data) only when opened from the tray; a database the plain path declines takes the
ORM path as before. Each test runs the real `main` in a child process, offscreen with the tray reported present
(offscreen Qt has none) and a notifier that records."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from renewaltracker.domain.clock import SystemClock
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import open_database
from tests.factories import make_subscription
from tests.ui.child_probe import start_window

HEAVY = ("sqlalchemy", "jinja2", "renewaltracker.ui.composition", "renewaltracker.ui.main_window")
PROBE = f"""
import gc, json, subprocess, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
from renewaltracker.ui import app, light_tray, tray
from renewaltracker.ui.notifier import Notifier

QSystemTrayIcon.isSystemTrayAvailable = staticmethod(lambda: True)  # offscreen has no tray
seen = {{"shown": [], "refreshes": []}}

class Recorder(Notifier):
    name = "recorder"
    def show(self, notice, actions):
        seen["shown"].append([r.event.name for r in notice.reminders])
        return True

tray.system_notifier = lambda icon: Recorder()
add = sys.argv.pop(sys.argv.index("--then-add") + 1), sys.argv.remove("--then-add")
started = light_tray.LightTray.start

def start(self, **options):
    def refreshed():
        modules = [name for name in {HEAVY!r} if name in sys.modules]
        menu = [a.text() for a in self.menu.actions() if not a.isSeparator()]
        seen["refreshes"].append({{"modules": modules, "menu": menu, "tooltip": self.icon.toolTip(),
                                   "collecting": gc.isenabled()}})
        if len(seen["refreshes"]) == 1:  # another process adds a subscription: the watcher must notice
            subprocess.run([sys.executable, "-m", "renewaltracker", "--db", sys.argv[2], *add[0].split("|")],
                           check=True, capture_output=True)
        elif any("Added elsewhere" in text for text in menu) and "opened" not in seen:
            seen["opened"] = True
            self.open_window(lambda features: QTimer.singleShot(0, lambda: built(features)))

    def built(features):
        window = features.window
        seen["window"] = {{
            "visible": window.isVisible(),
            "rows": sorted(r.subscription.name for r in window.model.records()),
            "modules": [name for name in {HEAVY!r} if name in sys.modules],
            "light_icon_visible": self.icon.isVisible(),
            "scheduler_stopped": self.scheduler._stopped,
        }}
        QApplication.instance().quit()

    self.refreshed.connect(refreshed)
    started(self, watch_sleep=False)

light_tray.LightTray.start = start

def marked(what):  # the ORM path (a database the plain path declines) says "ready" once built
    if what == "ready":
        seen["ready"] = [name for name in {HEAVY!r} if name in sys.modules]
        window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "MainWindow")
        seen["ready_visible"] = window.isVisible()
        QTimer.singleShot(500, QApplication.instance().quit)

app._mark = marked
code = app.main(sys.argv[1:])
print(json.dumps({{"code": code, **seen}}))
"""


def run_at_login(db_path: Path, tmp_path: Path, then_add: str = "") -> dict[str, Any]:
    # As the login entry starts it (services/autostart.py).
    return start_window(PROBE, db_path, tmp_path, "--then-add", then_add, RENEWALTRACKER_IN_TRAY="1")


def test_in_the_tray_reminders_come_without_sqlalchemy_and_the_window_opens_with_current_data(tmp_path: Path) -> None:
    db_path = tmp_path / "login.sqlite3"
    database = open_database(db_path)
    service = SubscriptionService(database, SystemClock())
    today = date.today()
    # Reminded three days ahead: due since yesterday, charged tomorrow, so the start delivers it.
    service.add(make_subscription(name="Due now", anchor=today + timedelta(days=1), reminder_days=(3,)))
    service.add(make_subscription(name="Quiet", anchor=today + timedelta(days=200), interval="1 year"))
    database.close()
    soon = (today + timedelta(days=2)).isoformat()
    seen = run_at_login(db_path, tmp_path, f"add|--name|Added elsewhere|--amount|5|--every|1 month|--start|{soon}")
    first, *later = seen["refreshes"]
    assert seen["shown"][0] == ["Due now"]  # delivered at start, from the plain path
    assert first["modules"] == [] and all(step["modules"] == [] for step in later)
    assert all(step["collecting"] for step in seen["refreshes"])  # a tray running all day collects its cycles
    assert any(text.endswith("Due now, $39.99") for text in first["menu"])
    assert "Renewal Tracker\nNext charge:" in first["tooltip"]
    assert "Open Renewal Tracker" in [text.replace("&", "") for text in first["menu"]]
    # The CLI's write in another process reached the menu without anyone opening the window.
    assert any("Added elsewhere" in text for text in later[-1]["menu"])
    window = seen["window"]
    assert window["visible"] and window["rows"] == ["Added elsewhere", "Due now", "Quiet"]
    assert set(window["modules"]) == set(HEAVY)  # the features load now, not before
    assert not window["light_icon_visible"] and window["scheduler_stopped"]  # the window's tray took over
    assert seen["code"] == 0


def test_a_database_the_plain_path_declines_is_opened_the_normal_way_and_stays_in_the_tray(tmp_path: Path) -> None:
    seen = run_at_login(tmp_path / "new" / "first.sqlite3", tmp_path)  # first run: no file yet
    assert set(seen["ready"]) == set(HEAVY) and seen["ready_visible"] is False
    assert seen["refreshes"] == [] and seen["code"] == 0
    assert (tmp_path / "new" / "first.sqlite3").is_file()
