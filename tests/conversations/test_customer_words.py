"""When the customer writes more, triage, extraction and duplicate detection read the ticket
again, with everything the customer said; labels an agent chose stay."""

import httpx
from fastapi import FastAPI

from supportdesk.conversations import service as conversations
from supportdesk.conversations.tasks import retriage
from supportdesk.jobs.registry import JobContext
from supportdesk.taxonomy import Category, Priority
from supportdesk.tickets import service as tickets
from supportdesk.triage.base import Suggestion
from supportdesk.workflow.tasks import process_ticket
from tests.conversations.helpers import customer_writes, file_ticket
from tests.factories import queued_jobs

OUTAGE = "Now nobody in our company can log in at all, the whole app is down since 9am."


def _context(app: FastAPI) -> JobContext:
    return JobContext(app.state.settings, app.state.db, app.state.triage)


async def _ticket(app: FastAPI, ticket_id: int) -> tickets.Ticket:
    async with app.state.db.transaction() as session:
        return await tickets.get_ticket(session, ticket_id)


async def test_a_customer_message_queues_triage_and_duplicate_detection_again(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    ticket, secret = await file_ticket(anonymous)
    assert (await customer_writes(anonymous, secret, OUTAGE)).status_code == 201

    queued = {(name, args["ticket_id"]) for _, name, args in await queued_jobs(app)}
    assert ("conversations.retriage", ticket) in queued
    assert ("duplicates.index_ticket", ticket) in queued


async def test_the_customers_words_lead_with_their_newest_message(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    ticket_id, secret = await file_ticket(anonymous, description="First words.")
    await customer_writes(anonymous, secret, "Second words.")
    await customer_writes(anonymous, secret, "Third words.")
    async with app.state.db.transaction() as session:
        ticket = await tickets.get_ticket(session, ticket_id)
        words = await conversations.customer_words(session, ticket)
    assert words == "Third words.\n\nFirst words.\n\nSecond words."


async def test_retriage_follows_the_classifier_on_everything_the_customer_said(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    ticket_id, secret = await file_ticket(anonymous)  # labelled by the AI
    await customer_writes(anonymous, secret, OUTAGE)
    await retriage(_context(app), ticket_id=ticket_id)

    ticket = await _ticket(app, ticket_id)
    async with app.state.db.transaction() as session:
        words = await conversations.customer_words(session, ticket)
    expected = await app.state.triage.classifier.classify(ticket.title, words)
    assert (ticket.category, ticket.priority) == (expected.category, expected.priority)
    assert (ticket.ai_category, ticket.ai_priority) == (expected.category, expected.priority)


async def test_retriage_changes_only_the_labels_the_ai_chose(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket_id, _ = await file_ticket(anonymous)
    before = await _ticket(app, ticket_id)
    # An agent chooses the priority; the category stays the AI's.
    chosen = "low" if before.priority != "low" else "high"
    await client.patch(f"/api/tickets/{ticket_id}", json={"priority": chosen})
    new_category = next(c for c in Category if c.value != before.category)
    suggestion = Suggestion(new_category, Priority.CRITICAL, 0.81, 0.9, "outage", "local")

    async with app.state.db.transaction() as session:
        assert await tickets.retriage(session, ticket_id, suggestion)

    after = await _ticket(app, ticket_id)
    assert (after.category, after.category_source) == (new_category, "ai")
    assert (after.priority, after.priority_source) == (chosen, "user")
    assert after.ai_priority == before.ai_priority  # what the agent corrected stays as it was
    history = (await client.get(f"/api/tickets/{ticket_id}/history")).json()
    triaged = [e for e in history if e["action"] == "ticket.triaged"][-1]
    assert triaged["actor_kind"] == "ai"
    assert triaged["changes"] == {"category": [before.category, new_category.value]}
    assert "after the customer's message" in triaged["detail"]


async def test_labels_an_agent_chose_are_never_retriaged(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket_id, secret = await file_ticket(anonymous)
    await client.patch(f"/api/tickets/{ticket_id}", json={"category": "account", "priority": "low"})
    await customer_writes(anonymous, secret, OUTAGE)
    await retriage(_context(app), ticket_id=ticket_id)

    after = await _ticket(app, ticket_id)
    assert (after.category, after.priority) == ("account", "low")


async def test_facts_are_extracted_from_the_customers_later_messages_too(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket_id, secret = await file_ticket(anonymous)
    await customer_writes(anonymous, secret, "The invoice is INV-2024-0042.")
    await process_ticket(_context(app), ticket_id=ticket_id)

    workflow = (await client.get(f"/api/tickets/{ticket_id}/workflow")).json()
    values = [fact["value"] for fact in workflow["facts"]["fields"]]
    assert "INV-2024-0042" in values
