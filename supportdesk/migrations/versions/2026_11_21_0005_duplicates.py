"""Duplicates: tickets.duplicate_of, and ticket_embeddings with indexed LSH band codes.

Revision ID: 0005
Revises: 0004
Created: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from supportdesk.types import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here rather than imported: this revision creates exactly these columns, whatever
# supportdesk.duplicates.lsh says later (changing it needs a migration that recomputes).
BANDS = 32
BAND_COLUMNS = [f"band_{band:02d}" for band in range(BANDS)]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # In place: SQLite adds a REFERENCES column with a NULL default without copying
        # the table. Batch mode adds a column with a foreign key by copying the table,
        # which loses its full-text and rollup triggers, and with foreign keys on, the
        # implicit DELETE of DROP TABLE cascades into every child table.
        op.execute(
            "ALTER TABLE tickets ADD COLUMN duplicate_of INTEGER "
            "REFERENCES tickets (id) ON DELETE SET NULL"
        )
    else:
        op.add_column("tickets", sa.Column("duplicate_of", sa.Integer, nullable=True))
        op.create_foreign_key(
            "fk_tickets_duplicate_of_tickets",
            "tickets",
            "tickets",
            ["duplicate_of"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_index("ix_tickets_duplicate_of", "tickets", ["duplicate_of"])
    op.create_table(
        "ticket_embeddings",
        sa.Column(
            "ticket_id",
            sa.Integer,
            sa.ForeignKey("tickets.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("vector", sa.LargeBinary, nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        *(sa.Column(name, sa.Integer, nullable=False) for name in BAND_COLUMNS),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    for name in BAND_COLUMNS:
        op.create_index(f"ix_ticket_embeddings_{name}", "ticket_embeddings", [name, "ticket_id"])


def downgrade() -> None:
    op.drop_table("ticket_embeddings")
    op.drop_index("ix_tickets_duplicate_of", table_name="tickets")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite >= 3.35 drops the column in place; batch mode would copy the table.
        op.execute("ALTER TABLE tickets DROP COLUMN duplicate_of")
        return
    op.drop_constraint("fk_tickets_duplicate_of_tickets", "tickets", type_="foreignkey")
    op.drop_column("tickets", "duplicate_of")
