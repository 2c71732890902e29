"""Ticket use cases. Takes a session and plain values; never commits, never imports FastAPI."""

import hashlib
import json
import time
from collections.abc import AsyncIterator, Callable, Collection, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    Integer,
    Row,
    Select,
    TextClause,
    and_,
    bindparam,
    cast,
    false,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from supportdesk.audit import service as audit
from supportdesk.audit.service import AI, By, Change, diff, record
from supportdesk.auth import service as auth
from supportdesk.db import Database
from supportdesk.dialect import among, insert_rows, is_postgresql
from supportdesk.errors import NotFound
from supportdesk.events.broker import publish
from supportdesk.jobs.queue import enqueue_triggered
from supportdesk.taxonomy import DONE_STATUSES, Category, LabelSource, Priority, Status
from supportdesk.tickets import assignment
from supportdesk.tickets.models import Ticket, TicketDailyCount, TicketLabelCount
from supportdesk.tickets.paging import ORDERINGS as ORDERINGS
from supportdesk.tickets.paging import SortKey, after_row, number_first
from supportdesk.tickets.schemas import TicketCreate, TicketUpdate
from supportdesk.tickets.search import (
    SearchQuery,
    Term,
    parse,
    searchable,
    ticket_number,
    to_fts5,
    to_fts5_any,
    to_tsquery,
)
from supportdesk.triage import service as triage
from supportdesk.triage.base import Suggestion
from supportdesk.types import UTCDateTime, utcnow


class SlaState(StrEnum):
    BREACHED = "breached"
    AT_RISK = "at_risk"  # still in time, but due within AT_RISK


# Due this soon, an unresolved ticket is at risk of breaching its SLA.
AT_RISK = timedelta(hours=2)


def _breached() -> ColumnElement[bool]:
    return and_(Ticket.resolved_at.is_(None), Ticket.sla_breached.is_(True))


def _at_risk() -> ColumnElement[bool]:
    # The bound is taken when the statement runs, not when it is built: statements are
    # kept and run again (list pages, count plans).
    soon = bindparam("at_risk_until", callable_=lambda: utcnow() + AT_RISK, type_=UTCDateTime)
    return and_(
        Ticket.resolved_at.is_(None),
        Ticket.sla_breached.is_(False),
        Ticket.due_at <= soon,
    )


_SLA_STATES = {SlaState.BREACHED: _breached, SlaState.AT_RISK: _at_risk}


@dataclass(frozen=True)
class TicketFilter:
    categories: Sequence[Category] = ()
    priorities: Sequence[Priority] = ()
    statuses: Sequence[Status] = ()
    search: str | None = None
    teams: Sequence[str] = ()
    # The teams whose tickets the asker may see (and tickets not routed yet); None: all.
    visible_teams: Sequence[str] | None = None
    # Assigned to one of these people, and/or to nobody.
    assignees: Sequence[int] = ()
    unassigned: bool = False
    needs_review: bool | None = None
    sla: SlaState | None = None
    # Waiting on the customer (after a public reply), or not; None: either.
    waiting: bool | None = None

    @property
    def labels_only(self) -> bool:
        return (
            not (self.search and searchable(self.search))
            and not self.teams
            and self.visible_teams is None
            and not self.assignees
            and not self.unassigned
            and self.needs_review is None
            and self.sla is None
            and self.waiting is None
        )


def _source(chosen: str | None, suggested: str | None) -> LabelSource:
    return LabelSource.AI if chosen is None or chosen == suggested else LabelSource.USER


async def create_ticket(
    session: AsyncSession, data: TicketCreate, suggestion: Suggestion | None, by: By
) -> Ticket:
    """`suggestion` is the triage answer for this text (asked now because a label was left
    out, or given earlier); it fills the gaps, and labels equal to it count as accepted."""
    ai_category = suggestion.category if suggestion else data.ai_category
    ai_priority = suggestion.priority if suggestion else data.ai_priority
    category = data.category or ai_category or Category.GENERAL
    priority = data.priority or ai_priority or Priority.MEDIUM
    category_source = _source(data.category, ai_category) if ai_category else LabelSource.USER
    priority_source = _source(data.priority, ai_priority) if ai_priority else LabelSource.USER
    now = utcnow()
    ticket = Ticket(
        title=data.title,
        description=data.description,
        category=category.value,
        priority=priority.value,
        status=data.status.value,
        created_at=now,
        updated_at=now,
        resolved_at=now if data.status in DONE_STATUSES else None,
        ai_category=ai_category.value if ai_category else None,
        ai_priority=ai_priority.value if ai_priority else None,
        ai_confidence=(
            min(suggestion.category_confidence, suggestion.priority_confidence)
            if suggestion
            else data.ai_confidence
        ),
        ai_category_confidence=(
            suggestion.category_confidence if suggestion else data.ai_category_confidence
        ),
        ai_priority_confidence=(
            suggestion.priority_confidence if suggestion else data.ai_priority_confidence
        ),
        ai_reasoning=suggestion.reasoning if suggestion else data.ai_reasoning,
        ai_provider=suggestion.provider if suggestion else data.ai_provider,
        category_source=category_source.value,
        priority_source=priority_source.value,
        # Unsure suggestions stay flagged while any label is still the AI's.
        needs_review=bool(suggestion and suggestion.needs_review)
        and LabelSource.AI in (category_source, priority_source),
    )
    session.add(ticket)
    await session.flush()
    _record_creation(session, ticket, by)
    await enqueue_triggered(session, "ticket.created", ticket.id)
    await publish(session, "ticket.created", id=ticket.id)
    return ticket


def _record_creation(session: AsyncSession, ticket: Ticket, by: By) -> None:
    """Who filed it, and what the AI chose where its suggestion was kept."""
    labels = {"status": [None, ticket.status]}
    chosen_by_ai = {}
    for field in ("category", "priority"):
        value = getattr(ticket, field)
        if getattr(ticket, f"{field}_source") == LabelSource.AI.value:
            chosen_by_ai[field] = [None, value]
        else:
            labels[field] = [None, value]
    record(session, Change("ticket.created", by, ticket_id=ticket.id, changes=labels))
    if chosen_by_ai:
        confidence = ticket.ai_confidence
        detail = f"confidence {confidence:.2f}" if confidence is not None else ""
        record(
            session,
            Change("ticket.triaged", AI, ticket_id=ticket.id, changes=chosen_by_ai, detail=detail),
        )


async def get_ticket(session: AsyncSession, ticket_id: int, *, fresh: bool = False) -> Ticket:
    """`fresh`: read the row again even if this session has it (after `lock_tickets`)."""
    ticket = await session.get(Ticket, ticket_id, populate_existing=fresh)
    if ticket is None:
        raise NotFound(f"ticket {ticket_id} does not exist")
    return ticket


async def ensure_visible(
    session: AsyncSession, ticket_id: int, teams: Sequence[str], field: str | None = None
) -> None:
    """NotFound unless the ticket exists and belongs to one of these teams (or to none yet):
    another team's ticket answers like a missing one, so ids reveal nothing. `field`: the
    request field that named the ticket, if not the path."""
    team = await session.execute(select(Ticket.team).where(Ticket.id == ticket_id))
    row = team.first()
    if row is None or (row.team is not None and row.team not in teams):
        errors = {field: ["no such ticket"]} if field else None
        raise NotFound(f"ticket {ticket_id} does not exist", errors)


async def lock_tickets(session: AsyncSession, ids: Collection[int]) -> None:
    """Hold these tickets against concurrent changes until the transaction ends: checks
    made on rows read after this still hold when the change is written.

    On SQLite, call it before the transaction writes or opens a savepoint: the driver runs
    reads outside a transaction until the first write, so the lock then waits for other
    writers instead of failing on a stale snapshot."""
    if not is_postgresql(session):
        # No row locks in SQLite: any write statement takes the database's one write lock,
        # even one that touches no row, and what the transaction reads after it is current.
        await session.execute(text("UPDATE tickets SET id = id WHERE 0"))
        return
    # In id order, so two transactions locking the same tickets cannot deadlock.
    await session.execute(
        select(Ticket.id)
        .where(among(session, Ticket.id, ids))
        .order_by(Ticket.id)
        .with_for_update()
    )


async def update_ticket(
    session: AsyncSession, ticket_id: int, change: TicketUpdate, by: By
) -> Ticket:
    """Apply what differs. A correction of an AI label is recorded once, even when two
    agents change the same ticket at once: the second sees the first's change."""
    await lock_tickets(session, [ticket_id])
    ticket = await get_ticket(session, ticket_id, fresh=True)
    if await apply_change(session, ticket, change, by):
        await save_change(session, ticket)
    return ticket  # unchanged: no new updated_at, workflow run or event


async def assign_ticket(
    session: AsyncSession, ticket_id: int, assignee_id: int | None, seen: int | None, by: By
) -> Ticket:
    """Assign (or unassign, with None); `seen` is the assignee the asker last saw."""
    await lock_tickets(session, [ticket_id])
    ticket = await get_ticket(session, ticket_id, fresh=True)
    if await assignment.assign(session, ticket, assignee_id, seen, by):
        await save_change(session, ticket)
    return ticket


async def release_assignments(session: AsyncSession, user_id: int, by: By) -> int:
    """The open tickets this person can no longer hold (deactivated, no longer an agent, or
    out of the ticket's team) go back to their teams' queues; how many."""
    held = (
        await session.scalars(
            select(Ticket.id).where(Ticket.assignee_id == user_id, Ticket.resolved_at.is_(None))
        )
    ).all()
    if not held:
        return 0
    await lock_tickets(session, held)
    released = 0
    for ticket_id in held:
        ticket = await get_ticket(session, ticket_id, fresh=True)
        if ticket.assignee_id != user_id or ticket.resolved_at is not None:
            continue  # changed meanwhile
        if await assignment.can_keep(session, user_id, ticket.team):
            continue
        await assignment.release(session, ticket, by)
        await save_change(session, ticket)
        released += 1
    return released


async def after_routing(session: AsyncSession, ticket: Ticket) -> None:
    """The workflow set the ticket's team: keep its assignee in the team, or auto-assign."""
    if await assignment.after_routing(session, ticket):
        await session.flush()
        await publish(session, "ticket.updated", id=ticket.id)


async def apply_change(session: AsyncSession, ticket: Ticket, change: TicketUpdate, by: By) -> bool:
    """Set what differs on a locked ticket, recording it in the audit trail and corrections
    of AI labels for retraining; whether anything did differ."""
    before = {"status": ticket.status, "category": ticket.category, "priority": ticket.priority}
    changed = False
    if change.status is not None and change.status.value != ticket.status:
        ticket.status = change.status.value
        ticket.resolved_at = utcnow() if change.status in DONE_STATUSES else None
        if change.status not in DONE_STATUSES and ticket.duplicate_of is not None:
            # Reopened, it is a ticket of its own again: it leaves the one it was merged into.
            await publish(session, "ticket.updated", id=ticket.duplicate_of)
            ticket.duplicate_of = None
        changed = True
    overridden = []
    for field, label in (("category", change.category), ("priority", change.priority)):
        if label is None or label.value == getattr(ticket, field):
            continue
        if getattr(ticket, f"{field}_source") == LabelSource.AI.value:
            overridden.append((field, getattr(ticket, field), label.value))
        setattr(ticket, field, label.value)
        setattr(ticket, f"{field}_source", LabelSource.USER.value)
        changed = True
    # Recorded with both final labels, so a correction is a complete training example.
    for field, predicted, corrected in overridden:
        await triage.record_correction(session, ticket, field, predicted, corrected, by.user_id)
    if changed:
        after = {"status": ticket.status, "category": ticket.category, "priority": ticket.priority}
        changes = diff(before, after)
        record(session, Change("ticket.updated", by, ticket_id=ticket.id, changes=changes))
    return changed


def labelled_by_ai(ticket: Ticket) -> list[str]:
    """The labels the AI chose and no person has changed since."""
    return [
        field
        for field in ("category", "priority")
        if getattr(ticket, f"{field}_source") == LabelSource.AI.value
    ]


async def retriage(session: AsyncSession, ticket_id: int, suggestion: Suggestion) -> bool:
    """Triage read the ticket again (the customer wrote more): the labels the AI chose
    follow its new suggestion, labels a person chose stay, and so do the AI's suggestions
    for those (what agents corrected is kept as it was). Whether a label changed."""
    await lock_tickets(session, [ticket_id])
    ticket = await get_ticket(session, ticket_id, fresh=True)
    fields = labelled_by_ai(ticket)  # again, under the lock: an agent may have chosen since
    if not fields:
        return False
    suggested = {"category": suggestion.category.value, "priority": suggestion.priority.value}
    confidences = {
        "category": suggestion.category_confidence,
        "priority": suggestion.priority_confidence,
    }
    changes = {}
    for field in fields:
        if getattr(ticket, field) != suggested[field]:
            changes[field] = [getattr(ticket, field), suggested[field]]
        setattr(ticket, field, suggested[field])
        setattr(ticket, f"ai_{field}", suggested[field])
        setattr(ticket, f"ai_{field}_confidence", confidences[field])
    ticket.ai_confidence = min(
        c for c in (ticket.ai_category_confidence, ticket.ai_priority_confidence) if c is not None
    )
    ticket.ai_reasoning = suggestion.reasoning
    ticket.ai_provider = suggestion.provider
    ticket.needs_review = suggestion.needs_review
    if not changes:
        await session.flush()
        return False
    detail = f"after the customer's message; confidence {min(confidences[f] for f in fields):.2f}"
    record(
        session, Change("ticket.triaged", AI, ticket_id=ticket.id, changes=changes, detail=detail)
    )
    await save_change(session, ticket)
    return True


async def save_change(session: AsyncSession, ticket: Ticket) -> None:
    """Stamp, write and announce a change to a locked ticket."""
    ticket.updated_at = utcnow()
    await session.flush()
    await enqueue_triggered(session, "ticket.updated", ticket.id)
    await publish(session, "ticket.updated", id=ticket.id)


def _filtered(statement: Select[Any], filters: TicketFilter, postgresql: bool) -> Select[Any]:
    if filters.categories:
        statement = statement.where(Ticket.category.in_([c.value for c in filters.categories]))
    if filters.priorities:
        statement = statement.where(Ticket.priority.in_([p.value for p in filters.priorities]))
    if filters.statuses:
        statement = statement.where(Ticket.status.in_([s.value for s in filters.statuses]))
    if filters.teams:
        statement = statement.where(Ticket.team.in_(filters.teams))
    if filters.assignees or filters.unassigned:
        chosen = [Ticket.assignee_id.in_(filters.assignees)] if filters.assignees else []
        if filters.unassigned:
            chosen.append(Ticket.assignee_id.is_(None))
        statement = statement.where(or_(*chosen))
    if filters.needs_review is not None:
        statement = statement.where(Ticket.needs_review.is_(filters.needs_review))
    if filters.sla is not None:
        statement = statement.where(_SLA_STATES[filters.sla]())
    if filters.waiting is not None:
        waiting = Ticket.waiting_since.is_not(None)
        statement = statement.where(waiting if filters.waiting else ~waiting)
    if filters.visible_teams is not None:
        statement = statement.where(
            or_(Ticket.team.in_(filters.visible_teams), Ticket.team.is_(None))
        )
    if not filters.search:
        return statement
    query = parse(filters.search)
    found = [_text_matches(query, postgresql)] if query else []
    number = ticket_number(filters.search)
    if number is not None:
        found.append(Ticket.id == number)
    return statement.where(or_(*found)) if found else statement


def _text_matches(query: SearchQuery, postgresql: bool) -> ColumnElement[bool]:
    """Whole words (stemmed) as before, or else fragments inside words through the
    trigram indexes (0009): "fund" finds "refund"; on PostgreSQL a code from its start
    through its own index (0024): "ORD-4471" finds "ORD-44718"."""
    if postgresql:
        # The tsquery written into the statement as a constant: the planner folds it once
        # (no parsing and stemming again for every row a recheck visits) and estimates how
        # many tickets have its words, which decides between walking the newest-first
        # index (a common word) and the word index (a rare one). Words are \w only.
        typed: BindParameter[str] = bindparam(
            "tsquery", to_tsquery(query), literal_execute=True, unique=True
        )
        tsquery = func.to_tsquery(literal_column("'english'::regconfig"), typed)
        words = literal_column("tickets.search_vector").op("@@")(tsquery)
        return or_(words, *(_fragments(group) for group in query.groups if _trigrams(group)))
    finding, excluding_only = query.split()
    found = [
        Ticket.id.in_(_fts5_matches("tickets_fts", to_fts5(finding))),
        Ticket.id.in_(_fts5_matches("tickets_trigram", to_fts5(finding, fragments=True))),
    ]
    found = found if finding.groups else []
    found += [~Ticket.id.in_(_fts5_matches("tickets_fts", to_fts5_any(g))) for g in excluding_only]
    return or_(*found)


# A trigram index finds fragments of three characters or more; shorter ones match words.
def _trigrams(group: tuple[Term, ...]) -> bool:
    positive = [t for t in group if not t.negated]
    return bool(positive) and all(len(t.fragment) >= 3 for t in positive)


def _contains_pattern(fragment: str) -> str:
    """The ILIKE pattern for "has this text anywhere", LIKE's wildcards and its escape
    character (a backslash) escaped: a pattern sent whole, not built in SQL with
    `'%' || ... || '%' ESCAPE`, which a generic plan would build again for every row."""
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fragments(group: tuple[Term, ...]) -> ColumnElement[bool]:
    def anywhere(term: Term) -> ColumnElement[bool]:
        # Constants too, as the tsquery: the statement of a search is then the same text
        # each time, and PostgreSQL keeps its plan instead of planning it every time.
        if term.code:
            return _code_starts(term.fragment)
        pattern: BindParameter[str] = bindparam(
            "fragment", _contains_pattern(term.fragment), literal_execute=True, unique=True
        )
        return or_(Ticket.title.ilike(pattern), Ticket.description.ilike(pattern))

    return and_(*(~anywhere(t) if t.negated else anywhere(t) for t in group))


def _code_starts(code: str) -> ColumnElement[bool]:
    """A code in the title or description that starts with this one ("ord-4471" finds
    "ORD-44718"), through the codes' index (0024). A code is [a-z0-9] and `-_./#` only,
    nothing tsquery syntax would read: quoted, it is one lexeme."""
    prefix: BindParameter[str] = bindparam("code", f"'{code}':*", literal_execute=True, unique=True)
    codes = func.ticket_codes(Ticket.title, Ticket.description)
    return codes.op("@@")(cast(prefix, TSQUERY))


def _fts5_matches(table: str, match: str) -> TextClause:
    # unique: a search with exclusion-only groups puts several of these in one statement.
    return text(f"SELECT rowid FROM {table} WHERE {table} MATCH :match").bindparams(
        bindparam("match", match, unique=True)
    )


def _count_statement(filters: TicketFilter, postgresql: bool) -> Select[Any]:
    if filters.labels_only:
        # The rollup answers label-only counts without touching the tickets table.
        statement = select(func.coalesce(func.sum(TicketLabelCount.n), 0))
        for column, values in (
            (TicketLabelCount.category, filters.categories),
            (TicketLabelCount.priority, filters.priorities),
            (TicketLabelCount.status, filters.statuses),
        ):
            if values:
                statement = statement.where(column.in_([v.value for v in values]))
        return statement
    counted = _filtered(select(Ticket.id), filters, postgresql).subquery()
    return select(func.count()).select_from(counted)


async def count_tickets(session: AsyncSession, filters: TicketFilter) -> int:
    statement = _count_statement(filters, is_postgresql(session))
    return int((await session.execute(statement)).scalar_one())


def sort_keys(filters: TicketFilter, ordering: str) -> tuple[SortKey, ...]:
    number = ticket_number(filters.search) if filters.search else None
    first = (number_first(number),) if number is not None else ()
    return (*first, *ORDERINGS[ordering])


def _order(keys: Sequence[SortKey]) -> list[ColumnElement[Any]]:
    return [key.order() for key in keys]


def list_key(filters: TicketFilter, ordering: str) -> str:
    """Names the list these filters and ordering give (and whose team scope): what a
    cursor is made for."""
    return hashlib.blake2b(repr((filters, ordering)).encode(), digest_size=8).hexdigest()


async def list_tickets(
    session: AsyncSession, filters: TicketFilter, ordering: str, offset: int, limit: int
) -> Sequence[Row[Any]]:
    """Plain rows with the tickets' columns as attributes (no ORM identity tracking)."""
    statement = _filtered(select(*Ticket.__table__.columns), filters, is_postgresql(session))
    statement = statement.order_by(*_order(sort_keys(filters, ordering)))
    rows: Sequence[Row[Any]] = (await session.execute(statement.offset(offset).limit(limit))).all()
    return rows


@lru_cache(maxsize=256)
def _labels_page(
    categories: tuple[Category, ...],
    priorities: tuple[Priority, ...],
    statuses: tuple[Status, ...],
    ordering: str,
    postgresql: bool,
) -> Select[Any]:
    """The list's statement for these label filters, built once: offset and limit are
    parameters. Built for every request, it and its cache key took about 0.15 ms of the
    list's 1 ms of server CPU (measured in-process on the benchmark's database)."""
    filters = TicketFilter(categories, priorities, statuses)
    total = _count_statement(filters, postgresql).scalar_subquery().label("total")
    statement = _filtered(select(*Ticket.__table__.columns, total), filters, postgresql)
    return (
        statement.order_by(*_order(ORDERINGS[ordering]))
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )


# Up to this many matches (as PostgreSQL's planner estimates them) a search's total is
# counted; past it, the estimate is given, marked as one: counting every match of a
# common word among a million tickets takes longer than finding the page.
EXACT_COUNT_UP_TO = 1_000


@dataclass(frozen=True)
class ListPage:
    total: int
    estimated: bool  # `total` is PostgreSQL's estimate, not a count
    rows: Sequence[Row[Any]]
    more: bool  # rows follow this page
    keys: tuple[SortKey, ...]  # what a cursor after its last row holds


# Statements of lists, per filters (a team's filters and searches repeat: paging, live
# refresh; a few hundred lists at most), built once: building a filtered statement and
# its cache key for every request cost nearly as much as the rest of the route (an
# order-number search: 515 → 886 req/s with one API process at a million, by hand), and
# compiling the count's EXPLAIN two thirds of a filtered search's CPU.
T = TypeVar("T")
KEPT = 256
_PAGES: dict[str, Select[Any]] = {}
_EXPLAINED: dict[str, SQLCompiler] = {}
# Written into the SQL at each execution (as constants, not parameters), so that PostgreSQL
# plans a search for the page it is asked for.
_OFFSET = bindparam("offset", type_=Integer(), literal_execute=True)
_LIMIT = bindparam("limit", type_=Integer(), literal_execute=True)


def _kept(cache: dict[str, T], key: str, build: Callable[[], T]) -> T:
    """`cache[key]`, built on first use; a full cache starts over."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= KEPT:
            cache.clear()
        found = cache[key] = build()
    return found


def _page(
    filters: TicketFilter, ordering: str, postgresql: bool, after: Sequence[Any] | None
) -> Select[Any]:
    """A page's statement; after a cursor, built for it (the key values differ each time)."""

    def build() -> Select[Any]:
        keys = sort_keys(filters, ordering)
        found = _filtered(select(*Ticket.__table__.columns), filters, postgresql)
        if after is not None:
            found = found.where(after_row(keys, after))
        return found.order_by(*_order(keys)).offset(_OFFSET).limit(_LIMIT)

    if after is not None:
        return build()
    return _kept(_PAGES, repr((filters, ordering, postgresql)), build)


async def list_page(
    session: AsyncSession,
    filters: TicketFilter,
    ordering: str,
    *,
    offset: int = 0,
    limit: int,
    after: Sequence[Any] | None = None,
) -> ListPage:
    """One page of plain rows (`after`: the key values of the row before it, read from a
    cursor) and how many tickets the filters match. Label filters only: page and exact
    total in one statement, the total from the rollup. Anything else: the page, one row
    over to know whether more follow, then the total only if the page does not tell it."""
    postgresql = is_postgresql(session)
    keys = sort_keys(filters, ordering)
    connection = await session.connection()  # plain rows need no ORM result handling
    if filters.labels_only and after is None:
        statement = _labels_page(
            tuple(filters.categories),
            tuple(filters.priorities),
            tuple(filters.statuses),
            ordering,
            postgresql,
        )
        parameters = {"offset": offset, "limit": limit}
        rows = (await connection.execute(statement, parameters)).all()
        total = int(rows[0].total) if rows else await count_tickets(session, filters)
        return ListPage(total, False, rows, offset + len(rows) < total, keys)
    statement = _page(filters, ordering, postgresql, after)
    rows = (await connection.execute(statement, {"offset": offset, "limit": limit + 1})).all()
    more = len(rows) > limit
    rows = rows[:limit]
    if after is None and offset == 0 and not more:
        return ListPage(len(rows), False, rows, more, keys)  # the page holds them all
    if filters.labels_only:  # a cursor page of label filters: the rollup counts them
        return ListPage(await count_tickets(session, filters), False, rows, more, keys)
    estimate = await estimated_count(session, filters) if postgresql else None
    if estimate is not None and estimate > EXACT_COUNT_UP_TO:
        seen = offset + len(rows) + more  # never fewer than the pages read show
        return ListPage(max(estimate, seen), True, rows, more, keys)
    return ListPage(await count_tickets(session, filters), False, rows, more, keys)


def _explained(connection: AsyncConnection, filters: TicketFilter) -> tuple[str, tuple[Any, ...]]:
    """The EXPLAIN of the list's count query, and its parameters as of now."""

    def compiled() -> SQLCompiler:
        found = _filtered(select(Ticket.id), filters, postgresql=True).compile(
            connection.sync_connection, compile_kwargs={"render_postcompile": True}
        )
        assert isinstance(found, SQLCompiler)
        return found

    counted = _kept(_EXPLAINED, repr(filters), compiled)
    values = counted.params  # made anew each time: a bound taken at execution (at risk)
    parameters = tuple(values[name] for name in counted.positiontup or ())
    return f"EXPLAIN (FORMAT JSON) {counted}", parameters


async def estimated_count(session: AsyncSession, filters: TicketFilter) -> int:
    """PostgreSQL's planner's estimate of the matches: a plan, not a scan."""
    connection = await session.connection()
    sql, parameters = _explained(connection, filters)
    plan = (await connection.exec_driver_sql(sql, parameters)).scalar_one()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


class LabelCount(NamedTuple):  # made in 0.3 µs, a frozen dataclass in 0.75 (timeit)
    category: str
    priority: str
    status: str
    ai_category: str | None
    ai_priority: str | None
    n: int


def _in_scope(teams: Sequence[str]) -> ColumnElement[bool]:
    """Tickets of these teams, and those not routed yet (everyone's to pick up)."""
    return or_(Ticket.team.in_(teams), Ticket.team.is_(None))


# The rollups' rows, as plain rows, by statements built once (with their cache keys):
# every live event makes each open dashboard read the stats again.
_LABELS = TicketLabelCount.__table__.c
_LABEL_ROLLUP = select(
    _LABELS.category,
    _LABELS.priority,
    _LABELS.status,
    _LABELS.ai_category,
    _LABELS.ai_priority,
    _LABELS.n,
).where(_LABELS.n > 0)
_DAILY_ROLLUP = select(TicketDailyCount.__table__.c.day, TicketDailyCount.__table__.c.n).where(
    TicketDailyCount.__table__.c.n > 0
)


async def label_counts(
    session: AsyncSession, teams: Sequence[str] | None = None
) -> list[LabelCount]:
    """How many tickets carry each combination of labels and AI suggestion: from the
    rollup for everyone's tickets, counted from the tickets of `teams` otherwise."""
    if teams is not None:
        scoped = await session.execute(
            select(
                Ticket.category,
                Ticket.priority,
                Ticket.status,
                Ticket.ai_category,
                Ticket.ai_priority,
                func.count(),
            )
            .where(_in_scope(teams))
            .group_by(
                Ticket.category,
                Ticket.priority,
                Ticket.status,
                Ticket.ai_category,
                Ticket.ai_priority,
            )
        )
        return [LabelCount(*row) for row in scoped.all()]
    rows = (await (await session.connection()).execute(_LABEL_ROLLUP)).all()
    return [LabelCount(c, p, s, ai_c or None, ai_p or None, n) for c, p, s, ai_c, ai_p, n in rows]


async def daily_counts(
    session: AsyncSession, teams: Sequence[str] | None = None
) -> dict[date, int]:
    """Tickets created per UTC day, for every day that has any (one row a day): from the
    rollup, or counted from the tickets of `teams`."""
    if teams is not None:
        day = (
            func.date(func.timezone("UTC", Ticket.created_at))
            if is_postgresql(session)
            else func.date(Ticket.created_at)
        )
        scoped = await session.execute(
            select(day, func.count()).where(_in_scope(teams)).group_by(day)
        )
        return {_as_date(found): n for found, n in scoped.all()}
    rows = (await (await session.connection()).execute(_DAILY_ROLLUP)).all()
    return dict(rows)


async def insert_many(
    session: AsyncSession, rows: Sequence[dict[str, object]], with_workflow: bool
) -> None:
    """Bulk insert already-labeled tickets (demo data, imports): one round trip per batch;
    `with_workflow` queues each ticket's background workflow as a created ticket gets."""
    if not with_workflow:
        # No ids wanted: COPY or executemany, without the ORM's bulk path or RETURNING
        # (which renders and binds one huge VALUES statement in Python).
        await insert_rows(session, Ticket.metadata.tables[Ticket.__tablename__], rows)
        return
    ids = (await session.scalars(insert(Ticket).returning(Ticket.id), list(rows))).all()
    for ticket_id in ids:
        await enqueue_triggered(session, "ticket.created", ticket_id)


# What the tickets_rollup trigger (0001) adds for each inserted ticket, for all at once.
ROLLUP_FROM_TICKETS = [
    """INSERT INTO ticket_label_counts (category, priority, status, ai_category, ai_priority, n)
    SELECT category, priority, status, COALESCE(ai_category, ''), COALESCE(ai_priority, ''),
           count(*)
    FROM tickets GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (category, priority, status, ai_category, ai_priority)
    DO UPDATE SET n = ticket_label_counts.n + excluded.n""",
    """INSERT INTO ticket_daily_counts (day, n)
    SELECT (created_at AT TIME ZONE 'UTC')::date, count(*) FROM tickets GROUP BY 1
    ON CONFLICT (day) DO UPDATE SET n = ticket_daily_counts.n + excluded.n""",
]


@asynccontextmanager
async def bulk_load(session: AsyncSession) -> AsyncIterator[bool]:
    """Around a bulk load into an empty tickets table, inside the caller's transaction
    (PostgreSQL; yields whether it applies): the tickets' triggers are off (the rollup's;
    the page changes', none for tickets not changed since) and the GIN indexes
    (words 0001, trigrams 0009) are dropped; on leaving, the rollups are counted from the
    table and the indexes built over all rows at once. DDL is transactional: a load that
    fails leaves the table as it was. The table stays locked against any other use until
    the transaction ends."""
    has_tickets = text("SELECT EXISTS (SELECT FROM tickets)")
    if not is_postgresql(session) or (await session.execute(has_tickets)).scalar_one():
        yield False
        return
    await _bulk_triggers(session, "DISABLE")
    if (await session.execute(has_tickets)).scalar_one():  # filled before the lock
        await _bulk_triggers(session, "ENABLE")
        yield False
        return
    indexes = (
        await session.execute(
            text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                " AND tablename = 'tickets' AND indexdef LIKE '% USING gin %'"
            )
        )
    ).all()
    for name, _ in indexes:
        await session.execute(text(f'DROP INDEX "{name}"'))
    yield True
    for statement in ROLLUP_FROM_TICKETS:
        await session.execute(text(statement))
    for _, definition in indexes:
        await session.execute(text(definition))
    await _bulk_triggers(session, "ENABLE")


# Per row or per statement, what a bulk load does for all its rows at once (or not at all:
# a ticket loaded has no page changes until it changes).
BULK_OFF_TRIGGERS = ("tickets_rollup", "tickets_page_insert")


async def _bulk_triggers(session: AsyncSession, switch: str) -> None:
    for trigger in BULK_OFF_TRIGGERS:
        await session.execute(text(f"ALTER TABLE tickets {switch} TRIGGER {trigger}"))


async def history(session: AsyncSession, ticket_id: int) -> list[dict[str, Any]]:
    """The ticket's audit trail, oldest first, with the names of the people in it."""
    events = await audit.ticket_trail(session, ticket_id)
    names = await auth.names_of(session, {e.actor_user_id for e in events if e.actor_user_id})
    return [
        {
            "id": event.id,
            "at": event.at,
            "action": event.action,
            "actor_kind": event.actor_kind,
            "actor_user_id": event.actor_user_id,
            "actor_name": names.get(event.actor_user_id) if event.actor_user_id else None,
            "changes": event.changes,
            "detail": event.detail,
        }
        for event in events
    ]


async def auto_assign_settings(session: AsyncSession, teams: Sequence[str]) -> dict[str, bool]:
    return await assignment.team_settings(session, teams)


async def set_auto_assign(session: AsyncSession, team: str, enabled: bool, by: By) -> None:
    await assignment.set_auto_assign(session, team, enabled, by)


async def view_counts(
    session: AsyncSession, user_id: int | None, visible_teams: Sequence[str] | None
) -> dict[str, int]:
    """How many tickets each of the saved views holds for this person, in one statement."""
    to_do = Ticket.resolved_at.is_(None)
    mine = Ticket.assignee_id == user_id if user_id is not None else false()
    counts = {
        "mine": and_(to_do, mine),
        "unassigned": and_(to_do, Ticket.assignee_id.is_(None)),
        "needs_review": and_(to_do, Ticket.needs_review.is_(True)),
        "sla_at_risk": _at_risk(),
        "sla_breached": _breached(),
    }
    statement = select(
        *(func.count().filter(condition).label(key) for key, condition in counts.items()),
        func.count().label("all"),
    ).select_from(Ticket)
    if visible_teams is not None:
        statement = statement.where(or_(Ticket.team.in_(visible_teams), Ticket.team.is_(None)))
    row = (await session.execute(statement)).one()
    return {key: int(value) for key, value in row._mapping.items()}


async def workload(
    session: AsyncSession, teams: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Per assignee, the tickets still to do, how many need review, how many are breached
    (of `teams` only, when given)."""
    statement = (
        select(
            Ticket.assignee_id,
            func.count().label("open"),
            func.count().filter(Ticket.needs_review.is_(True)).label("needs_review"),
            func.count().filter(Ticket.sla_breached.is_(True)).label("breached"),
        )
        .where(Ticket.resolved_at.is_(None))
        .group_by(Ticket.assignee_id)
    )
    if teams is not None:
        statement = statement.where(_in_scope(teams))
    return [dict(row._mapping) for row in await session.execute(statement)]


def _as_date(value: date | str) -> date:
    # SQLite's date() answers text.
    return value if isinstance(value, date) else date.fromisoformat(value)


class TicketTeams:
    """Which team each ticket is in, as the live event stream asks it for every event it
    might pass to an agent of some teams: per process, remembered for a few seconds (a
    ticket that changes team reaches the new team's agents at most that late)."""

    REMEMBER_SECONDS = 5.0

    def __init__(self, database: Database) -> None:
        self.database = database
        self._known: dict[int, tuple[float, str | None]] = {}

    async def team_of(self, ticket_id: int) -> str | None:
        """The ticket's team (None: not routed yet, or no such ticket)."""
        now = time.monotonic()
        known = self._known.get(ticket_id)
        if known is not None and known[0] > now:
            return known[1]
        async with self.database.sessions() as session:
            team = await session.scalar(select(Ticket.team).where(Ticket.id == ticket_id))
        if len(self._known) > 10_000:
            self._known.clear()
        self._known[ticket_id] = (now + self.REMEMBER_SECONDS, team)
        return team


async def new_ids(session: AsyncSession, count: int) -> list[int]:
    """`count` ids for tickets about to be loaded with them (their SLA standing and
    messages are worked out before the load): PostgreSQL's sequence hands them out, as to
    any insert; on SQLite the caller's transaction holds the write lock (`lock_tickets`)."""
    if is_postgresql(session):
        sequence = "nextval(pg_get_serial_sequence('tickets', 'id'))"
        drawn = await session.scalars(
            text(f"SELECT {sequence} FROM generate_series(1, :n)"), {"n": count}
        )
        return list(drawn)
    await lock_tickets(session, [])
    newest: int = await session.scalar(select(func.coalesce(func.max(Ticket.id), 0))) or 0
    return list(range(newest + 1, newest + 1 + count))
