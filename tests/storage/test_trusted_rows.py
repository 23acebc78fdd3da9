"""Reading a stored row without checking it again (Subscription.from_normalised, used by `remind` on a current
database) gives exactly the object the checking constructor gives, for every row this version can save."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.subscription import Subscription
from renewaltracker.domain.subscription_fields import PLANNED_FIELDS, defaults_except
from renewaltracker.storage.quick_read import open_quick_reader
from renewaltracker.storage.subscription_rows import decoded, encoded, subscription_columns, subscription_from_row
from tests.factories import saved
from tests.test_field_round_trip import every_field_set

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def _same(trusted: Subscription, checked: Subscription) -> None:
    """Equal, and alike to the last digit and zone (Decimal("9.9") == Decimal("9.90"), but prints differ)."""
    assert trusted == checked
    assert repr(trusted) == repr(checked)
    assert trusted.schedule == checked.schedule
    assert type(trusted.channel) is type(checked.channel)


@settings(max_examples=300, deadline=None)
@given(subscription=every_field_set(), revision=st.integers(0, 50))
def test_a_saved_row_read_unchecked_is_the_checked_object(subscription: Subscription, revision: int) -> None:
    values = subscription_columns(subscription)
    values.update(id=subscription.id or 1, created_at=NOW, updated_at=NOW, revision=revision)
    row = decoded(encoded(values))  # what SQLite hands back
    pauses = subscription.pauses
    checked = subscription_from_row(row.__getitem__, pauses)
    trusted = subscription_from_row(row.__getitem__, pauses, trusted=True)
    _same(trusted, checked)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subscriptions=st.lists(every_field_set(), min_size=1, max_size=4))
def test_the_reader_gives_the_same_objects_checked_or_not(
    subscriptions: list[Subscription], migrated_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "trusted.sqlite3"
    shutil.copyfile(migrated_template, path)
    saved(path, (replace(subscription, id=None) for subscription in subscriptions), FixedClock(NOW))
    reader = open_quick_reader(path)
    assert reader is not None
    try:
        unchecked: list[Any] = reader.all_unchecked()
        checked = reader.all()
        planned = reader.planned()
    finally:
        reader.close()
        path.unlink()
    assert len(unchecked) == len(checked) == len(subscriptions)
    for trusted, plain in zip(unchecked, checked, strict=True):
        _same(trusted, plain)
    # What a reminder check reads: the planned fields as stored, every other one at its default.
    left_out = defaults_except(*PLANNED_FIELDS)
    for few, plain in zip(planned, checked, strict=True):
        _same(few, replace(plain, **left_out))
