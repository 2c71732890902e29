"""Live events: published in the change's transaction, delivered only if it commits."""

import asyncio

import httpx
import pytest
from fastapi import FastAPI, Request
from sqlalchemy import text

from supportdesk.auth.access import still_signed_in
from supportdesk.auth.actor import Actor, Role
from supportdesk.events.broker import BROKER, publish
from supportdesk.events.router import _may_see
from tests.factories import bearer, make_staff, make_ticket


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


def _request(app: FastAPI, token: str) -> Request:
    headers = [(b"authorization", f"Bearer {token}".encode())]
    scope = {"type": "http", "method": "GET", "path": "/api/events", "query_string": b""}
    return Request({**scope, "headers": headers, "app": app})


async def test_a_tickets_events_reach_only_those_who_may_see_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    billing = (await make_ticket(client))["id"]
    async with app.state.db.engine.begin() as connection:
        await connection.execute(
            text("UPDATE tickets SET team = 'billing_team' WHERE id = :id"), {"id": billing}
        )
    _, token = await make_staff(app, "agent", ("technical_support",))
    request = _request(app, token)
    other_team = Actor(7, Role.AGENT, frozenset({"technical_support"}), sees_all_teams=False)
    same_team = Actor(8, Role.AGENT, frozenset({"billing_team"}), sees_all_teams=False)
    admin = Actor(9, Role.ADMIN, frozenset(), sees_all_teams=False)
    for kind in ("ticket.updated", "workflow.done", "typing"):
        event = {"type": kind, "id": billing}
        assert not await _may_see(request, other_team, event), kind
        assert await _may_see(request, same_team, event)
        assert await _may_see(request, admin, event)
    # An analysis run's id is not a ticket's.
    assert await _may_see(request, other_team, {"type": "analysis.done", "id": billing})


async def test_a_stream_learns_when_its_credential_stops_working(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    _, token = await make_staff(app, "agent")
    request = _request(app, token)
    assert (await still_signed_in(request)) is not None
    tokens = (await client.get("/api/auth/tokens", headers=bearer(token))).json()
    revoked = await client.delete(f"/api/auth/tokens/{tokens[0]['id']}", headers=bearer(token))
    assert revoked.status_code == 200, revoked.text
    assert await still_signed_in(request) is None


async def test_an_agent_writing_to_a_ticket_is_announced_not_stored(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket = (await make_ticket(client))["id"]
    agent_id, token = await make_staff(app, "agent")
    before = (await client.get(f"/api/tickets/{ticket}/history")).json()
    queue = BROKER.subscribe()
    try:
        sent = await anonymous.post(f"/api/tickets/{ticket}/typing", headers=bearer(token))
        assert sent.status_code == 204, sent.text
        event = await next_event(queue)
        while event["type"] == "ticket.created":  # PostgreSQL: may still be on its way
            event = await next_event(queue)
        assert event == {"type": "typing", "id": ticket, "user_id": agent_id, "name": "Agent 1"}
    finally:
        BROKER.unsubscribe(queue)
    assert (await client.get(f"/api/tickets/{ticket}/history")).json() == before
    _, viewer = await make_staff(app, "viewer")
    refused = await anonymous.post(f"/api/tickets/{ticket}/typing", headers=bearer(viewer))
    assert refused.status_code == 403
