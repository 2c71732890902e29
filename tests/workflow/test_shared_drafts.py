"""Shared drafts: an agent marks the reply draft ready for a teammate's review; the list
of drafts for review shows it to whoever may see the ticket, until it is withdrawn or a
public reply goes out."""

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from supportdesk.jobs.registry import JobContext
from supportdesk.workflow.tasks import end_review_after_reply, process_ticket
from tests.factories import bearer, make_staff, make_ticket


async def _drafted(app: FastAPI, client: httpx.AsyncClient, team: str | None = None) -> int:
    ticket = (await make_ticket(client))["id"]
    await process_ticket(JobContext(app.state.settings, app.state.db, app.state.triage), ticket)
    if team is not None:
        async with app.state.db.engine.begin() as connection:
            await connection.execute(
                text("UPDATE tickets SET team = :team WHERE id = :id"), {"team": team, "id": ticket}
            )
    return ticket


async def test_an_agent_marks_a_draft_for_review_and_withdraws_it(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket = await _drafted(app, client, "billing_team")
    agent_id, token = await make_staff(app, "agent", ("billing_team",))
    marked = await anonymous.put(
        f"/api/tickets/{ticket}/draft/review", json={"ready": True}, headers=bearer(token)
    )
    assert marked.status_code == 200, marked.text
    assert marked.json()["review_requested_by"] == agent_id
    assert marked.json()["review_requested_at"] is not None
    workflow = (await client.get(f"/api/tickets/{ticket}/workflow")).json()
    assert workflow["draft"]["review_requested_by"] == agent_id
    listed = (await client.get("/api/drafts/review")).json()
    assert [(d["ticket_id"], d["requested_by"]) for d in listed] == [(ticket, agent_id)]

    withdrawn = await client.put(f"/api/tickets/{ticket}/draft/review", json={"ready": False})
    assert withdrawn.json()["review_requested_at"] is None
    assert (await client.get("/api/drafts/review")).json() == []
    history = (await client.get(f"/api/tickets/{ticket}/history")).json()
    actions = [e["action"] for e in history if e["action"].startswith("draft.")]
    assert actions == ["draft.review_requested", "draft.review_withdrawn"]


async def test_a_public_reply_ends_the_review_and_a_note_does_not(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    ticket = await _drafted(app, client)
    await client.put(f"/api/tickets/{ticket}/draft/review", json={"ready": True})
    context = JobContext(app.state.settings, app.state.db, app.state.triage)
    await client.post(f"/api/tickets/{ticket}/messages", json={"kind": "note", "body": "Hm"})
    await end_review_after_reply(context, ticket)
    assert len((await client.get("/api/drafts/review")).json()) == 1
    await client.post(f"/api/tickets/{ticket}/messages", json={"kind": "reply", "body": "Done"})
    await end_review_after_reply(context, ticket)
    assert (await client.get("/api/drafts/review")).json() == []


async def test_drafts_for_review_are_listed_only_to_those_who_may_see_them(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    billing = await _drafted(app, client, "billing_team")
    tech = await _drafted(app, client, "technical_support")
    for ticket in (billing, tech):
        await client.put(f"/api/tickets/{ticket}/draft/review", json={"ready": True})
    _, biller = await make_staff(app, "agent", ("billing_team",))
    seen = (await anonymous.get("/api/drafts/review", headers=bearer(biller))).json()
    assert [d["ticket_id"] for d in seen] == [billing]
    theirs = await anonymous.put(
        f"/api/tickets/{tech}/draft/review", json={"ready": False}, headers=bearer(biller)
    )
    assert theirs.status_code == 404


async def test_no_draft_yet_is_409_and_viewers_cannot_mark(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket = (await make_ticket(client))["id"]  # its workflow has not run
    refused = await client.put(f"/api/tickets/{ticket}/draft/review", json={"ready": True})
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    drafted = await _drafted(app, client, "billing_team")
    _, viewer = await make_staff(app, "viewer", ("billing_team",))
    denied = await anonymous.put(
        f"/api/tickets/{drafted}/draft/review", json={"ready": True}, headers=bearer(viewer)
    )
    assert denied.status_code == 403
    bad = await client.put(f"/api/tickets/{drafted}/draft/review", json={"ready": "yes"})
    assert bad.status_code == 422 and "ready" in bad.json()["errors"]


async def test_a_rewritten_draft_needs_asking_for_review_again(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    ticket = await _drafted(app, client)
    await client.put(f"/api/tickets/{ticket}/draft/review", json={"ready": True})
    rewritten = await client.post(
        f"/api/tickets/{ticket}/draft/regenerate", json={"tone": "formal"}
    )
    assert rewritten.status_code == 200, rewritten.text
    assert rewritten.json()["review_requested_at"] is None
    assert (await client.get("/api/drafts/review")).json() == []
