"""SLA outcomes kept per target and rolled up by day, so attainment over a month reads a
few thousand rows at any number of tickets. Tickets filed before this get their outcomes
in the background (`sla.backfill`): `sla_backfill.up_to` is the newest of them.

Revision ID: 0023
Revises: 0022
Created: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from supportdesk.types import UTCDateTime

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sla_outcomes",
        sa.Column(
            "ticket_id",
            sa.Integer,
            sa.ForeignKey("tickets.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("target", sa.String(32), primary_key=True),
        sa.Column("started_at", UTCDateTime, primary_key=True),
        sa.Column("arrived_at", UTCDateTime, nullable=False),
        sa.Column("team", sa.String(64)),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("due_at", UTCDateTime),
        sa.Column("state", sa.String(16), nullable=False),
    )
    op.create_index(
        "ix_sla_outcomes_open_due",
        "sla_outcomes",
        ["due_at"],
        postgresql_where=sa.text("state = 'open'"),
        sqlite_where=sa.text("state = 'open'"),
    )
    op.create_table(
        "sla_attainment_days",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("target", sa.String(32), primary_key=True),
        sa.Column("team", sa.String(64), primary_key=True),
        sa.Column("priority", sa.String(16), primary_key=True),
        sa.Column("open", sa.Integer, nullable=False),
        sa.Column("met", sa.Integer, nullable=False),
        sa.Column("breached", sa.Integer, nullable=False),
    )
    backfill = op.create_table(
        "sla_backfill",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("up_to", sa.Integer, nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
    )
    newest = op.get_bind().scalar(sa.text("SELECT max(id) FROM tickets"))
    if newest is not None:  # a new database stays empty (move-data and restore want one)
        op.bulk_insert(backfill, [{"id": 1, "up_to": newest, "done": 0}])


def downgrade() -> None:
    op.drop_table("sla_backfill")
    op.drop_table("sla_attainment_days")
    op.drop_index("ix_sla_outcomes_open_due", table_name="sla_outcomes")
    op.drop_table("sla_outcomes")
