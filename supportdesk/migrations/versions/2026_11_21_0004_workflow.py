"""Workflow: team, due date and SLA flag on tickets; facts, drafts and routing tables.

Revision ID: 0004
Revises: 0003
Created: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from supportdesk.types import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_COLUMNS = ("sla_breached", "due_at", "team")


def _ticket_key() -> sa.Column[int]:
    return sa.Column(
        "ticket_id",
        sa.Integer,
        sa.ForeignKey("tickets.id", ondelete="CASCADE"),
        primary_key=True,
    )


def upgrade() -> None:
    # Only add_column and create_index: on SQLite, batch mode then alters in place instead
    # of copying the table, which would drop its full-text and rollup triggers. For the same
    # reason the default is a plain string, not an SQL expression.
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("team", sa.String(48), nullable=True))
        batch.add_column(sa.Column("due_at", UTCDateTime, nullable=True))
        batch.add_column(sa.Column("sla_breached", sa.Boolean, nullable=False, server_default="0"))
        batch.create_index("ix_tickets_due_at", ["due_at"])
    op.create_table(
        "ticket_facts",
        _ticket_key(),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("extracted_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "ticket_drafts",
        _ticket_key(),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("tone", sa.String(16), nullable=False),
        sa.Column("suggested_actions", sa.JSON, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("edited", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.CheckConstraint("tone IN ('friendly', 'formal', 'empathetic')", name="tone_valid"),
        sa.CheckConstraint("source IN ('template', 'llm')", name="source_valid"),
    )
    op.create_table(
        "ticket_routing",
        _ticket_key(),
        sa.Column("team", sa.String(48), nullable=False),
        sa.Column("alternatives", sa.JSON, nullable=False),
        sa.Column("reasoning", sa.Text, nullable=False),
        sa.Column("decided_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ticket_routing")
    op.drop_table("ticket_drafts")
    op.drop_table("ticket_facts")
    op.drop_index("ix_tickets_due_at", table_name="tickets")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite >= 3.35 drops columns in place; batch mode would copy the table and lose
        # its triggers.
        for column in NEW_COLUMNS:
            op.execute(f"ALTER TABLE tickets DROP COLUMN {column}")
        return
    for column in NEW_COLUMNS:
        op.drop_column("tickets", column)
