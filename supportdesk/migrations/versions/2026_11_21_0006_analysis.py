"""Batch analysis: runs, per-ticket results, and the claims that keep runs from overlapping.

Revision ID: 0006
Revises: 0005
Created: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from supportdesk.types import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESULT_STATUSES = "'pending', 'processing', 'analyzed', 'failed'"
CATEGORIES = "'billing', 'technical', 'account', 'general'"
PRIORITIES = "'low', 'medium', 'high', 'critical'"


def upgrade() -> None:
    op.create_table(
        "analysis_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=True),
        sa.Column("finished_at", UTCDateTime, nullable=True),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("selection", sa.JSON, nullable=False),
        sa.Column("ticket_count", sa.Integer, nullable=False),
        sa.Column("summary", sa.Text, nullable=False, server_default=""),
        sa.Column("summary_data", sa.JSON, nullable=True),
        sa.Column("summary_provider", sa.String(64), nullable=True),
        sa.Column("summary_queued_at", UTCDateTime, nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'processing', 'completed', 'failed')", name="status_valid"
        ),
    )
    op.create_index("ix_analysis_runs_status", "analysis_runs", ["status"])
    op.create_table(
        "analysis_results",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "run_id",
            sa.Integer,
            sa.ForeignKey("analysis_runs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("ticket_id", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("category", sa.String(16), nullable=True),
        sa.Column("priority", sa.String(16), nullable=True),
        sa.Column("confidence", sa.Float, nullable=True),
        sa.Column("provider", sa.String(64), nullable=True),
        sa.Column("notes", sa.Text, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("analyzed_at", UTCDateTime, nullable=True),
        sa.Column("embedding", sa.LargeBinary, nullable=True),
        sa.UniqueConstraint("run_id", "ticket_id"),
        sa.CheckConstraint(f"status IN ({RESULT_STATUSES})", name="status_valid"),
        sa.CheckConstraint(
            f"category IS NULL OR category IN ({CATEGORIES})", name="category_valid"
        ),
        sa.CheckConstraint(
            f"priority IS NULL OR priority IN ({PRIORITIES})", name="priority_valid"
        ),
    )
    op.create_index("ix_analysis_results_run_id_status", "analysis_results", ["run_id", "status"])
    op.create_index(
        "ix_analysis_results_ticket_id_status", "analysis_results", ["ticket_id", "status"]
    )
    op.create_table(
        "analysis_claims",
        sa.Column(
            "ticket_id",
            sa.Integer,
            sa.ForeignKey("tickets.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "run_id",
            sa.Integer,
            sa.ForeignKey("analysis_runs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("claimed_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_analysis_claims_run_id", "analysis_claims", ["run_id"])


def downgrade() -> None:
    op.drop_table("analysis_claims")
    op.drop_table("analysis_results")
    op.drop_table("analysis_runs")
