"""The customers' portal: organisations an admin lets share their tickets, one-time
sign-in links for customers, and customers' sessions.

Revision ID: 0016
Revises: 0015
Created: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from supportdesk.types import UTCDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _contact() -> sa.Column[int]:
    return sa.Column(
        "contact_id", sa.Integer, sa.ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("share_tickets", sa.Boolean, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "customer_sign_in_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        _contact(),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.Column("used_at", UTCDateTime),
    )
    op.create_index(
        "ix_customer_sign_in_links_contact_id", "customer_sign_in_links", ["contact_id"]
    )
    op.create_table(
        "customer_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        _contact(),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("last_used_at", UTCDateTime, nullable=False),
        sa.Column("ended_at", UTCDateTime),
    )
    op.create_index("ix_customer_sessions_contact_id", "customer_sessions", ["contact_id"])
    op.create_index("ix_contacts_organisation", "contacts", ["organisation"])


def downgrade() -> None:
    op.drop_index("ix_contacts_organisation", table_name="contacts")
    op.drop_table("customer_sessions")
    op.drop_table("customer_sign_in_links")
    op.drop_table("organisations")
