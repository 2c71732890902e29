"""API shapes of audit events."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class AuditEventOut(BaseModel):
    id: int
    at: datetime
    actor_kind: str
    actor_user_id: int | None
    action: str
    ticket_id: int | None
    subject_user_id: int | None
    changes: dict[str, Any]
    detail: str


class AuditPage(BaseModel):
    items: list[AuditEventOut]
    # Pass as `before` for the next (older) page; None on the last one.
    next_before: int | None
