"""GET /api/tickets/stats and /api/tickets/workload."""

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.auth.access import Viewer
from supportdesk.deps import ReadSessionDep
from supportdesk.stats import service
from supportdesk.stats.schemas import Stats, Workload
from supportdesk.stats.service import ticket_stats
from supportdesk.tickets.kept import kept_answer
from supportdesk.types import utcnow

router = APIRouter(prefix="/api/tickets", tags=["stats"])


@router.get("/stats", response_model=Stats, operation_id="ticketStats")
async def stats(request: Request, actor: Viewer) -> Response:
    """Totals and breakdowns of the tickets the asker may see (an agent: their teams'
    and those not routed yet); every key is present even when its count is 0."""
    today, teams = utcnow().date(), actor.team_scope

    async def stats_json(session: AsyncSession) -> bytes:
        counted = await ticket_stats(session, today=today, teams=teams)
        return Stats.model_validate(counted).model_dump_json().encode()

    # Drawn from the tickets alone: kept until one changes, per team scope and day.
    return await kept_answer(request, (None if teams is None else tuple(teams), today), stats_json)


@router.get("/workload", response_model=Workload, operation_id="ticketWorkload")
async def workload(session: ReadSessionDep, actor: Viewer) -> Workload:
    """The backlog (everything not resolved or closed) and each person's share of it, of
    the tickets the asker may see."""
    return Workload.model_validate(await service.workload(session, actor.team_scope))
