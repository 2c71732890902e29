"""Each person's email notifications: a ticket given to them, a customer's answer.

Revision ID: 0021
Revises: 0020
Created: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for column in ("notify_assigned", "notify_customer_replied"):
        op.add_column(
            "users", sa.Column(column, sa.Boolean, nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    for column in ("notify_assigned", "notify_customer_replied"):
        op.execute(f"ALTER TABLE users DROP COLUMN {column}")
