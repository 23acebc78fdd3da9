"""Full exports carry the attached files themselves: the JSON export restores them byte for byte, the zip holds them."""

from __future__ import annotations

import csv
import io
import json
import stat
import zipfile
from pathlib import Path

import pytest

from renewaltracker.domain.errors import ValidationError
from renewaltracker.services.attachments import AttachmentService
from renewaltracker.services.data_export import export_csv_zip, export_json, import_json, restore_backup
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.attachments import attachments_dir
from renewaltracker.storage.backup import backup_database
from renewaltracker.storage.database import open_database
from tests.factories import make_subscription

# Every byte value, so an encoding that is not lossless (text, newline translation) shows.
CONTENT = bytes(range(256)) * 3 + b"%PDF-1.7\r\n\x00end"


def _attach(service: SubscriptionService, tmp_path: Path) -> str:
    receipt = tmp_path / "receipt 2026.pdf"
    receipt.write_bytes(CONTENT)
    subscription = service.add(make_subscription(name="Netflix"))
    return AttachmentService(service).attach(subscription.id, receipt).path.name


def test_json_export_restores_the_attached_files_byte_for_byte(service: SubscriptionService, tmp_path: Path) -> None:
    stored = _attach(service, tmp_path)
    out = export_json(service, tmp_path / "export.json")
    target = tmp_path / "fresh" / "renewals.sqlite3"
    target.parent.mkdir()
    assert restore_backup(out, target) is None
    restored = attachments_dir(target) / stored
    assert restored.read_bytes() == CONTENT
    assert stat.S_IMODE(restored.stat().st_mode) == 0o600
    database = open_database(target)
    try:
        listed = AttachmentService(SubscriptionService(database, service.clock)).list_for(1)
    finally:
        database.close()
    assert [(a.original_name, a.path.read_bytes()) for a in listed] == [("receipt 2026.pdf", CONTENT)]


def test_csv_zip_holds_the_attached_files(service: SubscriptionService, tmp_path: Path) -> None:
    stored = _attach(service, tmp_path)
    archive = zipfile.ZipFile(export_csv_zip(service, tmp_path / "export.zip"))
    assert archive.read(f"attachments/{stored}") == CONTENT
    assert stored in archive.read("attachments.csv").decode()


def test_restoring_a_backup_brings_its_copied_files(service: SubscriptionService, tmp_path: Path) -> None:
    from renewaltracker.services.attachments import copy_attachments

    path = service.database.path
    assert path is not None
    stored = _attach(service, tmp_path)
    backup = backup_database(path, tmp_path / "backups" / "b.sqlite3")
    copy_attachments(path, backup)
    target = tmp_path / "fresh" / "renewals.sqlite3"
    target.parent.mkdir()
    restore_backup(backup, target)
    assert (attachments_dir(target) / stored).read_bytes() == CONTENT


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "../escape.pdf", "base64": "AA=="}, "not named after an attachment"),
        ({"name": "unknown.pdf", "base64": "AA=="}, "not named after an attachment"),
        ({"name": "STORED", "base64": "not base64!"}, "not valid base64"),
    ],
)
def test_an_export_naming_a_file_outside_the_folder_or_with_bad_content_writes_nothing(
    service: SubscriptionService, tmp_path: Path, entry: dict[str, str], message: str
) -> None:
    stored = _attach(service, tmp_path)
    data = json.loads(export_json(service, tmp_path / "export.json").read_bytes())
    data["files"] = [{**entry, "name": entry["name"].replace("STORED", stored)}]
    target = open_database(tmp_path / "target" / "renewals.sqlite3")
    try:
        with pytest.raises(ValidationError, match=message):
            import_json(SubscriptionService(target, service.clock), data)
        assert not SubscriptionService(target, service.clock).all()
    finally:
        target.close()
    assert not (tmp_path / "escape.pdf").exists()
    assert not attachments_dir(tmp_path / "target" / "renewals.sqlite3").exists()


def test_every_csv_of_the_export_starts_with_a_byte_order_mark(service: SubscriptionService, tmp_path: Path) -> None:
    # Excel reads a CSV without one in the system's code page: "Müller" came out as "MÃ¼ller".
    service.add(make_subscription(name="Zeitung Müller", vendor="Müller & Söhne"))
    with zipfile.ZipFile(export_csv_zip(service, tmp_path / "export.zip")) as archive:
        tables = [name for name in archive.namelist() if name.endswith(".csv")]
        assert tables and all(archive.read(name).startswith(b"\xef\xbb\xbf") for name in tables)
        header, row = list(csv.reader(io.StringIO(archive.read("subscriptions.csv").decode("utf-8-sig"))))[:2]
    assert header[0] == "id" and "Zeitung Müller" in row
