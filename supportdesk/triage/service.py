"""Triage use cases: check the text, ask the configured classifier."""

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.errors import PayloadTooLarge
from supportdesk.triage.base import Classifier, Suggestion
from supportdesk.triage.models import Correction

if TYPE_CHECKING:  # tickets call into triage; only the type flows back
    from supportdesk.tickets.models import Ticket

MAX_TEXT_CHARS = 20_000


async def suggest(classifier: Classifier, title: str, description: str) -> Suggestion:
    """Text arrives cleaned by the API schemas; here only its size is the triage's concern."""
    if len(title) + len(description) > MAX_TEXT_CHARS:
        raise PayloadTooLarge(errors={"description": [f"at most {MAX_TEXT_CHARS} characters"]})
    return await classifier.classify(title, description)


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
