"""Escalation counts per day, summed over processes (calls saved used to be per process);
each LLM call's attempt number and error.

Revision ID: 0008
Revises: 0007
Created: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ("local_answers", "llm_calls", "calls_saved", "fallbacks")


def upgrade() -> None:
    op.create_table(
        "triage_escalation_counts",
        sa.Column("day", sa.Date, primary_key=True),
        *(sa.Column(name, sa.Integer, nullable=False, server_default="0") for name in COUNTS),
    )
    # add_column only: in place on SQLite too.
    with op.batch_alter_table("triage_provider_calls") as batch:
        batch.add_column(sa.Column("attempt", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(sa.Column("error", sa.Text, nullable=True))


def downgrade() -> None:
    for column in ("attempt", "error"):
        # In place on SQLite >= 3.35 and PostgreSQL alike.
        op.execute(f"ALTER TABLE triage_provider_calls DROP COLUMN {column}")
    op.drop_table("triage_escalation_counts")
