"""Request-scoped dependencies shared by routers."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.config import Settings
from supportdesk.db import Database
from supportdesk.errors import NotFound
from supportdesk.types import MAX_ID


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    database: Database = request.app.state.db
    async for session in database.session():
        yield session


async def _read_session(request: Request) -> AsyncIterator[AsyncSession]:
    database: Database = request.app.state.db
    async with database.read_sessions() as session:
        yield session


def settings_of(request: Request) -> Settings:
    """The app's settings (tests run apps with their own)."""
    settings: Settings = request.app.state.settings
    return settings


# Dependencies are `async def` even with nothing to await: FastAPI runs a plain `def` in a
# worker thread, a hand-over that costs more than what these do.
async def _settings(request: Request) -> Settings:
    return settings_of(request)


# scope="function": commit (or roll back) before the response is sent, so a client that
# gets 201 can read its ticket from any other connection straight away.
SessionDep = Annotated[AsyncSession, Depends(_session, scope="function")]
# Read-only endpoints: no transaction, so no BEGIN/COMMIT round trips on the hottest reads.
# On PostgreSQL each statement then sees the database as of its own start: a read that
# must be consistent is one statement (the list reads page and total in one).
ReadSessionDep = Annotated[AsyncSession, Depends(_read_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(_settings)]


async def _ticket_id(ticket_id: int) -> int:
    # A number past any id names no ticket: 404 like any unknown id, before it reaches SQL.
    if not 1 <= ticket_id <= MAX_ID:
        raise NotFound(f"ticket {ticket_id} does not exist")
    return ticket_id


async def _run_id(run_id: int) -> int:
    if not 1 <= run_id <= MAX_ID:
        raise NotFound(f"analysis run {run_id} does not exist")
    return run_id


# Ids in paths: a number past any id is an unknown one (404), never sent to the database.
TicketId = Annotated[int, Depends(_ticket_id)]
RunId = Annotated[int, Depends(_run_id)]
# A page number, bounded so that its offset stays a number the databases take.
PageNumber = Annotated[int, Query(ge=1, le=MAX_ID)]
