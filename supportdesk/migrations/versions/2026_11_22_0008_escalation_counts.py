"""Escalation counts per day, summed over processes (calls saved used to be per process).

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


def downgrade() -> None:
    op.drop_table("triage_escalation_counts")
