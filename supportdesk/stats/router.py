"""GET /api/tickets/stats."""

from fastapi import APIRouter

from supportdesk.auth.access import Viewer
from supportdesk.deps import ReadSessionDep
from supportdesk.stats.schemas import Stats
from supportdesk.stats.service import ticket_stats

router = APIRouter(prefix="/api/tickets", tags=["stats"])


@router.get("/stats", response_model=Stats, operation_id="ticketStats")
async def stats(session: ReadSessionDep, _: Viewer) -> Stats:
    """Totals and breakdowns; every key is present even when its count is 0."""
    return Stats.model_validate(await ticket_stats(session))
