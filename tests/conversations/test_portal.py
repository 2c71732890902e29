"""The customers' portal: a one-time sign-in link from an agent, the customer's tickets
and, when an admin lets their organisation share, their organisation's; nobody else's."""

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, text, update

from supportdesk.conversations.models import CustomerSignInLink
from supportdesk.jobs.registry import JobContext
from supportdesk.mail.models import OutboundEmail
from supportdesk.mail.tasks import send
from supportdesk.types import utcnow
from tests.conversations.helpers import file_ticket
from tests.factories import bearer, make_staff
from tests.mail.conftest import Inbox, sending_through

ACME = "Acme / Ltd"  # a slash in a name: still one organisation


@dataclass
class Postman:
    """Email on, through a real SMTP server on 127.0.0.1: sign-in links go by email only."""

    app: FastAPI
    client: httpx.AsyncClient
    inbox: Inbox
    context: JobContext

    async def sign_in_link(self, ticket: int) -> str:
        made = await self.client.post(f"/api/tickets/{ticket}/customer-sign-in-link")
        assert made.status_code == 201, made.text
        assert "url" not in made.json() and "***@" in made.json()["sent_to"]
        async with self.app.state.db.sessions() as session:
            newest = await session.scalar(select(func.max(OutboundEmail.id)))
        await send(self.context, email_id=newest)
        text = self.inbox.received[-1].get_body(preferencelist=("plain",)).get_content()
        return str(text.split("#signin=", 1)[1].split()[0])


@pytest.fixture
def postman(app: FastAPI, client: httpx.AsyncClient, smtp: tuple[Inbox, int]) -> Iterator[Postman]:
    inbox, port = smtp
    with sending_through(app, port) as context:
        yield Postman(app, client, inbox, context)


async def _signed_in(postman: Postman, anonymous: httpx.AsyncClient, ticket: int) -> dict[str, str]:
    secret = await postman.sign_in_link(ticket)
    used = await anonymous.post("/api/customer/sessions", json={"secret": secret})
    assert used.status_code == 201, used.text
    return {"X-Customer-Token": used.json()["token"]}


async def _in_organisation(client: httpx.AsyncClient, ticket: int) -> None:
    contact = (await client.get(f"/api/tickets/{ticket}/messages")).json()["contact"]
    moved = await client.patch(f"/api/contacts/{contact['id']}", json={"organisation": ACME})
    assert moved.status_code == 200, moved.text
    assert moved.json()["organisation"] == ACME


async def _listed(anonymous: httpx.AsyncClient, headers: dict[str, str]) -> list[int]:
    answer = await anonymous.get("/api/customer/tickets", headers=headers)
    assert answer.status_code == 200, answer.text
    return sorted(t["id"] for t in answer.json()["tickets"])


async def test_a_signed_in_customer_sees_and_answers_their_tickets_only(
    postman: Postman, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    first, _ = await file_ticket(anonymous, email="ann@example.com")
    second, _ = await file_ticket(anonymous, email="ann@example.com", title="Another")
    others, _ = await file_ticket(anonymous, email="bob@example.com", name="Bob")
    ann = await _signed_in(postman, anonymous, first)

    assert await _listed(anonymous, ann) == [first, second]
    seen = await anonymous.get(f"/api/customer/tickets/{second}", headers=ann)
    assert seen.status_code == 200 and seen.json()["title"] == "Another"
    wrote = await anonymous.post(
        f"/api/customer/tickets/{second}/messages", json={"body": "Any news?"}, headers=ann
    )
    assert wrote.status_code == 201 and wrote.json()["ticket_id"] == second
    for path in (f"/api/customer/tickets/{others}", f"/api/customer/tickets/{others}/messages"):
        method = "GET" if path.endswith(str(others)) else "POST"
        refused = await anonymous.request(method, path, json={"body": "x"}, headers=ann)
        assert refused.status_code == 404, path
    # Signed in, there is no one ticket of the link kind.
    assert (await anonymous.get("/api/customer/ticket", headers=ann)).status_code == 404

    out = await anonymous.delete("/api/customer/sessions/current", headers=ann)
    assert out.status_code == 204
    assert (await anonymous.get("/api/customer/tickets", headers=ann)).status_code == 404


async def test_an_organisation_shares_only_when_an_admin_lets_it(
    postman: Postman, app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    mine, _ = await file_ticket(anonymous, email="ann@acme.example")
    colleague, _ = await file_ticket(anonymous, email="cy@acme.example", name="Cy")
    outsider, _ = await file_ticket(anonymous, email="dee@other.example", name="Dee")
    for ticket in (mine, colleague):
        await _in_organisation(client, ticket)
    ann = await _signed_in(postman, anonymous, mine)
    assert await _listed(anonymous, ann) == [mine]
    hidden = await anonymous.get(f"/api/customer/tickets/{colleague}", headers=ann)
    assert hidden.status_code == 404

    _, agent = await make_staff(app, "agent", tuple(app.state.team_names))
    denied = await anonymous.put(
        f"/api/organisations/{quote(ACME, safe='')}",
        json={"share_tickets": True},
        headers=bearer(agent),
    )
    assert denied.status_code == 403
    shared = await client.put(
        f"/api/organisations/{quote(ACME, safe='')}", json={"share_tickets": True}
    )
    assert shared.json() == {"name": ACME, "contacts": 2, "share_tickets": True}
    listing = (await anonymous.get("/api/customer/tickets", headers=ann)).json()
    assert listing["shared"] is True and listing["organisation"] == ACME
    assert sorted(t["id"] for t in listing["tickets"]) == [mine, colleague]
    assert {t["filed_by"] for t in listing["tickets"]} == {"Ann Lee", "Cy"}
    assert (
        await anonymous.get(f"/api/customer/tickets/{colleague}", headers=ann)
    ).status_code == 200
    assert (
        await anonymous.get(f"/api/customer/tickets/{outsider}", headers=ann)
    ).status_code == 404

    audit = (await client.get("/api/audit", params={"action": "organisation."})).json()
    assert [e["changes"] for e in audit["items"]] == [{"share_tickets": [False, True]}]
    assert (await client.get("/api/organisations")).json() == [
        {"name": ACME, "contacts": 2, "share_tickets": True}
    ]
    unknown = await client.put("/api/organisations/Nobody", json={"share_tickets": True})
    assert unknown.status_code == 404


async def test_a_sign_in_link_works_once_and_for_a_day(
    postman: Postman, app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, _ = await file_ticket(anonymous)
    secret = await postman.sign_in_link(ticket)
    twice = await asyncio.gather(
        *(anonymous.post("/api/customer/sessions", json={"secret": secret}) for _ in range(2))
    )
    assert sorted(r.status_code for r in twice) == [201, 401]
    refused = next(r for r in twice if r.status_code == 401)
    assert refused.headers["content-type"] == "application/problem+json"

    late = await postman.sign_in_link(ticket)
    async with app.state.db.transaction() as session:
        await session.execute(
            update(CustomerSignInLink).values(expires_at=utcnow() - timedelta(seconds=1))
        )
    expired = await anonymous.post("/api/customer/sessions", json={"secret": late})
    forged = await anonymous.post("/api/customer/sessions", json={"secret": "sds_" + "x" * 43})
    assert expired.status_code == forged.status_code == 401
    assert expired.json()["detail"] == forged.json()["detail"]
    bad = await anonymous.post("/api/customer/sessions", json={"secret": "<script>"})
    assert bad.status_code == 422 and "secret" in bad.json()["errors"]


async def test_agents_manage_only_customers_of_tickets_they_see(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, _ = await file_ticket(anonymous)
    contact = (await client.get(f"/api/tickets/{ticket}/messages")).json()["contact"]
    async with app.state.db.engine.begin() as connection:
        await connection.execute(
            text("UPDATE tickets SET team = 'technical_support' WHERE id = :id"), {"id": ticket}
        )
    _, biller = await make_staff(app, "agent", ("billing_team",))
    theirs = await anonymous.patch(
        f"/api/contacts/{contact['id']}", json={"organisation": ACME}, headers=bearer(biller)
    )
    assert theirs.status_code == 404
    link = await anonymous.post(
        f"/api/tickets/{ticket}/customer-sign-in-link", headers=bearer(biller)
    )
    assert link.status_code == 404
    blank = await client.patch(f"/api/contacts/{contact['id']}", json={"organisation": " "})
    assert blank.status_code == 422 and "organisation" in blank.json()["errors"]


async def test_sign_in_links_go_by_email_only(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    """Anyone can file a ticket under anyone's address: a link shown to an agent could be
    handed to the wrong person. Without an SMTP server there is none."""
    ticket, _ = await file_ticket(anonymous)
    refused = await client.post(f"/api/tickets/{ticket}/customer-sign-in-link")
    assert refused.status_code == 409 and "EMAIL_SMTP_HOST" in refused.json()["detail"]


async def test_only_an_admin_adds_a_customer_to_a_sharing_organisation(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    member, _ = await file_ticket(anonymous, email="ann@acme.example")
    outsider, _ = await file_ticket(anonymous, email="eve@evil.example", name="Eve")
    await _in_organisation(client, member)
    await client.put(f"/api/organisations/{quote(ACME, safe='')}", json={"share_tickets": True})
    _, agent = await make_staff(app, "agent", tuple(app.state.team_names))
    contact = (await client.get(f"/api/tickets/{outsider}/messages")).json()["contact"]
    joined = await anonymous.patch(
        f"/api/contacts/{contact['id']}", json={"organisation": ACME}, headers=bearer(agent)
    )
    assert joined.status_code == 409 and "organisation" in joined.json()["errors"]
    by_admin = await client.patch(f"/api/contacts/{contact['id']}", json={"organisation": ACME})
    assert by_admin.status_code == 200


async def test_revoking_a_tickets_links_ends_its_customers_sessions(
    postman: Postman, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket, _ = await file_ticket(anonymous)
    ann = await _signed_in(postman, anonymous, ticket)
    unused = await postman.sign_in_link(ticket)
    await client.delete(f"/api/tickets/{ticket}/customer-links")
    assert (await anonymous.get("/api/customer/tickets", headers=ann)).status_code == 404
    used = await anonymous.post("/api/customer/sessions", json={"secret": unused})
    assert used.status_code == 401
