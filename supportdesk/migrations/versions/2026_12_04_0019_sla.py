"""SLA on business hours: targets per priority, a calendar per team, warnings and breaches
recorded once each. On PostgreSQL, the job table is analysed sooner as it grows: a burst of
thousands of jobs (an email import) otherwise leaves procrastinate's fetch planned for an
empty table, a full scan per job, until autovacuum catches up.

Revision ID: 0019
Revises: 0018
Created: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from supportdesk.types import UTCDateTime

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sla_targets",
        sa.Column("priority", sa.String(16), primary_key=True),
        sa.Column("first_response_minutes", sa.Integer),
        sa.Column("next_response_minutes", sa.Integer),
        sa.Column("resolution_minutes", sa.Integer),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "sla_calendars",
        sa.Column("team", sa.String(64), primary_key=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("hours", sa.JSON, nullable=False),
        sa.Column("country", sa.String(8)),
        sa.Column("holidays", sa.JSON, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "sla_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "ticket_id",
            sa.Integer,
            sa.ForeignKey("tickets.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("target", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("due_at", UTCDateTime, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
    )
    op.create_index(
        "ix_sla_events_once", "sla_events", ["ticket_id", "target", "kind", "due_at"], unique=True
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE procrastinate_jobs SET (autovacuum_analyze_threshold = 500, "
            "autovacuum_analyze_scale_factor = 0.02)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE procrastinate_jobs RESET (autovacuum_analyze_threshold, "
            "autovacuum_analyze_scale_factor)"
        )
    op.drop_table("sla_events")
    op.drop_table("sla_calendars")
    op.drop_table("sla_targets")
