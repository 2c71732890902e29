"""The audit trail: ticket changes and security events alike."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.db import Base
from supportdesk.types import UTCDateTime, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # user | customer | ai | system | open (the open mode's unsigned requests)
    actor_kind: Mapped[str] = mapped_column(String(16))
    # No foreign key: the trail outlives the rows it names (a deleted user, a merged ticket).
    actor_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(48))
    ticket_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    subject_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # {field: [old, new]} for changes; other facts (the email tried, a token's name) beside.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    detail: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_audit_events_ticket", "ticket_id", "id"),
        Index("ix_audit_events_newest", text("at DESC")),
        Index("ix_audit_events_action", "action", text("at DESC")),
    )
