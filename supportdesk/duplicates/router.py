"""HTTP endpoints for duplicates: parse, call the service, shape the answer."""

from typing import Annotated

from fastapi import APIRouter, Query

from supportdesk.deps import SessionDep, TicketId
from supportdesk.duplicates import service
from supportdesk.duplicates.schemas import DuplicatesOut, MergedOut, MergeRequest
from supportdesk.problems import problem_responses
from supportdesk.responses import JSONResponse
from supportdesk.tickets.router import ticket_json
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
    ticket_id: TicketId,
    session: SessionDep,
    triage: TriageDep,
    limit: Annotated[int, Query(ge=1, le=service.MAX_LIMIT)] = service.DEFAULT_LIMIT,
) -> JSONResponse:
    """Open or in-progress tickets of the last 30 days that read like this one, most
    similar first."""
    found = await service.find_duplicates(session, ticket_id, triage.embedder, limit=limit)
    return JSONResponse(
        {
            "ticket_id": ticket_id,
            "threshold": service.THRESHOLD,
            "results": [{"ticket": ticket_json(d.ticket), "score": d.score} for d in found],
        }
    )


@router.get("/{ticket_id:int}/merged", response_model=MergedOut, operation_id="listMerged")
async def list_merged(ticket_id: TicketId, session: SessionDep) -> JSONResponse:
    """The tickets merged into this one, oldest first."""
    merged = await service.merged_into(session, ticket_id)
    return JSONResponse({"ticket_id": ticket_id, "results": [ticket_json(t) for t in merged]})


@router.post(
    "/{ticket_id:int}/merge",
    response_model=TicketOut,
    operation_id="mergeTicket",
    responses=problem_responses(409),
)
async def merge_ticket(
    ticket_id: TicketId, body: MergeRequest, session: SessionDep
) -> JSONResponse:
    """Close this ticket as a duplicate of `into` and link it there."""
    return JSONResponse(ticket_json(await service.merge(session, ticket_id, body.into)))
