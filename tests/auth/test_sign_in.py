"""Sign-in with a password set through a one-time link, sessions with CSRF, throttling."""

import asyncio
import time

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, text

from supportdesk.audit.service import SYSTEM
from supportdesk.auth import service
from supportdesk.auth.access import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE
from supportdesk.auth.actor import Role
from supportdesk.errors import Conflict
from supportdesk.jobs.registry import JobContext
from supportdesk.tickets.tasks import release_assignments
from tests.factories import make_staff, make_ticket, queued_jobs

PASSWORD = "a long enough password"


async def invite(client: httpx.AsyncClient, email: str, **fields: object) -> str:
    """Invite a user and set their password through the link; the link's secret."""
    invited = await client.post("/api/users", json={"email": email, "name": "Kim", **fields})
    assert invited.status_code == 201, invited.text
    secret: str = invited.json()["invitation"]["url"].split("#invite=")[1]
    async with httpx.AsyncClient(transport=client._transport, base_url="http://test") as fresh:
        used = await fresh.post(f"/api/auth/links/{secret}", json={"password": PASSWORD})
    assert used.status_code == 200, used.text
    return secret


async def test_an_invited_agent_signs_in_and_works_with_the_csrf_token(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await invite(client, "Kim@Example.com", role="agent")
    signed = await anonymous.post(
        "/api/auth/sign-in", json={"email": "kim@example.com", "password": PASSWORD}
    )
    assert signed.status_code == 200, signed.text
    me = signed.json()
    assert me["user"]["email"] == "kim@example.com" and me["role"] == "agent"
    cookie = signed.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookie if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
    assert (await anonymous.get("/api/auth/me")).json()["user"]["name"] == "Kim"
    body = {"title": "Printer jams", "description": "It jams on every page."}
    # A cross-site form can send the cookie but not the header: refused, nothing written.
    forged = await anonymous.post("/api/tickets", json=body)
    assert forged.status_code == 403 and CSRF_HEADER in forged.json()["detail"]
    assert (await anonymous.get("/api/tickets")).json()["count"] == 0
    wrong = await anonymous.post("/api/tickets", json=body, headers={CSRF_HEADER: "csrf_nope"})
    assert wrong.status_code == 403
    csrf = anonymous.cookies[CSRF_COOKIE]
    assert csrf == me["csrf_token"]
    made = await anonymous.post("/api/tickets", json=body, headers={CSRF_HEADER: csrf})
    assert made.status_code == 201, made.text
    out = await anonymous.post("/api/auth/sign-out", headers={CSRF_HEADER: csrf})
    assert out.status_code == 204
    audit = (await client.get("/api/audit", params={"user_id": me["user"]["id"]})).json()
    assert "auth.signed_out" in [e["action"] for e in audit["items"]]
    assert (await anonymous.get("/api/auth/me")).status_code == 401


async def test_a_link_works_once(client: httpx.AsyncClient, anonymous: httpx.AsyncClient) -> None:
    secret = await invite(client, "once@example.com")
    again = await anonymous.post(f"/api/auth/links/{secret}", json={"password": PASSWORD})
    assert again.status_code == 404
    assert (await anonymous.get(f"/api/auth/links/{secret}")).status_code == 404
    forged = await anonymous.get(f"/api/auth/links/sdl_{'x' * 43}")
    assert forged.status_code == 404


async def test_a_short_password_is_refused_naming_the_field(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    invited = await client.post("/api/users", json={"email": "s@example.com", "name": "S"})
    secret = invited.json()["invitation"]["url"].split("#invite=")[1]
    short = await anonymous.post(f"/api/auth/links/{secret}", json={"password": "short"})
    assert short.status_code == 422 and "password" in short.json()["errors"]
    # Nothing was used up: the link still works.
    assert (await anonymous.get(f"/api/auth/links/{secret}")).status_code == 200


async def test_wrong_passwords_are_throttled_without_telling_which_emails_exist(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await invite(client, "real@example.com")
    answers = {}
    for email in ("real@example.com", "ghost@example.com"):
        started = time.perf_counter()
        wrong = await anonymous.post(
            "/api/auth/sign-in", json={"email": email, "password": "not it at all"}
        )
        answers[email] = (wrong.status_code, wrong.json()["detail"], time.perf_counter() - started)
    (real_status, real_detail, real_time), (ghost_status, ghost_detail, ghost_time) = (
        answers.values()
    )
    assert real_status == ghost_status == 401 and real_detail == ghost_detail
    # Both verified a password hash: the same order of time, not a fast path for strangers.
    assert ghost_time > real_time / 5
    for _ in range(4):
        await anonymous.post(
            "/api/auth/sign-in", json={"email": "real@example.com", "password": "still not it"}
        )
    locked = await anonymous.post(
        "/api/auth/sign-in", json={"email": "real@example.com", "password": PASSWORD}
    )
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    events = (await client.get("/api/audit", params={"action": "auth.sign_in_failed"})).json()
    assert len(events["items"]) == 6


async def test_a_deactivated_user_is_signed_out_everywhere(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await invite(client, "leaver@example.com")
    await anonymous.post(
        "/api/auth/sign-in", json={"email": "leaver@example.com", "password": PASSWORD}
    )
    assert (await anonymous.get("/api/auth/me")).status_code == 200
    users = (await client.get("/api/users")).json()
    leaver = next(u for u in users if u["email"] == "leaver@example.com")
    gone = await client.patch(f"/api/users/{leaver['id']}", json={"status": "deactivated"})
    assert gone.status_code == 200
    assert (await anonymous.get("/api/auth/me")).status_code == 401
    again = await anonymous.post(
        "/api/auth/sign-in", json={"email": "leaver@example.com", "password": PASSWORD}
    )
    assert again.status_code == 401


async def test_an_agent_cannot_raise_their_own_role(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await invite(client, "climber@example.com")
    signed = await anonymous.post(
        "/api/auth/sign-in", json={"email": "climber@example.com", "password": PASSWORD}
    )
    me, csrf = signed.json(), signed.json()["csrf_token"]
    raised = await anonymous.patch(
        f"/api/users/{me['user']['id']}", json={"role": "admin"}, headers={CSRF_HEADER: csrf}
    )
    assert raised.status_code == 403
    sneaky = await anonymous.patch(
        "/api/auth/me", json={"role": "admin"}, headers={CSRF_HEADER: csrf}
    )
    assert sneaky.status_code == 422 and "role" in sneaky.json()["errors"]
    assert (await anonymous.get("/api/auth/me")).json()["role"] == "agent"


async def test_the_last_admin_stays_an_admin(client: httpx.AsyncClient) -> None:
    me = (await client.get("/api/auth/me")).json()["user"]
    refused = await client.patch(f"/api/users/{me['id']}", json={"role": "agent"})
    assert refused.status_code == 409 and "role" in refused.json()["errors"]


async def test_two_admins_demoting_each_other_at_once_leave_one_admin(app: FastAPI) -> None:
    async with app.state.db.engine.begin() as connection:  # none but the two below
        await connection.execute(text("UPDATE users SET role = 'agent' WHERE role = 'admin'"))
    first, _ = await make_staff(app, "admin")
    second, _ = await make_staff(app, "admin")

    async def demote(user_id: int) -> str:
        try:
            async with app.state.db.transaction() as session:
                await service.update_user(
                    session, user_id, service.UserChange(role=Role.AGENT), SYSTEM
                )
                await asyncio.sleep(0.2)  # both inside the check at once
        except Conflict:
            return "refused"
        return "demoted"

    outcomes = await asyncio.gather(demote(first), demote(second))
    assert sorted(outcomes) == ["demoted", "refused"]
    async with app.state.db.transaction() as session:
        admins = [u for u in await service.list_users(session) if u.role == "admin"]
    assert len(admins) == 1


async def test_a_deactivated_agent_or_one_out_of_the_team_holds_no_open_ticket(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    ticket = (await make_ticket(client))["id"]
    other = (await make_ticket(client))["id"]
    async with app.state.db.engine.begin() as connection:
        await connection.execute(text("UPDATE tickets SET team = 'billing_team'"))
    leaver, _ = await make_staff(app, "agent", ("billing_team",))
    mover, _ = await make_staff(app, "agent", ("billing_team",))
    for ticket_id, user_id in ((ticket, leaver), (other, mover)):
        taken = await client.put(
            f"/api/tickets/{ticket_id}/assignee",
            json={"assignee_id": user_id, "previous_assignee_id": None},
        )
        assert taken.status_code == 200, taken.text

    await client.patch(f"/api/users/{leaver}", json={"status": "deactivated"})
    await client.patch(f"/api/users/{mover}", json={"teams": ["technical_support"]})
    queued = [args["user_id"] for _, name, args in await queued_jobs(app, "tickets.")]
    assert sorted(queued) == sorted([leaver, mover])
    context = JobContext(app.state.settings, app.state.db, app.state.triage)
    for user_id in (leaver, mover):
        await release_assignments(context, user_id)
        await release_assignments(context, user_id)  # idempotent

    for ticket_id in (ticket, other):
        assert (await client.get(f"/api/tickets/{ticket_id}")).json()["assignee_id"] is None
        history = (await client.get(f"/api/tickets/{ticket_id}/history")).json()
        released = [e for e in history if e["action"] == "ticket.assigned"][-1]
        assert released["actor_kind"] == "system"
        assert released["detail"] == "its assignee can no longer work on it"


async def test_an_invitation_to_an_unknown_team_or_a_taken_email_is_refused(
    client: httpx.AsyncClient,
) -> None:
    unknown = await client.post(
        "/api/users", json={"email": "t@example.com", "name": "T", "teams": ["nope_team"]}
    )
    assert unknown.status_code == 409 and "teams" in unknown.json()["errors"]
    await client.post("/api/users", json={"email": "t@example.com", "name": "T"})
    taken = await client.post("/api/users", json={"email": "T@example.com", "name": "T2"})
    assert taken.status_code == 409 and "email" in taken.json()["errors"]
    assert len(await _users(client, "t@example.com")) == 1


async def _users(client: httpx.AsyncClient, email: str) -> list[dict[str, object]]:
    return [u for u in (await client.get("/api/users")).json() if u["email"] == email]


async def test_tokens_are_shown_once_stored_hashed_and_revocable(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    made = (await client.post("/api/auth/tokens", json={"name": "reports"})).json()
    secret = made["token"]
    assert secret.startswith("sdt_")
    listed = (await client.get("/api/auth/tokens")).json()
    assert all("token" not in token for token in listed)
    async with app.state.db.engine.connect() as connection:
        stored = (await connection.execute(text("SELECT token_hash FROM api_tokens"))).scalars()
        assert secret not in set(stored)
    auth = {"Authorization": f"Bearer {secret}"}
    await make_ticket(client)
    assert (await anonymous.get("/api/tickets", headers=auth)).status_code == 200
    await client.delete(f"/api/auth/tokens/{made['id']}")
    assert (await anonymous.get("/api/tickets", headers=auth)).status_code == 401


async def test_a_token_seen_a_moment_ago_costs_no_query(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        sent.append(statement)

    await client.get("/api/tickets/stats")
    engine = app.state.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        await client.get("/api/tickets/stats")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert not [s for s in sent if "api_tokens" in s]


async def test_two_uses_of_one_link_at_once_set_one_password(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    invited = await client.post("/api/users", json={"email": "twice@example.com", "name": "T"})
    secret = invited.json()["invitation"]["url"].split("#invite=")[1]
    answers = await asyncio.gather(
        *(anonymous.post(f"/api/auth/links/{secret}", json={"password": PASSWORD}) for _ in "ab")
    )
    assert sorted(a.status_code for a in answers) == [200, 404]


async def test_a_reset_ends_the_users_tokens_and_a_setup_link_dies_with_an_admin(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    _, token = await make_staff(app, "agent", email="reset.me@example.com")
    users = (await client.get("/api/users")).json()
    user_id = next(u["id"] for u in users if u["email"] == "reset.me@example.com")
    link = (await client.post(f"/api/users/{user_id}/reset-link")).json()["url"]
    used = await anonymous.post(
        f"/api/auth/links/{link.split('#reset=')[1]}", json={"password": PASSWORD}
    )
    assert used.status_code == 200
    stolen = await anonymous.get("/api/tickets", headers={"Authorization": f"Bearer {token}"})
    assert stolen.status_code == 401
    # A setup link left in a log: an admin who can sign in exists now, so it makes nobody admin.
    async with app.state.db.transaction() as session:
        admin = await service.find_user(session, "admin0@example.com")
        assert admin is not None
        secret = await service.issue_link(session, admin.id, "setup", app.state.settings.auth)
    await invite(client, "real.admin@example.com", role="admin")
    claimed = await anonymous.post(f"/api/auth/links/{secret}", json={"password": PASSWORD})
    assert claimed.status_code == 404


async def test_wrong_passwords_sent_at_once_all_count(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await invite(client, "burst@example.com")
    wrong = {"email": "burst@example.com", "password": "not the password"}
    await asyncio.gather(*(anonymous.post("/api/auth/sign-in", json=wrong) for _ in range(10)))
    right = await anonymous.post(
        "/api/auth/sign-in", json={"email": "burst@example.com", "password": PASSWORD}
    )
    assert right.status_code == 429


@pytest.mark.parametrize("email", ["a\x00b@example.com", "İ" * 200 + "@example.com"])
async def test_an_email_with_control_characters_or_too_long_once_lowered_is_422(
    anonymous: httpx.AsyncClient, email: str
) -> None:
    answer = await anonymous.post("/api/auth/sign-in", json={"email": email, "password": "x"})
    assert answer.status_code == 422 and "email" in answer.json()["errors"]
