"""API shape of the ticket page: each part as its own endpoint answers it, so the UI
fills its per-part caches from this one answer."""

from pydantic import BaseModel, Field

from supportdesk.conversations.schemas import ThreadOut
from supportdesk.tickets.schemas import HistoryEntry, TicketOut
from supportdesk.workflow.schemas import TicketWorkflowOut


class TicketPageOut(BaseModel):
    ticket: TicketOut = Field(description="as GET /api/tickets/{id} answers it")
    thread: ThreadOut = Field(description="as GET /api/tickets/{id}/messages answers it")
    history: list[HistoryEntry] = Field(
        description="the timeline's changes, as GET /api/tickets/{id}/history answers them"
    )
    workflow: TicketWorkflowOut = Field(description="as GET /api/tickets/{id}/workflow answers it")
