"""billing channel, last use, tags, household members, exchange rates, attachments

Revision ID: 0008_channels_household
Revises: 0007_statements
Create Date: 2026-11-30

Adds the billing channel (guessed from the payment-method text, which is kept), the date a subscription
was last used, its tags, who pays for it and who uses it, exchange rates and attached files.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from renewaltracker.domain.channels import guess_channel

revision = "0008_channels_household"
down_revision = "0007_statements"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=20), nullable=False, server_default="other"))
        batch_op.add_column(sa.Column("last_used", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("tags", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("payer_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_subscriptions_payer", "members", ["payer_id"], ["id"], ondelete="SET NULL")
    # The channel is guessed once from the free text the user typed; the text itself stays as it was.
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, payment_method FROM subscriptions")).all()
    for row_id, payment_method in rows:
        connection.execute(
            sa.text("UPDATE subscriptions SET channel = :channel WHERE id = :id"),
            {"channel": guess_channel(payment_method or "").value, "id": row_id},
        )
    op.create_table(
        "subscription_users",
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["subscription_id"], ["subscriptions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("subscription_id", "member_id"),
    )
    op.create_table(
        "exchange_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base", sa.String(length=3), nullable=False),
        sa.Column("quote", sa.String(length=3), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rate", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("base", "quote", "day", name="uq_exchange_rates_pair_day"),
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("charge_id", sa.Integer(), nullable=True),
        sa.Column("stored_name", sa.String(length=300), nullable=False),
        sa.Column("original_name", sa.String(length=300), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["subscription_id"], ["subscriptions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["charge_id"], ["charges.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("stored_name"),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index("ix_attachments_subscription_id", ["subscription_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index("ix_attachments_subscription_id")
    op.drop_table("attachments")
    op.drop_table("exchange_rates")
    op.drop_table("subscription_users")
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_subscriptions_payer", type_="foreignkey")
        batch_op.drop_column("payer_id")
        batch_op.drop_column("tags")
        batch_op.drop_column("last_used")
        batch_op.drop_column("channel")
    op.drop_table("members")
