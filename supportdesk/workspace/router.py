"""HTTP endpoint of the ticket page."""

from fastapi import APIRouter, Request, Response

from supportdesk.auth.access import Viewer
from supportdesk.conversations.schemas import thread_out
from supportdesk.deps import ReadSessionDep
from supportdesk.kept import KeptAnswers
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
    request: Request, ticket_id: VisibleTicketId, session: ReadSessionDep, _: Viewer
) -> Response:
    """The ticket, its whole thread (internal notes included), its change history and the
    workflow's facts, routing and draft, in one answer: what the agent's ticket page opens
    with."""
    # The same for every agent who may see the ticket: built once per version of what is
    # on it (the version read first, so a page built from newer rows is only rebuilt).
    built: KeptAnswers[int, service.PageVersion] = request.app.state.ticket_pages
    version = await service.page_version(session, ticket_id)
    body = built.get(ticket_id, version) if version is not None else None
    if body is None:
        page = await service.ticket_page(session, ticket_id)
        body = (
            TicketPageOut(
                ticket=TicketOut.model_validate(page.thread.ticket, from_attributes=True),
                thread=thread_out(page.thread),
                history=[HistoryEntry(**entry) for entry in page.history],
                workflow=TicketWorkflowOut.model_validate(workflow_fields(page.workflow)),
            )
            .model_dump_json()
            .encode()
        )
        if version is not None:
            built.put(ticket_id, version, body)
    return Response(body, media_type="application/json")
