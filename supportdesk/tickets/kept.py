"""Answers drawn from the tickets table alone (list pages, stats), kept per process on
PostgreSQL until a ticket changes: every live event makes each open list and dashboard ask
again, and people who see the same teams ask the same (docs/architecture.md, "List pages
and stats are kept")."""

from collections.abc import Awaitable, Callable, Hashable

from fastapi import Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.db import Database
from supportdesk.events.broker import BROKER
from supportdesk.kept import KeptAnswers

KeptTicketAnswers = KeptAnswers[tuple[Hashable, ...], int]


async def kept_answer(
    request: Request,
    asker: tuple[Hashable, ...] | None,
    build: Callable[[AsyncSession], Awaitable[bytes]],
) -> Response:
    """The JSON `build` makes from a read session, or the one it made for this URL and this
    `asker` (what the answer depends on besides its URL: the team scope, who "me" is; None:
    never kept) at the tickets' present version. Nothing is kept where no version is heard
    (SQLite). The version is read before building: an answer built while a write landed
    is kept at the version before that write, so it is never served. The session is
    opened only to build (a route that takes its session as a dependency pays for it on
    every request)."""
    version = None if asker is None else BROKER.tickets_version(request.app.state.db.url)
    answers: KeptTicketAnswers = request.app.state.ticket_answers
    key = (str(request.url), *(asker or ()))
    if version is not None and (known := answers.get(key, version)) is not None:
        return Response(known, media_type="application/json")
    database: Database = request.app.state.db
    async with database.read_sessions() as session:
        body = await build(session)
    if version is not None:
        answers.put(key, version, body)
    return Response(body, media_type="application/json")
