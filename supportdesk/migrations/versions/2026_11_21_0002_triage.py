"""Triage: model versions, corrections, provider calls.

Revision ID: 0002
Revises: 0001
Created: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from supportdesk.types import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "triage_model_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("heads", sa.LargeBinary, nullable=False),
        sa.Column("metrics", sa.JSON, nullable=False),
        sa.Column("examples", sa.Integer, nullable=False),
        sa.Column("corrections", sa.Integer, nullable=False, server_default="0"),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "triage_corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "ticket_id", sa.Integer, sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("field", sa.String(16), nullable=False),
        sa.Column("predicted", sa.String(16), nullable=False),
        sa.Column("corrected", sa.String(16), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.CheckConstraint("field IN ('category', 'priority')", name="field_valid"),
    )
    op.create_index("ix_triage_corrections_ticket_id", "triage_corrections", ["ticket_id"])
    op.create_table(
        "triage_provider_calls",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("model", sa.String(128), nullable=False),
        sa.Column("latency_ms", sa.Float, nullable=False),
        sa.Column("input_tokens", sa.Integer, nullable=True),
        sa.Column("output_tokens", sa.Integer, nullable=True),
        sa.Column("outcome", sa.String(24), nullable=False),
    )
    op.create_index("ix_triage_provider_calls_created_at", "triage_provider_calls", ["created_at"])


def downgrade() -> None:
    op.drop_table("triage_provider_calls")
    op.drop_table("triage_corrections")
    op.drop_table("triage_model_versions")
