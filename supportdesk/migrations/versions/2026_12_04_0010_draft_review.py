"""Why a reply draft needs review before sending (an LLM draft that promises money or
actions); null when it does not.

Revision ID: 0010
Revises: 0009
Created: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # add_column only: in place on SQLite too.
    with op.batch_alter_table("ticket_drafts") as batch:
        batch.add_column(sa.Column("review_reason", sa.Text, nullable=True))


def downgrade() -> None:
    # In place on SQLite >= 3.35 and PostgreSQL alike.
    op.execute("ALTER TABLE ticket_drafts DROP COLUMN review_reason")
