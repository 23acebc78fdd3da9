"""letter language per subscription

Revision ID: 0010_letter_language
Revises: 0009_money_back
Create Date: 2026-12-01

The language letters to a subscription's vendor are written in ("de", "fr", "en"); empty follows the interface.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_letter_language"
down_revision = "0009_money_back"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("letter_language", sa.String(length=5), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_column("letter_language")
