"""Assigning tickets by hand (one of two racing agents wins), keeping the assignee in the
ticket's team, auto-assignment, the `assignee` filter, and the ticket's history."""

import asyncio

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from supportdesk.tickets.models import Ticket
from supportdesk.tickets.service import after_routing
from tests.factories import bearer, make_staff, make_ticket


async def _route(app: FastAPI, ticket: int, team: str) -> None:
    """What the workflow does when it routes: set the team, then keep assignment in step."""
    async with app.state.db.transaction() as session:
        row = await session.get(Ticket, ticket)
        assert row is not None
        row.team = team
        await session.flush()
        await after_routing(session, row)


async def _assign(
    http: httpx.AsyncClient, ticket: int, to: int | None, seen: int | None
) -> httpx.Response:
    return await http.put(
        f"/api/tickets/{ticket}/assignee", json={"assignee_id": to, "previous_assignee_id": seen}
    )


async def test_take_a_ticket_and_filter_by_assignee(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket = (await make_ticket(client))["id"]
    other = (await make_ticket(client, title="Another one"))["id"]
    await _route(app, ticket, "billing_team")
    me, token = await make_staff(app, "agent", ("billing_team",))
    agent = bearer(token)
    taken = await anonymous.put(
        f"/api/tickets/{ticket}/assignee",
        json={"assignee_id": me, "previous_assignee_id": None},
        headers=agent,
    )
    assert taken.status_code == 200 and taken.json()["assignee_id"] == me
    mine = await anonymous.get("/api/tickets", params={"assignee": "me"}, headers=agent)
    assert [t["id"] for t in mine.json()["results"]] == [ticket]
    nobody = await client.get("/api/tickets", params={"assignee": "none"})
    assert [t["id"] for t in nobody.json()["results"]] == [other]
    by_id = await client.get("/api/tickets", params={"assignee": str(me)})
    assert by_id.json()["count"] == 1
    bad = await client.get("/api/tickets", params={"assignee": "someone"})
    assert bad.status_code == 422 and "assignee" in bad.json()["errors"]


async def test_two_agents_take_the_same_ticket_and_one_is_told(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    ticket = (await make_ticket(client))["id"]
    await _route(app, ticket, "billing_team")
    first, _ = await make_staff(app, "agent", ("billing_team",))
    second, _ = await make_staff(app, "agent", ("billing_team",))
    answers = await asyncio.gather(
        _assign(client, ticket, first, None), _assign(client, ticket, second, None)
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    loser = next(a for a in answers if a.status_code == 409).json()
    winner = next(a for a in answers if a.status_code == 200).json()["assignee_id"]
    assert "just assigned to" in loser["detail"] and "previous_assignee_id" in loser["errors"]
    assert (await client.get(f"/api/tickets/{ticket}")).json()["assignee_id"] == winner
    assigned = [
        e
        for e in (await client.get(f"/api/tickets/{ticket}/history")).json()
        if e["action"] == "ticket.assigned"
    ]
    assert len(assigned) == 1  # the loser wrote nothing


async def test_only_working_members_of_the_team_can_take_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    ticket = (await make_ticket(client))["id"]
    await _route(app, ticket, "billing_team")
    outsider, _ = await make_staff(app, "agent", ("technical_support",))
    viewer, _ = await make_staff(app, "viewer", ("billing_team",))
    for who in (outsider, viewer, 999_999):
        refused = await _assign(client, ticket, who, None)
        assert refused.status_code == 409 and "assignee_id" in refused.json()["errors"], who
    assert (await client.get(f"/api/tickets/{ticket}")).json()["assignee_id"] is None


async def test_a_team_change_lets_go_and_auto_assignment_picks_the_least_loaded(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    busy, _ = await make_staff(app, "agent", ("technical_support",))
    free, _ = await make_staff(app, "agent", ("technical_support",))
    away, _ = await make_staff(app, "agent", ("technical_support",))
    await client.put("/api/assignment/teams/technical_support", json={"auto_assign": True})
    async with app.state.db.engine.begin() as connection:
        await connection.execute(text(f"UPDATE users SET status = 'away' WHERE id = {away}"))
    first = (await make_ticket(client))["id"]
    await _route(app, first, "billing_team")
    billing_agent, _ = await make_staff(app, "agent", ("billing_team",))
    await _assign(client, first, billing_agent, None)
    # Routed elsewhere: the billing agent lets go, and the new team's turn begins.
    await _route(app, first, "technical_support")
    chosen = (await client.get(f"/api/tickets/{first}")).json()["assignee_id"]
    assert chosen in (busy, free)
    second = (await make_ticket(client, title="Second"))["id"]
    await _route(app, second, "technical_support")
    other = (await client.get(f"/api/tickets/{second}")).json()["assignee_id"]
    assert {chosen, other} == {busy, free}  # the less loaded one, never the away one
    history = (await client.get(f"/api/tickets/{first}/history")).json()
    moves = [
        (e["actor_kind"], e["changes"]["assignee_id"], e["detail"])
        for e in history
        if e["action"] == "ticket.assigned"
    ]
    assert moves == [
        ("user", [None, billing_agent], "by hand"),
        ("system", [billing_agent, None], "moved to technical_support"),
        ("system", [None, chosen], "auto-assigned in technical_support"),
    ]


async def test_the_history_names_who_did_what(client: httpx.AsyncClient) -> None:
    ticket = await make_ticket(client, category=None, priority=None)
    await client.patch(f"/api/tickets/{ticket['id']}", json={"status": "in_progress"})
    history = (await client.get(f"/api/tickets/{ticket['id']}/history")).json()
    actions = [(e["action"], e["actor_kind"]) for e in history]
    assert actions == [
        ("ticket.created", "user"),
        ("ticket.triaged", "ai"),
        ("ticket.updated", "user"),
    ]
    assert history[1]["detail"].startswith("confidence ")
    assert history[2]["changes"] == {"status": ["open", "in_progress"]}
    assert history[2]["actor_name"].startswith("Admin")


async def test_saved_views_count_what_their_lists_hold(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    me, token = await make_staff(app, "agent", ("billing_team",))
    mine, unassigned, done = [(await make_ticket(client, title=t))["id"] for t in "ABC"]
    for ticket in (mine, unassigned, done):
        await _route(app, ticket, "billing_team")
    await _assign(client, mine, me, None)
    await client.patch(f"/api/tickets/{done}", json={"status": "resolved"})
    async with app.state.db.engine.begin() as connection:
        await connection.execute(
            text("UPDATE tickets SET sla_breached = TRUE, needs_review = TRUE WHERE id = :id"),
            {"id": mine},
        )
    views = (await anonymous.get("/api/tickets/views", headers=bearer(token))).json()
    assert views == {
        "all": 3,
        "mine": 1,
        "unassigned": 1,
        "needs_review": 1,
        "sla_at_risk": 0,
        "sla_breached": 1,
    }
    lists = {
        "mine": {"assignee": "me", "status": "open,in_progress"},
        "unassigned": {"assignee": "none", "status": "open,in_progress"},
        "needs_review": {"needs_review": "true", "status": "open,in_progress"},
        "sla_breached": {"sla": "breached"},
    }
    for view, params in lists.items():
        listed = await anonymous.get("/api/tickets", params=params, headers=bearer(token))
        assert listed.json()["count"] == views[view], view
    load = (await client.get("/api/tickets/workload")).json()
    assert (load["backlog"], load["unassigned"], load["breached"]) == (2, 1, 1)
    assert next(a for a in load["agents"] if a["user_id"] == me)["open"] == 1
