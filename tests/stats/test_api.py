import httpx
from fastapi import FastAPI
from sqlalchemy import text

from supportdesk.taxonomy import Category
from tests.factories import bearer, make_staff, make_ticket

CATEGORIES = [c.value for c in Category]


async def test_every_key_is_present_at_zero(client: httpx.AsyncClient) -> None:
    stats = (await client.get("/api/tickets/stats/")).json()
    assert stats["total_tickets"] == stats["open_tickets"] == 0
    assert stats["avg_tickets_per_day"] == 0
    assert stats["priority_breakdown"] == {"low": 0, "medium": 0, "high": 0, "critical": 0}
    assert stats["category_breakdown"] == {"billing": 0, "technical": 0, "account": 0, "general": 0}
    assert stats["status_breakdown"] == {"open": 0, "in_progress": 0, "resolved": 0, "closed": 0}
    assert len(stats["tickets_per_day"]) == 30
    assert all(day["count"] == 0 for day in stats["tickets_per_day"])


async def test_counts_follow_creates_and_updates(client: httpx.AsyncClient) -> None:
    for category, priority in [
        ("technical", "high"),
        ("technical", "critical"),
        ("account", "low"),
        ("general", "high"),
        ("general", "medium"),
    ]:
        await make_ticket(client, category=category, priority=priority)
    tickets = (await client.get("/api/tickets/")).json()["results"]
    await client.patch(f"/api/tickets/{tickets[0]['id']}", json={"status": "closed"})
    await client.patch(
        f"/api/tickets/{tickets[1]['id']}", json={"status": "in_progress", "priority": "low"}
    )

    stats = (await client.get("/api/tickets/stats")).json()
    assert stats["total_tickets"] == 5
    assert stats["open_tickets"] == 3
    assert stats["avg_tickets_per_day"] == 5.0
    assert stats["priority_breakdown"] == {"low": 2, "medium": 1, "high": 1, "critical": 1}
    assert stats["category_breakdown"] == {"billing": 0, "technical": 2, "account": 1, "general": 2}
    assert stats["status_breakdown"] == {"open": 3, "in_progress": 1, "resolved": 0, "closed": 1}
    assert stats["tickets_per_day"][-1]["count"] == 5


async def test_ai_acceptance_per_category(client: httpx.AsyncClient) -> None:
    kept = await make_ticket(
        client, category=None, priority=None, description="I was charged twice, refund please"
    )
    changed = await make_ticket(
        client, category=None, priority=None, description="refund my invoice"
    )
    await make_ticket(client)  # labels chosen by the submitter: no suggestion to accept
    await client.patch(f"/api/tickets/{changed['id']}", json={"category": "general"})

    acceptance = (await client.get("/api/tickets/stats/")).json()["ai_acceptance"]
    assert kept["ai_category"] == changed["ai_category"] == "billing"
    assert acceptance["category"]["billing"] == {"suggested": 2, "accepted": 1, "rate": 0.5}
    assert acceptance["category"]["technical"] == {"suggested": 0, "accepted": 0, "rate": None}
    assert acceptance["priority"]["suggested"] == 2


async def test_an_agent_counts_only_the_tickets_they_may_see(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    billing = (await make_ticket(client, category="billing", priority="high"))["id"]
    tech = (await make_ticket(client, category="technical", priority="critical"))["id"]
    await make_ticket(client, category="account", priority="low")  # not routed yet
    async with app.state.db.engine.begin() as connection:
        for ticket, team in ((billing, "billing_team"), (tech, "technical_support")):
            await connection.execute(
                text("UPDATE tickets SET team = :team WHERE id = :id"), {"team": team, "id": ticket}
            )
    biller_id, biller = await make_staff(app, "agent", ("billing_team",))
    techie_id, _ = await make_staff(app, "agent", ("technical_support",))
    await client.put(
        f"/api/tickets/{tech}/assignee",
        json={"assignee_id": techie_id, "previous_assignee_id": None},
    )

    everyone = (await client.get("/api/tickets/stats/")).json()
    mine = (await anonymous.get("/api/tickets/stats/", headers=bearer(biller))).json()
    assert everyone["total_tickets"] == 3 and mine["total_tickets"] == 2
    assert mine["priority_breakdown"]["critical"] == 0
    assert mine["category_breakdown"] == {
        **dict.fromkeys(CATEGORIES, 0),
        "billing": 1,
        "account": 1,
    }
    assert sum(day["count"] for day in mine["tickets_per_day"]) == 2

    workload = (await anonymous.get("/api/tickets/workload", headers=bearer(biller))).json()
    assert workload["backlog"] == 2 and workload["unassigned"] == 2
    people = {agent["user_id"] for agent in workload["agents"]}
    assert biller_id in people and techie_id not in people
