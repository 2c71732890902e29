"""Triage confidence per label on tickets, beside the overall (lower) one; an index for
"due soonest", which lists what is still to do first.

Revision ID: 0007
Revises: 0006
Created: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_COLUMNS = ("ai_category_confidence", "ai_priority_confidence")


def upgrade() -> None:
    # add_column only, so SQLite alters in place and keeps the tickets triggers (0004).
    # Earlier tickets keep NULL: their overall confidence does not say which label it was.
    with op.batch_alter_table("tickets") as batch:
        for column in NEW_COLUMNS:
            batch.add_column(sa.Column(column, sa.Float, nullable=True))
        batch.create_index(
            "ix_tickets_due_open", [sa.text("(resolved_at IS NOT NULL)"), "due_at", "id"]
        )


def downgrade() -> None:
    op.drop_index("ix_tickets_due_open", table_name="tickets")
    for column in NEW_COLUMNS:
        # In place on SQLite >= 3.35 and PostgreSQL alike.
        op.execute(f"ALTER TABLE tickets DROP COLUMN {column}")
