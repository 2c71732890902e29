"""HTTP endpoint of the ticket page."""

from fastapi import APIRouter

from supportdesk.auth.access import Viewer
from supportdesk.conversations.schemas import thread_out
from supportdesk.deps import ReadSessionDep
from supportdesk.tickets.deps import VisibleTicketId
from supportdesk.tickets.schemas import HistoryEntry, TicketOut
from supportdesk.workflow.schemas import TicketWorkflowOut, workflow_fields
from supportdesk.workspace import service
from supportdesk.workspace.schemas import TicketPageOut

router = APIRouter(tags=["tickets"])


@router.get(
    "/api/tickets/{ticket_id:int}/page", response_model=TicketPageOut, operation_id="getTicketPage"
)
async def get_ticket_page(
    ticket_id: VisibleTicketId, session: ReadSessionDep, _: Viewer
) -> TicketPageOut:
    """The ticket, its whole thread (internal notes included), its change history and the
    workflow's facts, routing and draft, in one answer: what the agent's ticket page opens
    with."""
    page = await service.ticket_page(session, ticket_id)
    return TicketPageOut(
        ticket=TicketOut.model_validate(page.thread.ticket, from_attributes=True),
        thread=thread_out(page.thread),
        history=[HistoryEntry(**entry) for entry in page.history],
        workflow=TicketWorkflowOut.model_validate(workflow_fields(page.workflow)),
    )
