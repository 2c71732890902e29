"""Jobs: procrastinate's schema on PostgreSQL, a small job table on SQLite.

Revision ID: 0003
Revises: 0002
Created: 2026-11-21
"""

from collections.abc import Sequence
from importlib import resources

import sqlalchemy as sa
from alembic import op
from sqlalchemy.util import await_only

from supportdesk.types import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # procrastinate's own schema (pinned version): one script with functions and types,
        # sent as a simple query so its many statements run together.
        schema = resources.files("procrastinate.sql").joinpath("schema.sql").read_text()
        driver = bind.connection.dbapi_connection.driver_connection  # type: ignore[union-attr]
        await_only(driver.execute(schema))
        return
    op.create_table(
        "local_jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("task", sa.String(64), nullable=False),
        sa.Column("args", sa.JSON, nullable=False),
        sa.Column("lock", sa.String(128), nullable=True),
        sa.Column("status", sa.String(16), nullable=False, server_default="todo"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("run_after", UTCDateTime, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
    )
    op.create_index("ix_local_jobs_status_run_after", "local_jobs", ["status", "run_after"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, "
            "procrastinate_jobs, procrastinate_workers CASCADE"
        )
        return
    op.drop_table("local_jobs")
