"""Windows: the app follows a time-zone change while it runs, read from the registry as dateutil's tzwinlocal does.

Windows has no `time.tzset`, and its C runtime keeps the zone it read at start-up: a laptop that travelled kept
warning at the old zone's reminder time, and today's date turned over at the old midnight. Only Linux runs here,
so the registry is stood in for by what `tzwinlocal()` would return.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz

from renewaltracker.domain import clock as clock_module
from renewaltracker.domain.clock import SystemClock
from renewaltracker.services.reminders import ReminderService
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import Database


class Registry:
    """What Windows' TimeZoneInformation key says now; `tzwinlocal()` reads it at each construction."""

    def __init__(self, name: str) -> None:
        self.zone: tzinfo = ZoneInfo(name)
        self.reads = 0

    def tzwinlocal(self) -> tzinfo:
        self.reads += 1
        return self.zone


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Registry:
    registry = Registry("Europe/Berlin")
    monkeypatch.setattr(clock_module, "WINDOWS", True)
    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr(tz, "tzwinlocal", registry.tzwinlocal)
    # The C runtime's fixed zone, as Windows' Python sees it whatever the registry says later: UTC here.
    monkeypatch.setattr(tz, "gettz", lambda name=None: UTC)
    return registry


def test_the_clock_and_the_reminders_follow_a_zone_changed_in_the_registry(
    registry: Registry, database: Database
) -> None:
    clock = SystemClock()
    assert clock.now().utcoffset() == datetime.now(ZoneInfo("Europe/Berlin")).utcoffset()
    reminders = ReminderService(database, SubscriptionService(database, clock), clock)
    assert str(reminders.zone) == "Europe/Berlin"

    registry.zone = ZoneInfo("Asia/Tokyo")  # the user picks Tokyo in Settings → Time & language
    assert reminders.follow_system_zone()
    assert str(reminders.zone) == "Asia/Tokyo"
    assert clock.now().utcoffset() == timedelta(hours=9)
    assert not reminders.follow_system_zone()  # no change, no re-plan


def test_the_registry_is_not_read_on_every_tick(registry: Registry) -> None:
    # now() runs thousands of times in a plan: it reads the zone the last check took up, not the registry.
    clock = SystemClock()
    reads = registry.reads
    for _ in range(100):
        clock.now()
    assert registry.reads == reads
