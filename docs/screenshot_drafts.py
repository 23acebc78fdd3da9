"""Shows the draft dialog over the main window with the Contacts tab, on a temporary database, for a screenshot.

Run under Xvfb: `DISPLAY=:N QT_QPA_PLATFORM=xcb python docs/screenshot_drafts.py`, then `import -window root`.
With `--grab FILE` it saves the window and dialog itself (works offscreen too) and quits.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QTimer  # noqa: E402, TID251 - a UI harness
from PySide6.QtGui import QPainter, QPixmap  # noqa: E402, TID251

from renewaltracker.domain.clock import FixedClock  # noqa: E402
from renewaltracker.domain.contacts import Channel, Contact  # noqa: E402
from renewaltracker.domain.drafts import DraftKind  # noqa: E402
from renewaltracker.domain.interval import parse_interval  # noqa: E402
from renewaltracker.domain.subscription import Subscription  # noqa: E402
from renewaltracker.services.secrets import MemorySecretStore  # noqa: E402
from renewaltracker.storage.database import open_database  # noqa: E402
from renewaltracker.ui.app import create_application  # noqa: E402
from renewaltracker.ui.context import AppContext  # noqa: E402
from renewaltracker.ui.drafts import install  # noqa: E402
from renewaltracker.ui.main_window import MainWindow  # noqa: E402

CLOCK = FixedClock(datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Europe/Berlin")))


def main() -> int:
    grab = sys.argv[sys.argv.index("--grab") + 1] if "--grab" in sys.argv else None
    folder = tempfile.mkdtemp()
    os.environ["XDG_CONFIG_HOME"] = folder
    app = create_application()
    database = open_database(Path(folder) / "shot.sqlite3")
    context = AppContext.create(database, CLOCK)
    service = context.service
    sub = service.add(Subscription(
        "Print + Digital", "39.99", "USD", parse_interval("1 year"), date(2025, 3, 8), vendor="Northwind Monthly",
        refund_days=30, order_number="NWM-448120", account="sam.lee@example.com",
        support_email="subscriptions@northwind.example", payment_method="Visa ending 4242"))  # fmt: skip
    assert sub.id is not None
    service.record_charge(sub.id, date(2026, 3, 8), reference="INV-2026-0308")
    service.set_setting("user_name", "Sam Lee")
    window = MainWindow(context)
    feature = install(window, MemorySecretStore())  # only this feature, whatever else the app installs
    feature.contacts.add(Contact(sub.id, datetime(2026, 3, 9, 16, 5, tzinfo=UTC), Channel.CHAT,
                                 case_number="NW-5521", agent="Dana",
                                 summary="Asked to cancel and refund the renewal of 8 March.",
                                 outcome="Told to email the subscriptions team.",
                                 follow_up=date(2026, 3, 16)))  # fmt: skip
    feature.contacts.add(Contact(sub.id, datetime(2026, 3, 8, 19, 40, tzinfo=UTC), Channel.WEB_FORM,
                                 summary="Renewal notice: $39.99 charged to Visa ending 4242."))  # fmt: skip
    window.setGeometry(0, 0, 1366, 850)
    window.splitter.setSizes([180, 1186])
    window.show()
    window.selection_changed.emit(sub.id)
    tabs = window.detail_tabs
    tabs.setCurrentIndex([tabs.tabText(i) for i in range(tabs.count())].index("Contacts"))
    dialog = feature.open_draft(DraftKind.REFUND, sub.id)
    assert dialog is not None
    dialog.setGeometry(700, 30, 660, 800)
    dialog.copy_to_clipboard()  # shows the offer to record the contact

    def save() -> None:
        assert grab is not None
        canvas = QPixmap(window.size().expandedTo(dialog.size()))
        painter = QPainter(canvas)
        painter.drawPixmap(0, 0, window.grab())
        # Right-aligned on the screen whatever width the dialog's layout needs, so none of it is cut off.
        print(f"draft dialog {dialog.width()}x{dialog.height()}")
        painter.drawPixmap(window.width() - dialog.width(), dialog.y() - window.y(), dialog.grab())
        painter.end()
        canvas.save(grab)
        app.quit()

    if grab:
        QTimer.singleShot(300, save)
    return int(app.exec())


if __name__ == "__main__":
    raise SystemExit(main())
