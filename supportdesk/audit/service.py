"""Recording audit events (in the caller's transaction) and reading them back."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.audit.models import AuditEvent


@dataclass(frozen=True, slots=True)
class By:
    """Who made a change: a staff user, a customer, the AI, the system, or open access."""

    kind: str
    user_id: int | None = None

    @classmethod
    def user(cls, user_id: int | None) -> "By":
        return cls("user", user_id) if user_id is not None else cls("open")


AI = By("ai")
SYSTEM = By("system")


@dataclass(slots=True)
class Change:
    action: str
    by: By
    ticket_id: int | None = None
    subject_user_id: int | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    detail: str = ""


def record(session: AsyncSession, change: Change) -> None:
    """Add the event to the session: it commits, or rolls back, with the change it records."""
    session.add(
        AuditEvent(
            actor_kind=change.by.kind,
            actor_user_id=change.by.user_id,
            action=change.action,
            ticket_id=change.ticket_id,
            subject_user_id=change.subject_user_id,
            changes=change.changes,
            detail=change.detail,
        )
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }


async def ticket_trail(session: AsyncSession, ticket_id: int) -> Sequence[Row[Any]]:
    """Every event of one ticket, oldest first (ix_audit_events_ticket), as plain rows:
    the ticket page reads them on every open, and ORM objects cost twice as much."""
    statement = select(
        AuditEvent.id,
        AuditEvent.at,
        AuditEvent.action,
        AuditEvent.actor_kind,
        AuditEvent.actor_user_id,
        AuditEvent.changes,
        AuditEvent.detail,
    ).where(AuditEvent.ticket_id == ticket_id)
    return (await session.execute(statement.order_by(AuditEvent.id))).all()


async def events(
    session: AsyncSession,
    *,
    ticket_id: int | None = None,
    action_prefix: str | None = None,
    actor_user_id: int | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> Sequence[AuditEvent]:
    """Newest first; `before_id` pages further back."""
    statement = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if ticket_id is not None:
        statement = statement.where(AuditEvent.ticket_id == ticket_id)
    if action_prefix:
        statement = statement.where(AuditEvent.action.startswith(action_prefix, autoescape=True))
    if actor_user_id is not None:
        statement = statement.where(AuditEvent.actor_user_id == actor_user_id)
    if before_id is not None:
        statement = statement.where(AuditEvent.id < before_id)
    return (await session.scalars(statement)).all()
