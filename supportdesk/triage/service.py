"""Triage use cases outside the classifiers: what agents teach the model, and the record
of LLM calls."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.triage.models import Correction, ProviderCall

if TYPE_CHECKING:  # tickets call into triage; only the type flows back
    from supportdesk.tickets.models import Ticket


async def record_correction(
    session: AsyncSession, ticket: "Ticket", field: str, predicted: str, corrected: str
) -> None:
    """An agent overrode an AI label: keep the text and both labels for retraining."""
    session.add(
        Correction(
            ticket_id=ticket.id,
            title=ticket.title,
            description=ticket.description,
            field=field,
            predicted=predicted,
            corrected=corrected,
            category=ticket.category,
            priority=ticket.priority,
        )
    )


async def prune_provider_calls(session: AsyncSession, before: datetime) -> int:
    """Forget LLM calls made before `before`; the record is for recent cost and health."""
    result = await session.execute(delete(ProviderCall).where(ProviderCall.created_at < before))
    return int(getattr(result, "rowcount", 0) or 0)
