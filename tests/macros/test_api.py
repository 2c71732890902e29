"""Macros through the API on SQLite and PostgreSQL: admins write them (a template that
cannot render is refused, naming the field), agents see shared ones and their teams',
applying one renders its reply for the composer and does its actions, suggestions."""

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update

from supportdesk.audit.models import AuditEvent
from supportdesk.tickets.models import Ticket
from tests.conversations.helpers import file_ticket
from tests.factories import bearer, make_staff

REFUND = {
    "name": "Refund on its way",
    "body": "Hello {{ customer.first_name }},\n\nthe refund for ticket #{{ ticket.id }} is on "
    "its way.\n\n{{ agent.first_name }}",
    "category": "billing",
    "actions": {"status": "resolved", "assign_to_me": True, "note": "Refund issued (macro)."},
}
RESET = {
    "name": "Password reset steps",
    "body": "Please open the sign-in page and choose 'Forgot password'.",
    "category": "account",
    "team": "account_management",
}


async def test_admins_write_macros_and_bad_templates_are_refused(
    client: httpx.AsyncClient,
) -> None:
    made = await client.post("/api/macros", json=REFUND)
    assert made.status_code == 201, made.text
    assert made.json()["actions"]["status"] == "resolved"
    again = await client.post("/api/macros", json=REFUND)
    assert again.status_code == 409 and "name" in again.json()["errors"]
    for body, why in [
        ("{% if %}", "missing expression"),
        ('{% include "secrets" %}', "secrets"),  # no files: other templates are not found
        ("{% for i in (1..100000) %}x{% endfor %}", "loop iteration limit"),
    ]:
        refused = await client.post("/api/macros", json={**RESET, "body": body})
        assert refused.status_code == 422, refused.text
        assert why in refused.json()["errors"]["body"][0]
    unknown = await client.post("/api/macros", json={**RESET, "team": "no_such_team"})
    assert unknown.status_code == 409 and "team" in unknown.json()["errors"]
    changed = await client.put(
        f"/api/macros/{made.json()['id']}", json={**REFUND, "body": "Refunded."}
    )
    assert changed.status_code == 200 and changed.json()["body"] == "Refunded."
    assert (await client.delete(f"/api/macros/{made.json()['id']}")).status_code == 204
    assert (await client.get("/api/macros")).json() == []


async def test_agents_see_shared_macros_and_their_teams_and_may_not_write(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await client.post("/api/macros", json=REFUND)
    reset = (await client.post("/api/macros", json=RESET)).json()
    _, billing_token = await make_staff(app, "agent", ("billing_team",))
    agent = bearer(billing_token)
    listed = (await anonymous.get("/api/macros", headers=agent)).json()
    assert [macro["name"] for macro in listed] == ["Refund on its way"]
    ticket, _ = await file_ticket(anonymous)
    other_team = await anonymous.post(f"/api/tickets/{ticket}/macros/{reset['id']}", headers=agent)
    assert other_team.status_code == 404
    refused = await anonymous.post("/api/macros", json=RESET, headers=agent)
    assert refused.status_code == 403


async def test_applying_a_macro_writes_the_reply_for_this_ticket_and_does_its_actions(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    macro = (await client.post("/api/macros", json=REFUND)).json()
    ticket, _ = await file_ticket(anonymous, name="Ann Lee")
    applied = await client.post(f"/api/tickets/{ticket}/macros/{macro['id']}")
    assert applied.status_code == 200, applied.text
    body = applied.json()["body"]
    assert body.startswith(f"Hello Ann,\n\nthe refund for ticket #{ticket} is on its way.")
    assert applied.json()["done"] == [
        "status set to resolved",
        "assigned to you",
        "internal note added",
    ]
    stored = (await client.get(f"/api/tickets/{ticket}")).json()
    assert stored["status"] == "resolved" and stored["assignee_id"] is not None
    thread = (await client.get(f"/api/tickets/{ticket}/messages")).json()["messages"]
    assert [(m["kind"], m["body"]) for m in thread[1:]] == [("note", "Refund issued (macro).")]
    async with app.state.db.sessions() as session:
        actions = set(
            await session.scalars(select(AuditEvent.action).where(AuditEvent.ticket_id == ticket))
        )
    assert "macro.applied" in actions


async def test_customer_text_in_a_template_stays_text(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    macro = {"name": "Echo", "body": "Hi {{ customer.name }} {{ customer.__class__ }}"}
    made = (await client.post("/api/macros", json=macro)).json()
    ticket, _ = await file_ticket(anonymous, name="{{ agent.name }} <b>Eve</b>")
    body = (await client.post(f"/api/tickets/{ticket}/macros/{made['id']}")).json()["body"]
    assert body == "Hi {{ agent.name }} <b>Eve</b>"  # not rendered again, no attributes


async def test_the_macro_that_fits_the_ticket_is_suggested_first(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await client.post("/api/macros", json=RESET)
    await client.post("/api/macros", json=REFUND)
    ticket, _ = await file_ticket(
        anonymous, title="Refund missing", description="Where is the refund for my order?"
    )
    await client.patch(f"/api/tickets/{ticket}", json={"category": "billing"})
    suggested = (await client.get(f"/api/tickets/{ticket}/macros/suggested")).json()
    assert [s["macro"]["name"] for s in suggested] == ["Refund on its way", "Password reset steps"]
    assert "made for billing tickets" in suggested[0]["why"]
    assert suggested[0]["score"] > suggested[1]["score"]


async def test_a_macro_whose_action_cannot_be_done_changes_nothing(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    macro = (await client.post("/api/macros", json=REFUND)).json()
    ticket, _ = await file_ticket(anonymous)
    async with app.state.db.transaction() as session:
        await session.execute(
            update(Ticket).where(Ticket.id == ticket).values(team="technical_support")
        )
    _, token = await make_staff(app, "agent", ("billing_team", "technical_support"))
    # An admin in no team cannot take a technical_support ticket: 409, the status unchanged.
    refused = await client.post(f"/api/tickets/{ticket}/macros/{macro['id']}")
    assert refused.status_code == 409, refused.text
    assert (await client.get(f"/api/tickets/{ticket}")).json()["status"] == "open"
    thread = (await client.get(f"/api/tickets/{ticket}/messages")).json()["messages"]
    assert len(thread) == 1
    taken = await anonymous.post(
        f"/api/tickets/{ticket}/macros/{macro['id']}", headers=bearer(token)
    )
    assert taken.status_code == 200, taken.text


async def test_a_macro_never_takes_a_colleague_s_ticket(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    macro = (await client.post("/api/macros", json=REFUND)).json()
    ticket, _ = await file_ticket(anonymous)
    omar, _ = await make_staff(app, "agent", ("billing_team",))
    given = await client.put(
        f"/api/tickets/{ticket}/assignee",
        json={"assignee_id": omar, "previous_assignee_id": None},
    )
    assert given.status_code == 200, given.text
    applied = (await client.post(f"/api/tickets/{ticket}/macros/{macro['id']}")).json()
    assert "left with its assignee" in applied["done"]
    assert (await client.get(f"/api/tickets/{ticket}")).json()["assignee_id"] == omar
