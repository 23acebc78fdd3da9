"""Screenshots of the periodic review and the Household view over the demo data, on a temporary database.

Run `python docs/screenshot_household.py --grab docs/` (works offscreen); it writes review.png and household.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtGui import QPainter, QPixmap  # noqa: E402, TID251 - a UI harness

from renewaltracker.domain.clock import FixedClock  # noqa: E402
from renewaltracker.services.demo import fill_demo  # noqa: E402
from renewaltracker.storage.database import open_database  # noqa: E402
from renewaltracker.ui import household  # noqa: E402
from renewaltracker.ui.app import create_application  # noqa: E402
from renewaltracker.ui.context import AppContext  # noqa: E402
from renewaltracker.ui.main_window import MainWindow  # noqa: E402

CLOCK = FixedClock(datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Europe/Berlin")))


def main() -> int:
    folder = Path(sys.argv[sys.argv.index("--grab") + 1]) if "--grab" in sys.argv else ROOT / "docs"
    temporary = tempfile.mkdtemp()
    os.environ["XDG_CONFIG_HOME"] = temporary
    app = create_application()
    context = AppContext.create(open_database(Path(temporary) / "shot.sqlite3"), CLOCK)
    fill_demo(context.service)
    window = MainWindow(context)
    feature = household.install(window, lambda _sid: None)  # only this feature, whatever else the app installs
    window.setGeometry(0, 0, 1200, 720)
    window.show()
    window.load()
    assert feature.view is not None
    window.show_view(feature.view)
    app.processEvents()
    window.grab().save(str(folder / "household.png"))

    window.show_view(window.subscriptions)
    dialog = feature.open_review()
    dialog.resize(900, 560)
    dialog.table.selectRow(0)
    app.processEvents()
    canvas = QPixmap(dialog.size())
    painter = QPainter(canvas)
    painter.drawPixmap(0, 0, dialog.grab())
    painter.end()
    canvas.save(str(folder / "review.png"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
