"""Attachments: receipts, invoices and contracts copied into the data folder and listed per subscription."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from renewaltracker.domain.errors import ValidationError
from renewaltracker.i18n import _
from renewaltracker.services.subscriptions import Change, SubscriptionService
from renewaltracker.storage.attachments import Attachment, AttachmentRepository, attachments_dir


class AttachmentService:
    def __init__(self, subscriptions: SubscriptionService) -> None:
        self.subscriptions = subscriptions
        path = subscriptions.database.path
        if path is None:
            raise ValueError("attachments need a database file to keep them beside")
        self.folder = attachments_dir(path)

    def attach(self, subscription_id: int, source: Path, charge_id: int | None = None) -> Attachment:
        if not source.is_file():
            raise ValidationError("file", _("{source} is not a file").format(source=source))
        with self.subscriptions.transaction() as session:
            attached = AttachmentRepository(session, self.folder).add(
                subscription_id, charge_id, source, self.subscriptions.clock.now()
            )
        self.subscriptions.notify(Change.UPDATED, subscription_id)
        return attached

    def list_for(self, subscription_id: int) -> list[Attachment]:
        with self.subscriptions.transaction() as session:
            return AttachmentRepository(session, self.folder).for_subscription(subscription_id)

    def remove(self, attachment_id: int) -> Attachment:
        with self.subscriptions.transaction() as session:
            removed = AttachmentRepository(session, self.folder).delete(attachment_id)
        with contextlib.suppress(OSError):
            removed.path.unlink(missing_ok=True)
        self.subscriptions.notify(Change.UPDATED, removed.subscription_id)
        return removed


def copy_attachments(database_path: Path, backup_path: Path) -> Path | None:
    """Copy the database's attachments folder beside a backup of it (as the backup's own folder); None if empty."""
    folder = attachments_dir(database_path)
    if not folder.is_dir() or not any(folder.iterdir()):
        return None
    target = attachments_dir(backup_path)
    shutil.copytree(folder, target, dirs_exist_ok=True)
    return target
