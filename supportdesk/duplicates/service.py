"""Duplicate tickets: embed and index tickets, find similar open ones, merge.

Takes a session and plain values; never commits, never imports FastAPI. Tickets are read
and changed through the tickets service; this feature owns `tickets.duplicate_of` and the
ticket_embeddings table.
"""

import asyncio
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    bindparam,
    delete,
    or_,
    select,
    union,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.audit.service import By, Change, record
from supportdesk.conversations import service as conversations
from supportdesk.dialect import is_postgresql, upsert
from supportdesk.duplicates import lsh
from supportdesk.duplicates.models import ticket_embeddings
from supportdesk.errors import AppError, Conflict, NotFound
from supportdesk.events.broker import publish
from supportdesk.taxonomy import Status
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.schemas import TicketUpdate
from supportdesk.triage.base import ticket_text
from supportdesk.types import utcnow

log = logging.getLogger(__name__)

# Cosine similarity at or above which a ticket is offered as a likely duplicate. Chosen by
# bench/duplicates.py as the best F1 on data/duplicates/pairs.csv (149 pairs: 65 duplicates,
# 84 non-duplicates, most of them hard negatives): precision 0.797, recall 0.969, F1 0.875
# on the int8 model's vectors; 90% of bootstrap resamples of the pairs pick 0.56-0.63.
# Same-topic pairs ("charged twice" / "charged the wrong amount": 0.77) score as high as
# true duplicates, so a stricter threshold loses recall fast (0.70: precision 0.90,
# recall 0.66). Agents
# confirm every merge, so a suggestion too many costs less than one missed.
THRESHOLD = 0.57
WINDOW = timedelta(days=30)
DEFAULT_LIMIT = 10
MAX_LIMIT = 50
# Brute force embeds tickets of the window that have none yet during the request, at most
# this many (~1.5 s of CPU), so one request never stalls on a backlog.
BACKFILL_LIMIT = 100
# The periodic backfill (tasks.py), for the index path: at most this many per run.
PERIODIC_BACKFILL_LIMIT = 500

Strategy = Literal["exact", "lsh"]
Vector = npt.NDArray[np.float32]


class ModelUnavailable(AppError):
    status = 503
    title = "Service unavailable"


@dataclass(frozen=True)
class Duplicate:
    ticket: Ticket
    score: float


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class TextEmbedder(Protocol):
    """What indexing needs of the triage engine's embedder (the same model serves both)."""

    def embed(self, texts: Sequence[str]) -> Vector: ...


class TicketTexts(Protocol):
    """What embedding a ticket needs: a Ticket row, or any lighter record with these."""

    @property
    def id(self) -> int: ...

    @property
    def title(self) -> str: ...

    @property
    def description(self) -> str: ...


def _text(ticket: TicketTexts) -> str:
    # The same reading of a ticket as the classifiers', so one embedding serves both.
    return ticket_text(ticket.title, ticket.description)


async def store(
    session: AsyncSession,
    ticket_ids: Sequence[int],
    vectors: Vector,
    hashes: Sequence[str],
) -> None:
    """Insert or replace the rows of these tickets: vector, text hash and band codes."""
    now = utcnow()
    rows = [
        {
            "ticket_id": ticket_id,
            "vector": lsh.to_bytes(vector),
            "text_hash": digest,
            "created_at": now,
            **{name: int(code) for name, code in zip(lsh.BAND_COLUMNS, codes, strict=True)},
        }
        for ticket_id, vector, digest, codes in zip(
            ticket_ids, vectors, hashes, lsh.band_codes(vectors), strict=True
        )
    ]
    statement = upsert(
        session,
        ticket_embeddings,
        key=["ticket_id"],
        replace=("vector", "text_hash", "created_at", *lsh.BAND_COLUMNS),
    )
    # Rows as executemany parameters, not a multi-row VALUES: the statement compiles once
    # and is cached, where 128 rows x 36 values took the event loop tens of milliseconds.
    await session.execute(statement, rows)


async def index_tickets(
    session: AsyncSession, items: Sequence[TicketTexts], embedder: TextEmbedder
) -> dict[int, Vector]:
    """Store each ticket's embedding and band codes (insert or replace), embedding only
    texts that changed since they were stored. Returns every ticket's vector by id."""
    texts = {ticket.id: _text(ticket) for ticket in items}
    if not texts:
        return {}
    stored = await session.execute(
        select(
            ticket_embeddings.c.ticket_id, ticket_embeddings.c.text_hash, ticket_embeddings.c.vector
        ).where(ticket_embeddings.c.ticket_id.in_(list(texts)))
    )
    vectors = {
        row.ticket_id: lsh.from_bytes(row.vector)
        for row in stored
        if row.text_hash == text_hash(texts[row.ticket_id])
    }
    stale = [ticket_id for ticket_id in texts if ticket_id not in vectors]
    if stale:
        # CPU-bound (~15 ms a ticket): off the event loop, so other requests keep moving.
        embedded = await asyncio.to_thread(embedder.embed, [texts[i] for i in stale])
        await store(session, stale, embedded, [text_hash(texts[i]) for i in stale])
        vectors.update(zip(stale, embedded, strict=True))
    return vectors


@dataclass(frozen=True, slots=True)
class _Written:
    id: int
    title: str
    description: str


async def index_ticket(session: AsyncSession, ticket: Ticket, embedder: TextEmbedder) -> Vector:
    """Embedded as the customer has written it so far (their later messages too), so a
    ticket whose customer wrote more is compared by all of it. Idempotent: the same text
    leaves the same row (and is not embedded again)."""
    words = await conversations.customer_words(session, ticket)
    written = _Written(ticket.id, ticket.title, words)
    return (await index_tickets(session, [written], embedder))[ticket.id]


# Core columns, not ORM attributes, in the hot statements: no ORM result processing.
_TICKETS = Ticket.__table__


def _eligible(since: datetime | BindParameter[datetime]) -> list[ColumnElement[bool]]:
    """Tickets that can be offered as the original: not done (open or in progress),
    recent, not merged themselves."""
    return [
        _TICKETS.c.status.in_([Status.OPEN.value, Status.IN_PROGRESS.value]),
        _TICKETS.c.created_at >= since,
        _TICKETS.c.duplicate_of.is_(None),
    ]


async def backfill(
    session: AsyncSession, embedder: TextEmbedder, since: datetime, limit: int
) -> int:
    """Index up to `limit` eligible tickets that have no embedding (created before this
    feature, bulk-imported, or their job has not run yet), newest first. Returns how many."""
    statement = (
        select(Ticket)
        .outerjoin(ticket_embeddings, ticket_embeddings.c.ticket_id == Ticket.id)
        .where(*_eligible(since), ticket_embeddings.c.ticket_id.is_(None))
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .limit(limit)
    )
    missing = list((await session.scalars(statement)).all())
    await index_tickets(session, missing, embedder)
    return len(missing)


async def prune(session: AsyncSession, since: datetime) -> int:
    """Drop the embeddings of tickets created before `since`: they can never be offered
    again (created_at does not change), so the index follows the window, not the history.
    A duplicates request about such a ticket embeds it again on demand."""
    old = select(Ticket.id).where(Ticket.created_at < since)
    result = await session.execute(
        delete(ticket_embeddings).where(ticket_embeddings.c.ticket_id.in_(old))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def default_strategy(session: AsyncSession) -> Strategy:
    """Brute force on SQLite (a small, single-machine deployment); the LSH index on
    PostgreSQL, where the window can hold tens of thousands of tickets."""
    return "lsh" if is_postgresql(session) else "exact"


@dataclass(frozen=True)
class Candidates:
    ids: npt.NDArray[np.int64]
    vectors: Vector  # (len(ids), DIM), row i is ticket ids[i]
    missing: list[int]  # eligible tickets with no embedding yet ("exact" only), newest first


def _candidate_statement(strategy: Strategy) -> Select[tuple[int, bytes | None]]:
    """Built once per strategy: the band codes, window start and query ticket are bound
    parameters, so a request neither rebuilds nor recompiles 32 IN lists."""
    columns = select(_TICKETS.c.id, ticket_embeddings.c.vector)
    if strategy == "lsh":
        matching = union(
            *(
                select(ticket_embeddings.c.ticket_id).where(
                    ticket_embeddings.c[name].in_(bindparam(name, expanding=True))
                )
                for name in lsh.BAND_COLUMNS
            )
        )
        statement = columns.join(
            ticket_embeddings, ticket_embeddings.c.ticket_id == _TICKETS.c.id
        ).where(ticket_embeddings.c.ticket_id.in_(matching))
    else:
        statement = columns.outerjoin(
            ticket_embeddings, ticket_embeddings.c.ticket_id == _TICKETS.c.id
        )
    return statement.where(*_eligible(bindparam("since")), _TICKETS.c.id != bindparam("exclude"))


CANDIDATE_STATEMENTS: dict[Strategy, Select[tuple[int, bytes | None]]] = {
    "exact": _candidate_statement("exact"),
    "lsh": _candidate_statement("lsh"),
}


def candidate_params(
    query: Vector, since: datetime, strategy: Strategy, exclude: int
) -> dict[str, Any]:
    params: dict[str, Any] = {"since": since, "exclude": exclude}
    if strategy == "lsh":
        params.update(zip(lsh.BAND_COLUMNS, lsh.probe_codes(query), strict=True))
    return params


async def candidates(
    session: AsyncSession, query: Vector, since: datetime, strategy: Strategy, exclude: int
) -> Candidates:
    """Eligible tickets but `exclude`, with their stored vectors: all of them ("exact"), or
    those sharing a probed band code with `query` ("lsh": index-only scans of the band
    indexes, then the matching rows by primary key)."""
    params = candidate_params(query, since, strategy, exclude)
    rows = (await session.execute(CANDIDATE_STATEMENTS[strategy], params)).all()
    stored = [row for row in rows if row.vector is not None]
    missing = sorted((row.id for row in rows if row.vector is None), reverse=True)
    return Candidates(
        ids=np.fromiter((row.id for row in stored), dtype=np.int64, count=len(stored)),
        vectors=np.frombuffer(b"".join(row.vector for row in stored), dtype="<f4")
        .reshape(len(stored), lsh.DIM)
        .astype(np.float32),
        missing=missing,
    )


async def _embed_missing(
    session: AsyncSession, found: Candidates, embedder: TextEmbedder
) -> Candidates:
    """Brute force sees every eligible ticket: it embeds those without an embedding on the
    way (at most BACKFILL_LIMIT, newest first). The index can only find indexed tickets;
    the new-ticket job and the periodic task fill its gaps."""
    if not found.missing:
        return found
    if len(found.missing) > BACKFILL_LIMIT:
        log.warning("duplicates: %d tickets have no embedding yet", len(found.missing))
    chosen = found.missing[:BACKFILL_LIMIT]
    loaded = (await session.scalars(select(Ticket).where(Ticket.id.in_(chosen)))).all()
    vectors = await index_tickets(session, loaded, embedder)
    added = [ticket_id for ticket_id in chosen if ticket_id in vectors]
    return Candidates(
        ids=np.concatenate([found.ids, np.array(added, dtype=np.int64)]),
        vectors=np.vstack([found.vectors, *(vectors[i][None, :] for i in added)]),
        missing=found.missing[BACKFILL_LIMIT:],
    )


async def find_duplicates(
    session: AsyncSession,
    ticket_id: int,
    embedder: TextEmbedder | None,
    *,
    limit: int = DEFAULT_LIMIT,
    threshold: float = THRESHOLD,
    strategy: Strategy | None = None,
    now: datetime | None = None,
    teams: Sequence[str] | None = None,
) -> list[Duplicate]:
    """Open or in-progress, unmerged tickets of the last 30 days whose embedding is at least
    `threshold` similar to this ticket's, most similar first (ties: lower id first); with
    `teams`, only tickets of these teams or not routed yet (before the limit applies)."""
    ticket = await tickets.get_ticket(session, ticket_id)
    if embedder is None:
        raise ModelUnavailable("duplicate detection needs the embedding model; run `make model`")
    since = (now or utcnow()) - WINDOW
    query = await index_ticket(session, ticket, embedder)
    found = await candidates(
        session, query, since, strategy or default_strategy(session), exclude=ticket.id
    )
    found = await _embed_missing(session, found, embedder)
    scores = found.vectors @ query
    above = np.flatnonzero(scores >= threshold)
    ranked = sorted(above, key=lambda i: (-scores[i], found.ids[i]))
    if teams is not None and ranked:
        visible = await _visible(session, [int(found.ids[i]) for i in ranked], teams)
        ranked = [i for i in ranked if int(found.ids[i]) in visible]
    ranked = ranked[:limit]
    if not ranked:
        return []
    chosen = [int(found.ids[i]) for i in ranked]
    loaded = {t.id: t for t in await session.scalars(select(Ticket).where(Ticket.id.in_(chosen)))}
    return [Duplicate(loaded[int(found.ids[i])], round(float(scores[i]), 4)) for i in ranked]


async def _visible(session: AsyncSession, ids: list[int], teams: Sequence[str]) -> set[int]:
    statement = select(Ticket.id).where(
        Ticket.id.in_(ids), or_(Ticket.team.in_(teams), Ticket.team.is_(None))
    )
    return set(await session.scalars(statement))


async def merged_into(session: AsyncSession, ticket_id: int) -> list[Ticket]:
    await tickets.get_ticket(session, ticket_id)  # 404 for an unknown ticket
    statement = select(Ticket).where(Ticket.duplicate_of == ticket_id).order_by(Ticket.id)
    return list(await session.scalars(statement))


async def merge(session: AsyncSession, ticket_id: int, into: int, by: By) -> Ticket:
    """Close `ticket_id` as a duplicate of `into`. Tickets already merged into `ticket_id`
    move to `into`, so duplicate_of always names a ticket that is not merged itself."""
    # Two crossing merges (A into B, B into A) cannot both pass the checks below.
    await tickets.lock_tickets(session, {ticket_id, into})
    found = {
        ticket.id: ticket
        for ticket in await session.scalars(
            select(Ticket)
            .where(Ticket.id.in_({ticket_id, into}))
            .execution_options(populate_existing=True)
        )
    }
    if ticket_id not in found:
        raise NotFound(f"ticket {ticket_id} does not exist")
    if into not in found:
        raise NotFound(f"ticket {into} does not exist", {"into": ["no such ticket"]})
    duplicate, original = found[ticket_id], found[into]
    if ticket_id == into:
        raise Conflict("a ticket cannot be merged into itself", {"into": ["is this ticket"]})
    if duplicate.duplicate_of is not None:
        raise Conflict(f"ticket {ticket_id} is already merged into {duplicate.duplicate_of}")
    if original.duplicate_of is not None:
        raise Conflict(
            f"ticket {into} is itself merged into {original.duplicate_of}",
            {"into": [f"merged into {original.duplicate_of}; merge into that ticket"]},
        )
    now = utcnow()
    moved = await session.scalars(
        update(Ticket)
        .where(Ticket.duplicate_of == ticket_id)
        .values(duplicate_of=into, updated_at=now)
        .returning(Ticket.id)
        .execution_options(synchronize_session=False)
    )
    for moved_id in moved.all():
        record(
            session,
            Change(
                "ticket.merged",
                by,
                ticket_id=moved_id,
                changes={"duplicate_of": [ticket_id, into]},
                detail=f"ticket {ticket_id}, which it was merged into, went into ticket {into}",
            ),
        )
        await publish(session, "ticket.updated", id=moved_id)
    duplicate.duplicate_of = into
    record(
        session,
        Change("ticket.merged", by, ticket_id=ticket_id, changes={"duplicate_of": [None, into]}),
    )
    await tickets.apply_change(session, duplicate, TicketUpdate(status=Status.CLOSED), by)
    await tickets.save_change(session, duplicate)
    return duplicate
