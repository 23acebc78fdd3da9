"""The full export carries every table of the ORM metadata: a row in each survives export → import into an empty db.

A table added later gets a row here automatically (values derived from its column types), so if the export or the
import ever stops carrying it, this test fails.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Boolean, Column, Date, Integer, insert

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.contacts import Channel as ContactChannel
from renewaltracker.domain.contacts import Contact
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.subscription import Subscription
from renewaltracker.services.contacts import ContactService
from renewaltracker.services.data_export import export_data, export_json, import_json, read_json, restore_backup
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.backup import backup_database
from renewaltracker.storage.database import Database, open_database
from renewaltracker.storage.dump import LOCAL_TABLES, data_tables, dump
from renewaltracker.storage.errors import StorageError
from renewaltracker.storage.models import Base
from renewaltracker.storage.types import DecimalText, UTCDateTime
from tests.factories import make_subscription
from tests.storage.test_database import write_first_version
from tests.test_field_round_trip import every_field_set

# Columns whose values the schema constrains; every other column gets a value from its type.
_KNOWN = {"currency": "EUR", "base": "EUR", "quote": "USD", "interval_unit": "month", "status": "active"}
# Values the domain objects check when a row is read: a pause ends after it starts, a channel is one they know.
_KNOWN_IN_TABLE = {
    "pauses.end": date(2024, 6, 6),
    "subscriptions.reminder_days": "7,1",
    "subscriptions.fixed_share": None,
    "subscriptions.support_email": "help@example.org",
    "subscriptions.cancel_url": "https://example.org/cancel",
    "subscriptions.channel": "card",
    "subscriptions.letter_language": "de",
    "charges.status": "charged",
    "contacts.channel": "phone",
    "requests.kind": "refund",
    "requests.state": "open",
    "requests.outcome": None,
}


def _value(column: Column[Any]) -> Any:
    if column.foreign_keys or (column.primary_key and isinstance(column.type, Integer)):
        return 1
    if f"{column.table.name}.{column.name}" in _KNOWN_IN_TABLE:
        return _KNOWN_IN_TABLE[f"{column.table.name}.{column.name}"]
    if column.name in _KNOWN:
        return _KNOWN[column.name]
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    if isinstance(kind, DecimalText):
        return Decimal("12.34")
    if isinstance(kind, Boolean):
        return True
    if isinstance(kind, Date):
        return date(2024, 5, 6)
    if isinstance(kind, Integer):
        return 7
    return f"{column.table.name}.{column.name}"


def test_every_table_is_carried_by_the_json_export(tmp_path: Path, clock: FixedClock) -> None:
    assert set(data_tables()) | LOCAL_TABLES == set(Base.metadata.tables)
    source = open_database(tmp_path / "source.sqlite3")
    with source.transaction() as session:
        for name in data_tables():
            table = Base.metadata.tables[name]
            session.execute(insert(table).values({column.name: _value(column) for column in table.columns}))
        before = dump(session)
    assert all(before[name] for name in data_tables()), [name for name in data_tables() if not before[name]]
    out = export_json(SubscriptionService(source, clock), tmp_path / "export.json")
    source.close()
    target = open_database(tmp_path / "target.sqlite3")
    import_json(SubscriptionService(target, clock), read_json(out), str(out))
    with target.transaction() as session:
        after = dump(session)
    target.close()
    assert after == before


_DAMAGE = [
    ("subscriptions", "amount", "lots", r"subscriptions row 2.*amount"),
    ("subscriptions", "anchor", "2025-13-45", r"subscriptions row 2.*anchor"),
    ("subscriptions", "currency", "XXX1", r"subscriptions row 2.*currency"),
    ("subscriptions", "interval_count", "zz", r"subscriptions row 2"),
    ("subscriptions", "name", ["a list"], r"subscriptions row 2.*name"),
    ("subscriptions", "name", None, r"subscriptions row 2.*name"),
    ("subscriptions", "created_at", "yesterday", r"subscriptions row 2.*created_at"),
    ("charges", "amount", "-5", r"charges row 1.*amount"),
    ("charges", "date", "31.02.2025", r"charges row 1.*date"),
    ("charges", "subscription_id", 99, r"charges row 1"),
    ("prices", "amount", "NaN", r"prices row 1.*amount"),
    ("pauses", "start", "soon", r"pauses row 1.*start"),
    ("subscriptions", None, "x", r"subscriptions row 2.*not an object"),
]


def filled(service: SubscriptionService) -> Subscription:
    """Two plans, one with a charge, a price step and a pause: a row in every table a damaged file can spoil."""
    service.add(make_subscription(name="Kept", amount=Decimal("1.00")))
    netflix = service.add(make_subscription(name="Netflix", amount=Decimal("15.49"), anchor=date(2025, 1, 5)))
    assert netflix.id is not None
    service.record_charge(netflix.id, date(2025, 2, 5), Decimal("15.49"))
    service.change_price(netflix.id, Decimal("17.99"), date(2025, 6, 5))
    service.pause(netflix.id, date(2025, 8, 1), date(2025, 9, 1))
    return netflix


@pytest.mark.parametrize(("table", "column", "value", "message"), _DAMAGE)
def test_a_damaged_export_is_refused_naming_the_row_and_nothing_is_replaced(
    tmp_path: Path, clock: FixedClock, table: str, column: str | None, value: Any, message: str
) -> None:
    """A hand-edited export the app could not read back must not replace the database it would then crash on."""
    source = open_database(tmp_path / "source.sqlite3")
    service = SubscriptionService(source, clock)
    filled(service)
    data = export_data(service)
    source.close()
    rows = data["tables"][table]
    index = 1 if table == "subscriptions" else 0
    if column is None:
        rows[index] = value
    else:
        rows[index][column] = value
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(data))
    current = tmp_path / "current.sqlite3"
    SubscriptionService(kept := open_database(current), clock).add(make_subscription(name="Mine"))
    kept.close()
    with pytest.raises(ValidationError, match=rf"^{re.escape(str(damaged))}: .*{message}") as raised:
        restore_backup(damaged, current)
    assert "\n" not in str(raised.value)
    reopened = open_database(current)
    try:
        assert [s.name for s in SubscriptionService(reopened, clock).all()] == ["Mine"]
    finally:
        reopened.close()


@pytest.mark.parametrize("schema", [None, 3, "abc", {"x": 1}, [1, 2]])
def test_an_export_whose_schema_is_not_a_list_of_names_is_refused_in_one_line(
    tmp_path: Path, clock: FixedClock, schema: Any
) -> None:
    source = open_database(tmp_path / "source.sqlite3")
    data = export_data(SubscriptionService(source, clock))
    source.close()
    data["schema"] = schema
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(data))
    current = tmp_path / "current.sqlite3"
    open_database(current).close()
    with pytest.raises(ValidationError, match="is not a Renewal Tracker JSON export"):
        restore_backup(damaged, current)


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
_day = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
_money = st.decimals(min_value=Decimal("0"), max_value=Decimal("99999.999"), places=3)
_collection = st.fixed_dictionaries(
    {
        "subscriptions": st.lists(every_field_set(), min_size=1, max_size=3),
        "charges": st.lists(st.tuples(_day.filter(lambda d: d <= date(2026, 3, 9)), _money, _text, _text), max_size=4),
        "prices": st.lists(st.tuples(_day, _money), max_size=3),
        "contacts": st.lists(
            st.tuples(
                st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC)),
                st.sampled_from(list(ContactChannel)),
                _text,
                _text,
                st.none() | st.integers(0, 400),
            ),
            max_size=3,
        ),
        "settings": st.fixed_dictionaries(
            {},
            optional={
                "default_currency": st.sampled_from(["EUR", "JPY", "BHD"]),
                "user_name": _text.map(lambda s: " ".join(s.split())),
                "reminder_days": st.sampled_from(["3", "14,7,1"]),
                "user_address": st.just("Hauptstraße 1\n10115 Berlin"),
            },
        ),
    }
)


def _everything(database: Any, clock: FixedClock) -> tuple[Any, ...]:
    service = SubscriptionService(database, clock)
    subscriptions = service.all()
    return (
        subscriptions,
        [service.charges(s.id or 0) for s in subscriptions],
        [(h.base, h.steps) for h in (service.prices(s.id or 0) for s in subscriptions)],
        [ContactService(database, clock).list_for(s.id or 0) for s in subscriptions],
        service.settings(),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(collection=_collection)
def test_an_export_restored_into_an_empty_database_gives_back_the_same_data(
    migrated_template: Path, clock: FixedClock, collection: dict[str, Any]
) -> None:
    """Subscriptions with every field, charges, price steps, contacts and settings: export, restore, compare."""
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        shutil.copyfile(migrated_template, home / "source.sqlite3")
        source = open_database(home / "source.sqlite3")
        try:
            service = _filled(source, clock, collection)
            before = _everything(source, clock)
            out = export_json(service, home / "export.json")
        finally:
            source.close()
        assert restore_backup(out, home / "restored.sqlite3") is None
        restored = open_database(home / "restored.sqlite3")
        try:
            assert _everything(restored, clock) == before
        finally:
            restored.close()


# The same hand edits made in an SQLite backup (with the editor's foreign-key checks off, as sqlite3's default is),
# plus what only a file can hold: a table dropped, a row pointing nowhere, a bad row in this machine's own tables.
_FILE_DAMAGE = [
    ("UPDATE subscriptions SET amount = 'abc' WHERE rowid = 2", r"subscriptions row 2.*amount.*'abc'"),
    ("UPDATE subscriptions SET currency = 'ZZZ' WHERE rowid = 2", r"subscriptions row 2.*currency"),
    ("UPDATE subscriptions SET end_date = '2020-01-01' WHERE rowid = 2", r"subscriptions row 2.*end"),
    ("UPDATE subscriptions SET interval_count = -1 WHERE rowid = 2", r"subscriptions row 2.*every"),
    ("UPDATE subscriptions SET anchor = '2025-02-30' WHERE rowid = 2", r"subscriptions row 2.*anchor"),
    ("UPDATE charges SET amount = '-5'", r"charges row 1.*amount"),
    ("UPDATE charges SET subscription_id = 99", r"charges row 1.*subscriptions"),
    ("UPDATE prices SET amount = 'NaN'", r"prices row 1.*amount"),
    ("UPDATE pauses SET start = 'soon'", r"pauses row 1.*start"),
    ("UPDATE delivered_reminders SET due_at = 'tomorrow'", r"delivered_reminders row 1.*due_at"),
    ("DROP TABLE charges", r"table charges is missing"),
]


@pytest.mark.parametrize(("damage", "message"), _FILE_DAMAGE)
def test_a_damaged_sqlite_backup_is_refused_naming_the_row_and_nothing_is_replaced(
    tmp_path: Path, clock: FixedClock, damage: str, message: str
) -> None:
    """A backup file passes SQLite's integrity check whatever its rows hold: the rows are read as the app reads them
    before the file replaces the database, or every later `list` and the window stopped on an internal error."""
    source = open_database(tmp_path / "source.sqlite3")
    service = SubscriptionService(source, clock)
    netflix = filled(service)
    with source.transaction() as session:
        session.execute(
            insert(Base.metadata.tables["delivered_reminders"]).values(
                subscription_id=netflix.id,
                kind="charge",
                event_date=date(2025, 3, 5),
                lead_days=3,
                due_at=datetime(2025, 3, 2, 8, tzinfo=UTC),
                claimed_at=datetime(2025, 3, 2, 8, tzinfo=UTC),
            )
        )
    source.close()
    damaged = tmp_path / "damaged.sqlite3"
    shutil.copyfile(tmp_path / "source.sqlite3", damaged)
    connection = sqlite3.connect(damaged)
    connection.execute(damage)
    connection.commit()
    connection.close()
    current = tmp_path / "current.sqlite3"
    SubscriptionService(kept := open_database(current), clock).add(make_subscription(name="Mine"))
    kept.close()
    before = current.read_bytes()
    with pytest.raises(ValidationError, match=rf"^{re.escape(str(damaged))}: .*{message}") as raised:
        restore_backup(damaged, current)
    assert "\n" not in str(raised.value)
    assert current.read_bytes() == before
    assert not list(tmp_path.glob("current.before-restore-*"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(collection=_collection)
def test_a_backup_file_restored_over_a_database_gives_back_the_same_data(
    migrated_template: Path, clock: FixedClock, collection: dict[str, Any]
) -> None:
    """The same collections through `backup` and `restore` over another database, now that the file's rows are
    checked too: nothing the app wrote may be refused, and nothing may change on the way."""
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        shutil.copyfile(migrated_template, home / "source.sqlite3")
        shutil.copyfile(migrated_template, home / "current.sqlite3")
        source = open_database(home / "source.sqlite3")
        try:
            _filled(source, clock, collection)
            before = _everything(source, clock)
            backup_database(home / "source.sqlite3", home / "backup.sqlite3")
        finally:
            source.close()
        assert restore_backup(home / "backup.sqlite3", home / "current.sqlite3") is not None
        restored = open_database(home / "current.sqlite3")
        try:
            assert _everything(restored, clock) == before
        finally:
            restored.close()


def _names(path: Path, clock: FixedClock) -> list[str]:
    opened = open_database(path)
    try:
        return [s.name for s in SubscriptionService(opened, clock).all()]
    finally:
        opened.close()


@pytest.mark.expect_log_warnings  # the other process's write waits out its busy timeout
def test_a_write_after_the_copy_aside_waits_for_the_swap_and_is_refused_not_lost(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process (a cron `remind`, an `add`) writing while the restore runs: what it wrote after the previous
    database was copied aside went into the file the restore then replaced, and was in neither copy."""
    import renewaltracker.storage.restore as restore

    backup = tmp_path / "backup.sqlite3"
    SubscriptionService(made := open_database(backup), clock).add(make_subscription(name="Restored"))
    made.close()
    current = tmp_path / "current.sqlite3"
    SubscriptionService(kept := open_database(current), clock).add(make_subscription(name="Mine"))
    kept.close()
    other = open_database(current, busy_timeout=0.2)  # the other process, its file open before the restore
    outcome: list[object] = []
    copy_aside = restore.backup_database

    def copy_then_write(source: Path, destination: Path) -> Path:
        written = copy_aside(source, destination)
        try:
            SubscriptionService(other, clock).add(make_subscription(name="Written meanwhile"))
            outcome.append("acknowledged")
        except StorageError as error:
            outcome.append(error)
        return written

    monkeypatch.setattr(restore, "backup_database", copy_then_write)
    try:
        aside = restore_backup(backup, current)
        assert aside is not None
        with pytest.raises(StorageError):  # the file it opened is no longer there: refused, never lost
            SubscriptionService(other, clock).add(make_subscription(name="Written afterwards"))
    finally:
        other.close()
    assert outcome and isinstance(outcome[0], StorageError), outcome
    assert _names(current, clock) == ["Restored"]
    assert _names(aside, clock) == ["Mine"]


@pytest.mark.parametrize("damage", ["truncated", "not a database"])
def test_a_damaged_database_can_be_restored_and_its_bytes_are_kept_aside(
    tmp_path: Path, clock: FixedClock, damage: str
) -> None:
    """A damaged database is when a backup is needed most: it is copied aside as it is, not refused for being
    unreadable."""
    backup = tmp_path / "backup.sqlite3"
    SubscriptionService(made := open_database(backup), clock).add(make_subscription(name="Restored"))
    made.close()
    current = tmp_path / "current.sqlite3"
    SubscriptionService(kept := open_database(current), clock).add(make_subscription(name="Mine"))
    kept.close()
    broken = current.read_bytes()[:3000] if damage == "truncated" else b"not a database at all, just text"
    current.write_bytes(broken)
    aside = restore_backup(backup, current)
    assert aside is not None and aside.read_bytes() == broken
    assert _names(current, clock) == ["Restored"]


def test_a_backup_made_by_the_first_version_is_migrated_checked_and_restored(tmp_path: Path, clock: FixedClock) -> None:
    """The row checks run on the migrated copy: what the first schema held and the app still reads is not refused."""
    backup = tmp_path / "first-version.sqlite3"
    write_first_version(backup)
    current = tmp_path / "current.sqlite3"
    SubscriptionService(kept := open_database(current), clock).add(make_subscription(name="Mine"))
    kept.close()
    assert restore_backup(backup, current) is not None
    assert _names(current, clock) == ["Old magazine"]


def test_a_backup_copied_with_its_write_ahead_log_is_restored_with_what_the_log_holds(
    tmp_path: Path, clock: FixedClock
) -> None:
    """A database folder copied while the app ran (a sync tool, a file manager) holds the newest commits in the
    `-wal` beside the file: the checks read them, so the restore must bring them too, not only the main file."""
    source = tmp_path / "copied.sqlite3"
    database = open_database(source)
    service = SubscriptionService(database, clock)
    service.add(make_subscription(name="Checkpointed"))
    database.close()  # the last connection checkpoints: this one is in the main file
    database = open_database(source)
    holder = sqlite3.connect(source)  # keeps the log from being checkpointed into the main file at close
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("SELECT count(*) FROM subscriptions").fetchall()
    SubscriptionService(database, clock).add(make_subscription(name="Only in the log"))
    database.close()
    backup = tmp_path / "backup.sqlite3"
    for suffix in ("", "-wal"):
        shutil.copyfile(source.with_name(source.name + suffix), backup.with_name(backup.name + suffix))
    holder.close()
    current = tmp_path / "current.sqlite3"
    SubscriptionService(kept := open_database(current), clock).add(make_subscription(name="Mine"))
    kept.close()
    restore_backup(backup, current)
    assert _names(current, clock) == ["Checkpointed", "Only in the log"]


@pytest.mark.parametrize("table", ["charges", "settings", "subscriptions"])
def test_an_export_of_this_version_missing_a_table_is_refused_and_nothing_is_replaced(
    service: SubscriptionService, tmp_path: Path, table: str
) -> None:
    """Every export of this schema lists every table, empty or not: one without its charges was cut or edited, and
    restoring it would quietly drop them all."""
    service.add(make_subscription(name="Mine"))
    data = export_data(service)
    del data["tables"][table]
    cut = tmp_path / "cut.json"
    cut.write_text(json.dumps(data))
    current = tmp_path / "current.sqlite3"
    SubscriptionService(kept := open_database(current), service.clock).add(make_subscription(name="Current"))
    kept.close()
    with pytest.raises(ValidationError, match=rf"^{re.escape(str(cut))}: table {table} is missing$"):
        restore_backup(cut, current)
    assert _names(current, service.clock) == ["Current"]


def _filled(source: Database, clock: FixedClock, collection: dict[str, Any]) -> SubscriptionService:
    """The collection written through the services: subscriptions, charges, price rises, contacts, settings."""
    service = SubscriptionService(source, clock)
    ids = [service.add(replace(s, id=None)).id or 0 for s in collection["subscriptions"]]
    for number, (day, amount, reference, note) in enumerate(collection["charges"]):
        service.record_charge(ids[number % len(ids)], day, amount, reference, note=note, force=True)
    for day, rise in collection["prices"]:  # a rise: never below a fixed share of the first price
        service.change_price(ids[0], collection["subscriptions"][0].amount + rise, day)
    for at, channel, case, summary, after in collection["contacts"]:
        follow_up = None if after is None else at.date() + timedelta(days=after)
        ContactService(source, clock).add(
            Contact(ids[-1], at, channel, case_number=case, summary=summary, follow_up=follow_up)
        )
    service.set_settings(collection["settings"])
    return service
