"""Shared drafts: a reply draft marked ready for a teammate's review, by whom and when.

Revision ID: 0015
Revises: 0014
Created: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from supportdesk.types import UTCDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN in place, the reference in the column's definition (as 0012 does).
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE ticket_drafts ADD COLUMN review_requested_by INTEGER "
            "REFERENCES users (id) ON DELETE SET NULL"
        )
    else:
        op.add_column("ticket_drafts", sa.Column("review_requested_by", sa.Integer))
        op.create_foreign_key(
            "fk_ticket_drafts_review_requested_by_users",
            "ticket_drafts",
            "users",
            ["review_requested_by"],
            ["id"],
            ondelete="SET NULL",
        )
    op.add_column("ticket_drafts", sa.Column("review_requested_at", UTCDateTime, nullable=True))
    op.create_index("ix_ticket_drafts_review", "ticket_drafts", ["review_requested_at"])


def downgrade() -> None:
    op.drop_index("ix_ticket_drafts_review", table_name="ticket_drafts")
    op.execute("ALTER TABLE ticket_drafts DROP COLUMN review_requested_at")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(
            "fk_ticket_drafts_review_requested_by_users", "ticket_drafts", type_="foreignkey"
        )
    op.execute("ALTER TABLE ticket_drafts DROP COLUMN review_requested_by")
