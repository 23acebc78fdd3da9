"""Takes the README's and the manual's screenshots of the real window under an X server (run under Xvfb).

Usage: DISPLAY=:N QT_QPA_PLATFORM=xcb python benchmarks/screenshots.py OUTDIR [dark | de | fr | import-preview]
       DISPLAY=:N QT_QPA_PLATFORM=xcb dbus-run-session -- python benchmarks/screenshots.py OUTDIR notification
The window is built as `renewaltracker --demo` builds it (the frame first, then every feature over the demo
data, the rows read on the worker), with a fresh window.ini, so the shots show the default layout. Shots of
the window are of the whole X screen (`import -window root`), as a user would see it, without a window manager;
dialogs and the detail pane are grabbed alone. import-preview is the preview dialog alone over a typical
calendar from another app (OTHER_CALENDAR). Reminders are not started, so no catch-up notice covers the window,
except in notification: there the real notifier sends the catch-up to dunst (started here, on the private
session bus of dbus-run-session), whose bubble is shot over the window.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPoint, QRect, QSettings, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QScrollArea, QSystemTrayIcon, QWidget

from renewaltracker.domain.clock import SystemClock
from renewaltracker.i18n import install_language
from renewaltracker.services.demo import fill_demo
from renewaltracker.services.ics_import import CalendarImporter
from renewaltracker.services.secrets import MemorySecretStore
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import open_database
from renewaltracker.ui.app import build_main_window, create_application
from renewaltracker.ui.composition import Collaborators, Features
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.export_dialog import ExportDialog
from renewaltracker.ui.import_preview import ImportPreviewDialog
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.notifier import Notifier
from renewaltracker.ui.tray import system_notifier

ROOT = Path(__file__).resolve().parents[1]
SCREEN = (1366, 850)  # the X screen the shots are taken on (Xvfb -screen 0 1366x850x24)
# A German bank's CSV export (cp1252, decimal commas), as the statement import reads it.
STATEMENT = Path("tests/fixtures/statements/bank-de-cp1252.csv")


class Silent(Notifier):
    """Reminders never reach a desktop here (they are not started either)."""

    name = "silent"

    def show(self, notice: object, actions: object) -> bool:
        return False


def settle(app: QApplication, ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def dark_palette() -> QPalette:
    """A typical dark desktop palette, to check the window stays readable on one."""
    palette = QPalette()
    role = QPalette.ColorRole
    for name, colour in ((role.Window, "#2b2b2b"), (role.WindowText, "#e6e6e6"), (role.Base, "#1e1e1e"),
                         (role.AlternateBase, "#262626"), (role.Text, "#e6e6e6"), (role.Button, "#353535"),
                         (role.ButtonText, "#e6e6e6"), (role.Highlight, "#3b7ddd"), (role.HighlightedText, "#ffffff"),
                         (role.PlaceholderText, "#8a8a8a"), (role.ToolTipBase, "#353535"),
                         (role.ToolTipText, "#e6e6e6"), (role.Link, "#6ea8ff")):  # fmt: skip
        palette.setColor(name, QColor(colour))
    for name in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, name, QColor("#777777"))
    return palette


def shoot(app: QApplication, path: Path) -> None:
    settle(app)
    subprocess.run(["import", "-window", "root", str(path)], check=True)
    print(path)


def grab(app: QApplication, widget: QWidget, path: Path) -> None:
    """One widget alone (a dialog, the detail pane), as it is drawn on screen."""
    settle(app)
    widget.grab().save(str(path))
    print(path)


# A personal calendar exported from Google Calendar, as users keep their renewals: prices in the titles,
# an end date, a charge count, a skipped month, an event without a UID, and a one-off appointment.
OTHER_CALENDAR = """BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
X-WR-CALNAME:Personal
BEGIN:VEVENT
DTSTART;VALUE=DATE:20250115
DTEND;VALUE=DATE:20250116
RRULE:FREQ=MONTHLY
SUMMARY:Netflix €13.99
UID:1f0c8e2a9b@google.com
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20250203
DTEND;VALUE=DATE:20250204
RRULE:FREQ=MONTHLY;COUNT=12
SUMMARY:Spotify Family 17.99 EUR
UID:7c2d41b0e4@google.com
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20240301
DTEND;VALUE=DATE:20240302
RRULE:FREQ=YEARLY;UNTIL=20280301
SUMMARY:Domain renewal example.org $15.00
UID:93ab55d6f1@google.com
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20250110
DTEND;VALUE=DATE:20250111
RRULE:FREQ=MONTHLY
EXDATE;VALUE=DATE:20250810
SUMMARY:Gym membership 29.90 EUR
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20250620
DTEND;VALUE=DATE:20250621
RRULE:FREQ=YEARLY
SUMMARY:Microsoft 365 €99
UID:0d6e8f3c2a@google.com
END:VEVENT
BEGIN:VEVENT
DTSTART:20250311T083000Z
DTEND:20250311T090000Z
SUMMARY:Dentist
UID:b81f7a6c0e@google.com
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n").encode()


def import_preview(out: Path) -> int:
    """docs/import-preview.png: the dialog over OTHER_CALENDAR, grabbed as the user sees it."""
    app = create_application()
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(Path(folder) / "shot.sqlite3")
        context = AppContext.create(database, SystemClock(), demo=True)
        importer = CalendarImporter(context.service)
        dialog = ImportPreviewDialog(importer, importer.preview(OTHER_CALENDAR))
        dialog.resize(1000, 300)
        dialog.show()
        settle(app)
        dialog.grab().save(str(out / "import-preview.png"))
        print(out / "import-preview.png")
        dialog.reject()
        context.signals.detach()
        database.close()
    return 0


def demo_window(app: QApplication, folder: str, notify: bool = False) -> Features:
    """The window as `renewaltracker --demo` shows it: the frame painted, then the features over the demo data.

    With `notify`, reminders go to the desktop's notifier and fall due at once (the tray is started by the caller).
    """
    # A fresh window.ini: the default layout, not the one of whoever takes the shots.
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(Path(folder) / "config"))
    database = open_database(Path(folder) / "demo.sqlite3")
    context = AppContext.create(database, SystemClock(), demo=True)
    fill_demo(context.service)
    if notify:
        context.service.set_setting("reminder_time", "00:00")  # due already, whatever the hour of the run
    frame = MainWindow(demo=True)
    frame.setGeometry(0, 0, *SCREEN)
    frame.show()
    settle(app, 100)
    notifier = system_notifier if notify else lambda tray_icon: Silent()
    collaborators = Collaborators(MemorySecretStore(), notifier, tray_available=False)
    features = build_main_window(context, collaborators, frame)
    while not features.window.model.loaded or features.window.model.loading:
        settle(app, 50)
    return features


def close(features: Features) -> None:
    window = features.window
    window.close()
    features.close()
    window.context.signals.detach()
    window.context.database.close()


def main(out: Path, dark: bool = False, language: str = "") -> int:
    out.mkdir(parents=True, exist_ok=True)
    if language:
        os.environ["LANGUAGE"] = language
        install_language(language)
    app = create_application()
    if dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    with tempfile.TemporaryDirectory() as folder:
        features = demo_window(app, folder)
        window = features.window
        netflix = next(r.subscription for r in window.model.records() if r.subscription.name.startswith("Netflix"))
        assert netflix.id is not None
        window.open_subscription(netflix.id)
        name = "main-window-dark.png" if dark else f"main-window-{language}.png" if language else "main-window.png"
        shoot(app, out / name)
        if dark or language:
            close(features)
            return 0
        dialog = window.commands.edit_id(netflix.id)
        assert dialog is not None
        dialog.move(300, 40)
        shoot(app, out / "edit-dialog.png")
        dialog.reject()
        window.show_view(window.calendar)
        today = window.context.clock.today()
        month = [today.replace(day=day) for day in range(1, 29)]
        window.calendar.refresh_now()
        window.calendar.background.wait()  # the month is expanded on the view's worker thread
        settle(app)
        busiest = max(month, key=lambda day: (len(window.calendar.grid.events_on(day)), -abs(day.day - today.day)))
        window.calendar.select_day(busiest)
        shoot(app, out / "calendar.png")
        window.show_view(window.upcoming)
        shoot(app, out / "upcoming.png")
        window.show_view(window.spending)
        shoot(app, out / "spending.png")
        household = features.household.view
        assert household is not None
        window.show_view(household)
        shoot(app, out / "household.png")
        window.show_view(window.subscriptions)
        review = features.household.open_review()
        review.resize(900, 560)
        review.table.selectRow(0)
        settle(app)
        review.grab().save(str(out / "review.png"))
        print(out / "review.png")
        review.reject()
        more_shots(app, features, out, folder)
        close(features)
    return 0


def more_shots(app: QApplication, features: Features, out: Path, folder: str) -> None:
    """The price steps in the detail pane, the export dialog, the statement import and the edit conflict."""
    window = features.window
    records = {r.subscription.name: r.subscription for r in window.model.records()}
    streamly, netflix = records["Streamly"], records["Netflix Standard"]
    assert streamly.id is not None and netflix.id is not None
    window.open_subscription(streamly.id)
    settle(app)
    pane = window.detail_tabs
    scroll = window.details.findChild(QScrollArea)
    assert scroll is not None
    steps = window.details.price_steps
    scroll.ensureWidgetVisible(steps)
    settle(app)
    # Down to the price steps: the charge history below is empty for a plan this young.
    bottom = steps.mapTo(pane, QPoint(0, steps.height())).y() + 3
    pane.grab(QRect(0, 0, pane.width(), min(bottom, pane.height()))).save(str(out / "price-steps.png"))
    print(out / "price-steps.png")

    home = os.environ.get("HOME", "")
    os.environ["HOME"] = "/home/alex"  # the suggested file is in the user's home, not the one who takes the shots
    export = ExportDialog(window.context, streamly.id, window)
    os.environ["HOME"] = home
    export.show()
    grab(app, export, out / "export-dialog.png")
    export.reject()

    statements = features.statements.create_dialog()
    statements.resize(1030, 600)
    statements.show()
    statements.open_file(STATEMENT)
    while statements.outcome is None:  # read on the pool's thread
        settle(app, 50)
    grab(app, statements, out / "statement-import.png")
    statements.reject()

    dialog = window.commands.edit_id(netflix.id)
    assert dialog is not None
    # The second writer: the command line cancels it over its own connection while the dialog is open.
    other = open_database(Path(folder) / "demo.sqlite3")
    cli = SubscriptionService(other, SystemClock())
    cli.edit(netflix.id, notes="Cancelled by phone, case 4471")
    cli.cancel(netflix.id)
    other.close()
    dialog.amount_edit.setText("17.99")
    dialog.save()
    assert dialog.conflict_box.isVisible()
    grab(app, dialog, out / "edit-conflict.png")
    dialog.reject()


def dunst_bubble() -> bool:
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--class", "Dunst"], capture_output=True, text=True)
    return bool(found.stdout.split())


def notification(out: Path) -> int:
    """docs/notification.png: the catch-up reminder as the desktop's notification daemon (dunst) draws it."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") or shutil.which("dunst") is None:
        print("needs dunst and a private session bus: run under dbus-run-session", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    dunst = subprocess.Popen(["dunst"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        app = create_application()
        with tempfile.TemporaryDirectory() as folder:
            features = demo_window(app, folder, notify=True)
            window = features.window
            # The first renewal the reminder names, so the pane beside the bubble is not empty.
            first = window.model.records()[0].subscription
            assert first.id is not None
            window.open_subscription(first.id)
            features.tray.start()
            for _ in range(100):
                settle(app, 100)
                if dunst_bubble():
                    break
            else:
                print("no notification appeared", file=sys.stderr)
                return 1
            assert features.tray.notifier.name == "freedesktop" and not QSystemTrayIcon.isSystemTrayAvailable()
            shoot(app, out / "notification.png")
            close(features)
    finally:
        dunst.terminate()
        dunst.wait(timeout=5)
    return 0


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs").resolve()
    os.chdir(ROOT)  # the statement's path is shown relative to the repository
    if "import-preview" in sys.argv[2:]:
        sys.exit(import_preview(folder))
    if "notification" in sys.argv[2:]:
        sys.exit(notification(folder))
    language = next((code for code in ("de", "fr") if code in sys.argv[2:]), "")
    sys.exit(main(folder, dark="dark" in sys.argv[2:], language=language))
