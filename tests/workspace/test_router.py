"""The ticket page in one request: each part exactly as its own endpoint answers it."""

import httpx
from fastapi import FastAPI

from supportdesk.jobs.registry import JobContext
from supportdesk.workflow.tasks import process_ticket
from tests.conversations.helpers import customer_writes, file_ticket


async def test_the_page_holds_each_part_as_its_own_endpoint_answers_it(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, secret = await file_ticket(anonymous)
    await process_ticket(JobContext(app.state.settings, app.state.db, app.state.triage), ticket)
    t = f"/api/tickets/{ticket}"
    await client.post(f"{t}/messages", json={"kind": "reply", "body": "Which card?"})
    await client.post(f"{t}/messages", json={"kind": "note", "body": "Check the ledger"})
    await customer_writes(anonymous, secret, "The <b>Visa</b> one.")

    response = await client.get(f"{t}/page")
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["ticket"] == (await client.get(t)).json()
    assert page["thread"] == (await client.get(f"{t}/messages")).json()
    assert page["history"] == (await client.get(f"{t}/history")).json()
    assert page["workflow"] == (await client.get(f"{t}/workflow")).json()
    assert [m["kind"] for m in page["thread"]["messages"]] == [
        "customer",
        "reply",
        "note",
        "customer",
    ]
    assert page["thread"]["messages"][-1]["body"] == "The <b>Visa</b> one."  # as written
    assert page["workflow"]["routing"] is not None


async def test_an_unknown_ticket_page_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/tickets/999999/page")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
