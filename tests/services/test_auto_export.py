"""Auto-export: the file follows every committed change; a failure is reported, never raised into the change."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from renewaltracker.i18n import install_language
from renewaltracker.services.auto_export import AutoExporter
from renewaltracker.services.subscriptions import SubscriptionService
from tests.factories import make_subscription


def summaries(path: Path) -> set[str]:
    return {str(event["SUMMARY"]) for event in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def test_file_follows_changes_with_the_chosen_options(service: SubscriptionService, tmp_path: Path) -> None:
    target = tmp_path / "renewals.ics"
    AutoExporter(service).attach()
    service.add(make_subscription(name="Before"))
    assert not target.exists()  # off until a path is set
    service.set_setting("auto_export_amounts", "no")
    service.set_setting("auto_export_path", str(target))
    assert summaries(target) == {"Before"}
    gym = service.add(make_subscription(name="Gym"))
    service.set_setting("auto_export_scope", "active")
    service.cancel(gym.id)  # type: ignore[arg-type]
    assert summaries(target) == {"Before"}
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)  # readable by the user only (issue #16)


@pytest.mark.expect_log_warnings
def test_unwritable_target_is_reported_and_the_change_still_commits(
    service: SubscriptionService, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    exporter = AutoExporter(service)
    exporter.attach()
    service.set_setting("auto_export_path", str(blocker / "renewals.ics"))
    saved = service.add(make_subscription(name="Kept"))
    assert service.get(saved.id).name == "Kept"  # type: ignore[arg-type]
    assert exporter.last_error is not None and "could not update the calendar file" in exporter.last_error
    assert not list(tmp_path.rglob("*.tmp"))


@pytest.mark.expect_log_warnings
@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "could not update the calendar file .* is the database"), ("de", "die Kalenderdatei .* ist die Datenbank")],
)
def test_a_target_that_is_the_database_is_reported_and_never_written(
    service: SubscriptionService, language: str, said: str
) -> None:
    """Reported in one language throughout (the status bar and the command line show it), not English around German."""
    database = service.database.path
    assert database is not None
    exporter = AutoExporter(service)
    exporter.attach()
    service.set_setting("auto_export_path", str(database))
    install_language(language)
    try:
        saved = service.add(make_subscription(name="Kept"))
    finally:
        install_language("en")
    assert service.get(saved.id).name == "Kept"  # type: ignore[arg-type]
    assert exporter.last_error is not None and re.match(said, exporter.last_error)
    assert database.read_bytes().startswith(b"SQLite format 3")


def test_a_recorded_charge_does_not_write_the_file_again(service: SubscriptionService, tmp_path: Path) -> None:
    target = tmp_path / "renewals.ics"
    AutoExporter(service).attach()
    gym = service.add(make_subscription(name="Gym"))
    service.set_setting("auto_export_path", str(target))
    assert target.exists()
    target.unlink()
    service.record_charge(gym.id, date(2026, 3, 1))  # type: ignore[arg-type]  # the calendar holds no charges
    assert not target.exists()
    service.edit(gym.id, name="Gym+")  # type: ignore[arg-type]
    assert target.exists() and any(name.startswith("Gym+") for name in summaries(target))
