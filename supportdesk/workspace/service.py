"""The ticket page's content, gathered from the features that own each part, and the
version it is built from. Takes a session and plain values; never commits, never imports
FastAPI."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.conversations import service as conversations
from supportdesk.dialect import is_postgresql
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Ticket
from supportdesk.workflow import service as workflow
from supportdesk.workspace.models import EVERYONE, TicketPageChange


@dataclass(frozen=True, slots=True)
class TicketPage:
    thread: conversations.Thread  # its ticket too
    history: list[dict[str, Any]]
    workflow: workflow.TicketWorkflow


async def ticket_page(session: AsyncSession, ticket_id: int) -> TicketPage:
    """Everything the page shows but the duplicates (found on demand, by the model):
    one round trip for the browser, a handful of indexed reads here. Raises NotFound."""
    thread = await conversations.thread(session, ticket_id)
    return TicketPage(
        thread=thread,
        history=await tickets.history(session, ticket_id),
        workflow=await workflow.get_workflow(session, ticket_id),
    )


# Per ticket whose rows the page shows (itself, those merged into it, 0 for everyone's
# names): (ticket id, its changes' newest time, their count).
PageVersion = tuple[tuple[int, int, int], ...]

_CHANGES = (TicketPageChange.ticket_id, func.max(TicketPageChange.at), func.count())
# Two lookups by key, not one OR (which PostgreSQL answers by reading every row).
_VERSIONS = union_all(
    select(*_CHANGES)
    .where(TicketPageChange.ticket_id.in_([EVERYONE, bindparam("ticket")]))
    .group_by(TicketPageChange.ticket_id),
    select(*_CHANGES)
    .join(Ticket, Ticket.id == TicketPageChange.ticket_id)
    .where(Ticket.duplicate_of == bindparam("ticket"))
    .group_by(TicketPageChange.ticket_id),
)


async def page_version(session: AsyncSession, ticket_id: int) -> PageVersion | None:
    """What the ticket's page is built from, as of now; None for a ticket never written
    since a bulk load (its rows start with its first change): not worth keeping."""
    rows = await session.execute(_VERSIONS, {"ticket": ticket_id})
    found = tuple(sorted((row[0], row[1], row[2]) for row in rows))
    return found if any(ticket == ticket_id for ticket, _, _ in found) else None


# A ticket's rows past this many are folded into one.
KEEP_CHANGES = 16
# The advisory lock that keeps folds one at a time on PostgreSQL (any fixed number of ours).
FOLD_LOCK = 0x5D_FA6E


async def fold_page_changes(session: AsyncSession, batch: int = 5_000) -> int:
    """Folds the rows of up to `batch` tickets with more than KEEP_CHANGES into one each,
    newer than every row it replaces: the version moves (each page is built once more)
    and never repeats (a count of 1 and a time past any it had). The time is taken from
    the rows the delete removed, not from an earlier read: a row committed in between
    (a change) is folded in too, and still moves the version. A row a writer has not
    committed yet is not seen and stays. One fold at a time (on SQLite the write lock
    does it): a second one could not see the first's new rows. Returns the tickets folded."""
    if is_postgresql(session):
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FOLD_LOCK})
    many = (
        await session.scalars(
            select(TicketPageChange.ticket_id)
            .group_by(TicketPageChange.ticket_id)
            .having(func.count() > KEEP_CHANGES)
            .limit(batch)
        )
    ).all()
    if not many:
        return 0
    gone = await session.execute(
        delete(TicketPageChange)
        .where(TicketPageChange.ticket_id.in_(many))
        .returning(TicketPageChange.ticket_id, TicketPageChange.at)
    )
    newest: dict[int, int] = {}
    for ticket, at in gone:
        newest[ticket] = max(at, newest.get(ticket, at))
    if newest:  # none when another fold took them first
        folded = [{"ticket_id": t, "at": at + 1} for t, at in newest.items()]
        await session.execute(insert(TicketPageChange), folded)
    return len(many)
