"""End-to-end check of a real desktop notification: Xvfb + dunst on a private D-Bus session (Linux, manual).

Run from the repository root (needs the Debian packages xvfb, dunst, xdotool, imagemagick, dbus):

    dbus-run-session -- .venv/bin/python benchmarks/desktop_notification.py [--screenshot docs/notification.png]

It starts Xvfb and dunst, opens the app over a fresh database with one renewal due for a reminder, checks that
the reminder went to the freedesktop notification service (not a tray fallback), saves a screenshot, then
middle-clicks the bubble (dunst's "do action") and checks that the click opened that subscription. Last, it
plays logind on the private bus and checks that `PrepareForSleep(false)` makes the scheduler check again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def start_display() -> list[subprocess.Popen[bytes]]:
    for tool in ("Xvfb", "dunst", "xdotool", "import"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing; see the module docstring")
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        raise SystemExit("run me under dbus-run-session (see the module docstring)")
    # -displayfd: Xvfb picks a free display and writes its number, so parallel runs never collide.
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1100x620x24"],
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    with os.fdopen(read_end) as numbers:
        os.environ["DISPLAY"] = f":{numbers.readline().strip()}"
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    deadline = time.monotonic() + 10
    while subprocess.run(["xdotool", "getdisplaygeometry"], capture_output=True).returncode != 0:
        if time.monotonic() > deadline:
            raise SystemExit("Xvfb did not start")
        time.sleep(0.05)
    dunst = subprocess.Popen(["dunst"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return [dunst, xvfb]


def find_bubble() -> tuple[int, int, int, int] | None:
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--class", "Dunst"], capture_output=True, text=True)
    for window in found.stdout.split():
        geometry = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window], capture_output=True, text=True)
        values = dict(line.split("=", 1) for line in geometry.stdout.split())
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])
    return None


def check_wake_signal(tray: Any, wait: Any) -> bool:
    """Play logind on the private session bus: own its name and announce the end of a sleep."""
    from PySide6.QtDBus import QDBusConnection, QDBusMessage

    from renewaltracker.ui.reminder_scheduler import LOGIND

    bus = QDBusConnection.sessionBus()
    service, path, interface = LOGIND
    if not bus.registerService(service) or not tray.scheduler.watch_logind(bus):
        return False
    before = tray.scheduler.wakeups
    message = QDBusMessage.createSignal(path, interface, "PrepareForSleep")
    message.setArguments([False])
    bus.send(message)
    for _ in range(30):
        wait(100)
        if tray.scheduler.wakeups > before:
            return True
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--screenshot", type=Path, help="where to save the screenshot (PNG)")
    args = parser.parse_args()
    helpers = start_display()
    try:
        return run(args.screenshot)
    finally:
        for helper in helpers:
            helper.terminate()
            helper.wait(timeout=5)


def run(screenshot: Path | None) -> int:
    from PySide6.QtCore import QEventLoop, QTimer

    from renewaltracker.domain.clock import SystemClock
    from renewaltracker.domain.interval import parse_interval
    from renewaltracker.domain.subscription import Subscription
    from renewaltracker.storage.database import open_database
    from renewaltracker.ui.app import build_main_window, create_application
    from renewaltracker.ui.context import AppContext
    from renewaltracker.ui.tray import ReminderTray

    app = create_application()  # kept alive until the end of the run
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(Path(folder) / "notify.sqlite3")
        clock = SystemClock()
        context = AppContext.create(database, clock)
        context.service.set_setting("reminder_time", "00:00")  # due already, whatever the hour of the run
        charge = clock.today() + timedelta(days=7)
        subscription = context.service.add(
            Subscription(
                name="StreamFlix Premium",
                amount=Decimal("17.99"),
                currency="EUR",
                interval=parse_interval("1 month"),
                anchor=charge,
                reminder_days=(7,),
                notice_days=3,
            )
        )
        window = build_main_window(context)
        tray = window.findChild(ReminderTray)
        assert tray is not None
        opened: list[int] = []
        window.selection_changed.connect(lambda sid: opened.append(sid))
        window.resize(700, 420)
        window.move(20, 150)
        window.show()
        tray.start()
        print(f"notifier: {tray.notifier.name}")

        def wait(milliseconds: int) -> None:
            loop = QEventLoop()
            QTimer.singleShot(milliseconds, loop.quit)
            loop.exec()

        bubble = None
        for _ in range(50):
            wait(100)
            bubble = find_bubble()
            if bubble:
                break
        print(f"bubble on screen: {bubble}")
        if screenshot is not None and bubble is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(["import", "-window", "root", str(screenshot)], check=True)
            print(f"screenshot: {screenshot}")
        if bubble is not None:
            x, y, width, height = bubble
            subprocess.run(
                ["xdotool", "mousemove", str(x + width // 2), str(y + height // 2), "click", "2"], check=True
            )
            for _ in range(30):
                wait(100)
                if opened:
                    break
        print(f"click opened subscription: {opened} (expected [{subscription.id}])")
        woke = check_wake_signal(tray, wait)
        print(f"logind PrepareForSleep(false) made the scheduler check again: {woke}")
        ok = tray.notifier.name == "freedesktop" and bubble is not None and opened == [subscription.id] and woke
        print("PASS" if ok else "FAIL")
        tray.notifier.close()
        window.close()
        database.close()
    app.quit()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
