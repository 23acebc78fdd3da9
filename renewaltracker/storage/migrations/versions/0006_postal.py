"""The vendor's postal address, for cancellation and bank letters on paper.

Revision ID: 0006_postal
Revises: 0005_merge_features
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_postal"
down_revision = "0005_merge_features"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("postal_address", sa.String(length=500), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("postal_address")
