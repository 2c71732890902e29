"""Analysis use cases for the API: start a run, read runs, results and analyzed tickets.

Takes a session and plain values; never commits, never imports FastAPI. The background
side (chunks, summary) is in tasks.py. Analysis reads the tickets table (never writes it):
its selections and reports are joins of tickets with analysis rows.
"""

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

# Importing tasks registers them: enqueue() needs the registry entry of what it sends.
from supportdesk.analysis import tasks
from supportdesk.analysis.models import (
    ACTIVE_RUN,
    AnalysisClaim,
    AnalysisResult,
    AnalysisRun,
    ResultStatus,
)
from supportdesk.errors import Conflict, NotFound
from supportdesk.jobs.queue import enqueue
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.service import TicketFilter, list_tickets
from supportdesk.types import utcnow

# Tickets per job: one classify_many batch. Large enough that the embedder groups texts of
# similar length (128 costs ~8% less CPU per ticket than 64), small enough that progress
# moves about every second.
CHUNK_SIZE = 128
# Rows per IN (...) list: both drivers cap bound parameters near 32k.
ID_BATCH = 5_000
FILTER_PAGE = 2_000
UNKNOWN_TICKET = "unknown ticket"
SHOWN_CONFLICTS = 20


class NothingToAnalyze(Conflict):
    """A well-formed selection the tickets of the moment leave empty: none of the ids
    exists, no ticket matches the filter, or none is left to analyse. What the database
    holds decides it, which no request schema can state (a 409, not a 422)."""

    title = "Nothing to analyse"


@dataclass(frozen=True)
class ResultRow:
    ticket_id: int
    status: str
    category: str | None
    priority: str | None
    notes: str | None
    error: str | None
    title: str | None
    confidence: float | None
    provider: str | None
    analyzed_at: datetime | None


@dataclass(frozen=True)
class Progress:
    total: int
    pending: int
    processing: int
    analyzed: int
    failed: int

    @property
    def done(self) -> int:
        return self.analyzed + self.failed


@dataclass(frozen=True)
class AnalyzedTicket:
    id: int
    analysis_id: int
    title: str
    description: str
    category: str
    priority: str
    notes: str | None
    run_id: int
    analyzed_at: datetime
    confidence: float | None
    provider: str | None
    ticket_category: str
    ticket_priority: str
    ticket_status: str


def batches(values: Sequence[int], size: int = ID_BATCH) -> list[Sequence[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def filter_json(filters: TicketFilter) -> dict[str, Any]:
    return {
        "status": [s.value for s in filters.statuses],
        "category": [c.value for c in filters.categories],
        "priority": [p.value for p in filters.priorities],
        "team": list(filters.teams),
        "search": filters.search,
    }


async def start_run(
    session: AsyncSession, ticket_ids: Sequence[int] | None, filters: TicketFilter | None
) -> AnalysisRun:
    """Create a run over `ticket_ids`, the tickets matching `filters`, or (neither) every
    ticket not analyzed yet; claim its tickets and enqueue its chunks, all in the caller's
    transaction. Unknown ids become failed results; the rest proceed."""
    selection: dict[str, Any]
    field = "ticketIds"
    if ticket_ids is not None:
        wanted = list(dict.fromkeys(ticket_ids))
        known = await _existing(session, wanted)
        if not known:
            raise NothingToAnalyze(errors={"ticketIds": ["none of these tickets exist"]})
        # Which tickets, as a digest: a later run over the same ones is comparable with it.
        chosen = ",".join(map(str, sorted(wanted))).encode()
        selection = {"mode": "ids", "tickets": hashlib.sha256(chosen).hexdigest()[:16]}
    elif filters is not None:
        wanted = known = await _matching(session, filters)
        if not known:
            raise NothingToAnalyze(errors={"filter": ["no ticket matches this filter"]})
        selection = {"mode": "filter", "filter": filter_json(filters)}
        field = "filter"
    else:
        wanted = known = await _not_analyzed(session)
        if not known:
            raise NothingToAnalyze(
                "nothing to analyse: every ticket has been analysed or is held by an active run"
            )
        selection = {"mode": "pending"}
    await _refuse_overlap(session, known, field)

    now = utcnow()
    run = AnalysisRun(selection=selection, ticket_count=len(wanted), created_at=now, updated_at=now)
    session.add(run)
    await session.flush()
    await _claim(session, run.id, known, field)
    await _add_results(session, run.id, wanted, set(known))
    ordered = sorted(known)
    for start in range(0, len(ordered), CHUNK_SIZE):
        chunk = ordered[start : start + CHUNK_SIZE]
        await enqueue(session, tasks.CHUNK_TASK, run_id=run.id, ticket_ids=chunk)
    return run


async def _existing(session: AsyncSession, ids: Sequence[int]) -> list[int]:
    found: set[int] = set()
    for batch in batches(ids):
        found.update(await session.scalars(select(Ticket.id).where(Ticket.id.in_(batch))))
    return [i for i in ids if i in found]


async def _matching(session: AsyncSession, filters: TicketFilter) -> list[int]:
    """The tickets service's own filtering (labels and per-dialect full-text search)."""
    ids: list[int] = []
    while page := await list_tickets(session, filters, "id", len(ids), FILTER_PAGE):
        ids.extend(ticket.id for ticket in page)
        if len(page) < FILTER_PAGE:
            break
    return ids


async def _not_analyzed(session: AsyncSession) -> list[int]:
    """Tickets without an analyzed result in any run, and not held by an active run."""
    analyzed = exists().where(
        AnalysisResult.ticket_id == Ticket.id,
        AnalysisResult.status == ResultStatus.ANALYZED.value,
    )
    held = exists().where(AnalysisClaim.ticket_id == Ticket.id)
    statement = select(Ticket.id).where(~analyzed, ~held).order_by(Ticket.id)
    return list(await session.scalars(statement))


async def _holders(session: AsyncSession, ids: Sequence[int]) -> dict[int, list[int]]:
    """run id -> the given tickets it holds."""
    held: dict[int, list[int]] = {}
    for batch in batches(ids):
        rows = await session.execute(
            select(AnalysisClaim.run_id, AnalysisClaim.ticket_id).where(
                AnalysisClaim.ticket_id.in_(batch)
            )
        )
        for run_id, ticket_id in rows:
            held.setdefault(run_id, []).append(ticket_id)
    return held


async def _refuse_overlap(session: AsyncSession, ids: Sequence[int], field: str) -> None:
    held = await _holders(session, ids)
    if not held:
        return
    messages = []
    for run_id, tickets in sorted(held.items()):
        tickets.sort()
        shown = ", ".join(str(t) for t in tickets[:SHOWN_CONFLICTS])
        more = (
            f" and {len(tickets) - SHOWN_CONFLICTS} more" if len(tickets) > SHOWN_CONFLICTS else ""
        )
        messages.append(f"run {run_id} is analysing tickets {shown}{more}")
    raise Conflict("; ".join(messages), errors={field: messages})


async def _claim(session: AsyncSession, run_id: int, ids: Sequence[int], field: str) -> None:
    """The unique claim per ticket settles a race that the check above cannot see: two
    runs created at once. The savepoint keeps the transaction usable to name the winner."""
    try:
        async with session.begin_nested():
            now = utcnow()
            for batch in batches(ids):
                await session.execute(
                    insert(AnalysisClaim),
                    [{"ticket_id": t, "run_id": run_id, "claimed_at": now} for t in batch],
                )
    except IntegrityError:
        await _refuse_overlap(session, ids, field)
        raise Conflict("another run claimed some of these tickets at the same moment") from None


async def _add_results(
    session: AsyncSession, run_id: int, wanted: Sequence[int], known: set[int]
) -> None:
    rows = [
        {
            "run_id": run_id,
            "ticket_id": ticket_id,
            "status": (ResultStatus.PENDING if ticket_id in known else ResultStatus.FAILED).value,
            "error": None if ticket_id in known else UNKNOWN_TICKET,
        }
        for ticket_id in wanted
    ]
    for start in range(0, len(rows), ID_BATCH):
        await session.execute(insert(AnalysisResult), rows[start : start + ID_BATCH])


async def get_run(session: AsyncSession, run_id: int) -> AnalysisRun:
    run = await session.get(AnalysisRun, run_id)
    if run is None:
        raise NotFound(f"analysis run {run_id} does not exist")
    return run


async def list_runs(
    session: AsyncSession, offset: int, limit: int
) -> tuple[list[AnalysisRun], int]:
    total = int((await session.execute(select(func.count(AnalysisRun.id)))).scalar_one())
    statement = select(AnalysisRun).order_by(AnalysisRun.id.desc()).offset(offset).limit(limit)
    return list(await session.scalars(statement)), total


async def active_runs(session: AsyncSession) -> list[AnalysisRun]:
    statement = (
        select(AnalysisRun).where(AnalysisRun.status.in_(ACTIVE_RUN)).order_by(AnalysisRun.id)
    )
    return list(await session.scalars(statement))


async def progress(session: AsyncSession, run_ids: Sequence[int]) -> dict[int, Progress]:
    counts: dict[int, Counter[str]] = {run_id: Counter() for run_id in run_ids}
    if run_ids:
        rows = await session.execute(
            select(AnalysisResult.run_id, AnalysisResult.status, func.count())
            .where(AnalysisResult.run_id.in_(run_ids))
            .group_by(AnalysisResult.run_id, AnalysisResult.status)
        )
        for run_id, status, n in rows:
            counts[run_id][status] = n
    return {
        run_id: Progress(
            total=sum(c.values()),
            pending=c[ResultStatus.PENDING.value],
            processing=c[ResultStatus.PROCESSING.value],
            analyzed=c[ResultStatus.ANALYZED.value],
            failed=c[ResultStatus.FAILED.value],
        )
        for run_id, c in counts.items()
    }


async def ticket_ids(session: AsyncSession, run_ids: Sequence[int]) -> dict[int, list[int]]:
    ids: dict[int, list[int]] = {run_id: [] for run_id in run_ids}
    if run_ids:
        rows = await session.execute(
            select(AnalysisResult.run_id, AnalysisResult.ticket_id)
            .where(AnalysisResult.run_id.in_(run_ids))
            .order_by(AnalysisResult.run_id, AnalysisResult.ticket_id)
        )
        for run_id, ticket_id in rows:
            ids[run_id].append(ticket_id)
    return ids


async def results(session: AsyncSession, run_id: int) -> list[ResultRow]:
    rows = await session.execute(
        select(
            AnalysisResult.ticket_id,
            AnalysisResult.status,
            AnalysisResult.category,
            AnalysisResult.priority,
            AnalysisResult.notes,
            AnalysisResult.error,
            Ticket.title,
            AnalysisResult.confidence,
            AnalysisResult.provider,
            AnalysisResult.analyzed_at,
        )
        .outerjoin(Ticket, Ticket.id == AnalysisResult.ticket_id)
        .where(AnalysisResult.run_id == run_id)
        .order_by(AnalysisResult.ticket_id)
    )
    return [ResultRow(*tuple(row)) for row in rows]


async def analyzed_tickets(
    session: AsyncSession, offset: int, limit: int
) -> tuple[list[AnalyzedTicket], int]:
    """Every ticket with an analysis, with its latest one; latest analyses first."""
    analyzed = AnalysisResult.status == ResultStatus.ANALYZED.value
    latest = (
        select(
            AnalysisResult.id,
            AnalysisResult.run_id,
            AnalysisResult.ticket_id,
            AnalysisResult.category,
            AnalysisResult.priority,
            AnalysisResult.notes,
            AnalysisResult.analyzed_at,
            AnalysisResult.confidence,
            AnalysisResult.provider,
            func.row_number()
            .over(
                partition_by=AnalysisResult.ticket_id,
                order_by=(AnalysisResult.analyzed_at.desc(), AnalysisResult.id.desc()),
            )
            .label("rank"),
        )
        .where(analyzed)
        .subquery()
    )
    statement = (
        select(
            Ticket.id,
            latest.c.id,
            Ticket.title,
            Ticket.description,
            latest.c.category,
            latest.c.priority,
            latest.c.notes,
            latest.c.run_id,
            latest.c.analyzed_at,
            latest.c.confidence,
            latest.c.provider,
            Ticket.category,
            Ticket.priority,
            Ticket.status,
        )
        .join(Ticket, Ticket.id == latest.c.ticket_id)
        .where(latest.c.rank == 1)
        .order_by(latest.c.analyzed_at.desc(), Ticket.id.desc())
        .offset(offset)
        .limit(limit)
    )
    items = [AnalyzedTicket(*row) for row in await session.execute(statement)]
    total_statement = (
        select(func.count(func.distinct(AnalysisResult.ticket_id)))
        .join(Ticket, Ticket.id == AnalysisResult.ticket_id)
        .where(analyzed)
    )
    return items, int((await session.execute(total_statement)).scalar_one())
