"""Small factories: each test builds exactly the state it needs."""

from typing import Any

import httpx


async def make_ticket(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {
        "title": "Charged twice",
        "description": "I was charged twice for my subscription this month.",
        "category": "billing",
        "priority": "medium",
        **fields,
    }
    response = await client.post("/api/tickets/", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result
