"""PostgreSQL statistics on how the tickets' labels and team go together (a billing ticket
is the billing team's): the planner's estimate of a filtered list's size, which the list
gives as its total where counting would cost more than the page, is then no longer the
product of each filter's share as if they were unrelated.

Revision ID: 0022
Revises: 0021
Created: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE STATISTICS tickets_labels (dependencies, mcv) "
            "ON category, priority, status, team FROM tickets"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP STATISTICS tickets_labels")
