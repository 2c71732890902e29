"""The agents' side of the conversation: the thread, public replies and internal notes,
"waiting on customer", merged tickets, bad input, the audit trail and live events."""

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from supportdesk.events.broker import BROKER
from tests.conversations.helpers import FORM, customer_view, customer_writes, file_ticket
from tests.factories import bearer, make_staff, make_ticket


async def _post(
    client: httpx.AsyncClient, ticket: int, kind: str, body: str, **more: Any
) -> httpx.Response:
    return await client.post(
        f"/api/tickets/{ticket}/messages", json={"kind": kind, "body": body, **more}
    )


async def _thread(client: httpx.AsyncClient, ticket: int) -> dict[str, Any]:
    response = await client.get(f"/api/tickets/{ticket}/messages")
    assert response.status_code == 200, response.text
    thread: dict[str, Any] = response.json()
    return thread


async def _ticket(client: httpx.AsyncClient, ticket: int) -> dict[str, Any]:
    found: dict[str, Any] = (await client.get(f"/api/tickets/{ticket}")).json()
    return found


async def _audit(client: httpx.AsyncClient, ticket: int) -> list[dict[str, Any]]:
    page = (await client.get("/api/audit", params={"ticket_id": ticket})).json()
    return list(reversed(page["items"]))


async def test_the_description_is_message_0_then_messages_oldest_first(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, _ = await file_ticket(anonymous)
    agent_id, token = await make_staff(app, "agent", tuple(app.state.team_names))
    agent = bearer(token)
    reply = await anonymous.post(
        f"/api/tickets/{ticket}/messages",
        json={"kind": "reply", "body": "We are on it."},
        headers=agent,
    )
    assert reply.status_code == 201, reply.text
    assert reply.json()["author_user_id"] == agent_id
    assert (await _post(client, ticket, "note", "Checked the payment log.")).status_code == 201

    thread = await _thread(client, ticket)
    assert thread["contact"] == {
        "id": thread["contact"]["id"],
        "email": "ann.lee@example.com",  # stored lower-cased
        "name": "Ann Lee",
        "organisation": None,
    }
    messages = thread["messages"]
    assert [(m["id"] == 0, m["kind"], m["body"]) for m in messages] == [
        (True, "customer", FORM["description"]),
        (False, "reply", "We are on it."),
        (False, "note", "Checked the payment log."),
    ]
    assert messages[0]["author_name"] == "Ann Lee"
    assert messages[1]["author_name"] == "Agent 1"  # the name, not the email
    assert [m["created_at"] for m in messages] == sorted(m["created_at"] for m in messages)


async def test_a_ticket_of_the_agent_form_has_a_thread_too(client: httpx.AsyncClient) -> None:
    ticket = (await make_ticket(client))["id"]
    thread = await _thread(client, ticket)
    assert thread["contact"] is None
    assert [(m["id"], m["author_name"]) for m in thread["messages"]] == [(0, "Customer")]


async def test_a_reply_waits_on_the_customer_a_note_does_not_and_the_customer_ends_it(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, secret = await file_ticket(anonymous)
    assert (await _ticket(client, ticket))["waiting_since"] is None

    assert (await _post(client, ticket, "note", "Internal only")).status_code == 201
    assert (await _ticket(client, ticket))["waiting_since"] is None

    assert (await _post(client, ticket, "reply", "Which card was it?")).status_code == 201
    since = (await _ticket(client, ticket))["waiting_since"]
    assert since is not None
    assert (await _thread(client, ticket))["waiting_since"] == since
    # A second reply, or a note, keeps the time it started waiting.
    await _post(client, ticket, "reply", "Any news?")
    await _post(client, ticket, "note", "Chased them")
    assert (await _ticket(client, ticket))["waiting_since"] == since

    waiting = await client.get("/api/tickets", params={"waiting": "true"})
    not_waiting = await client.get("/api/tickets", params={"waiting": "false"})
    assert [t["id"] for t in waiting.json()["results"]] == [ticket]
    assert ticket not in [t["id"] for t in not_waiting.json()["results"]]

    assert (await customer_writes(anonymous, secret, "The Visa one.")).status_code == 201
    assert (await _ticket(client, ticket))["waiting_since"] is None
    waiting = await client.get("/api/tickets", params={"waiting": "true"})
    assert waiting.json()["count"] == 0


async def test_send_and_resolve(client: httpx.AsyncClient, anonymous: httpx.AsyncClient) -> None:
    ticket, _ = await file_ticket(anonymous)
    sent = await _post(client, ticket, "reply", "Refunded.", resolve=True)
    assert sent.status_code == 201, sent.text
    after = await _ticket(client, ticket)
    assert after["status"] == "resolved" and after["resolved_at"] is not None
    assert after["waiting_since"] is not None
    actions = [(e["action"], e["changes"]) for e in await _audit(client, ticket)]
    assert ("message.reply", {"waiting": [False, True], "status": ["open", "resolved"]}) in actions


async def test_each_message_is_audited_and_announced(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, secret = await file_ticket(anonymous)
    queue = BROKER.subscribe()

    async def next_update() -> dict[str, object]:
        while True:  # on PostgreSQL the ticket's creation may still be on its way
            event = await asyncio.wait_for(queue.get(), 5)
            if event["type"] != "ticket.created":
                return event

    try:
        await _post(client, ticket, "reply", "Hello")
        assert await next_update() == {"type": "ticket.updated", "id": ticket}
        await _post(client, ticket, "note", "Psst")
        assert await next_update() == {"type": "ticket.updated", "id": ticket}
        await customer_writes(anonymous, secret, "Hi back")
        assert await next_update() == {"type": "ticket.updated", "id": ticket}
    finally:
        BROKER.unsubscribe(queue)
    events = [e for e in await _audit(client, ticket) if e["action"].startswith("message.")]
    assert [(e["action"], e["actor_kind"]) for e in events] == [
        ("message.reply", "user"),
        ("message.note", "user"),
        ("message.customer", "customer"),
    ]
    assert events[0]["actor_user_id"] is not None


async def test_a_merged_ticket_takes_no_message_and_names_where_it_went(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    original = (await make_ticket(client))["id"]
    ticket, _ = await file_ticket(anonymous)
    merged = await client.post(f"/api/tickets/{ticket}/merge", json={"into": original})
    assert merged.status_code == 200, merged.text
    before = await _ticket(client, ticket)
    audit_before = await _audit(client, ticket)

    for kind in ("reply", "note"):
        refused = await _post(client, ticket, kind, "Hello?", resolve=True)
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert f"merged into ticket {original}" in refused.json()["detail"]

    assert len((await _thread(client, ticket))["messages"]) == 1  # message 0 only
    assert await _ticket(client, ticket) == before  # not waiting, not resolved, not touched
    assert await _audit(client, ticket) == audit_before


async def test_a_merged_tickets_conversation_goes_on_in_the_one_it_went_into(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    into, into_secret = await file_ticket(anonymous, description="My card was charged twice.")
    ticket, _ = await file_ticket(anonymous, description="Charged twice again, see before.")
    await _post(client, ticket, "note", "Same customer as the other one")
    merged = await client.post(f"/api/tickets/{ticket}/merge", json={"into": into})
    assert merged.status_code == 200, merged.text
    await _post(client, into, "reply", "We refunded one of the charges.")

    messages = (await _thread(client, into))["messages"]
    assert [(m["ticket_id"], m["kind"], m["body"]) for m in messages] == [
        (into, "customer", "My card was charged twice."),
        (ticket, "customer", "Charged twice again, see before."),
        (ticket, "note", "Same customer as the other one"),
        (into, "reply", "We refunded one of the charges."),
    ]
    # The customer of the ticket merged into sees their own conversation only.
    seen = (await customer_view(anonymous, into_secret)).json()["messages"]
    assert [m["body"] for m in seen] == [
        "My card was charged twice.",
        "We refunded one of the charges.",
    ]


@pytest.mark.parametrize("kind", ["reply", "note"])
async def test_a_body_over_20000_characters_is_refused_naming_it(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kind: str
) -> None:
    ticket, _ = await file_ticket(anonymous)
    too_long = await _post(client, ticket, kind, "x" * 20_001)
    assert too_long.status_code == 422
    assert too_long.headers["content-type"] == "application/problem+json"
    assert too_long.json()["errors"] == {"body": ["at most 20000 characters"]}
    assert len((await _thread(client, ticket))["messages"]) == 1
    assert (await _post(client, ticket, kind, "x" * 20_000)).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "reply", "body": "   "}, "body"),
        ({"kind": "reply"}, "body"),
        ({"kind": "customer", "body": "Hi"}, "kind"),  # agents write replies and notes
        ({"kind": "reply", "body": "Hi", "resolve": "yes"}, "resolve"),
        ({"kind": "reply", "body": "Hi", "author_user_id": 1}, "author_user_id"),
    ],
)
async def test_bad_messages_name_the_field_and_write_nothing(
    client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    ticket = (await make_ticket(client))["id"]
    response = await client.post(f"/api/tickets/{ticket}/messages", json=body)
    assert response.status_code == 422, response.text
    assert field in response.json()["errors"]
    assert len((await _thread(client, ticket))["messages"]) == 1


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)> & <b>bold</b>'


async def test_script_and_html_are_kept_as_inert_text(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, secret = await file_ticket(anonymous, name=SCRIPT[:100], description=SCRIPT)
    await _post(client, ticket, "reply", SCRIPT)
    await _post(client, ticket, "note", SCRIPT)
    await customer_writes(anonymous, secret, SCRIPT)

    for response in (
        await client.get(f"/api/tickets/{ticket}/messages"),
        await customer_view(anonymous, secret),
    ):
        assert response.headers["content-type"] == "application/json"
        messages = response.json()["messages"]
        assert messages and all(m["body"] == SCRIPT for m in messages)  # verbatim, unescaped
        assert messages[0]["author_name"] == SCRIPT[:100]


async def test_another_teams_agent_cannot_reach_the_thread(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, _ = await file_ticket(anonymous)
    await client.patch(f"/api/tickets/{ticket}", json={"status": "in_progress"})
    async with app.state.db.engine.begin() as connection:
        await connection.execute(
            text("UPDATE tickets SET team = 'technical_support' WHERE id = :id"), {"id": ticket}
        )
    other = bearer((await make_staff(app, "agent", ("billing_team",)))[1])
    for method, path, body in (
        ("GET", f"/api/tickets/{ticket}/messages", None),
        ("POST", f"/api/tickets/{ticket}/messages", {"kind": "note", "body": "Hi"}),
        ("POST", f"/api/tickets/{ticket}/customer-links", None),
        ("DELETE", f"/api/tickets/{ticket}/customer-links", None),
    ):
        response = await anonymous.request(method, path, json=body, headers=other)
        assert response.status_code == 404, (path, response.text)
    assert len((await _thread(client, ticket))["messages"]) == 1


async def test_an_unknown_ticket_is_404(client: httpx.AsyncClient) -> None:
    for method, path, body in (
        ("GET", "/api/tickets/999999/messages", None),
        ("POST", "/api/tickets/999999/messages", {"kind": "note", "body": "Hi"}),
        ("POST", "/api/tickets/999999/customer-links", None),
        ("DELETE", "/api/tickets/999999/customer-links", None),
    ):
        response = await client.request(method, path, json=body)
        assert response.status_code == 404, (path, response.text)
