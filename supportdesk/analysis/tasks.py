"""A run's background work: classify its tickets chunk by chunk, then write its summary.

Both tasks are idempotent. A chunk only takes the run's tickets that are still pending or
processing (a retry finishes what a crash left), and results are written once: the upsert
only changes rows that are not final. The chunk that finishes the run's last ticket
enqueues the summary, guarded by a conditional update, so it is enqueued exactly once.
"""

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.analysis import summary
from supportdesk.analysis.models import (
    ACTIVE_RUN,
    OPEN_RESULT,
    AnalysisClaim,
    AnalysisResult,
    AnalysisRun,
    ResultStatus,
    RunStatus,
)
from supportdesk.db import Database
from supportdesk.dialect import upsert
from supportdesk.duplicates import service as duplicates
from supportdesk.events.broker import publish
from supportdesk.jobs.queue import enqueue
from supportdesk.jobs.registry import JobContext, task
from supportdesk.llm import ProseWriter
from supportdesk.tickets.models import Ticket
from supportdesk.triage.base import Suggestion
from supportdesk.triage.batch import BatchAnswer, TicketText, Vector
from supportdesk.types import utcnow

log = logging.getLogger(__name__)

TICKET_GONE = "ticket no longer exists"
EXCERPT_CHARS = 300
# How far back a summary looks for an earlier run with the same selection to compare with.
PREVIOUS_RUNS_LOOKED_AT = 50
CHUNK_TASK = "analysis.analyze_chunk"
SUMMARY_TASK = "analysis.summarize"


# ---------------------------------------------------------------- the tasks


@task(CHUNK_TASK, lock=lambda a: f"analysis:run:{a['run_id']}:chunk:{a['ticket_ids'][0]}")
async def analyze_chunk(ctx: JobContext, run_id: int, ticket_ids: list[int]) -> None:
    async with ctx.database.transaction() as session:
        todo = await begin_chunk(session, run_id, ticket_ids)
    vectors: dict[int, Vector] = {}
    if todo and ctx.triage.embedder is not None:
        # Embeddings are shared with duplicate detection: each ticket is embedded once.
        async with ctx.database.transaction() as session:
            vectors = await duplicates.index_tickets(session, todo, ctx.triage.embedder)
    # No transaction is held while classifying: it takes a while, and an LLM longer.
    outcomes = await ctx.triage.classify_batch(todo, vectors) if todo else []
    async with ctx.database.transaction() as session:
        await finish_chunk(session, run_id, outcomes)


@task(SUMMARY_TASK, lock=lambda a: f"analysis:run:{a['run_id']}:summary")
async def summarize(ctx: JobContext, run_id: int) -> None:
    await summarize_run(ctx.database, run_id, summary.writer_for(ctx.settings, ctx.database))


def _notes(outcome: BatchAnswer, suggestion: Suggestion) -> str:
    parts = [outcome.notes or suggestion.warning, suggestion.reasoning]
    if suggestion.needs_review:
        parts.append("low confidence: worth a human look")
    return " | ".join(p for p in parts if p)


def _row(run_id: int, outcome: BatchAnswer) -> dict[str, Any]:
    s = outcome.suggestion
    if s is None:
        return {
            "run_id": run_id,
            "ticket_id": outcome.ticket_id,
            "status": ResultStatus.FAILED.value,
            "category": None,
            "priority": None,
            "confidence": None,
            "provider": None,
            "notes": None,
            "error": outcome.error or "analysis failed",
            "analyzed_at": utcnow(),
            "embedding": None,
        }
    return {
        "run_id": run_id,
        "ticket_id": outcome.ticket_id,
        "status": ResultStatus.ANALYZED.value,
        "category": s.category.value,
        "priority": s.priority.value,
        "confidence": min(s.category_confidence, s.priority_confidence),
        "provider": s.provider[:64],
        "notes": _notes(outcome, s),
        "error": None,
        "analyzed_at": utcnow(),
        "embedding": outcome.embedding,
    }


# ---------------------------------------------------------------- the chunk's transactions


async def begin_chunk(
    session: AsyncSession, run_id: int, ticket_ids: Sequence[int]
) -> list[TicketText]:
    """Mark the chunk's open tickets processing and read their text."""
    now = utcnow()
    await session.execute(
        update(AnalysisRun)
        .where(AnalysisRun.id == run_id, AnalysisRun.status == RunStatus.PENDING.value)
        .values(status=RunStatus.PROCESSING.value, started_at=now, updated_at=now)
    )
    of_chunk = (
        AnalysisResult.run_id == run_id,
        AnalysisResult.ticket_id.in_(ticket_ids),
        AnalysisResult.status.in_(OPEN_RESULT),
    )
    rows = await session.execute(
        select(AnalysisResult.ticket_id, Ticket.title, Ticket.description)
        .outerjoin(Ticket, Ticket.id == AnalysisResult.ticket_id)
        .where(*of_chunk)
        .order_by(AnalysisResult.ticket_id)
    )
    todo: list[TicketText] = []
    gone: list[int] = []
    for ticket_id, title, description in rows:
        if title is None:
            gone.append(ticket_id)
        else:
            todo.append(TicketText(ticket_id, title, description))
    if gone:
        await session.execute(
            update(AnalysisResult)
            .where(*of_chunk, AnalysisResult.ticket_id.in_(gone))
            .values(status=ResultStatus.FAILED.value, error=TICKET_GONE, analyzed_at=now)
        )
    if todo:
        await session.execute(
            update(AnalysisResult)
            .where(*of_chunk, AnalysisResult.status == ResultStatus.PENDING.value)
            .values(status=ResultStatus.PROCESSING.value)
        )
    return todo


def _upsert(session: AsyncSession, rows: list[dict[str, Any]]) -> Any:
    columns = [c for c in rows[0] if c not in ("run_id", "ticket_id")]
    # Literal SQL: an expanding IN (...) parameter cannot go into an executemany.
    still_open = text(f"analysis_results.status IN {OPEN_RESULT!r}")
    return upsert(
        session, AnalysisResult, key=["run_id", "ticket_id"], replace=columns, where=still_open
    )


async def finish_chunk(session: AsyncSession, run_id: int, outcomes: list[BatchAnswer]) -> None:
    """Write the results, release the tickets, and enqueue the summary after the last."""
    now = utcnow()
    # Touching the run row first serialises finishing chunks of one run (row lock on
    # PostgreSQL, the write lock on SQLite), so exactly one of them sees nothing left open.
    touched = await session.scalar(
        update(AnalysisRun)
        .where(AnalysisRun.id == run_id)
        .values(updated_at=now)
        .returning(AnalysisRun.id)
    )
    if touched is None:
        return  # the run was deleted
    await publish(session, "analysis.progress", id=run_id)
    if outcomes:
        rows = [_row(run_id, o) for o in outcomes]
        await session.execute(_upsert(session, rows), rows)
        await session.execute(
            delete(AnalysisClaim).where(
                AnalysisClaim.run_id == run_id,
                AnalysisClaim.ticket_id.in_([o.ticket_id for o in outcomes]),
            )
        )
    still_open = await session.scalar(
        select(func.count())
        .select_from(AnalysisResult)
        .where(AnalysisResult.run_id == run_id, AnalysisResult.status.in_(OPEN_RESULT))
    )
    if still_open:
        return
    queued = await session.scalar(
        update(AnalysisRun)
        .where(AnalysisRun.id == run_id, AnalysisRun.summary_queued_at.is_(None))
        .values(summary_queued_at=now)
        .returning(AnalysisRun.id)
    )
    if queued is not None:
        await session.execute(delete(AnalysisClaim).where(AnalysisClaim.run_id == run_id))
        await enqueue(session, SUMMARY_TASK, run_id=run_id)


# ---------------------------------------------------------------- the summary


async def summary_inputs(session: AsyncSession, run_id: int) -> summary.SummaryInputs | None:
    """What the summary is computed from; None when the run is gone or already summarised."""
    run = await session.get(AnalysisRun, run_id)
    if run is None or run.status not in ACTIVE_RUN:
        return None
    rows = await session.execute(
        select(
            AnalysisResult.ticket_id,
            AnalysisResult.status,
            AnalysisResult.category,
            AnalysisResult.priority,
            AnalysisResult.notes,
            AnalysisResult.error,
            Ticket.title,
            func.substr(Ticket.description, 1, EXCERPT_CHARS),
            AnalysisResult.embedding,
            Ticket.status,
        )
        .outerjoin(Ticket, Ticket.id == AnalysisResult.ticket_id)
        .where(AnalysisResult.run_id == run_id)
        .order_by(AnalysisResult.ticket_id)
    )
    results = [summary.TicketResult(*row) for row in rows]
    previous_id = await _previous_like(session, run_id)
    previous: dict[int, tuple[str, str]] = {}
    if previous_id is not None:
        labels = await session.execute(
            select(
                AnalysisResult.ticket_id, AnalysisResult.category, AnalysisResult.priority
            ).where(
                AnalysisResult.run_id == previous_id,
                AnalysisResult.status == ResultStatus.ANALYZED.value,
            )
        )
        previous = {ticket_id: (c, p) for ticket_id, c, p in labels if c and p}
    return summary.SummaryInputs(run_id, results, previous_id, previous)


async def _previous_like(session: AsyncSession, run_id: int) -> int | None:
    """The latest completed run before this one that chose its tickets the same way (the
    same filter, the same chosen tickets, or "not analyzed before" again): shifts against a
    run over other tickets, say 25 filtered ones, would be noise."""
    selection = await session.scalar(select(AnalysisRun.selection).where(AnalysisRun.id == run_id))
    earlier = await session.execute(
        select(AnalysisRun.id, AnalysisRun.selection)
        .where(AnalysisRun.id < run_id, AnalysisRun.status == RunStatus.COMPLETED.value)
        .order_by(AnalysisRun.id.desc())
        .limit(PREVIOUS_RUNS_LOOKED_AT)
    )
    wanted = _comparable(selection or {})
    return next((i for i, chosen in earlier if _comparable(chosen) == wanted), None)


def _comparable(selection: dict[str, Any]) -> dict[str, Any]:
    """A selection as this version stores it: filters stored before runs could filter by
    team have no `team`."""
    if selection.get("mode") != "filter":
        return selection
    return {**selection, "filter": {"team": [], **selection.get("filter", {})}}


def _fallback_summary(inputs: summary.SummaryInputs, exc: Exception) -> dict[str, Any]:
    analyzed = sum(r.status == ResultStatus.ANALYZED.value for r in inputs.results)
    return {
        "run_id": inputs.run_id,
        "totals": {"tickets": len(inputs.results), "analyzed": analyzed},
        "notes": [f"the summary could not be computed ({type(exc).__name__}); see the logs"],
    }


async def summarize_run(database: Database, run_id: int, writer: ProseWriter | None) -> None:
    async with database.transaction() as session:
        inputs = await summary_inputs(session, run_id)
    if inputs is None:
        return
    try:
        data = await asyncio.to_thread(summary.build, inputs)
        text, provider = await summary.write(data, writer)
    except Exception as exc:
        # A bug in the summary must not leave the run "processing" for ever.
        log.exception("summary of analysis run %s failed", run_id)
        data = _fallback_summary(inputs, exc)
        text, provider = "\n".join(data["notes"]), "local"
    analyzed = sum(r.status == ResultStatus.ANALYZED.value for r in inputs.results)
    now = utcnow()
    async with database.transaction() as session:
        await session.execute(
            update(AnalysisRun)
            .where(AnalysisRun.id == run_id, AnalysisRun.status.in_(ACTIVE_RUN))
            .values(
                summary=text,
                summary_data=data,
                summary_provider=provider,
                status=(RunStatus.COMPLETED if analyzed else RunStatus.FAILED).value,
                finished_at=now,
                updated_at=now,
            )
        )
        await session.execute(delete(AnalysisClaim).where(AnalysisClaim.run_id == run_id))
        await publish(session, "analysis.finished", id=run_id)
