"""A run's background work: classify its tickets chunk by chunk, then write its summary.

Both tasks are idempotent. A chunk only takes the run's tickets that are still pending or
processing (a retry finishes what a crash left), and results are written once: the upsert
only changes rows that are not final. The chunk that finishes the run's last ticket
enqueues the summary, guarded by a conditional update, so it is enqueued exactly once.
"""

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
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
from supportdesk.duplicates import service as duplicates
from supportdesk.events.broker import publish
from supportdesk.jobs.queue import enqueue
from supportdesk.jobs.registry import JobContext, TriageServices, task
from supportdesk.tickets.models import Ticket
from supportdesk.triage.base import Classifier, Suggestion, ticket_text
from supportdesk.triage.features import Vector
from supportdesk.triage.llm import EscalatingClassifier
from supportdesk.triage.local import LocalClassifier
from supportdesk.triage.rules import RuleClassifier
from supportdesk.types import utcnow

log = logging.getLogger(__name__)

# Tickets asked of an LLM at once within a chunk: providers rate-limit bursts.
LLM_CONCURRENCY = 8
TICKET_GONE = "ticket no longer exists"
EXCERPT_CHARS = 300
# How far back a summary looks for an earlier run with the same selection to compare with.
PREVIOUS_RUNS_LOOKED_AT = 50
CHUNK_TASK = "analysis.analyze_chunk"
SUMMARY_TASK = "analysis.summarize"


@dataclass(frozen=True)
class TicketText:
    id: int
    title: str
    description: str


@dataclass(frozen=True)
class Outcome:
    ticket_id: int
    suggestion: Suggestion | None
    notes: str | None = None
    embedding: bytes | None = None
    error: str | None = None


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
    outcomes = await classify_chunk(ctx.triage, todo, vectors) if todo else []
    async with ctx.database.transaction() as session:
        await finish_chunk(session, run_id, outcomes)


@task(SUMMARY_TASK, lock=lambda a: f"analysis:run:{a['run_id']}:summary")
async def summarize(ctx: JobContext, run_id: int) -> None:
    await summarize_run(ctx.database, run_id, summary.writer_for(ctx.settings, ctx.database))


# ---------------------------------------------------------------- classifying


def _local_batch(
    local: LocalClassifier, tickets: list[TicketText], vectors: dict[int, Vector]
) -> list[Outcome]:
    texts = [ticket_text(t.title, t.description) for t in tickets]
    known = [t.id in vectors for t in tickets]
    embeddings = np.empty((len(tickets), local.heads.neighbours.embeddings.shape[1]), np.float32)
    if all(known):
        embeddings[:] = [vectors[t.id] for t in tickets]
    else:
        embeddings[:] = local.embedder.embed(texts)
    suggestions = local.classify_embedded(texts, embeddings)
    # float16 halves the stored size; clustering does not need more precision.
    stored = embeddings.astype(np.float16)
    return [
        Outcome(t.id, s, embedding=v.tobytes())
        for t, s, v in zip(tickets, suggestions, stored, strict=True)
    ]


def _local_pass(
    local: LocalClassifier, tickets: list[TicketText], vectors: dict[int, Vector]
) -> list[Outcome]:
    try:
        return _local_batch(local, tickets, vectors)
    except Exception:
        log.exception("a chunk failed to classify; retrying its tickets one by one")
    # One bad ticket must not fail the rest of its chunk, nor stall the run on retries.
    outcomes = []
    for ticket in tickets:
        try:
            outcomes += _local_batch(local, [ticket], vectors)
        except Exception as exc:
            outcomes.append(Outcome(ticket.id, None, error=f"analysis failed: {exc}"[:500]))
    return outcomes


def _rules_pass(rules: RuleClassifier, tickets: list[TicketText]) -> list[Outcome]:
    return [Outcome(t.id, rules.classify_text(t.title, t.description)) for t in tickets]


def _llm_of(triage: TriageServices, local: LocalClassifier | None) -> Classifier | None:
    """The serving classifier when it is more than the local model or the rules."""
    classifier: Classifier = triage.classifier
    if classifier is local or isinstance(classifier, LocalClassifier | RuleClassifier):
        return None
    return classifier


async def _escalate(
    escalating: EscalatingClassifier, ticket: TicketText, first: Outcome
) -> Outcome:
    """The escalating classifier's own rule, applied to the chunk's batch answer, so no
    ticket is embedded a second time on its own."""
    if first.suggestion is None:  # the local model failed on this ticket: only the LLM can answer
        result = await escalating.ask_llm(ticket.title, ticket.description)
        if result.suggestion is None:
            return first
        return Outcome(ticket.id, result.suggestion, None, first.embedding)
    answer = await escalating.escalate(ticket.title, ticket.description, first.suggestion)
    return replace(first, suggestion=answer)  # a fallback's warning goes into the notes


async def _second_opinion(
    llm: Classifier, ticket: TicketText, first: Outcome, limit: asyncio.Semaphore
) -> Outcome:
    async with limit:
        try:
            if isinstance(llm, EscalatingClassifier):
                return await _escalate(llm, ticket, first)
            answer = await llm.classify(ticket.title, ticket.description)
        except Exception as exc:  # a provider failing mid-run must not fail the run
            log.warning("LLM %s failed on ticket %s: %r", llm.name, ticket.id, exc)
            remark = f"LLM {llm.name} failed ({type(exc).__name__}); {summary.LLM_FALLBACK}"
            return replace(first, notes=remark)
    return Outcome(ticket.id, answer, answer.warning, first.embedding)


async def classify_chunk(
    triage: TriageServices, tickets: list[TicketText], vectors: dict[int, Vector] | None = None
) -> list[Outcome]:
    """The local model labels the chunk in one batch, from `vectors` (the embeddings
    duplicate detection stored) where known; with an LLM configured, the serving
    classifier then answers each ticket, the local answer standing in wherever it fails."""
    local = triage.local
    if isinstance(local, LocalClassifier):
        first = await asyncio.to_thread(_local_pass, local, tickets, vectors or {})
    else:
        rules = triage.classifier if isinstance(triage.classifier, RuleClassifier) else None
        first = _rules_pass(rules or RuleClassifier(), tickets)
    llm = _llm_of(triage, local if isinstance(local, LocalClassifier) else None)
    if llm is None:
        return first
    limit = asyncio.Semaphore(LLM_CONCURRENCY)
    return list(
        await asyncio.gather(
            *(
                _second_opinion(llm, ticket, outcome, limit)
                for ticket, outcome in zip(tickets, first, strict=True)
            )
        )
    )


def _notes(outcome: Outcome, suggestion: Suggestion) -> str:
    parts = [outcome.notes or suggestion.warning, suggestion.reasoning]
    if suggestion.needs_review:
        parts.append("low confidence: worth a human look")
    return " | ".join(p for p in parts if p)


def _row(run_id: int, outcome: Outcome) -> dict[str, Any]:
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


def _upsert(dialect: str, rows: list[dict[str, Any]]) -> Any:
    columns = [c for c in rows[0] if c not in ("run_id", "ticket_id")]
    # Literal SQL: an expanding IN (...) parameter cannot go into an executemany.
    still_open = text(f"analysis_results.status IN {OPEN_RESULT!r}")
    if dialect == "postgresql":
        pg = postgresql.insert(AnalysisResult)
        return pg.on_conflict_do_update(
            index_elements=["run_id", "ticket_id"],
            set_={c: pg.excluded[c] for c in columns},
            where=still_open,
        )
    lite = sqlite.insert(AnalysisResult)
    return lite.on_conflict_do_update(
        index_elements=["run_id", "ticket_id"],
        set_={c: lite.excluded[c] for c in columns},
        where=still_open,
    )


async def finish_chunk(session: AsyncSession, run_id: int, outcomes: list[Outcome]) -> None:
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
        await session.execute(_upsert(session.get_bind().dialect.name, rows), rows)
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
    same filter, the same chosen tickets, or "not analysed before" again): shifts against a
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
    analysed = sum(r.status == ResultStatus.ANALYZED.value for r in inputs.results)
    return {
        "run_id": inputs.run_id,
        "totals": {"tickets": len(inputs.results), "analyzed": analysed},
        "notes": [f"the summary could not be computed ({type(exc).__name__}); see the logs"],
    }


async def summarize_run(
    database: Database, run_id: int, writer: summary.ProseWriter | None
) -> None:
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
    analysed = sum(r.status == ResultStatus.ANALYZED.value for r in inputs.results)
    now = utcnow()
    async with database.transaction() as session:
        await session.execute(
            update(AnalysisRun)
            .where(AnalysisRun.id == run_id, AnalysisRun.status.in_(ACTIVE_RUN))
            .values(
                summary=text,
                summary_data=data,
                summary_provider=provider,
                status=(RunStatus.COMPLETED if analysed else RunStatus.FAILED).value,
                finished_at=now,
                updated_at=now,
            )
        )
        await session.execute(delete(AnalysisClaim).where(AnalysisClaim.run_id == run_id))
        await publish(session, "analysis.finished", id=run_id)
