"""Triage use cases outside the classifiers: what agents teach the model."""

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.triage.models import Correction

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
