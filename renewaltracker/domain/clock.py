"""An injectable clock, so tests and the reminder engine never read the wall clock directly."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, always time-zone aware."""
        ...

    def today(self) -> date:
        """Today's date in the user's local time zone."""
        ...


class SystemClock:
    """The machine's clock in the local time zone (or a given one)."""

    def __init__(self, zone: tzinfo | None = None) -> None:
        self._zone = zone

    def now(self) -> datetime:
        current = datetime.now().astimezone()
        return current.astimezone(self._zone) if self._zone is not None else current

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
