"""Ticket use cases. Takes a session and plain values; never commits, never imports FastAPI."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Row,
    Select,
    TextClause,
    and_,
    bindparam,
    case,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from supportdesk.dialect import is_postgresql
from supportdesk.errors import NotFound
from supportdesk.events.broker import publish
from supportdesk.jobs.queue import enqueue_triggered
from supportdesk.taxonomy import DONE_STATUSES, Category, LabelSource, Priority, Status
from supportdesk.tickets.models import Ticket, TicketDailyCount, TicketLabelCount
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
from supportdesk.types import utcnow

PRIORITY_RANK = case({p.value: p.rank for p in Priority}, value=Ticket.priority)
ORDERINGS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "-created_at": (Ticket.created_at.desc(), Ticket.id.desc()),
    "created_at": (Ticket.created_at.asc(), Ticket.id.asc()),
    "-updated_at": (Ticket.updated_at.desc(), Ticket.id.desc()),
    "updated_at": (Ticket.updated_at.asc(), Ticket.id.asc()),
    "-priority": (PRIORITY_RANK.desc(), Ticket.created_at.desc(), Ticket.id.desc()),
    "priority": (PRIORITY_RANK.asc(), Ticket.created_at.desc(), Ticket.id.desc()),
    # What is still to do comes first: a resolved ticket's due time is history.
    "due_at": (Ticket.resolved_at.is_not(None), Ticket.due_at.asc().nulls_last(), Ticket.id.asc()),
    "-due_at": (Ticket.due_at.desc().nulls_last(), Ticket.id.desc()),
    "-id": (Ticket.id.desc(),),
    "id": (Ticket.id.asc(),),
}


@dataclass(frozen=True)
class TicketFilter:
    categories: Sequence[Category] = ()
    priorities: Sequence[Priority] = ()
    statuses: Sequence[Status] = ()
    search: str | None = None
    teams: Sequence[str] = ()
    # The teams whose tickets the asker may see (and tickets not routed yet); None: all.
    visible_teams: Sequence[str] | None = None
    # Waiting on the customer (after a public reply), or not; None: either.
    waiting: bool | None = None

    @property
    def labels_only(self) -> bool:
        return (
            not (self.search and searchable(self.search))
            and not self.teams
            and self.visible_teams is None
            and self.waiting is None
        )


def _source(chosen: str | None, suggested: str | None) -> LabelSource:
    return LabelSource.AI if chosen is None or chosen == suggested else LabelSource.USER


async def create_ticket(
    session: AsyncSession, data: TicketCreate, suggestion: Suggestion | None
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
    await enqueue_triggered(session, "ticket.created", ticket.id)
    await publish(session, "ticket.created", id=ticket.id)
    return ticket


async def get_ticket(session: AsyncSession, ticket_id: int, *, fresh: bool = False) -> Ticket:
    """`fresh`: read the row again even if this session has it (after `lock_tickets`)."""
    ticket = await session.get(Ticket, ticket_id, populate_existing=fresh)
    if ticket is None:
        raise NotFound(f"ticket {ticket_id} does not exist")
    return ticket


async def ensure_visible(session: AsyncSession, ticket_id: int, teams: Sequence[str]) -> None:
    """NotFound unless the ticket exists and belongs to one of these teams (or to none yet):
    another team's ticket answers like a missing one, so ids reveal nothing."""
    team = await session.execute(select(Ticket.team).where(Ticket.id == ticket_id))
    row = team.first()
    if row is None or (row.team is not None and row.team not in teams):
        raise NotFound(f"ticket {ticket_id} does not exist")


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
        select(Ticket.id).where(Ticket.id.in_(ids)).order_by(Ticket.id).with_for_update()
    )


async def update_ticket(session: AsyncSession, ticket_id: int, change: TicketUpdate) -> Ticket:
    """Apply what differs. A correction of an AI label is recorded once, even when two
    agents change the same ticket at once: the second sees the first's change."""
    await lock_tickets(session, [ticket_id])
    ticket = await get_ticket(session, ticket_id, fresh=True)
    if await apply_change(session, ticket, change):
        await save_change(session, ticket)
    return ticket  # unchanged: no new updated_at, workflow run or event


async def apply_change(session: AsyncSession, ticket: Ticket, change: TicketUpdate) -> bool:
    """Set what differs on a locked ticket, recording corrections of AI labels; whether
    anything did differ."""
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
        await triage.record_correction(session, ticket, field, predicted, corrected)
    return changed


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
    trigram indexes (0009): "fund" finds "refund", "ORD-4471" finds "ORD-44718"."""
    if postgresql:
        tsquery = func.to_tsquery(literal_column("'english'::regconfig"), to_tsquery(query))
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


def _fragments(group: tuple[Term, ...]) -> ColumnElement[bool]:
    def anywhere(term: Term) -> ColumnElement[bool]:
        return or_(
            Ticket.title.icontains(term.fragment, autoescape=True),
            Ticket.description.icontains(term.fragment, autoescape=True),
        )

    return and_(*(~anywhere(t) if t.negated else anywhere(t) for t in group))


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


def _page(
    statement: Select[Any],
    filters: TicketFilter,
    postgresql: bool,
    ordering: str,
    offset: int,
    limit: int,
) -> Select[Any]:
    statement = _filtered(statement, filters, postgresql)
    number = ticket_number(filters.search) if filters.search else None
    if number is not None:  # the ticket named by its number leads its text matches
        statement = statement.order_by((Ticket.id == number).desc())
    return statement.order_by(*ORDERINGS[ordering]).offset(offset).limit(limit)


async def list_tickets(
    session: AsyncSession, filters: TicketFilter, ordering: str, offset: int, limit: int
) -> Sequence[Row[Any]]:
    """Plain rows with the tickets' columns as attributes (no ORM identity tracking)."""
    postgresql = is_postgresql(session)
    statement = _page(
        select(*Ticket.__table__.columns), filters, postgresql, ordering, offset, limit
    )
    rows: Sequence[Row[Any]] = (await session.execute(statement)).all()
    return rows


async def list_page(
    session: AsyncSession, filters: TicketFilter, ordering: str, offset: int, limit: int
) -> tuple[int, Sequence[Row[Any]]]:
    """(total, one page of plain rows) in one statement: the list is the hottest read, so
    it pays one round trip; the total rides on each row as an uncorrelated subquery, which
    the database runs once."""
    postgresql = is_postgresql(session)
    total = _count_statement(filters, postgresql).scalar_subquery().label("total")
    columns = select(*Ticket.__table__.columns, total)
    statement = _page(columns, filters, postgresql, ordering, offset, limit)
    rows: Sequence[Row[Any]] = (await session.execute(statement)).all()
    if rows:
        return int(rows[0].total), rows
    return await count_tickets(session, filters), rows  # past the end: still say how many


@dataclass(frozen=True)
class LabelCount:
    category: str
    priority: str
    status: str
    ai_category: str | None
    ai_priority: str | None
    n: int


async def label_counts(session: AsyncSession) -> list[LabelCount]:
    """How many tickets carry each combination of labels and AI suggestion."""
    counts = TicketLabelCount.__table__.c  # plain rows: stats are read on every refresh
    rows = await session.execute(
        select(
            counts.category,
            counts.priority,
            counts.status,
            counts.ai_category,
            counts.ai_priority,
            counts.n,
        ).where(counts.n > 0)
    )
    return [LabelCount(c, p, s, ai_c or None, ai_p or None, n) for c, p, s, ai_c, ai_p, n in rows]


async def daily_counts(session: AsyncSession) -> dict[date, int]:
    """Tickets created per UTC day, for every day that has any (one row a day)."""
    counts = TicketDailyCount.__table__.c
    rows = await session.execute(select(counts.day, counts.n).where(counts.n > 0))
    return {day: n for day, n in rows}


async def insert_many(
    session: AsyncSession, rows: Sequence[dict[str, object]], with_workflow: bool
) -> None:
    """Bulk insert already-labeled tickets (demo data, imports): one round trip per batch;
    `with_workflow` queues each ticket's background workflow as a created ticket gets."""
    ids = (await session.scalars(insert(Ticket).returning(Ticket.id), list(rows))).all()
    if with_workflow:
        for ticket_id in ids:
            await enqueue_triggered(session, "ticket.created", ticket_id)
