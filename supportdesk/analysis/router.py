"""HTTP endpoints for batch analysis (reference 003's paths and shapes, plus our fields).
Admins only: a run reads, and its report names, every team's tickets."""

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.analysis import service
from supportdesk.analysis.models import AnalysisRun
from supportdesk.analysis.schemas import (
    AnalyzedTicketPage,
    AnalyzeRequest,
    RunDetail,
    RunPage,
    RunStatusOut,
)
from supportdesk.auth.access import Admin
from supportdesk.deps import PageNumber, RunId, SessionDep
from supportdesk.problems import problem_responses
from supportdesk.tickets.service import TicketFilter

router = APIRouter(tags=["analysis"])

MAX_RUNS_PAGE = 100
MAX_TICKETS_PAGE = 1000


def _progress(progress: service.Progress) -> dict[str, int]:
    return {
        "total": progress.total,
        "pending": progress.pending,
        "processing": progress.processing,
        "analyzed": progress.analyzed,
        "failed": progress.failed,
        "done": progress.done,
    }


def _run(run: AnalysisRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "created_at": run.created_at,
        "summary": run.summary,
        "ticket_count": run.ticket_count,
        "status": run.status,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "selection": run.selection,
    }


async def _detail(
    session: AsyncSession, run: AnalysisRun, with_results: bool = True
) -> dict[str, Any]:
    progress = (await service.progress(session, [run.id]))[run.id]
    rows = await service.results(session, run.id) if with_results else []
    return {
        **_run(run),
        "ticket_analyses": [asdict(row) for row in rows],
        "summary_data": run.summary_data,
        "summary_provider": run.summary_provider,
        "progress": _progress(progress),
    }


@router.post(
    "/api/analyze",
    status_code=201,
    response_model=RunDetail,
    response_model_exclude_unset=True,  # keys an older run's summary lacks stay absent
    operation_id="startAnalysis",
    responses=problem_responses(409),
)
async def start_analysis(
    session: SessionDep, _: Admin, data: AnalyzeRequest | None = None
) -> RunDetail:
    """Start a run in the background. `ticketIds: null` (or no body) analyzes every ticket
    no run has analyzed yet; 409 when there is nothing to analyse (none left, none of the
    ids exists, no ticket matches the filter), or when a ticket is held by an active run
    (the answer names the run and the tickets)."""
    data = data or AnalyzeRequest()
    filters = None
    if data.filter is not None:
        filters = TicketFilter(
            categories=data.filter.category,
            priorities=data.filter.priority,
            statuses=data.filter.status,
            teams=list(dict.fromkeys(data.filter.team)),
            search=data.filter.search or None,
        )
    run = await service.start_run(session, data.ticket_ids, filters)
    return RunDetail.model_validate(await _detail(session, run))


@router.get(
    "/api/analyze/runs",
    response_model=RunPage,
    response_model_exclude_unset=True,
    operation_id="listAnalysisRuns",
)
async def list_runs(
    session: SessionDep,
    _: Admin,
    page: PageNumber = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_RUNS_PAGE)] = 20,
) -> RunPage:
    """Newest first."""
    runs, total = await service.list_runs(session, (page - 1) * page_size, page_size)
    return RunPage.model_validate(
        {"items": [_run(r) for r in runs], "page": page, "page_size": page_size, "total": total}
    )


@router.get("/api/analyze/active", response_model=list[RunStatusOut], operation_id="activeAnalyses")
async def active(session: SessionDep, _: Admin) -> list[RunStatusOut]:
    """Runs still pending or processing."""
    runs = await service.active_runs(session)
    ids = [r.id for r in runs]
    progress = await service.progress(session, ids)
    tickets = await service.ticket_ids(session, ids)
    return [
        RunStatusOut.model_validate(item)
        for item in [
            {
                "analysis_run_id": r.id,
                "status": r.status,
                "ticket_ids": tickets[r.id],
                "progress": _progress(progress[r.id]),
            }
            for r in runs
        ]
    ]


@router.get(
    "/api/analyze/{run_id:int}",
    response_model=RunDetail,
    response_model_exclude_unset=True,
    operation_id="getAnalysis",
)
async def get_run(
    _: Admin,
    run_id: RunId,
    session: SessionDep,
    results: Annotated[bool, Query(description="false leaves out ticket_analyses")] = True,
) -> RunDetail:
    """The run, every ticket's result, and the summary once the run has finished."""
    run = await service.get_run(session, run_id)
    return RunDetail.model_validate(await _detail(session, run, with_results=results))


@router.get(
    "/api/analyze/{run_id:int}/status",
    response_model=RunStatusOut,
    operation_id="getAnalysisStatus",
)
async def run_status(run_id: RunId, session: SessionDep, _: Admin) -> RunStatusOut:
    run = await service.get_run(session, run_id)
    progress = (await service.progress(session, [run.id]))[run.id]
    tickets = await service.ticket_ids(session, [run.id])
    return RunStatusOut.model_validate(
        {
            "analysis_run_id": run.id,
            "status": run.status,
            "ticket_ids": tickets[run.id],
            "progress": _progress(progress),
        }
    )


@router.get(
    "/api/tickets/analyzed", response_model=AnalyzedTicketPage, operation_id="listAnalyzedTickets"
)
async def analyzed_tickets(
    session: SessionDep,
    _: Admin,
    page: PageNumber = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_TICKETS_PAGE)] = 10,
) -> AnalyzedTicketPage:
    """Tickets with their latest analysis, most recently analyzed first."""
    items, total = await service.analyzed_tickets(session, (page - 1) * page_size, page_size)
    return AnalyzedTicketPage.model_validate(
        {
            "items": [asdict(item) for item in items],
            "page": page,
            "page_size": page_size,
            "total": total,
        }
    )
