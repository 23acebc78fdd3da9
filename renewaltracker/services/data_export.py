"""Everything back out: a lossless JSON export, CSV tables in a zip, and restoring a backup safely."""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
import shutil
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from renewaltracker import __version__
from renewaltracker.domain.errors import ValidationError
from renewaltracker.i18n import _
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.attachments import attachments_dir
from renewaltracker.storage.database import SCHEMA_HEADS, known_revisions, open_database
from renewaltracker.storage.dump import data_tables, dump, load
from renewaltracker.storage.errors import StorageError
from renewaltracker.storage.files import private_folder, write_private
from renewaltracker.storage.loaded_rows import check_file
from renewaltracker.storage.paths import refuse_database_file
from renewaltracker.storage.restore import carry_machine_records, check_backup, copy_aside, writes_held

FORMAT = "renewaltracker-export"
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_data(service: SubscriptionService) -> dict[str, Any]:
    with service.transaction() as session:
        tables = dump(session)
    return {
        "format": FORMAT,
        "version": 1,
        "app_version": __version__,
        "schema": sorted(SCHEMA_HEADS),
        "exported_at": service.clock.now().isoformat(),
        "tables": tables,
        "files": [
            {"name": name, "base64": base64.b64encode(content).decode("ascii")}
            for name, content in _attached_files(service, tables)
        ],
    }


def _attached_files(service: SubscriptionService, tables: dict[str, list[dict[str, Any]]]) -> list[tuple[str, bytes]]:
    """Each attachment row's file as (stored name, bytes); a file missing from the folder is left out."""
    if service.database.path is None:
        return []
    folder = attachments_dir(service.database.path)
    files = []
    for row in tables.get("attachments", []):
        name = str(row["stored_name"])
        if _plain_name(name) and (folder / name).is_file():
            files.append((name, (folder / name).read_bytes()))
    return files


def _plain_name(name: str) -> bool:
    """A bare file name: an export naming "../x" or "/etc/x" must not write outside the attachments folder."""
    return bool(name) and Path(name).name == name and not name.startswith(".") and "\\" not in name


def export_json(service: SubscriptionService, out: Path) -> Path:
    """Every table of the user's data as JSON; importing it into an empty database gives the same data."""
    refuse_database_file(out, service.database.path, "file")
    _write(out, json.dumps(export_data(service), indent=1, ensure_ascii=False).encode())
    return out


def neutralize(value: Any) -> str:
    """A cell a spreadsheet shows as text: one starting with =, +, -, @, tab or CR gets a leading apostrophe."""
    cell = "" if value is None else str(value)
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def export_csv_zip(service: SubscriptionService, out: Path) -> Path:
    """One CSV per table in a zip, cells neutralised against formula injection, and the attached files."""
    refuse_database_file(out, service.database.path, "file")
    with service.transaction() as session:
        tables = dump(session)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            text = io.StringIO()
            writer = csv.writer(text)
            columns = list(rows[0]) if rows else []
            writer.writerow(columns)
            for row in rows:
                writer.writerow([neutralize(row[column]) for column in columns])
            # UTF-8 with a byte-order mark: Excel reads a CSV without one in the system's code page (accented
            # letters garbled); LibreOffice, Gnumeric and Python's "utf-8-sig" read it as plain UTF-8.
            archive.writestr(f"{name}.csv", "\ufeff" + text.getvalue())
        # The attached files themselves, under their stored names (the attachments.csv column stored_name).
        for name, content in _attached_files(service, tables):
            archive.writestr(f"attachments/{name}", content)
    _write(out, buffer.getvalue())
    return out


def _write(out: Path, data: bytes) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        # Everything the user keeps, in one file: readable by them alone, as the database is.
        write_private(out, data, create_folder=False)
    except OSError as error:
        raise ValidationError(str(out), _("cannot be written: {strerror}").format(strerror=error.strerror)) from None


def import_json(service: SubscriptionService, data: dict[str, Any], source: str = "export") -> int:
    """Load an export into this (empty) database in one transaction, its attached files into the folder beside
    the database (0600); returns the number of rows."""
    schema = data.get("schema", [])
    if (
        data.get("format") != FORMAT
        or not isinstance(data.get("tables"), dict)
        or not isinstance(schema, list)
        or not all(isinstance(head, str) for head in schema)
    ):
        raise ValidationError(source, _("is not a Renewal Tracker JSON export"))
    # An export of an earlier version names an earlier revision: its rows load into this schema (columns were only
    # added since; a dropped one would be refused by name). Only a revision unknown here is newer.
    unknown = set(schema) - SCHEMA_HEADS and set(schema) - known_revisions()
    if unknown:
        raise ValidationError(
            source, _("was written by a newer version (schema {unknown})").format(unknown=", ".join(sorted(unknown)))
        )
    if set(schema) == set(SCHEMA_HEADS):
        # This schema's exports list every table, empty or not (an older one lacks the tables added since).
        missing = [name for name in data_tables() if name not in data["tables"]]
        if missing:
            raise ValidationError(source, _("table {name} is missing").format(name=missing[0]))
    files = _decoded_files(data, source)
    with service.transaction() as session:
        try:
            count = load(session, data["tables"])
        except StorageError as error:  # named after the file: the user edits that, not a table
            raise ValidationError(source, str(error)) from None
        if files and service.database.path is not None:
            # Written inside the transaction: a file that cannot be written rolls the rows back too.
            folder = private_folder(attachments_dir(service.database.path))
            for name, content in files.items():
                write_private(folder / name, content)
    return count


def _decoded_files(data: dict[str, Any], source: str) -> dict[str, bytes]:
    """The export's attached files by stored name, each checked to belong to an attachment row."""
    entries = data.get("files", [])
    rows = data["tables"].get("attachments", [])
    known = {row.get("stored_name") for row in rows if isinstance(row, dict)}
    if not isinstance(entries, list):
        raise ValidationError(source, _("has a 'files' entry that is not a list"))
    files: dict[str, bytes] = {}
    for number, entry in enumerate(entries, 1):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not _plain_name(name) or name not in known:
            raise ValidationError(f"{source} file {number}", _("is not named after an attachment in the export"))
        try:
            files[name] = base64.b64decode(str(entry.get("base64", "")), validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(f"{source} file {number}", _("is not valid base64")) from None
    return files


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_bytes())
    except OSError as error:
        raise ValidationError(str(path), _("cannot be read: {strerror}").format(strerror=error.strerror)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise ValidationError(
            f"{path}{f' line {line}' if line else ''}", _("is not JSON: {error}").format(error=error)
        ) from None
    if not isinstance(data, dict):
        raise ValidationError(str(path), _("is not a Renewal Tracker JSON export"))
    return data


def restore_backup(backup: Path, database: Path) -> Path | None:
    """Replace the database with a checked backup (SQLite file or JSON export); the current one is copied aside
    first and its path returned. Nothing is replaced when the backup fails a check."""
    backup = backup.expanduser()
    if not backup.exists():
        raise ValidationError(str(backup), _("does not exist"))
    try:
        private_folder(database.parent)  # on a new machine the first command may be this one
    except OSError as error:
        raise ValidationError(
            str(database.parent), _("cannot be written: {strerror}").format(strerror=error.strerror)
        ) from None
    with tempfile.TemporaryDirectory(dir=database.parent) as folder:
        staged = Path(folder) / "restored.sqlite3"
        if _looks_like_json(backup):
            data = read_json(backup)
            opened = open_database(staged)
            try:
                import_json(SubscriptionService(opened, _NoClock()), data, str(backup))
            finally:
                opened.close()
        else:
            try:
                check_backup(backup)
            except StorageError as error:
                raise ValidationError(str(backup), str(error)) from None
            shutil.copyfile(backup, staged)
            try:
                opened = open_database(staged)  # migrates an older backup to this version's schema
                try:
                    with opened.transaction() as session:
                        check_file(session)  # the checks an export's rows get: a bad row would break every start
                finally:
                    opened.close()
            except StorageError as error:
                raise ValidationError(str(backup), str(error)) from None
        aside = None
        with writes_held(database):
            carry_machine_records(database, staged)
            if database.exists():
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                aside = database.with_name(f"{database.stem}.before-restore-{stamp}{database.suffix}")
                copy_aside(database, aside)
            try:
                for suffix in ("-wal", "-shm"):
                    database.with_name(database.name + suffix).unlink(missing_ok=True)
                shutil.move(staged, database)
            except OSError as error:
                if aside is None:  # there was no database to keep
                    raise StorageError(
                        _("could not write {database}: {strerror}").format(database=database, strerror=error.strerror)
                    ) from error
                raise StorageError(
                    _("could not replace {database}: {strerror}; it is unchanged at {aside}").format(
                        database=database, strerror=error.strerror, aside=aside
                    )
                ) from error
        # The files of a JSON export were written beside the staged database; a backup's sit beside the backup.
        for files in (attachments_dir(staged), attachments_dir(backup)):
            _bring_files(files, attachments_dir(database))
    return aside


def _looks_like_json(path: Path) -> bool:
    """An export, even one an editor saved with a byte-order mark or a leading line break, starts with "{"."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        raise ValidationError(str(path), _("cannot be read: {strerror}").format(strerror=error.strerror)) from None
    return head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")[:1] == b"{"


def _bring_files(source: Path, target: Path) -> None:
    """Copy attached files into the database's folder (0600); their names are unique, so none is overwritten."""
    if not source.is_dir():
        return
    for path in sorted(source.iterdir()):
        if path.is_file() and _plain_name(path.name) and not (target / path.name).exists():
            write_private(private_folder(target) / path.name, path.read_bytes())


class _NoClock:
    """Loading an export stamps nothing; the service only needs a clock to exist."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> Any:
        return datetime.now(UTC).date()
