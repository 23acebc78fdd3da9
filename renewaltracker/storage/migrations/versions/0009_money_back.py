"""requests, price history, refunded charges, contacts tied to requests

Revision ID: 0009_money_back
Revises: 0008_channels_household
Create Date: 2026-11-30

Requests to vendors (kind, charge, amount asked, state, outcome, amount recovered); a plan's price
steps with effective dates; what a refunded charge brought back and when; and on contacts the request
they belong to plus what was promised and by when.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_money_back"
down_revision = "0008_channels_household"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("charge_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("recovered", sa.String(length=40), nullable=True),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["subscription_id"], ["subscriptions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["charge_id"], ["charges.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.create_index("ix_requests_subscription_id", ["subscription_id"], unique=False)
    op.create_table(
        "prices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("amount", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["subscription_id"], ["subscriptions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subscription_id", "effective", name="uq_prices_subscription_effective"),
    )
    with op.batch_alter_table("charges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refunded_amount", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("refunded_on", sa.Date(), nullable=True))
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("promised", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("promised_by", sa.Date(), nullable=True))
        batch_op.create_index("ix_contacts_request_id", ["request_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_contacts_request_id_requests", "requests", ["request_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_constraint("fk_contacts_request_id_requests", type_="foreignkey")
        batch_op.drop_index("ix_contacts_request_id")
        batch_op.drop_column("promised_by")
        batch_op.drop_column("promised")
        batch_op.drop_column("request_id")
    with op.batch_alter_table("charges", schema=None) as batch_op:
        batch_op.drop_column("refunded_on")
        batch_op.drop_column("refunded_amount")
    op.drop_table("prices")
    op.drop_table("requests")
