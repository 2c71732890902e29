"""The ticket list filters by team and sorts by due time (the workflow's columns)."""

import httpx
from fastapi import FastAPI

from supportdesk.jobs.registry import JobContext
from supportdesk.workflow.tasks import process_ticket
from tests.factories import make_ticket


async def test_filter_by_team_and_order_by_due_at(client: httpx.AsyncClient, app: FastAPI) -> None:
    context = JobContext(app.state.settings, app.state.db, app.state.triage)
    low = await make_ticket(client, category="billing", priority="low")
    critical = await make_ticket(client, category="technical", priority="critical")
    high = await make_ticket(client, category="technical", priority="high")
    unrouted = await make_ticket(client, category="general", priority="low")
    for ticket in (low, critical, high):
        await process_ticket(context, ticket_id=ticket["id"])

    async def ids(**params: str) -> list[int]:
        response = await client.get("/api/tickets", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["count"] == len(page["results"])
        return [t["id"] for t in page["results"]]

    assert await ids(team="billing_team") == [low["id"]]
    assert sorted(await ids(team="escalation_team,technical_support")) == sorted(
        [critical["id"], high["id"]]
    )
    assert await ids(team="billing_team", priority="high") == []
    assert await ids(team="nobody") == []
    assert len(await ids(team="")) == 4
    # Soonest due first; tickets without a due time last either way.
    assert await ids(ordering="due_at") == [critical["id"], high["id"], low["id"], unrouted["id"]]
    assert await ids(ordering="-due_at") == [low["id"], high["id"], critical["id"], unrouted["id"]]
    # Once resolved, the soonest due ticket no longer leads "due soonest".
    await client.patch(f"/api/tickets/{critical['id']}", json={"status": "resolved"})
    assert await ids(ordering="due_at") == [high["id"], low["id"], unrouted["id"], critical["id"]]
    response = await client.get("/api/tickets", params={"ordering": "due"})
    assert "ordering" in response.json()["errors"]
