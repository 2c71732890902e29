"""Live events: published in the change's transaction, delivered only if it commits."""

import asyncio

import httpx
import pytest
from fastapi import FastAPI

from supportdesk.events.broker import BROKER, publish
from tests.factories import make_ticket


async def next_event(queue: "asyncio.Queue[dict[str, object]]") -> dict[str, object]:
    return await asyncio.wait_for(queue.get(), 5)


async def test_ticket_changes_reach_subscribers(client: httpx.AsyncClient) -> None:
    queue = BROKER.subscribe()
    try:
        ticket = await make_ticket(client)
        assert await next_event(queue) == {"type": "ticket.created", "id": ticket["id"]}
        await client.patch(f"/api/tickets/{ticket['id']}", json={"status": "closed"})
        assert await next_event(queue) == {"type": "ticket.updated", "id": ticket["id"]}
    finally:
        BROKER.unsubscribe(queue)


@pytest.mark.usefixtures("client")
async def test_a_rolled_back_change_publishes_nothing(app: FastAPI) -> None:
    queue = BROKER.subscribe()
    try:
        with pytest.raises(RuntimeError):
            async with app.state.db.transaction() as session:
                await publish(session, "ticket.created", id=999)
                raise RuntimeError("the change fails")
        async with app.state.db.transaction() as session:
            await publish(session, "ticket.updated", id=1)
        assert await next_event(queue) == {"type": "ticket.updated", "id": 1}
    finally:
        BROKER.unsubscribe(queue)
