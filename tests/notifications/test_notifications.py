"""Agents told by email, each as they chose: a ticket someone else gave them, a customer's
answer on one they hold; once each, at a real SMTP server on 127.0.0.1."""

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from supportdesk.mail.models import OutboundEmail
from supportdesk.mail.tasks import send
from supportdesk.notifications.tasks import assigned, customer_replied
from tests.conversations.helpers import customer_writes, file_ticket
from tests.factories import bearer, make_staff, queued_jobs
from tests.mail.conftest import Inbox, sending_through


async def _outbox(app: FastAPI) -> list[OutboundEmail]:
    async with app.state.db.sessions() as session:
        return list(await session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)))


async def test_an_agent_given_a_ticket_and_then_the_customer_s_answer_is_told_once_each(
    app: FastAPI,
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    smtp: tuple[Inbox, int],
) -> None:
    server, port = smtp
    kim, _ = await make_staff(app, "agent", email="kim@example.com")
    ticket, secret = await file_ticket(anonymous)
    given = await client.put(
        f"/api/tickets/{ticket}/assignee", json={"assignee_id": kim, "previous_assignee_id": None}
    )
    assert given.status_code == 200, given.text
    assert [args for _, _, args in await queued_jobs(app, "notifications.assigned")] == [
        {"ticket_id": ticket}
    ]
    await customer_writes(anonymous, secret, "It <b>still</b> fails.")
    with sending_through(app, port) as context:
        for _ in range(2):  # a job run twice tells once
            await assigned(context, ticket_id=ticket)
            await customer_replied(context, ticket_id=ticket)
        for email in await _outbox(app):
            await send(context, email_id=email.id)
    told, replied = server.received
    assert told["To"] == "kim@example.com"
    assert told["Subject"] == f"[#{ticket}] Assigned to you: Charged twice"
    assert told["Auto-Submitted"] == "auto-replied"
    assert f"/tickets/{ticket}" in told.get_body(preferencelist=("plain",)).get_content()
    assert replied["Subject"] == f"[#{ticket}] Ann Lee replied: Charged twice"
    html = replied.get_body(preferencelist=("html",)).get_content()
    assert "&lt;b&gt;still&lt;/b&gt;" in html and "<b>still" not in html


async def test_no_email_when_the_agent_turned_it_off_or_took_the_ticket_themselves(
    app: FastAPI,
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    smtp: tuple[Inbox, int],
) -> None:
    _, port = smtp
    kim, token = await make_staff(app, "agent", email="kim@example.com")
    as_kim = bearer(token)
    off = {"notify_assigned": False, "notify_customer_replied": False}
    me = await anonymous.patch("/api/auth/me", json=off, headers=as_kim)
    assert me.status_code == 200, me.text
    assert {key: me.json()["user"][key] for key in off} == off
    ticket, secret = await file_ticket(anonymous)
    took = await anonymous.put(
        f"/api/tickets/{ticket}/assignee",
        json={"assignee_id": kim, "previous_assignee_id": None},
        headers=as_kim,
    )
    assert took.status_code == 200, took.text
    assert await queued_jobs(app, "notifications.assigned") == []  # they took it themselves
    await customer_writes(anonymous, secret, "Any news?")
    with sending_through(app, port) as context:
        await assigned(context, ticket_id=ticket)
        await customer_replied(context, ticket_id=ticket)
    assert await _outbox(app) == []
    refused = await anonymous.patch("/api/auth/me", json={"notify_assigned": "yes"}, headers=as_kim)
    assert refused.status_code == 422 and "notify_assigned" in refused.json()["errors"]
