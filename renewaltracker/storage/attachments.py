"""Attached files: rows in the database, the files themselves in an `attachments` folder beside it."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from renewaltracker.domain.errors import NotFoundError
from renewaltracker.i18n import _
from renewaltracker.storage.errors import StorageError
from renewaltracker.storage.models import AttachmentRow, ChargeRow, SubscriptionRow

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Attachment:
    id: int
    subscription_id: int
    charge_id: int | None
    original_name: str
    size: int
    added_at: datetime
    path: Path


def attachments_dir(database_path: Path) -> Path:
    """Where a database keeps its attached files: a folder beside it, so a copy of both stays together."""
    return database_path.with_name(database_path.stem + "-attachments")


def copy_private(source: Path, folder: Path) -> tuple[str, int]:
    """Copy `source` into `folder` under a unique name, readable by the user alone (0600); (name, size)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{uuid.uuid4().hex[:12]}-{_UNSAFE.sub('_', source.name)[-120:]}"
    target = folder / name
    try:
        # Created 0600 before any byte is written: a receipt is never readable by others, even briefly.
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out, source.open("rb") as data:
            shutil.copyfileobj(data, out)
    except OSError as error:
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)
        raise StorageError(
            _("could not attach {source}: {strerror}").format(source=source, strerror=error.strerror or error)
        ) from error
    return name, target.stat().st_size


class AttachmentRepository:
    def __init__(self, session: Session, folder: Path) -> None:
        self.session = session
        self.folder = folder

    def _domain(self, row: AttachmentRow) -> Attachment:
        return Attachment(
            row.id,
            row.subscription_id,
            row.charge_id,
            row.original_name,
            row.size,
            row.added_at,
            self.folder / row.stored_name,
        )

    def add(self, subscription_id: int, charge_id: int | None, source: Path, now: datetime) -> Attachment:
        if self.session.get(SubscriptionRow, subscription_id) is None:
            raise NotFoundError(_("no subscription with id {subscription_id}").format(subscription_id=subscription_id))
        if charge_id is not None:
            charge = self.session.get(ChargeRow, charge_id)
            if charge is None or charge.subscription_id != subscription_id:
                raise NotFoundError(
                    _("no charge with id {charge_id} for subscription {subscription_id}").format(
                        charge_id=charge_id, subscription_id=subscription_id
                    )
                )
        stored, size = copy_private(source, self.folder)
        row = AttachmentRow(
            subscription_id=subscription_id,
            charge_id=charge_id,
            stored_name=stored,
            original_name=source.name[:300],
            size=size,
            added_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return self._domain(row)

    def for_subscription(self, subscription_id: int) -> list[Attachment]:
        rows = self.session.scalars(
            select(AttachmentRow).where(AttachmentRow.subscription_id == subscription_id).order_by(AttachmentRow.id)
        )
        return [self._domain(row) for row in rows]

    def put_back(self, attachment: Attachment) -> None:
        """Store an attachment's row again under its id and file name (undo of a delete; the file stayed)."""
        self.session.add(
            AttachmentRow(
                id=attachment.id,
                subscription_id=attachment.subscription_id,
                charge_id=attachment.charge_id,
                stored_name=attachment.path.name,
                original_name=attachment.original_name,
                size=attachment.size,
                added_at=attachment.added_at,
            )
        )
        self.session.flush()

    def referenced(self, stored_names: Iterable[str]) -> set[str]:
        """Those of `stored_names` a record points to now."""
        names = list(stored_names)
        if not names:
            return set()
        return set(self.session.scalars(select(AttachmentRow.stored_name).where(AttachmentRow.stored_name.in_(names))))

    def remove_unreferenced(self, attachments: Iterable[Attachment]) -> None:
        """Remove the files of `attachments` whose records are gone; one a record points to (brought back since,
        by this process or another) stays. Called inside the transaction that read it, so the check is current."""
        files = {a.path.name: a.path for a in attachments}
        for name in files.keys() - self.referenced(files):
            with contextlib.suppress(OSError):  # already gone, or the folder is read only: it stays unlisted
                (self.folder / name).unlink(missing_ok=True)

    def delete(self, attachment_id: int) -> Attachment:
        row = self.session.get(AttachmentRow, attachment_id)
        if row is None:
            raise NotFoundError(_("no attachment with id {attachment_id}").format(attachment_id=attachment_id))
        removed = self._domain(row)
        self.session.delete(row)
        self.session.flush()
        return removed
