"""The customer's side: the public form, their private link, the public thread (never a
note), their messages reopening or following up a ticket, and links that stop working."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from supportdesk.config import Settings
from tests.conversations.helpers import (
    FORM,
    as_customer,
    customer_view,
    customer_writes,
    file_ticket,
    link_last_used_days_ago,
    resolved_days_ago,
)
from tests.factories import make_ticket, queued_jobs

NOTE = "Internal: this customer disputed a charge before, be careful"


async def test_the_customer_sees_the_public_thread_and_never_a_note(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, secret = await file_ticket(anonymous)
    await client.post(
        f"/api/tickets/{ticket}/messages", json={"kind": "reply", "body": "Which card?"}
    )
    await client.post(f"/api/tickets/{ticket}/messages", json={"kind": "note", "body": NOTE})
    assert (await customer_writes(anonymous, secret, "The Visa one.")).status_code == 201

    response = await customer_view(anonymous, secret)
    assert response.status_code == 200, response.text
    assert NOTE not in response.text and "note" not in response.text
    assert response.headers["cache-control"] == "no-store"
    view = response.json()
    assert set(view) == {"id", "title", "status", "created_at", "messages"}
    assert (view["id"], view["title"], view["status"]) == (ticket, FORM["title"], "open")
    assert [(m["kind"], m["author_name"], m["body"]) for m in view["messages"]] == [
        ("customer", "Ann Lee", FORM["description"]),
        ("reply", "Admin 0", "Which card?"),  # the agent's name, never their email
        ("customer", "Ann Lee", "The Visa one."),
    ]
    assert "@" not in response.text  # no email address of anyone
    # The agents see all four.
    thread = (await client.get(f"/api/tickets/{ticket}/messages")).json()
    assert [m["kind"] for m in thread["messages"]] == ["customer", "reply", "note", "customer"]


async def test_a_customer_message_reruns_the_tickets_workflow(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    ticket, secret = await file_ticket(anonymous)
    before = len(
        [job for job in await queued_jobs(app, "workflow.") if job[2]["ticket_id"] == ticket]
    )
    sent = await customer_writes(anonymous, secret, "Also my invoice INV-2024-0042 is wrong.")
    assert sent.status_code == 201, sent.text
    assert sent.json()["outcome"] == "added" and sent.json()["follow_up_link"] is None
    jobs = [job for job in await queued_jobs(app, "workflow.") if job[2]["ticket_id"] == ticket]
    assert len(jobs) == before + 1


@pytest.mark.parametrize("status", ["resolved", "closed"])
async def test_a_message_to_a_recently_resolved_ticket_reopens_it(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient, status: str
) -> None:
    ticket, secret = await file_ticket(anonymous)
    await client.patch(f"/api/tickets/{ticket}", json={"status": status})
    await resolved_days_ago(app, ticket, 13.9)

    sent = await customer_writes(anonymous, secret, "It happened again.")
    assert sent.status_code == 201, sent.text
    answer = sent.json()
    assert (answer["outcome"], answer["ticket_id"], answer["follow_up_link"]) == (
        "reopened",
        ticket,
        None,
    )
    assert answer["message"]["body"] == "It happened again."
    reopened = (await client.get(f"/api/tickets/{ticket}")).json()
    assert (reopened["status"], reopened["resolved_at"]) == ("open", None)
    assert (await customer_view(anonymous, secret)).json()["status"] == "open"
    audit = (await client.get("/api/audit", params={"ticket_id": ticket})).json()["items"]
    assert audit[0]["action"] == "message.customer"
    assert audit[0]["changes"]["status"] == [status, "open"]


async def test_a_merged_ticket_reopened_by_its_customer_is_its_own_again(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    original = (await make_ticket(client))["id"]
    ticket, secret = await file_ticket(anonymous)
    await client.post(f"/api/tickets/{ticket}/merge", json={"into": original})
    assert (await customer_writes(anonymous, secret, "Still broken")).json()["outcome"] == (
        "reopened"
    )
    after = (await client.get(f"/api/tickets/{ticket}")).json()
    assert (after["status"], after["duplicate_of"]) == ("open", None)


async def test_after_the_reopening_period_a_follow_up_ticket_starts(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, secret = await file_ticket(anonymous)
    await client.post(
        f"/api/tickets/{ticket}/messages",
        json={"kind": "reply", "body": "Refunded.", "resolve": True},
    )
    await resolved_days_ago(app, ticket, 14.1)

    sent = await customer_writes(anonymous, secret, "Charged twice again this month!")
    assert sent.status_code == 201, sent.text
    answer = sent.json()
    follow_up = answer["ticket_id"]
    assert answer["outcome"] == "follow_up" and follow_up != ticket
    assert answer["follow_up_link"]["ticket_id"] == follow_up
    assert answer["message"]["body"] == "Charged twice again this month!"

    old = (await client.get(f"/api/tickets/{ticket}")).json()
    assert (old["status"], old["waiting_since"]) == ("resolved", None)  # no longer waiting
    new = (await client.get(f"/api/tickets/{follow_up}")).json()
    assert new["follow_up_of"] == ticket and new["status"] == "open"
    assert new["title"] == f"Re: {FORM['title']}"
    assert new["description"] == "Charged twice again this month!"
    thread = (await client.get(f"/api/tickets/{follow_up}/messages")).json()
    assert thread["contact"]["email"] == "ann.lee@example.com"
    assert [(m["id"], m["author_name"]) for m in thread["messages"]] == [(0, "Ann Lee")]

    # The old link still shows the old ticket; the new one shows the follow-up.
    assert (await customer_view(anonymous, secret)).json()["id"] == ticket
    new_secret = answer["follow_up_link"]["url"].split("#", 1)[1]
    assert (await customer_view(anonymous, new_secret)).json()["id"] == follow_up
    created = [
        job for job in await queued_jobs(app, "workflow.") if job[2]["ticket_id"] == follow_up
    ]
    assert created  # the new ticket is triaged and routed like any other


@pytest.mark.parametrize(
    "secret",
    [
        "sdc_" + "A" * 43,  # well-formed, never issued
        "nope",
        "",
        "x" * 5000,
        "sdc_' OR 1=1 --",
    ],
)
async def test_a_forged_token_is_404_like_any_unknown_link(
    anonymous: httpx.AsyncClient, secret: str
) -> None:
    await file_ticket(anonymous)
    for response in (
        await customer_view(anonymous, secret),
        await customer_writes(anonymous, secret, "Let me in"),
    ):
        _not_found(response)


async def test_no_token_at_all_is_404_too(anonymous: httpx.AsyncClient) -> None:
    _not_found(await anonymous.get("/api/customer/ticket"))
    _not_found(await anonymous.post("/api/customer/messages", json={"body": "Hi"}))


def _not_found(response: httpx.Response) -> None:
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not found",
        "status": 404,
        "detail": "this link is not valid: it expired, it was revoked, or it never existed",
    }


async def test_a_link_idle_too_long_stops_working(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    ticket, secret = await file_ticket(anonymous)
    await link_last_used_days_ago(app, ticket, 29.9)
    assert (await customer_view(anonymous, secret)).status_code == 200  # and counts as use
    await link_last_used_days_ago(app, ticket, 30.1)
    _not_found(await customer_view(anonymous, secret))
    _not_found(await customer_writes(anonymous, secret, "Hello?"))


async def test_using_a_link_keeps_it_alive(app: FastAPI, anonymous: httpx.AsyncClient) -> None:
    ticket, secret = await file_ticket(anonymous)
    await link_last_used_days_ago(app, ticket, 29)
    assert (await customer_view(anonymous, secret)).status_code == 200
    await link_last_used_days_ago(app, ticket, 0)  # nothing: the use above moved it on
    assert (await customer_view(anonymous, secret)).status_code == 200


async def test_agents_revoke_a_tickets_links_and_can_issue_a_new_one(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, secret = await file_ticket(anonymous)
    revoked = await client.delete(f"/api/tickets/{ticket}/customer-links")
    assert revoked.json() == {"ticket_id": ticket, "revoked": 1}
    _not_found(await customer_view(anonymous, secret))
    _not_found(await customer_writes(anonymous, secret, "Hello?"))
    assert (await client.delete(f"/api/tickets/{ticket}/customer-links")).json()["revoked"] == 0

    issued = await client.post(f"/api/tickets/{ticket}/customer-links")
    assert issued.status_code == 201, issued.text
    fresh = issued.json()["url"].split("#", 1)[1]
    assert (await customer_view(anonymous, fresh)).json()["id"] == ticket
    _not_found(await customer_view(anonymous, secret))  # the old one stays dead
    actions = [
        e["action"]
        for e in (await client.get("/api/audit", params={"ticket_id": ticket})).json()["items"]
    ]
    assert actions[:2] == ["customer_link.issued", "customer_link.revoked"]


async def test_a_ticket_no_customer_filed_gets_no_link(client: httpx.AsyncClient) -> None:
    ticket = (await make_ticket(client))["id"]
    refused = await client.post(f"/api/tickets/{ticket}/customer-links")
    assert refused.status_code == 409, refused.text


async def test_a_link_reaches_its_own_ticket_and_nothing_else(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    mine, secret = await file_ticket(anonymous)
    theirs, _ = await file_ticket(anonymous, email="bob@example.com", name="Bob")
    await client.post(
        f"/api/tickets/{theirs}/messages", json={"kind": "reply", "body": "For Bob only"}
    )
    customer = as_customer(secret)

    # A path naming another ticket answers as if it did not exist; the list holds one.
    for method, path in (
        ("GET", f"/api/customer/tickets/{theirs}"),
        ("POST", f"/api/customer/tickets/{theirs}/messages"),
    ):
        refused = await anonymous.request(method, path, json={"body": "Hi"}, headers=customer)
        assert refused.status_code == 404, path
    listed = (await anonymous.get("/api/customer/tickets", headers=customer)).json()
    assert [t["id"] for t in listed["tickets"]] == [mine]

    # Ids in the query or the body are not read, or refused.
    view = await anonymous.get(
        "/api/customer/ticket", params={"id": theirs, "ticket_id": theirs}, headers=customer
    )
    assert view.json()["id"] == mine and "For Bob only" not in view.text
    sent = await anonymous.post(
        "/api/customer/messages", json={"body": "Hi", "ticket_id": theirs}, headers=customer
    )
    assert sent.status_code == 422 and "ticket_id" in sent.json()["errors"]
    # The agents' paths do not take the link.
    for path in (f"/api/tickets/{theirs}", f"/api/tickets/{theirs}/messages"):
        assert (await anonymous.get(path, headers=customer)).status_code == 401
    thread = (await client.get(f"/api/tickets/{theirs}/messages")).json()["messages"]
    assert [m["body"] for m in thread][1:] == ["For Bob only"]


async def test_one_email_is_one_contact_whose_name_a_form_cannot_change(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    first, _ = await file_ticket(anonymous)
    second, _ = await file_ticket(anonymous, email="ANN.LEE@example.COM", name="Mallory")
    contacts = [
        (await client.get(f"/api/tickets/{t}/messages")).json()["contact"] for t in (first, second)
    ]
    assert contacts[0] == contacts[1]
    assert contacts[0]["name"] == "Ann Lee"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not an email"}, "email"),
        ({"name": "   "}, "name"),
        ({"name": "n" * 101}, "name"),
        ({"title": "t" * 201}, "title"),
        ({"description": "d" * 20_001}, "description"),
        ({"category": "billing"}, "category"),  # triage labels it, not the customer
    ],
)
async def test_the_public_form_refuses_bad_input_naming_the_field(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    response = await anonymous.post("/api/public/tickets", json={**FORM, **change})
    assert response.status_code == 422, response.text
    assert field in response.json()["errors"]
    assert (await client.get("/api/tickets")).json()["count"] == 0


async def test_a_customer_message_over_20000_characters_is_refused(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, secret = await file_ticket(anonymous)
    response = await customer_writes(anonymous, secret, "x" * 20_001)
    assert response.status_code == 422
    assert response.json()["errors"] == {"body": ["at most 20000 characters"]}
    messages = (await client.get(f"/api/tickets/{ticket}/messages")).json()["messages"]
    assert len(messages) == 1


async def test_the_public_form_is_throttled_per_address(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    settings: Settings = app.state.settings
    limited = settings.conversations.model_copy(update={"public_tickets_per_hour": 3})
    app.state.settings = settings.model_copy(update={"conversations": limited})
    try:
        async with _from(app, "203.0.113.7") as here, _from(app, "198.51.100.9") as there:
            await _throttle_checks(client, here, there)
    finally:
        app.state.settings = settings


async def _throttle_checks(
    client: httpx.AsyncClient, here: httpx.AsyncClient, there: httpx.AsyncClient
) -> None:
    for _ in range(3):
        assert (await here.post("/api/public/tickets", json=FORM)).status_code == 201
    refused = await here.post("/api/public/tickets", json=FORM)
    assert refused.status_code == 429, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert 3000 < int(refused.headers["retry-after"]) <= 3600
    assert (await there.post("/api/public/tickets", json=FORM)).status_code == 201
    assert (await client.get("/api/tickets")).json()["count"] == 4


def _from(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")
