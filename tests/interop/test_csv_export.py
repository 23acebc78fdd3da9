"""The CSV export as a spreadsheet reads it: Gnumeric's ssconvert opens each table and gives back every cell."""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.services.contacts import ContactService
from renewaltracker.services.data_export import export_csv_zip
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.dump import dump
from tests.factories import make_subscription
from tests.interop.clients import ssconvert_path
from tests.interop.provision import provision

# Cells a spreadsheet would run as formulas, separators and quotes of every CSV dialect, line breaks, letters
# beyond Latin-1: each must come back as the same text.
HOSTILE = [
    '=HYPERLINK("http://x";"y")',
    "=10*10",
    "+49 30 1234567",
    "-minus first",
    "@SUM(A1:A2)",
    'Netflix; "Premium", 4K',
    "Zeile 1\nZeile 2, mit Komma; und Semikolon",
    "Münchner Merkur – Digital ☃ 日本",
    "tab\tinside",
]


@pytest.fixture(scope="module")
def ssconvert() -> str:
    if ssconvert_path() is None:
        provision()  # installs what this machine allows, as the calendar check does
    found = ssconvert_path()
    if found is None:
        pytest.fail("the CSV check needs Gnumeric: sudo apt-get install gnumeric (or set INTEROP_SSCONVERT)")
    return found


def _as_spreadsheet_reads(tool: str, table: bytes, folder: Path) -> list[list[str]]:
    """The table opened by Gnumeric and written back as plain CSV (cells as the spreadsheet holds them)."""
    source, target = folder / "table.csv", folder / "back.csv"
    source.write_bytes(table)
    subprocess.run([tool, source, target], check=True, capture_output=True, timeout=60)
    return list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))


def _same(stored: object, shown: str) -> bool:
    """A cell means the stored value: the same text, or the number or date a spreadsheet made of it."""
    text = "" if stored is None else str(stored)
    if shown == text:
        return True
    try:
        return Decimal(shown) == Decimal(text)
    except InvalidOperation:
        pass
    for shape in ("%Y/%m/%d", "%Y/%m/%d %H:%M:%S"):
        try:
            return datetime.strptime(shown, shape).date() == date.fromisoformat(text[:10])
        except ValueError:
            continue
    return False


def test_a_spreadsheet_reads_every_cell_of_the_csv_export_as_stored(
    ssconvert: str, service: SubscriptionService, tmp_path: Path
) -> None:
    for number, text in enumerate(HOSTILE):
        saved = service.add(
            make_subscription(
                name=text.replace("\n", " ").replace("\t", " "),
                notes=text,
                category=HOSTILE[-1 - number].replace("\n", " ").replace("\t", " "),
                amount=Decimal("1299.00") if number % 2 else Decimal("0.99"),
                currency="EUR" if number % 2 else "JPY" if number == 2 else "USD",
                anchor=date(2024, 2, 29),
            )
        )
        assert saved.id is not None
        service.record_charge(saved.id, date(2025, 1, 31), reference=text.replace("\n", " "), note=text)
        ContactService(service.database, service.clock).add(
            Contact(saved.id, service.clock.now(), Channel.PHONE, case_number=f"00{number}17", summary=text)
        )
    with service.transaction() as session:
        stored = dump(session)
    archive = zipfile.ZipFile(export_csv_zip(service, tmp_path / "export.zip"))
    for table in ("subscriptions", "charges", "contacts"):
        header, *rows = _as_spreadsheet_reads(ssconvert, archive.read(f"{table}.csv"), tmp_path)
        assert header == list(stored[table][0])
        assert len(rows) == len(stored[table])
        wrong = [
            (table, column, value, cell)
            for row, shown in zip(stored[table], rows, strict=True)
            for (column, value), cell in zip(row.items(), shown, strict=True)
            if not _same(value, cell)
        ]
        assert wrong == []
