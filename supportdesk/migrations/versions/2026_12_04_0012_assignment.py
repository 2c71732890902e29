"""Who works on a ticket (its assignee), which teams assign new tickets by themselves and
whose turn it is, and who made each triage correction.

Revision ID: 0012
Revises: 0011
Created: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from supportdesk.types import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN in place (SQLite keeps the tickets triggers of 0004), the reference
    # written into the column's definition, which SQLite accepts on ADD COLUMN only.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE tickets ADD COLUMN assignee_id INTEGER "
            "REFERENCES users (id) ON DELETE SET NULL"
        )
    else:
        op.add_column("tickets", sa.Column("assignee_id", sa.Integer, nullable=True))
        op.create_foreign_key(
            "fk_tickets_assignee_id_users",
            "tickets",
            "users",
            ["assignee_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_index("ix_tickets_assignee_open", "tickets", ["assignee_id", "status"])
    op.add_column("user_teams", sa.Column("last_assigned_at", UTCDateTime, nullable=True))
    op.create_table(
        "team_settings",
        sa.Column("team", sa.String(48), primary_key=True),
        sa.Column("auto_assign", sa.Boolean, nullable=False),
    )
    op.add_column("triage_corrections", sa.Column("actor_user_id", sa.Integer, nullable=True))


def downgrade() -> None:
    op.drop_table("team_settings")
    op.execute("ALTER TABLE user_teams DROP COLUMN last_assigned_at")
    op.drop_index("ix_tickets_assignee_open", table_name="tickets")
    op.execute("ALTER TABLE triage_corrections DROP COLUMN actor_user_id")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_tickets_assignee_id_users", "tickets", type_="foreignkey")
    op.execute("ALTER TABLE tickets DROP COLUMN assignee_id")
