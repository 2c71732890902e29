"""Housekeeping of sign-in and of customers' links: what can no longer sign anyone in, or
count against them, goes; what still works stays."""

from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select, text

from supportdesk.auth import service
from supportdesk.auth.models import AuthSession, OneTimeLink, SignInFailure
from supportdesk.conversations import service as conversations
from supportdesk.conversations.models import CustomerLink, PublicSubmission
from supportdesk.types import utcnow
from tests.conversations.helpers import file_ticket
from tests.factories import make_staff

PASSWORD = "a long enough password"


async def _count(app: FastAPI, model: type) -> int:
    async with app.state.db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_ended_sessions_dead_links_and_old_failures_go(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    settings = app.state.settings.auth
    await make_staff(app, "agent", email="kim@example.com")
    invited = await client.post("/api/users", json={"email": "lee@example.com", "name": "Lee"})
    secret = invited.json()["invitation"]["url"].split("#invite=")[1]
    await anonymous.post(f"/api/auth/links/{secret}", json={"password": PASSWORD})
    await anonymous.post("/api/auth/sign-in", json={"email": "lee@example.com", "password": "x"})
    signed = await anonymous.post(
        "/api/auth/sign-in", json={"email": "lee@example.com", "password": PASSWORD}
    )
    assert signed.status_code == 200
    assert await _count(app, AuthSession) == 1
    assert await _count(app, SignInFailure) == 1

    async with app.state.db.transaction() as session:  # nothing is old yet
        assert await service.prune(session, settings, utcnow()) == 0
    later = utcnow() + timedelta(hours=settings.session_idle_hours, days=1)
    async with app.state.db.transaction() as session:
        assert await service.prune(session, settings, later) >= 3
    assert await _count(app, AuthSession) == 0
    assert await _count(app, OneTimeLink) == 0
    assert await _count(app, SignInFailure) == 0


async def test_customer_links_go_long_after_they_stop_working(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    settings = app.state.settings.conversations
    await file_ticket(anonymous)
    async with app.state.db.transaction() as session:
        assert await conversations.prune(session, settings, utcnow()) == 0
    async with app.state.db.transaction() as session:
        at_idle = utcnow() + timedelta(days=settings.link_idle_days + 1)
        await conversations.prune(session, settings, at_idle)
    assert await _count(app, CustomerLink) == 1  # expired, still findable for a while
    assert await _count(app, PublicSubmission) == 0  # past the form's throttle window
    async with app.state.db.transaction() as session:
        twice = utcnow() + timedelta(days=2 * settings.link_idle_days + 1)
        assert await conversations.prune(session, settings, twice) == 1
    assert await _count(app, CustomerLink) == 0


async def test_signing_in_again_ends_the_browsers_older_session(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    invited = await client.post("/api/users", json={"email": "ann@example.com", "name": "Ann"})
    secret = invited.json()["invitation"]["url"].split("#invite=")[1]
    await anonymous.post(f"/api/auth/links/{secret}", json={"password": PASSWORD})
    body = {"email": "ann@example.com", "password": PASSWORD}
    await anonymous.post("/api/auth/sign-in", json=body)
    first = anonymous.cookies["sd_session"]
    await anonymous.post("/api/auth/sign-in", json=body)
    assert anonymous.cookies["sd_session"] != first
    async with app.state.db.engine.connect() as connection:
        sessions = await connection.scalar(text("SELECT count(*) FROM auth_sessions"))
    assert sessions == 1
