"""calendar links and CalDAV sync state

Revision ID: 0004_calendar_sync
Revises: 0001_initial
Create Date: 2026-11-28

Imported calendar keys (so re-imports update, never duplicate) and the events this app put on a
CalDAV calendar (so a sync deletes only its own events).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_calendar_sync"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_links",
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["subscription_id"], ["subscriptions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("subscription_id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "caldav_synced",
        sa.Column("calendar_url", sa.String(length=1000), nullable=False),
        sa.Column("uid", sa.String(length=500), nullable=False),
        sa.Column("href", sa.String(length=1000), nullable=False),
        sa.Column("etag", sa.String(length=200), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("calendar_url", "uid"),
    )


def downgrade() -> None:
    op.drop_table("caldav_synced")
    op.drop_table("calendar_links")
