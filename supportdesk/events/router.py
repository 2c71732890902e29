"""GET /api/events: a server-sent event stream of ticket and job changes, each passed only
to those who may see its ticket."""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any, Protocol

import orjson
from fastapi import APIRouter, Request
from starlette.responses import StreamingResponse

from supportdesk.auth.access import Viewer, still_signed_in
from supportdesk.auth.actor import Actor
from supportdesk.events.broker import BROKER

router = APIRouter(tags=["events"])
KEEPALIVE_SECONDS = 15.0
# Events naming a ticket by `id` (an analysis event's id is a run's).
TICKET_EVENTS = ("ticket.", "workflow.", "typing")


class TicketTeams(Protocol):
    """Which team a ticket is in (the tickets feature keeps it; the app puts its
    implementation in `app.state.ticket_teams`)."""

    async def team_of(self, ticket_id: int) -> str | None: ...


async def _may_see(request: Request, actor: Actor, event: dict[str, Any]) -> bool:
    if actor.team_scope is None or not str(event.get("type", "")).startswith(TICKET_EVENTS):
        return True
    ticket_id = event.get("id")
    if not isinstance(ticket_id, int):
        return True
    teams: TicketTeams = request.app.state.ticket_teams
    return actor.sees_team(await teams.team_of(ticket_id))


@router.get("/api/events", operation_id="events")
async def events(request: Request, actor: Viewer) -> StreamingResponse:
    """`data: {"type": "ticket.created", "id": 1}` lines, for the tickets the asker may
    see; a comment line when 15 s pass without one. Every 15 s the credential is checked
    again: one that stopped working (a sign-out, a revoked token) ends the stream, and
    changed teams apply."""
    queue = BROKER.subscribe()

    async def stream() -> AsyncIterator[bytes]:
        asker: Actor | None = actor
        check_at = time.monotonic() + KEEPALIVE_SECONDS
        try:
            yield b": connected\n\n"
            while asker is not None and not await request.is_disconnected():
                if time.monotonic() >= check_at:  # however busy the stream is
                    asker = await still_signed_in(request)
                    check_at = time.monotonic() + KEEPALIVE_SECONDS
                    continue
                try:
                    payload = await asyncio.wait_for(queue.get(), check_at - time.monotonic())
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                if await _may_see(request, asker, payload):
                    yield b"data: " + orjson.dumps(payload) + b"\n\n"
        finally:
            BROKER.unsubscribe(queue)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)
