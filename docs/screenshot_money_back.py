"""Saves the three money-back screenshots (charge history menu, a request with its contacts, the savings) to docs/.

Run: `DISPLAY=:N QT_QPA_PLATFORM=xcb python docs/screenshot_money_back.py` (or offscreen); it builds the seed
story on a temporary database, grabs the window and quits.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QPoint, QTimer  # noqa: E402, TID251 - a UI harness
from PySide6.QtGui import QPainter  # noqa: E402, TID251

from renewaltracker.domain.clock import FixedClock  # noqa: E402
from renewaltracker.domain.contacts import Channel, Contact  # noqa: E402
from renewaltracker.domain.interval import parse_interval  # noqa: E402
from renewaltracker.domain.requests import Outcome, RequestKind  # noqa: E402
from renewaltracker.domain.subscription import Subscription  # noqa: E402
from renewaltracker.services.requests import RequestService  # noqa: E402
from renewaltracker.services.secrets import MemorySecretStore  # noqa: E402
from renewaltracker.storage.database import open_database  # noqa: E402
from renewaltracker.ui.app import create_application  # noqa: E402
from renewaltracker.ui.composition import Collaborators, build_main_window  # noqa: E402
from renewaltracker.ui.context import AppContext  # noqa: E402
from renewaltracker.ui.formatting import Formatter  # noqa: E402
from renewaltracker.ui.notifier import Notifier  # noqa: E402
from renewaltracker.ui.requests_view import RequestsTab  # noqa: E402

BERLIN = ZoneInfo("Europe/Berlin")
CLOCK = FixedClock(datetime(2026, 3, 20, 9, 30, tzinfo=BERLIN))
DOCS = ROOT / "docs"


def main() -> int:
    folder = tempfile.mkdtemp()
    os.environ["XDG_CONFIG_HOME"] = folder
    app = create_application()
    database = open_database(Path(folder) / "shot.sqlite3")
    context = AppContext.create(database, CLOCK)
    service = context.service
    magazine = service.add(
        Subscription(
            "Monthly Reader", "39.99", "USD", parse_interval("1 year"), date(2025, 3, 10), vendor="Acme Magazines",
            refund_days=3, support_email="help@acme.example", payment_method="Visa ending 4242",
        )
    )
    gym = service.add(
        Subscription("Gym", "30", "USD", parse_interval("1 month"), date(2025, 11, 5), vendor="FitCo")
    )
    assert magazine.id is not None and gym.id is not None
    charge = service.record_charge(magazine.id, date(2025, 3, 10), reference="INV-512")
    renewal = service.record_charge(magazine.id, date(2026, 3, 10), reference="INV-778")
    del charge
    for month in (1, 2, 3):
        service.record_charge(gym.id, date(2026, month, 5))
    service.cancel(gym.id, date(2026, 3, 20))
    requests = RequestService(database, CLOCK)
    assert renewal.id is not None
    request = requests.open(magazine.id, RequestKind.REFUND, renewal.id, on=date(2026, 3, 10))
    collaborators = Collaborators(
        MemorySecretStore(), lambda icon: Notifier(), Formatter("en_US"), tray_available=False, quit_app=app.quit
    )
    features = build_main_window(context, collaborators)
    contacts = features.letters.contacts
    contacts.add(Contact(magazine.id, datetime(2026, 3, 10, 18, 5, tzinfo=BERLIN), Channel.EMAIL,
                         summary="Refund: renewal of 10 March, asked within the 72-hour window",
                         outcome="Sent by email.", request_id=request.id))  # fmt: skip
    contacts.add(Contact(magazine.id, datetime(2026, 3, 11, 15, 0, tzinfo=BERLIN), Channel.PHONE,
                         case_number="CS-4471", agent="Dana", summary="Called about the refund",
                         outcome="Refund approved", promised="the refund within 5 business days",
                         promised_by=date(2026, 3, 18), follow_up=date(2026, 3, 18), request_id=request.id))  # fmt: skip
    window = features.window
    window.setGeometry(0, 0, 1366, 850)
    window.splitter.setSizes([560, 806])
    window.show()
    window.open_subscription(magazine.id)
    tabs = window.detail_tabs
    names = [tabs.tabText(i) for i in range(tabs.count())]

    def shoot_menu() -> None:
        tabs.setCurrentIndex(names.index("Details"))
        details = window.details
        details.history.selectRow(0)
        menu = details.history_actions.menu()
        spot = details.history.viewport().mapTo(window, QPoint(120, 30))
        menu.popup(window.mapToGlobal(spot))
        app.processEvents()
        canvas = window.grab()
        painter = QPainter(canvas)
        painter.drawPixmap(spot, menu.grab())
        painter.end()
        menu.close()
        canvas.save(str(DOCS / "charge-history-menu.png"))
        QTimer.singleShot(200, shoot_request)

    def settle_tab() -> None:
        """Until the tab in front shows what its worker read (detail tabs read off the GUI thread)."""
        tab = tabs.currentWidget()
        reads = getattr(tab, "reads", None)
        deadline = time.monotonic() + 10
        while reads is not None and (reads.busy or reads.waiting) and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        app.processEvents()

    def shoot_request() -> None:
        tabs.setCurrentIndex(names.index("Requests"))
        settle_tab()
        window.grab().save(str(DOCS / "request-contacts.png"))
        service.refund_charge(magazine.id, renewal.id or 0, on=date(2026, 3, 20))
        # Resolved in the Requests tab, as the user does, so the tab shows it won.
        tab = window.findChild(RequestsTab)
        settle_tab()
        assert tab is not None
        if tab.selected() is None:
            tab.table.selectRow(0)
        assert tab.selected() is not None
        tab.resolve(Outcome.WON)
        QTimer.singleShot(200, shoot_savings)

    def shoot_savings() -> None:
        window.splitter.setSizes([1000, 366])
        window.show_view(window.spending)
        window.spending.refresh()
        # The figures are computed on the view's worker and laid out over a few event-loop turns.
        window.spending.background.wait()
        loop = QEventLoop()
        QTimer.singleShot(500, loop.quit)
        loop.exec()
        inner = window.spending.savings_label.parentWidget()
        scroll = inner.parentWidget()
        while scroll is not None and not hasattr(scroll, "ensureWidgetVisible"):
            scroll = scroll.parentWidget()
        if scroll is not None:
            scroll.ensureWidgetVisible(inner)  # type: ignore[attr-defined]
        app.processEvents()
        window.grab().save(str(DOCS / "savings.png"))
        app.quit()

    QTimer.singleShot(800, shoot_menu)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
