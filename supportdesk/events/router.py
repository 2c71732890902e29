"""GET /api/events: a server-sent event stream of ticket and job changes."""

import asyncio
from collections.abc import AsyncIterator

import orjson
from fastapi import APIRouter, Request
from starlette.responses import StreamingResponse

from supportdesk.auth.access import Viewer
from supportdesk.events.broker import BROKER

router = APIRouter(tags=["events"])
KEEPALIVE_SECONDS = 15.0


@router.get("/api/events", operation_id="events")
async def events(request: Request, _: Viewer) -> StreamingResponse:
    """`data: {"type": "ticket.created", "id": 1}` lines; a comment line every 15 s."""
    queue = BROKER.subscribe()

    async def stream() -> AsyncIterator[bytes]:
        try:
            yield b": connected\n\n"
            while not await request.is_disconnected():
                try:
                    payload = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                yield b"data: " + orjson.dumps(payload) + b"\n\n"
        finally:
            BROKER.unsubscribe(queue)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)
