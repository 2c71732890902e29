"""GET /api/tickets/stats and /api/tickets/workload."""

from fastapi import APIRouter

from supportdesk.auth.access import Viewer
from supportdesk.deps import ReadSessionDep
from supportdesk.stats import service
from supportdesk.stats.schemas import Stats, Workload
from supportdesk.stats.service import ticket_stats

router = APIRouter(prefix="/api/tickets", tags=["stats"])


@router.get("/stats", response_model=Stats, operation_id="ticketStats")
async def stats(session: ReadSessionDep, actor: Viewer) -> Stats:
    """Totals and breakdowns of the tickets the asker may see (an agent: their teams'
    and those not routed yet); every key is present even when its count is 0."""
    return Stats.model_validate(await ticket_stats(session, teams=actor.team_scope))


@router.get("/workload", response_model=Workload, operation_id="ticketWorkload")
async def workload(session: ReadSessionDep, actor: Viewer) -> Workload:
    """The backlog (everything not resolved or closed) and each person's share of it, of
    the tickets the asker may see."""
    return Workload.model_validate(await service.workload(session, actor.team_scope))
