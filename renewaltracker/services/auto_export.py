"""Keeps a chosen .ics file current: rewritten in one step after every committed change."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from renewaltracker.domain.errors import ValidationError
from renewaltracker.i18n import _

if TYPE_CHECKING:  # the exporter (and icalendar) load on the first export, not with every command that may change data
    from renewaltracker.services.ics_export import ExportOptions
    from renewaltracker.services.subscriptions import Change, SubscriptionService

log = logging.getLogger(__name__)

# What a change notification says changed, when it cannot change the calendar: it holds no charges (recording,
# editing or refunding one leaves every event as it was, so the file is not encoded again).
_NOT_IN_CALENDAR = frozenset({"charges"})


def affects_calendar(change: str) -> bool:
    """Whether a change of this kind (a `Change`, or its value in the window's signal) can change the file."""
    return change not in _NOT_IN_CALENDAR


def export_target(setting: str) -> Path | None:
    """The file the `auto_export_path` setting names, or None when there is none to keep current."""
    return Path(setting).expanduser() if setting.strip() else None


class AutoExporter:
    """Rewrites `auto_export_path` (when set) with the options from settings."""

    def __init__(self, service: SubscriptionService, on_error: Callable[[str], None] | None = None) -> None:
        self.service = service
        self.last_error: str | None = None
        # Told each failure in words (the command line prints it); the change itself has succeeded regardless.
        self.on_error = on_error

    def attach(self) -> Callable[[], None]:
        """Export after each change the service commits; returns the function that stops it."""
        return self.service.subscribe(self._changed)

    def _changed(self, change: Change, _subscription_id: int | None) -> None:
        if affects_calendar(change):
            self.export_now()

    def options(self) -> ExportOptions:
        from renewaltracker.services.ics_export import ExportOptions, Scope

        scope = Scope.ACTIVE if self.service.setting("auto_export_scope") == "active" else Scope.ALL
        return ExportOptions(
            scope=scope,
            include_amounts=self.service.setting("auto_export_amounts"),
            expanded=self.service.setting("auto_export_expanded"),
        )

    def target(self) -> Path | None:
        return export_target(self.service.setting("auto_export_path"))

    def export_now(self) -> Path | None:
        """Write the file now; a failure is remembered and logged, never raised into the change that caused it."""
        path = self.target()
        if path is None:
            return None
        from renewaltracker.services.ics_export import CalendarExporter

        try:
            CalendarExporter(self.service).export_to(path, self.options())
        except (OSError, ValidationError) as error:  # a path that is the database's own is refused, not written
            reason = error.problem if isinstance(error, ValidationError) else error.strerror or error
            self.last_error = _("could not update the calendar file {path}: {reason}").format(path=path, reason=reason)
            log.warning("%s", self.last_error)
            if self.on_error is not None:
                self.on_error(self.last_error)
            return None
        self.last_error = None
        return path
