"""Classifying many tickets at once, as batch analysis runs do: the local model labels
them in one batch (reusing embeddings already stored), then the serving classifier, when it
is more than the local model or the rules, answers each ticket, the local answer standing in
wherever it fails."""

import asyncio
import logging
from dataclasses import dataclass, replace

import numpy as np

from supportdesk.triage.base import Classifier, Suggestion, ticket_text
from supportdesk.triage.llm import EscalatingClassifier
from supportdesk.triage.model.features import Vector
from supportdesk.triage.model.local import LocalClassifier
from supportdesk.triage.rules import RuleClassifier

__all__ = ["LLM_FALLBACK", "BatchAnswer", "TicketText", "Vector", "classify_batch"]

log = logging.getLogger(__name__)

# Tickets asked of an LLM at once within a chunk: providers rate-limit bursts.
LLM_CONCURRENCY = 8
# Our wording when an LLM could not answer a ticket (ours and the LLM classifier's).
LLM_FALLBACK = "answered by local model"


@dataclass(frozen=True)
class TicketText:
    id: int
    title: str
    description: str


@dataclass(frozen=True)
class BatchAnswer:
    ticket_id: int
    suggestion: Suggestion | None
    notes: str | None = None
    embedding: bytes | None = None
    """The ticket's embedding as float16 bytes, for clustering; None without the model."""
    error: str | None = None


def _local_batch(
    local: LocalClassifier, tickets: list[TicketText], vectors: dict[int, Vector]
) -> list[BatchAnswer]:
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
        BatchAnswer(t.id, s, embedding=v.tobytes())
        for t, s, v in zip(tickets, suggestions, stored, strict=True)
    ]


def _local_pass(
    local: LocalClassifier, tickets: list[TicketText], vectors: dict[int, Vector]
) -> list[BatchAnswer]:
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
            outcomes.append(BatchAnswer(ticket.id, None, error=f"analysis failed: {exc}"[:500]))
    return outcomes


def _rules_pass(rules: RuleClassifier, tickets: list[TicketText]) -> list[BatchAnswer]:
    return [BatchAnswer(t.id, rules.classify_text(t.title, t.description)) for t in tickets]


def _llm_of(classifier: Classifier, local: LocalClassifier | None) -> Classifier | None:
    """The serving classifier when it is more than the local model or the rules."""
    if classifier is local or isinstance(classifier, LocalClassifier | RuleClassifier):
        return None
    return classifier


async def _escalate(
    escalating: EscalatingClassifier, ticket: TicketText, first: BatchAnswer
) -> BatchAnswer:
    """The escalating classifier's own rule, applied to the chunk's batch answer, so no
    ticket is embedded a second time on its own."""
    if first.suggestion is None:  # the local model failed on this ticket: only the LLM can answer
        result = await escalating.ask_llm(ticket.title, ticket.description)
        if result.suggestion is None:
            return first
        return BatchAnswer(ticket.id, result.suggestion, None, first.embedding)
    answer = await escalating.escalate(ticket.title, ticket.description, first.suggestion)
    return replace(first, suggestion=answer)  # a fallback's warning goes into the notes


async def _second_opinion(
    llm: Classifier, ticket: TicketText, first: BatchAnswer, limit: asyncio.Semaphore
) -> BatchAnswer:
    async with limit:
        try:
            if isinstance(llm, EscalatingClassifier):
                return await _escalate(llm, ticket, first)
            answer = await llm.classify(ticket.title, ticket.description)
        except Exception as exc:  # a provider failing mid-run must not fail the run
            log.warning("LLM %s failed on ticket %s: %r", llm.name, ticket.id, exc)
            remark = f"LLM {llm.name} failed ({type(exc).__name__}); {LLM_FALLBACK}"
            return replace(first, notes=remark)
    return BatchAnswer(ticket.id, answer, answer.warning, first.embedding)


async def classify_batch(
    local: LocalClassifier | None,
    classifier: Classifier,
    tickets: list[TicketText],
    vectors: dict[int, Vector] | None = None,
) -> list[BatchAnswer]:
    """The local model labels the tickets in one batch, from `vectors` (the embeddings
    duplicate detection stored) where known; when `classifier` (the serving one) is more
    than that, it then answers each ticket, the local answer standing in wherever it fails."""
    if local is not None:
        first = await asyncio.to_thread(_local_pass, local, tickets, vectors or {})
    else:
        rules = classifier if isinstance(classifier, RuleClassifier) else None
        first = _rules_pass(rules or RuleClassifier(), tickets)
    llm = _llm_of(classifier, local)
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
