"""The ticket page's content, gathered from the features that own each part. Takes a
session and plain values; never commits, never imports FastAPI."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.conversations import service as conversations
from supportdesk.tickets import service as tickets
from supportdesk.workflow import service as workflow


@dataclass(frozen=True, slots=True)
class TicketPage:
    thread: conversations.Thread  # its ticket too
    history: list[dict[str, Any]]
    workflow: workflow.TicketWorkflow


async def ticket_page(session: AsyncSession, ticket_id: int) -> TicketPage:
    """Everything the page shows but the duplicates (found on demand, by the model):
    one round trip for the browser, a handful of indexed reads here. Raises NotFound."""
    thread = await conversations.thread(session, ticket_id)
    return TicketPage(
        thread=thread,
        history=await tickets.history(session, ticket_id),
        workflow=await workflow.get_workflow(session, ticket_id),
    )
