"""The workflow's tasks, called directly with a JobContext from the test app (SQLite and
PostgreSQL): idempotent, an agent's edit survives, deleted tickets are skipped."""

from datetime import datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select, text, update

from supportdesk.jobs.registry import PERIODIC, TASKS, JobContext
from supportdesk.taxonomy import Priority, Tone
from supportdesk.tickets.models import Ticket
from supportdesk.types import utcnow
from supportdesk.workflow import service
from supportdesk.workflow.drafts.template import Draft, DraftSource
from supportdesk.workflow.models import TicketDraft, TicketFacts, TicketRouting
from supportdesk.workflow.routing.route import RoutingDecision
from supportdesk.workflow.tasks import process_ticket
from tests.factories import make_ticket

BILLING = {
    "title": "Double charged",
    "description": "I was charged $29.99 twice for order ORD-111 on 2026-11-02.",
    "category": "billing",
    "priority": "medium",
}


def context(app: FastAPI) -> JobContext:
    return JobContext(app.state.settings, app.state.db, app.state.triage)


async def rows(app: FastAPI, ticket_id: int) -> dict[str, Any]:
    """Every stored workflow value of a ticket, timestamps included."""
    found: dict[str, Any] = {}
    async with app.state.db.transaction() as session:
        ticket = await session.get(Ticket, ticket_id)
        found["ticket"] = (ticket.team, ticket.due_at, ticket.sla_breached, ticket.updated_at)
        for model in (TicketFacts, TicketRouting, TicketDraft):
            row = await session.get(model, ticket_id)
            found[model.__tablename__] = (
                {c.key: getattr(row, c.key) for c in model.__table__.columns} if row else None
            )
    return found


def test_tasks_are_registered_with_a_per_ticket_lock() -> None:
    spec = TASKS["workflow.process_ticket"]
    assert spec.function is process_ticket
    assert spec.lock is not None and spec.lock({"ticket_id": 7}) == "ticket:7"
    assert PERIODIC["sla.sweep"].every_seconds == 60


async def test_process_stores_facts_routing_and_draft(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    ticket = await make_ticket(client, **BILLING)
    await process_ticket(context(app), ticket_id=ticket["id"])
    stored = await rows(app, ticket["id"])
    team, due_at, breached, updated_at = stored["ticket"]
    assert team == "billing_team"
    created = datetime.fromisoformat(ticket["created_at"])
    assert due_at == created + timedelta(hours=24)
    assert not breached
    assert updated_at == datetime.fromisoformat(ticket["updated_at"])  # not a person's edit
    facts = {(f["name"], f["value"]) for f in stored["ticket_facts"]["fields"]}
    assert {("order_id", "ORD-111"), ("amount", "29.99 USD"), ("date", "2026-11-02")} <= facts
    assert stored["ticket_routing"]["team"] == "billing_team"
    draft = stored["ticket_drafts"]
    assert "ORD-111" in draft["content"]
    assert (draft["tone"], draft["source"], draft["edited"]) == ("friendly", "template", False)


async def test_running_twice_leaves_the_same_rows(client: httpx.AsyncClient, app: FastAPI) -> None:
    ticket = await make_ticket(client, **BILLING)
    await process_ticket(context(app), ticket_id=ticket["id"])
    first = await rows(app, ticket["id"])
    await process_ticket(context(app), ticket_id=ticket["id"])
    assert await rows(app, ticket["id"]) == first


async def test_a_label_change_is_picked_up(client: httpx.AsyncClient, app: FastAPI) -> None:
    ticket = await make_ticket(client, **BILLING)
    await process_ticket(context(app), ticket_id=ticket["id"])
    await client.patch(f"/api/tickets/{ticket['id']}", json={"priority": "critical"})
    await process_ticket(context(app), ticket_id=ticket["id"])
    stored = await rows(app, ticket["id"])
    team, due_at, _, _ = stored["ticket"]
    assert team == "escalation_team"
    assert due_at == datetime.fromisoformat(ticket["created_at"]) + timedelta(hours=1)
    assert stored["ticket_routing"]["alternatives"][0] == "billing_team"
    assert "escalation team" in stored["ticket_drafts"]["content"]


async def test_an_edited_draft_is_kept(client: httpx.AsyncClient, app: FastAPI) -> None:
    ticket = await make_ticket(client, **BILLING)
    await process_ticket(context(app), ticket_id=ticket["id"])
    edit = {"content": "Dear Sam, we are on it.", "tone": "formal"}
    assert (await client.put(f"/api/tickets/{ticket['id']}/draft", json=edit)).status_code == 200
    await client.patch(f"/api/tickets/{ticket['id']}", json={"priority": "high"})
    await process_ticket(context(app), ticket_id=ticket["id"])
    stored = await rows(app, ticket["id"])
    draft = stored["ticket_drafts"]
    assert (draft["content"], draft["tone"], draft["edited"]) == (edit["content"], "formal", True)
    assert stored["ticket"][0] == "billing_team"  # routing still follows the ticket


async def test_an_llm_draft_is_kept_like_an_edit(client: httpx.AsyncClient, app: FastAPI) -> None:
    """An agent asked for it (and the LLM call cost money): a label change that re-runs
    the workflow keeps it; asking for a new draft replaces it."""
    ticket = await make_ticket(client, **BILLING)
    generated = Draft("Dear Sam, the LLM wrote this.", Tone.FORMAL, [], DraftSource.LLM)
    async with app.state.db.transaction() as session:
        await service._save_draft(session, ticket["id"], generated, utcnow(), replace_edited=True)
    await client.patch(f"/api/tickets/{ticket['id']}", json={"priority": "critical"})
    await process_ticket(context(app), ticket_id=ticket["id"])
    draft = (await rows(app, ticket["id"]))["ticket_drafts"]
    assert (draft["content"], draft["source"]) == (generated.content, "llm")

    asked = await client.post(f"/api/tickets/{ticket['id']}/draft/regenerate", json={})
    assert asked.status_code == 200, asked.text
    assert (await rows(app, ticket["id"]))["ticket_drafts"]["source"] == "template"


async def test_an_edit_landing_during_a_run_is_not_overwritten(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """The run read "not edited"; the agent's edit committed before the run wrote: the
    write's own condition keeps the edit."""
    ticket = await make_ticket(client, **BILLING)
    edit = {"content": "Agent text", "tone": "empathetic"}
    await client.put(f"/api/tickets/{ticket['id']}/draft", json=edit)
    stale = Draft("template text", Tone.FRIENDLY, [], DraftSource.TEMPLATE)
    async with app.state.db.transaction() as session:
        await service._save_draft(session, ticket["id"], stale, utcnow(), replace_edited=False)
    draft = (await rows(app, ticket["id"]))["ticket_drafts"]
    assert (draft["content"], draft["edited"]) == ("Agent text", True)


async def test_a_draft_replaces_only_the_edit_it_was_asked_to(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """A generated draft may replace the edit the agent had when asking; an edit saved
    after that, even between the run's read and its write, is kept."""
    ticket = await make_ticket(client, **BILLING)
    first = await client.put(
        f"/api/tickets/{ticket['id']}/draft", json={"content": "Edit one", "tone": "formal"}
    )
    asked_over = datetime.fromisoformat(first.json()["updated_at"])
    await client.put(
        f"/api/tickets/{ticket['id']}/draft", json={"content": "Edit two", "tone": "formal"}
    )
    new = Draft("generated text", Tone.FRIENDLY, [], DraftSource.LLM)
    async with app.state.db.transaction() as session:
        await service._save_draft(session, ticket["id"], new, utcnow(), replace_edited=asked_over)
    assert (await rows(app, ticket["id"]))["ticket_drafts"]["content"] == "Edit two"

    current = (await client.get(f"/api/tickets/{ticket['id']}/workflow")).json()["draft"]
    async with app.state.db.transaction() as session:
        latest = datetime.fromisoformat(current["updated_at"])
        await service._save_draft(session, ticket["id"], new, utcnow(), replace_edited=latest)
    assert (await rows(app, ticket["id"]))["ticket_drafts"]["content"] == "generated text"


async def test_a_ticket_resolved_during_a_run_keeps_its_sla_record(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """The run read the ticket open and overdue; an agent resolved it (in time) before the
    run wrote: the row's own status decides, so it is not marked breached."""
    ticket = await make_ticket(client, **BILLING)
    now = utcnow() + timedelta(minutes=10)  # the run's clock: past the due time below
    async with app.state.db.transaction() as session:
        stale = await session.get(Ticket, ticket["id"])
        assert stale is not None and stale.status == "open"
        await client.patch(f"/api/tickets/{ticket['id']}", json={"status": "resolved"})
        decision = RoutingDecision(
            team="billing_team",
            priority=Priority.MEDIUM,
            reasoning="",
            alternatives=(),
            sla_hours=1,
            due_at=now - timedelta(minutes=5),
            rule=None,
            escalated=False,
        )
        await service._save_ticket_fields(session, stale, decision, now)
    stored = (await client.get(f"/api/tickets/{ticket['id']}")).json()
    assert (stored["status"], stored["sla_breached"]) == ("resolved", False)


async def test_a_missing_ticket_is_skipped_quietly(app: FastAPI, client: httpx.AsyncClient) -> None:
    await process_ticket(context(app), ticket_id=987654)
    async with app.state.db.transaction() as session:
        assert (await session.scalars(select(TicketFacts))).all() == []


async def test_deleting_a_ticket_deletes_its_workflow_rows(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    ticket = await make_ticket(client, **BILLING)
    await process_ticket(context(app), ticket_id=ticket["id"])
    async with app.state.db.transaction() as session:
        await session.execute(text("DELETE FROM tickets WHERE id = :id"), {"id": ticket["id"]})
    async with app.state.db.transaction() as session:
        for model in (TicketFacts, TicketRouting, TicketDraft):
            assert (await session.scalars(select(model))).all() == []


async def test_processing_recomputes_a_breach_after_a_label_change(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    ticket = await make_ticket(client, **BILLING)
    async with app.state.db.transaction() as session:
        await session.execute(
            update(Ticket)
            .where(Ticket.id == ticket["id"])
            .values(created_at=utcnow() - timedelta(hours=2))
        )
    await process_ticket(context(app), ticket_id=ticket["id"])
    assert (await client.get(f"/api/tickets/{ticket['id']}")).json()["sla_breached"] is False
    await client.patch(f"/api/tickets/{ticket['id']}", json={"priority": "critical"})
    await process_ticket(context(app), ticket_id=ticket["id"])
    assert (await client.get(f"/api/tickets/{ticket['id']}")).json()["sla_breached"] is True


async def test_a_ticket_resolved_after_its_due_time_is_breached(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """Even when no sweep saw it open past its due time (resolved within the minute, or
    imported already resolved), as the demo data is."""
    late, in_time = [await make_ticket(client, **BILLING) for _ in range(2)]
    for ticket in (late, in_time):
        await process_ticket(context(app), ticket_id=ticket["id"])
    due_at = datetime.fromisoformat(
        (await client.get(f"/api/tickets/{late['id']}")).json()["due_at"]
    )
    async with app.state.db.transaction() as session:
        for ticket, resolved_at in ((late, due_at + timedelta(hours=1)), (in_time, due_at)):
            await session.execute(
                update(Ticket)
                .where(Ticket.id == ticket["id"])
                .values(status="resolved", resolved_at=resolved_at)
            )
    for ticket in (late, in_time):
        await process_ticket(context(app), ticket_id=ticket["id"])
    breached = [
        (await client.get(f"/api/tickets/{t['id']}")).json()["sla_breached"]
        for t in (late, in_time)
    ]
    assert breached == [True, False]
