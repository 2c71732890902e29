"""Steps the conversation tests share: file a ticket as a customer, speak as one, change
a row behind the API's back (to move time)."""

from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from supportdesk.conversations.models import CustomerLink
from supportdesk.tickets.models import Ticket
from supportdesk.types import utcnow

FORM = {
    "name": "Ann Lee",
    "email": "Ann.Lee@Example.com",
    "title": "Charged twice",
    "description": "I was charged twice for my subscription this month.",
}
TOKEN_HEADER = "X-Customer-Token"


async def file_ticket(anonymous: httpx.AsyncClient, **fields: Any) -> tuple[int, str]:
    """A ticket from the public form: (its id, the secret of the customer's link)."""
    response = await anonymous.post("/api/public/tickets", json={**FORM, **fields})
    assert response.status_code == 201, response.text
    answer = response.json()
    return answer["ticket_id"], answer["url"].split("#", 1)[1]


def as_customer(secret: str) -> dict[str, str]:
    return {TOKEN_HEADER: secret}


async def customer_view(anonymous: httpx.AsyncClient, secret: str) -> httpx.Response:
    return await anonymous.get("/api/customer/ticket", headers=as_customer(secret))


async def customer_writes(anonymous: httpx.AsyncClient, secret: str, body: str) -> httpx.Response:
    return await anonymous.post(
        "/api/customer/messages", json={"body": body}, headers=as_customer(secret)
    )


async def resolved_days_ago(app: FastAPI, ticket_id: int, days: float) -> None:
    async with app.state.db.transaction() as session:
        await session.execute(
            update(Ticket)
            .where(Ticket.id == ticket_id)
            .values(resolved_at=utcnow() - timedelta(days=days))
        )


async def link_last_used_days_ago(app: FastAPI, ticket_id: int, days: float) -> None:
    async with app.state.db.transaction() as session:
        await session.execute(
            update(CustomerLink)
            .where(CustomerLink.ticket_id == ticket_id)
            .values(last_used_at=utcnow() - timedelta(days=days))
        )
