"""The ticket page's content, gathered from the features that own each part, and the
pages already built. Takes a session and plain values; never commits, never imports
FastAPI."""

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.conversations import service as conversations
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Ticket
from supportdesk.workflow import service as workflow
from supportdesk.workspace.models import EVERYONE, TicketVersion


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


# (ticket id, version) of the ticket, of the tickets merged into it, and of everyone's names.
PageVersion = tuple[tuple[int, int], ...]

_VERSIONS = (
    select(TicketVersion.ticket_id, TicketVersion.version)
    .where(
        or_(
            TicketVersion.ticket_id.in_([EVERYONE, bindparam("ticket")]),
            TicketVersion.ticket_id.in_(
                select(Ticket.id).where(Ticket.duplicate_of == bindparam("ticket"))
            ),
        )
    )
    .order_by(TicketVersion.ticket_id)
)


async def page_version(session: AsyncSession, ticket_id: int) -> PageVersion | None:
    """What the ticket's page is built from, as of now; None for a ticket never written
    since a bulk load (its version row is made by its first change): not worth keeping."""
    found = tuple(
        (row[0], row[1]) for row in await session.execute(_VERSIONS, {"ticket": ticket_id})
    )
    return found if any(ticket == ticket_id for ticket, _ in found) else None


class BuiltPages:
    """Ticket pages as sent (JSON), each with the version it was built at; the least
    recently sent are let go past `max_bytes`. Per process: any process's write moves
    the version every process reads before it answers."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[int, tuple[PageVersion, bytes]] = OrderedDict()
        self._bytes = 0

    def get(self, ticket_id: int, version: PageVersion) -> bytes | None:
        found = self._pages.get(ticket_id)
        if found is None or found[0] != version:
            return None
        self._pages.move_to_end(ticket_id)
        return found[1]

    def put(self, ticket_id: int, version: PageVersion, body: bytes) -> None:
        replaced = self._pages.pop(ticket_id, None)
        if replaced is not None:
            self._bytes -= len(replaced[1])
        if len(body) > self.max_bytes:
            return
        self._pages[ticket_id] = (version, body)
        self._bytes += len(body)
        while self._bytes > self.max_bytes:
            _, (_, dropped) = self._pages.popitem(last=False)
            self._bytes -= len(dropped)
