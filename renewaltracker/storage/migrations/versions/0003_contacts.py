"""contact log

Revision ID: 0003_contacts
Revises: 0001_initial
Create Date: 2026-11-28

Support contacts per subscription (date and time, channel, case number, agent, summary, outcome,
follow-up date), deleted together with their subscription.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_contacts"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("case_number", sa.String(length=200), nullable=False),
        sa.Column("agent", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("follow_up", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["subscription_id"], ["subscriptions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index("ix_contacts_subscription_at", ["subscription_id", "at"], unique=False)
        batch_op.create_index("ix_contacts_follow_up", ["follow_up"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_follow_up")
        batch_op.drop_index("ix_contacts_subscription_at")
    op.drop_table("contacts")
