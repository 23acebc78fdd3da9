"""reminder delivery log and snoozes

Revision ID: 0002_reminders
Revises: 0001_initial
Create Date: 2026-11-28

The exactly-once log of delivered reminders (a unique key per reminder) and snoozed reminders.
Times are ISO 8601 text in UTC, as the app's UTCDateTime stores them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_reminders"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

KEY_COLUMNS = ("subscription_id", "kind", "event_date", "lead_days")


def _key_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("lead_days", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "delivered_reminders",
        *_key_columns(),
        sa.Column("due_at", sa.String(length=40), nullable=False),
        sa.Column("claimed_at", sa.String(length=40), nullable=False),
        sa.Column("confirmed_at", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(*KEY_COLUMNS, name="uq_delivered_reminders_key"),
    )
    op.create_table(
        "reminder_snoozes",
        *_key_columns(),
        sa.Column("until", sa.String(length=40), nullable=False),
        sa.Column("delivered_at", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(*KEY_COLUMNS, name="uq_reminder_snoozes_key"),
    )


def downgrade() -> None:
    op.drop_table("reminder_snoozes")
    op.drop_table("delivered_reminders")
