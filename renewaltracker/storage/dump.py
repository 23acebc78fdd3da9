"""Every table as plain rows and back: the lossless export, derived from the ORM metadata (new tables included)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from renewaltracker.i18n import _
from renewaltracker.storage.errors import StorageError
from renewaltracker.storage.loaded_rows import check_records, check_values
from renewaltracker.storage.models import Base

# Bookkeeping of this machine, not the user's data: reminder deliveries and a CalDAV server's state.
LOCAL_TABLES = frozenset({"delivered_reminders", "reminder_snoozes", "caldav_synced"})


def data_tables() -> list[str]:
    """The user's tables, parents before children."""
    return [table.name for table in Base.metadata.sorted_tables if table.name not in LOCAL_TABLES]


def dump(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Each table's rows with their stored values as they are (text, integers, NULL): nothing is reinterpreted."""
    result: dict[str, list[dict[str, Any]]] = {}
    for name in data_tables():
        table = Base.metadata.tables[name]
        rows = session.connection().exec_driver_sql(f'SELECT * FROM "{name}" ORDER BY rowid')
        keys = list(rows.keys())
        result[name] = [dict(zip(keys, row, strict=True)) for row in rows]
        assert set(keys) >= {column.name for column in table.columns}
    return result


def is_empty(session: Session) -> bool:
    return all(
        not session.scalar(select(func.count()).select_from(Base.metadata.tables[name])) for name in data_tables()
    )


def load(session: Session, tables: dict[str, list[dict[str, Any]]]) -> int:
    """Insert dumped rows into an empty database, keeping their ids; unknown tables or columns are refused."""
    if not is_empty(session):
        raise StorageError(_("the database is not empty; a JSON export is loaded into an empty database only"))
    unknown_tables = set(tables) - set(data_tables())
    if unknown_tables:
        raise StorageError(
            _("unknown tables {unknown_tables} (written by a newer version?)").format(
                unknown_tables=", ".join(sorted(unknown_tables))
            )
        )
    count = 0
    loaded: dict[str, list[dict[str, Any]]] = {}
    for name in data_tables():
        rows = tables.get(name, [])
        if not isinstance(rows, list):
            raise StorageError(_("table {name}: is not a list of rows").format(name=name))
        columns = {column.name for column in Base.metadata.tables[name].columns}
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise StorageError(_("table {name} row {number}: is not an object").format(name=name, number=number))
            unknown = set(row) - columns
            if unknown:
                raise StorageError(
                    _("table {name}: unknown columns {unknown}").format(name=name, unknown=", ".join(sorted(unknown)))
                )
            check_values(name, number, row)
            quoted = ", ".join(f'"{column}"' for column in row)
            values = ", ".join(f":{column}" for column in row)
            try:
                session.execute(text(f'INSERT INTO "{name}" ({quoted}) VALUES ({values})'), row)
            except StatementError as error:  # a column left out that has no default, a row it refers to
                reason = str(getattr(error, "orig", None) or error).splitlines()[0]
                raise StorageError(
                    _("table {name} row {number}: {problem}").format(name=name, number=number, problem=reason)
                ) from None
            count += 1
        loaded[name] = rows
    # Built as the app will build them: a record it refuses would fail every later start, not this load.
    check_records(session, loaded)
    return count
