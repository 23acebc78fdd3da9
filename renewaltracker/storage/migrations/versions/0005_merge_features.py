"""Join the reminders, contacts and calendar-sync branches into one head.

Revision ID: 0005_merge_features
Revises: 0002_reminders, 0003_contacts, 0004_calendar_sync
Create Date: 2026-11-28

The three features were built in parallel, each migrating from the first schema; later revisions
follow this one so the history is a single line again.
"""

from __future__ import annotations

revision = "0005_merge_features"
down_revision = ("0002_reminders", "0003_contacts", "0004_calendar_sync")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
