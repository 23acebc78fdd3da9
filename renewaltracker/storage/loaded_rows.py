"""Rows that came from outside (a JSON export, a backup) read back as the app reads them, before they replace
anything: a value it could not decode or a record it would refuse would otherwise break every later start."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import InvalidOperation
from typing import Any

from sqlalchemy import Boolean, Column, Date, Integer, String, Text, select
from sqlalchemy.orm import Session

from renewaltracker.domain.errors import ValidationError
from renewaltracker.i18n import _
from renewaltracker.storage import contacts, repositories, requests, statements
from renewaltracker.storage.errors import StorageError
from renewaltracker.storage.models import (
    Base,
    ChargeRow,
    ContactRow,
    DismissedCandidateRow,
    RequestRow,
    SubscriptionRow,
)
from renewaltracker.storage.subscription_rows import decode_decimal, decode_utc
from renewaltracker.storage.types import DecimalText, UTCDateTime

# The records whose domain objects check their fields, built as every view builds them.
_RECORDS: tuple[tuple[str, type[Any], Callable[[Any], object]], ...] = (
    ("subscriptions", SubscriptionRow, repositories._to_domain),
    ("charges", ChargeRow, repositories._charge_to_domain),
    ("contacts", ContactRow, contacts._to_domain),
    ("requests", RequestRow, requests._to_domain),
    # Read by every statement import's review.
    ("dismissed_candidates", DismissedCandidateRow, statements._dismissal),
)


def value_problem(column: Column[Any], value: Any) -> str | None:
    """What is wrong with a stored value for this column, or None when the app reads it as its type."""
    if value is None:
        return None if column.nullable or column.primary_key else _("is missing")
    kind = column.type
    if isinstance(kind, DecimalText):
        try:
            number = decode_decimal(value) if isinstance(value, str) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number < 0:
            return _("{value!r} is not an amount").format(value=value)
    elif isinstance(kind, UTCDateTime):
        try:
            moment = decode_utc(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None or not value.endswith("+00:00"):
            return _("{value!r} is not a moment in UTC").format(value=value)
    elif isinstance(kind, Date):
        try:
            day = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None or day.isoformat() != value:
            return _("{value!r} is not a date (YYYY-MM-DD)").format(value=value)
    elif isinstance(kind, Boolean):
        if value not in (0, 1):
            return _("{value!r} is not 0 or 1").format(value=value)
    elif isinstance(kind, Integer):
        if not isinstance(value, int) or isinstance(value, bool):
            return _("{value!r} is not a whole number").format(value=value)
    elif isinstance(kind, String | Text) and not isinstance(value, str):
        return _("{value!r} is not text").format(value=value)
    return None


def check_values(name: str, number: int, row: dict[str, Any]) -> None:
    """Raise StorageError naming the table, the row (1 = the first of its table) and the column at fault."""
    columns = Base.metadata.tables[name].columns
    for key, value in row.items():
        problem = value_problem(columns[key], value)
        if problem is not None:
            raise StorageError(
                _("table {name} row {number}: {column}: {problem}").format(
                    name=name, number=number, column=key, problem=problem
                )
            )


def check_file(session: Session) -> None:
    """Every table of a backup file present and every row read as an export's rows are (values, references,
    records); raise StorageError naming the table, the row (1 = the first of its table) and the column at fault."""
    connection = session.connection()
    present = set(connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars())
    tables: dict[str, list[dict[str, Any]]] = {}
    positions: dict[str, dict[int, int]] = {}
    for table in Base.metadata.sorted_tables:  # this machine's own tables too: `remind` reads them
        if table.name not in present:
            raise StorageError(_("table {name} is missing").format(name=table.name))
        result = connection.exec_driver_sql(f'SELECT rowid, * FROM "{table.name}" ORDER BY rowid')
        keys = list(result.keys())[1:]
        rows = tables[table.name] = []
        positions[table.name] = {}
        for number, (rowid, *values) in enumerate(result, start=1):
            row = {key: value for key, value in zip(keys, values, strict=True) if key in table.columns}
            check_values(table.name, number, row)
            rows.append(row)
            positions[table.name][rowid] = number
    # An editor's connection enforces no foreign keys unless asked: a charge may point at a deleted subscription.
    for name, rowid, parent, _key in connection.exec_driver_sql("PRAGMA foreign_key_check"):
        raise StorageError(
            _("table {name} row {number}: refers to a row of {parent} that is not there").format(
                name=name, number=positions.get(name, {}).get(rowid, rowid), parent=parent
            )
        )
    check_records(session, tables)


def check_records(session: Session, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Build every subscription, charge, contact, request and dismissal as the app does; raise StorageError naming
    the row."""
    for name, model, to_domain in _RECORDS:
        ids = [row.get("id") for row in tables.get(name, [])]
        position = {identifier: number for number, identifier in enumerate(ids, start=1)}
        for row in session.scalars(select(model)):
            try:
                to_domain(row)
            except ValidationError as error:
                problem = f"{error.field}: {error.problem}"
            except (ValueError, TypeError, ArithmeticError) as error:
                problem = str(error)
            else:
                continue
            raise StorageError(
                _("table {name} row {number}: {problem}").format(
                    name=name, number=position.get(row.id, row.id), problem=problem
                )
            )
