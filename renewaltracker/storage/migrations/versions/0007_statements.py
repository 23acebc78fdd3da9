"""bank statement imports: saved CSV mappings per bank, dismissed candidates

Revision ID: 0007_statements
Revises: 0006_postal
Create Date: 2026-11-30

A bank's column mapping is reused for its next statement; a dismissed candidate is not offered again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_statements"
down_revision = "0006_postal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bank_mappings",
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("signature"),
    )
    op.create_table(
        "dismissed_candidates",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.PrimaryKeyConstraint("key", "currency"),
    )


def downgrade() -> None:
    op.drop_table("dismissed_candidates")
    op.drop_table("bank_mappings")
