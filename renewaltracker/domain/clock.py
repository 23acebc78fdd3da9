"""An injectable clock, so tests and the reminder engine never read the wall clock directly."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime, tzinfo
from typing import Protocol

# Windows has no time.tzset and its C runtime keeps the zone it read at start-up, so local time there never follows
# a zone changed while the app runs; the registry has the zone as it is now.
WINDOWS = sys.platform == "win32"


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, always time-zone aware."""
        ...

    def today(self) -> date:
        """Today's date in the user's local time zone."""
        ...


def system_zone() -> tzinfo | None:
    """The machine's time zone as set now, with its DST rules; None when it cannot be read."""
    from dateutil import tz

    if WINDOWS and not os.environ.get("TZ") and tz.tzwinlocal is not None:
        return tz.tzwinlocal()  # reads the registry at each construction
    return tz.gettz()


class SystemClock:
    """The machine's clock in the local time zone (or a given one)."""

    def __init__(self, zone: tzinfo | None = None) -> None:
        self._zone = zone
        # Read once and again at each follow_system_zone(), never per tick: now() runs thousands of times a plan.
        self._windows_zone = system_zone() if WINDOWS and zone is None else None

    def now(self) -> datetime:
        if self._windows_zone is not None:
            return datetime.now(self._windows_zone)
        current = datetime.now().astimezone()
        return current.astimezone(self._zone) if self._zone is not None else current

    def follow_system_zone(self) -> None:
        """Take up a zone changed since (Windows; elsewhere local time follows once `time.tzset` has run)."""
        if WINDOWS and self._zone is None:
            self._windows_zone = system_zone()

    def today(self) -> date:
        return self.now().date()


class FixedClock:
    """A clock that stands still until moved; for tests and `--now`."""

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("a FixedClock needs a time-zone aware datetime")
        self._moment = moment

    def now(self) -> datetime:
        return self._moment

    def today(self) -> date:
        return self._moment.date()

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("a FixedClock needs a time-zone aware datetime")
        self._moment = moment
