"""HTTP endpoints for duplicates: parse, call the service, shape the answer."""

from typing import Annotated

from fastapi import APIRouter, Query

from supportdesk.audit.service import By
from supportdesk.auth.access import Agent, Viewer
from supportdesk.deps import SessionDep
from supportdesk.duplicates import service
from supportdesk.duplicates.schemas import DuplicateOut, DuplicatesOut, MergedOut, MergeRequest
from supportdesk.problems import problem_responses
from supportdesk.tickets import service as tickets
from supportdesk.tickets.deps import VisibleTicketId
from supportdesk.tickets.router import ticket_out
from supportdesk.tickets.schemas import TicketOut
from supportdesk.triage.deps import TriageDep

router = APIRouter(prefix="/api/tickets", tags=["duplicates"])


@router.get(
    "/{ticket_id:int}/duplicates",
    response_model=DuplicatesOut,
    operation_id="listDuplicates",
    responses=problem_responses(503),
)
async def list_duplicates(
    ticket_id: VisibleTicketId,
    actor: Viewer,
    session: SessionDep,
    triage: TriageDep,
    limit: Annotated[int, Query(ge=1, le=service.MAX_LIMIT)] = service.DEFAULT_LIMIT,
) -> DuplicatesOut:
    """Open or in-progress tickets of the last 30 days that read like this one, most
    similar first."""
    found = await service.find_duplicates(
        session, ticket_id, triage.embedder, limit=limit, teams=actor.team_scope
    )
    return DuplicatesOut(
        ticket_id=ticket_id,
        threshold=service.THRESHOLD,
        results=[DuplicateOut(ticket=ticket_out(d.ticket), score=d.score) for d in found],
    )


@router.get("/{ticket_id:int}/merged", response_model=MergedOut, operation_id="listMerged")
async def list_merged(ticket_id: VisibleTicketId, session: SessionDep, actor: Viewer) -> MergedOut:
    """The tickets merged into this one, oldest first (those the asker may see)."""
    merged = await service.merged_into(session, ticket_id)
    visible = [ticket_out(t) for t in merged if actor.sees_team(t.team)]
    return MergedOut(ticket_id=ticket_id, results=visible)


@router.post(
    "/{ticket_id:int}/merge",
    response_model=TicketOut,
    operation_id="mergeTicket",
    responses=problem_responses(409),
)
async def merge_ticket(
    ticket_id: VisibleTicketId, body: MergeRequest, session: SessionDep, actor: Agent
) -> TicketOut:
    """Close this ticket as a duplicate of `into` and link it there."""
    if actor.team_scope is not None:
        await tickets.ensure_visible(session, body.into, actor.team_scope, field="into")
    return ticket_out(await service.merge(session, ticket_id, body.into, By.user(actor.user_id)))
