"""Grabs every screen issue #15 names (main window, editor, spending, draft, reminders, demo, empty list) as PNGs.

Run under Xvfb: `DISPLAY=:N QT_QPA_PLATFORM=xcb python docs/screenshot_screens.py PREFIX` writes
docs/screens/PREFIX-<screen>.png. It works on a temporary database filled with the demo data.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402, TID251 - a UI harness

from renewaltracker.domain.clock import SystemClock  # noqa: E402
from renewaltracker.domain.drafts import DraftKind  # noqa: E402
from renewaltracker.domain.reminders import notice_for  # noqa: E402
from renewaltracker.services.demo import fill_demo  # noqa: E402
from renewaltracker.services.secrets import MemorySecretStore  # noqa: E402
from renewaltracker.storage.database import open_database  # noqa: E402
from renewaltracker.ui.app import create_application  # noqa: E402
from renewaltracker.ui.composition import Collaborators, Features, build_main_window  # noqa: E402
from renewaltracker.ui.context import AppContext  # noqa: E402
from renewaltracker.ui.notifier import Notifier  # noqa: E402


class Silent(Notifier):
    """A notifier that never reaches the user, so reminders land in the window's own list."""

    name = "silent"

    def show(self, notice: object, actions: object) -> bool:
        return False


def settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def save(app: QApplication, widget: QWidget, path: Path) -> None:
    settle(app)
    widget.grab().save(str(path))
    print(path)


def build(folder: str, name: str, *, demo: bool, fill: bool) -> Features:
    database = open_database(Path(folder) / f"{name}.sqlite3")
    context = AppContext.create(database, SystemClock(), demo=demo)
    if fill:
        fill_demo(context.service)
    features = build_main_window(
        context, Collaborators(secrets=MemorySecretStore(), notifier=lambda icon: Silent(), tray_available=False)
    )
    window = features.window
    window.setGeometry(0, 0, 1280, 780)
    window.show()
    window.load()
    return features


def main() -> int:
    prefix = sys.argv[1]
    out = ROOT / "docs" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    folder = tempfile.mkdtemp()
    os.environ["XDG_CONFIG_HOME"] = folder
    app = create_application()

    features = build(folder, "own", demo=False, fill=True)
    window = features.window
    window.subscriptions.table.selectRow(0)
    save(app, window, out / f"{prefix}-main.png")
    window.show_view(window.spending)
    save(app, window, out / f"{prefix}-spending.png")
    window.show_view(window.subscriptions)
    dialog = window.commands.add()
    save(app, dialog, out / f"{prefix}-editor.png")
    dialog.reject()
    first = window.model.records()[0].subscription.id
    assert first is not None
    draft = features.letters.open_draft(DraftKind.CANCEL, first)
    assert draft is not None
    save(app, draft, out / f"{prefix}-draft.png")
    draft.reject()
    today = window.context.clock.today()
    due = features.tray.reminders.due(window.context.clock.now() + timedelta(days=12))[:4]
    features.tray.show_in_window(notice_for(due, today))
    assert features.tray.dialog is not None
    save(app, features.tray.dialog, out / f"{prefix}-reminders.png")
    features.tray.dialog.hide()
    window.hide()

    demo = build(folder, "demo", demo=True, fill=True).window
    save(app, demo, out / f"{prefix}-demo.png")
    demo.hide()
    empty = build(folder, "empty", demo=False, fill=False).window
    save(app, empty, out / f"{prefix}-empty.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
