"""Agents see their teams' tickets (and tickets not routed yet); another team's ticket
answers 404 like an unknown id. A setting opens every team to every agent."""

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from supportdesk.app import warn_if_open
from supportdesk.config import Settings
from tests.factories import bearer, make_staff, make_ticket


async def _set_team(app: FastAPI, ticket: int, team: str | None) -> None:
    async with app.state.db.engine.begin() as connection:
        await connection.execute(
            text("UPDATE tickets SET team = :team WHERE id = :id"), {"team": team, "id": ticket}
        )


async def test_another_teams_ticket_is_not_found_anywhere(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    billing = (await make_ticket(client, title="Refund please"))["id"]
    tech = (await make_ticket(client, title="Crash on start"))["id"]
    unrouted = (await make_ticket(client, title="Hello there"))["id"]
    await _set_team(app, billing, "billing_team")
    await _set_team(app, tech, "technical_support")
    await _set_team(app, unrouted, None)
    agent = bearer((await make_staff(app, "agent", ("billing_team",)))[1])

    listed = (await anonymous.get("/api/tickets", headers=agent)).json()
    assert {t["id"] for t in listed["results"]} == {billing, unrouted}
    searched = await anonymous.get("/api/tickets", params={"search": "crash"}, headers=agent)
    assert searched.json()["count"] == 0
    for path in ("", "/workflow", "/duplicates", "/merged", "/page", "/messages", "/history"):
        mine = await anonymous.get(f"/api/tickets/{billing}{path}", headers=agent)
        theirs = await anonymous.get(f"/api/tickets/{tech}{path}", headers=agent)
        missing = await anonymous.get(f"/api/tickets/999999{path}", headers=agent)
        assert mine.status_code == 200, (path, mine.text)
        assert theirs.status_code == missing.status_code == 404, path
        assert theirs.json()["title"] == missing.json()["title"]
    changed = await anonymous.patch(
        f"/api/tickets/{tech}", json={"status": "closed"}, headers=agent
    )
    assert changed.status_code == 404
    assert (await client.get(f"/api/tickets/{tech}")).json()["status"] == "open"


@contextmanager
def _with_auth(app: FastAPI, **changes: bool) -> Iterator[None]:
    # The running app with other auth settings: a second app's lifespan would close the
    # process-wide event broker the other tests listen on.
    settings: Settings = app.state.settings
    auth = settings.auth.model_copy(update=changes)
    app.state.settings = settings.model_copy(update={"auth": auth})
    try:
        yield
    finally:
        app.state.settings = settings


async def test_the_setting_opens_every_team_to_agents(
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    app: FastAPI,
) -> None:
    ticket = (await make_ticket(client))["id"]
    await _set_team(app, ticket, "technical_support")
    agent = bearer((await make_staff(app, "agent", ("billing_team",)))[1])
    assert (await anonymous.get(f"/api/tickets/{ticket}", headers=agent)).status_code == 404
    me = (await anonymous.get("/api/auth/me", headers=agent)).json()
    assert me["team_scope"] == ["billing_team"]  # what the UI offers in its team filter
    with _with_auth(app, agents_see_all_teams=True):
        assert (await anonymous.get(f"/api/tickets/{ticket}", headers=agent)).status_code == 200
        me = (await anonymous.get("/api/auth/me", headers=agent)).json()
        assert me["team_scope"] is None


async def test_open_access_serves_without_sign_in_and_says_so(
    anonymous: httpx.AsyncClient,
    app: FastAPI,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert (await anonymous.get("/api/tickets")).status_code == 401
    with _with_auth(app, open_access=True):
        made = await anonymous.post("/api/tickets", json={"title": "Hi", "description": "Help"})
        assert made.status_code == 201
        me = (await anonymous.get("/api/auth/me")).json()
        assert me == {
            "user": None,
            "role": "admin",
            "open_access": True,
            "team_scope": None,
            "csrf_token": None,
        }
        warn_if_open(app.state.settings)
    assert "AUTH_OPEN_ACCESS is on" in caplog.text


async def test_every_response_carries_the_security_headers(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    for response in (
        await client.get("/api/tickets"),
        await anonymous.get("/api/tickets"),
        await anonymous.get("/healthz"),
        await anonymous.get("/nowhere"),
    ):
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "strict-transport-security" not in response.headers  # plain HTTP here
    over_https = httpx.AsyncClient(transport=client._transport, base_url="https://test")
    async with over_https:
        secure = await over_https.get("/healthz")
    assert secure.headers["strict-transport-security"].startswith("max-age=")
