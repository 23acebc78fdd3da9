"""A minimal system tray for measurements and tests: a StatusNotifierWatcher on the session bus (the D-Bus tray
protocol KDE, GNOME's AppIndicator extension, waybar and others speak), so Qt's `isSystemTrayAvailable()` answers
True and a `QSystemTrayIcon` registers with it as on a desktop. It draws nothing.

Run under a private session bus: `dbus-run-session -- python benchmarks/tray_host.py` prints "ready" once it owns
the watcher's name, then serves until killed.
"""

# No `from __future__ import annotations`: dbus-fast reads the D-Bus signatures from the annotations.

import asyncio
import sys

from dbus_fast import BusType
from dbus_fast.aio import MessageBus
from dbus_fast.service import PropertyAccess, ServiceInterface, dbus_property, method, signal

WATCHER = "org.kde.StatusNotifierWatcher"
# D-Bus signatures, which dbus-fast reads from the annotations (a string such as "as" is no Python type).
STRING, STRINGS, BOOLEAN, INT32 = "s", "as", "b", "i"


class Watcher(ServiceInterface):
    """Accepts every item and host; `items` lists the icons that registered (one per tray icon shown)."""

    def __init__(self) -> None:
        super().__init__(WATCHER)
        self.items: list[str] = []

    @method()
    def RegisterStatusNotifierItem(self, service: STRING) -> None:
        self.items.append(service)
        self.StatusNotifierItemRegistered(service)

    @method()
    def RegisterStatusNotifierHost(self, service: STRING) -> None:
        pass

    @signal()
    def StatusNotifierItemRegistered(self, service: str) -> STRING:
        return service

    @dbus_property(access=PropertyAccess.READ)
    def RegisteredStatusNotifierItems(self) -> STRINGS:
        return list(self.items)

    @dbus_property(access=PropertyAccess.READ)
    def IsStatusNotifierHostRegistered(self) -> BOOLEAN:
        return True

    @dbus_property(access=PropertyAccess.READ)
    def ProtocolVersion(self) -> INT32:
        return 0


async def serve() -> None:
    bus = await MessageBus(bus_type=BusType.SESSION).connect()
    bus.export("/StatusNotifierWatcher", Watcher())
    await bus.request_name(WATCHER)
    print("ready", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        sys.exit(0)
