"""dismissed candidates per plan: price, cycle and due day

Revision ID: 0011_dismissed_plans
Revises: 0010_letter_language
Create Date: 2026-12-01

A dismissal was keyed by payee and currency, so dismissing one of two plans at one merchant hid both. A row now
stands for one plan (its amount, cycle and anchor); a row from before, without them, still hides the whole payee.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_dismissed_plans"
down_revision = "0010_letter_language"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The primary key changes, which SQLite can only do by copying the table.
    op.create_table(
        "dismissed_candidates_new",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.String(length=40), nullable=True),
        sa.Column("interval_count", sa.Integer(), nullable=True),
        sa.Column("interval_unit", sa.String(length=10), nullable=True),
        sa.Column("anchor", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(
        "INSERT INTO dismissed_candidates_new (key, currency) SELECT key, currency FROM dismissed_candidates"
        " ORDER BY rowid"
    )
    op.drop_table("dismissed_candidates")
    op.rename_table("dismissed_candidates_new", "dismissed_candidates")


def downgrade() -> None:
    # Back to one row per payee: a dismissed plan hides its payee's other plans again.
    op.create_table(
        "dismissed_candidates_old",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.PrimaryKeyConstraint("key", "currency"),
    )
    op.execute(
        "INSERT INTO dismissed_candidates_old (key, currency) SELECT DISTINCT key, currency FROM dismissed_candidates"
    )
    op.drop_table("dismissed_candidates")
    op.rename_table("dismissed_candidates_old", "dismissed_candidates")
