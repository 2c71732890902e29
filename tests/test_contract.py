"""Every operation, called once with a valid request, answers what /openapi.json says."""

# ruff: noqa: F811  (the fake LLM server's fixtures are imported, then requested by name)

import hashlib
import hmac
from typing import Any

import httpx
import jsonschema_rs
from fastapi import FastAPI
from sqlalchemy import func, select, update

from supportdesk.analysis.models import AnalysisRun
from supportdesk.app import create_app
from supportdesk.config import LLMSettings, Settings, TriageSettings
from supportdesk.inbox import service as inbox
from supportdesk.inbox.router import WEBHOOK_PATH
from supportdesk.jobs.registry import JobContext
from supportdesk.mail.models import InboundEmail, OutboundEmail
from supportdesk.mail.tasks import send
from tests.analysis.helpers import drain, make_tickets
from tests.inbox.conftest import corpus, running_with, with_email
from tests.llm.conftest import (  # noqa: F401  (fixtures)
    FakeLLM,
    Reply,
    _fake_server,
    _no_proxies,
    fake_llm,
)
from tests.mail.conftest import Inbox, sending_through, smtp  # noqa: F401  (smtp: a fixture)

SUBJECT = "Charged twice for order 123456"
BODY = "I was charged twice this month for my Pro plan, please refund one payment."
TRIAGED = {"subject": SUBJECT, "body": BODY, "category": "billing", "severity": "high"}
# GET /api/events is an endless SSE stream: the in-process client waits for a body's end
# (tests/events read it with a real server).
NOT_CALLED = {"events"}


def _calls(ticket: int, other: int) -> list[tuple[str, str, str, Any]]:
    """(operationId, method, path, JSON body) in an order where each finds what it needs."""
    t, o = f"/api/tickets/{ticket}", f"/api/tickets/{other}"
    return [
        ("health", "GET", "/healthz", None),
        ("readiness", "GET", "/readyz", None),
        ("listTickets", "GET", "/api/tickets?status=open&page_size=5", None),
        ("getTicket", "GET", t, None),
        ("updateTicket", "PATCH", t, {"status": "in_progress"}),
        ("ticketStats", "GET", "/api/tickets/stats", None),
        ("classifyTicket", "POST", "/api/tickets/classify", {"description": BODY}),
        ("triageStatus", "GET", "/api/triage/status", None),
        ("listDuplicates", "GET", f"{t}/duplicates", None),
        ("mergeTicket", "POST", f"{o}/merge", {"into": ticket}),
        ("listMerged", "GET", f"{t}/merged", None),
        ("workflowProcess", "POST", "/api/v1/workflow/process", {"ticket": TRIAGED}),
        (
            "workflowClassify",
            "POST",
            "/api/v1/workflow/classify",
            {"subject": SUBJECT, "body": BODY},
        ),
        ("workflowExtract", "POST", "/api/v1/workflow/extract", {"subject": SUBJECT, "body": BODY}),
        ("workflowRespond", "POST", "/api/v1/workflow/respond", TRIAGED),
        ("workflowRoute", "POST", "/api/v1/workflow/route", TRIAGED),
        ("listTeams", "GET", "/api/teams", None),
        ("ticketHistory", "GET", f"{t}/history", None),
        ("ticketViews", "GET", "/api/tickets/views", None),
        ("ticketWorkload", "GET", "/api/tickets/workload", None),
        (
            "assignTicket",
            "PUT",
            f"{t}/assignee",
            {"assignee_id": None, "previous_assignee_id": None},
        ),
        ("listTeamAssignment", "GET", "/api/assignment/teams", None),
        ("setTeamAssignment", "PUT", "/api/assignment/teams/billing_team", {"auto_assign": True}),
        ("getTicketWorkflow", "GET", f"{t}/workflow", None),
        (
            "updateTicketDraft",
            "PUT",
            f"{t}/draft",
            {"content": "Hello, we refund.", "tone": "formal"},
        ),
        ("regenerateTicketDraft", "POST", f"{t}/draft/regenerate", {"tone": "friendly"}),
        ("setDraftReview", "PUT", f"{t}/draft/review", {"ready": True}),
        ("listDraftsForReview", "GET", "/api/drafts/review", None),
        # No LLM is configured in tests: the documented answer is a 409 problem.
        ("generateTicketDraft", "POST", f"{t}/draft/generate", None),
        ("startAnalysis", "POST", "/api/analyze", {"ticketIds": [ticket]}),
        ("listAnalysisRuns", "GET", "/api/analyze/runs", None),
        ("activeAnalyses", "GET", "/api/analyze/active", None),
        ("listAnalyzedTickets", "GET", "/api/tickets/analyzed", None),
    ]


def _operations(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {op["operationId"]: op for ops in spec["paths"].values() for op in ops.values()}


def _check(spec: dict[str, Any], operation: dict[str, Any], response: httpx.Response) -> None:
    answer = operation["responses"].get(str(response.status_code))
    assert answer is not None, f"{operation['operationId']}: undocumented {response.status_code}"
    if response.status_code == 204:
        assert not response.content and not answer.get("content")
        return
    media_type = response.headers["content-type"].split(";")[0]
    assert media_type in answer["content"], (operation["operationId"], media_type)
    schema = answer["content"][media_type].get("schema")
    if schema is not None and media_type.endswith("json"):
        full = {**schema, "components": spec["components"]}
        jsonschema_rs.Draft202012Validator(full).validate(response.json())


async def test_every_operation_answers_its_documented_schema(
    app: FastAPI, client: httpx.AsyncClient, smtp: tuple[Inbox, int]
) -> None:
    spec = (await client.get("/openapi.json")).json()
    operations = _operations(spec)
    ids = []
    for _ in range(2):
        created = await client.post("/api/tickets", json={"title": SUBJECT, "description": BODY})
        _check(spec, operations["createTicket"], created)
        ids.append(created.json()["id"])
    ticket, other = ids
    called = {"createTicket"}
    for operation_id, method, path, body in _calls(ticket, other):
        response = await client.request(method, path, json=body)
        _check(spec, operations[operation_id], response)
        called.add(operation_id)
        if operation_id == "startAnalysis":
            run = response.json()["id"]
            for follow_up, run_path in (
                ("getAnalysis", f"/api/analyze/{run}"),
                ("getAnalysisStatus", f"/api/analyze/{run}/status"),
            ):
                _check(spec, operations[follow_up], await client.get(run_path))
                called.add(follow_up)
    called |= await _check_accounts(client, spec, operations)
    with sending_through(app, smtp[1]) as context:  # sign-in links go by email only
        called |= await _check_conversation(client, spec, operations)
        # The sign-in link's email, as a worker sends it, and the customer signed in by it.
        called |= await _check_portal(app, client, spec, operations, context, smtp[0])
    called |= await _check_email_in(app, client, spec, operations)
    called |= await _check_sla(client, spec, operations, ticket)
    called |= await _check_macros(client, spec, operations, ticket)
    assert called | NOT_CALLED == operations.keys()


async def _check_accounts(
    client: httpx.AsyncClient, spec: dict[str, Any], operations: dict[str, dict[str, Any]]
) -> set[str]:
    """Users, links, tokens and sign-in: each step needs what an earlier one answered."""
    called = set()

    async def call(operation_id: str, method: str, path: str, body: Any = None) -> Any:
        response = await client.request(method, path, json=body)
        _check(spec, operations[operation_id], response)
        called.add(operation_id)
        return response.json() if response.content else None

    email, password = "new.agent@example.com", "a long enough password"
    invited = await call(
        "inviteUser", "POST", "/api/users", {"email": email, "name": "New Agent", "teams": []}
    )
    user_id, secret = invited["user"]["id"], invited["invitation"]["url"].split("=", 1)[1]
    await call("getLink", "GET", f"/api/auth/links/{secret}")
    await call("useLink", "POST", f"/api/auth/links/{secret}", {"password": password})
    await call("listUsers", "GET", "/api/users")
    await call("updateUser", "PATCH", f"/api/users/{user_id}", {"role": "viewer"})
    await call("resetPasswordLink", "POST", f"/api/users/{user_id}/reset-link")
    await call("getMe", "GET", "/api/auth/me")
    await call("updateMe", "PATCH", "/api/auth/me", {"status": "away"})
    token = await call("createToken", "POST", "/api/auth/tokens", {"name": "reports"})
    await call("listTokens", "GET", "/api/auth/tokens")
    await call("revokeToken", "DELETE", f"/api/auth/tokens/{token['id']}")
    await call("listAuditEvents", "GET", "/api/audit?action=auth.")
    await call("signIn", "POST", "/api/auth/sign-in", {"email": email, "password": password})
    await call("signOutEverywhere", "POST", "/api/auth/sign-out-everywhere")
    await call("signOut", "POST", "/api/auth/sign-out")
    return called


async def test_the_triage_status_with_an_llm_answers_its_schema(
    settings: Settings, fake_llm: FakeLLM, client: httpx.AsyncClient
) -> None:
    """With an LLM configured, the status has the most parts: the escalation counts, the
    LLM's last call and both circuits (triage's and the drafts')."""
    configured = settings.model_copy(
        update={
            "llm": LLMSettings(
                provider="openai-compatible",
                model="fake-model",
                base_url=f"{fake_llm.url}/v1",
                timeout_seconds=2,
                max_retries=0,
            ),
            "triage": TriageSettings(escalation_threshold=1.01),  # every ticket to the LLM
        }
    )
    application = create_app(configured)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", headers=client.headers
        ) as http:
            spec = (await http.get("/openapi.json")).json()
            operation = _operations(spec)["triageStatus"]
            for reply, outcome in ((Reply(), "ok"), (Reply(status=500), "server_error")):
                fake_llm.script(reply)
                await http.post("/api/tickets/classify", json={"description": BODY})
                response = await http.get("/api/triage/status")
                _check(spec, operation, response)
                provider = response.json()["provider"]
                assert provider["llm"]["last_outcome"] == outcome
                assert provider["drafts"]["circuit"] == "closed"
                assert provider["all_processes"]["llm_calls"] >= 1


async def test_finished_runs_answer_their_schema(client: httpx.AsyncClient, app: FastAPI) -> None:
    """A finished run's summary, with its shifts against an earlier run over the same
    tickets; and runs stored by older versions, which lack keys added since."""
    spec = (await client.get("/openapi.json")).json()
    operations = _operations(spec)
    ids = await make_tickets(client)
    runs = []
    for _ in range(2):
        runs.append((await client.post("/api/analyze", json={"ticketIds": ids})).json()["id"])
        await drain(app)
    response = await client.get(f"/api/analyze/{runs[1]}")
    _check(spec, operations["getAnalysis"], response)
    summary = response.json()["summary_data"]
    async with app.state.db.sessions() as session:
        stored = await session.scalar(
            select(AnalysisRun.summary_data).where(AnalysisRun.id == runs[1])
        )
    assert summary == stored  # the schema leaves out nothing the summary has
    assert summary["previous_run_id"] == runs[0]
    assert summary["relabelled"] is not None and summary["critical"]
    assert set(summary["categories"]["billing"]) == {
        "count",
        "share",
        "previous",
        "change",
        "share_change",
    }

    older = {key: value for key, value in summary.items() if key != "critical_done"}
    older["critical"] = [{k: v for k, v in c.items() if k != "status"} for c in older["critical"]]
    old_filter = {"status": ["open"], "category": [], "priority": [], "search": None}
    async with app.state.db.transaction() as session:
        for run, selection, data in (
            (runs[0], {"mode": "filter", "filter": old_filter}, None),
            (runs[1], {"mode": "ids"}, older),
        ):
            await session.execute(
                update(AnalysisRun)
                .where(AnalysisRun.id == run)
                .values(selection=selection, summary_data=data)
            )
    response = await client.get(f"/api/analyze/{runs[1]}")
    _check(spec, operations["getAnalysis"], response)
    assert response.json()["selection"] == {"mode": "ids"}
    assert response.json()["summary_data"] == older
    listed = await client.get("/api/analyze/runs")
    _check(spec, operations["listAnalysisRuns"], listed)
    assert listed.json()["items"][1]["selection"] == {"mode": "filter", "filter": old_filter}


async def _check_conversation(
    client: httpx.AsyncClient, spec: dict[str, Any], operations: dict[str, dict[str, Any]]
) -> set[str]:
    """The public form, the agents' thread and the customer's view by their link."""
    called = set()

    async def call(
        operation_id: str, method: str, path: str, body: Any = None, **headers: str
    ) -> Any:
        response = await client.request(method, path, json=body, headers=headers)
        _check(spec, operations[operation_id], response)
        called.add(operation_id)
        return response.json() if response.content else None

    form = {"name": "Ann Lee", "email": "ann@example.com", "title": SUBJECT, "description": BODY}
    filed = await call("createPublicTicket", "POST", "/api/public/tickets", form)
    ticket, secret = filed["ticket_id"], filed["url"].split("#", 1)[1]
    t = f"/api/tickets/{ticket}"
    reply = {"kind": "reply", "body": "We refunded one payment.", "resolve": True}
    await call("createMessage", "POST", f"{t}/messages", reply)
    await call("listMessages", "GET", f"{t}/messages")
    await call("getTicketPage", "GET", f"{t}/page")
    await call("announceTyping", "POST", f"{t}/typing")
    customer = {"X-Customer-Token": secret}
    await call("getCustomerTicket", "GET", "/api/customer/ticket", **customer)
    thanks = {"body": "Thank you, one more question."}
    await call("createCustomerMessage", "POST", "/api/customer/messages", thanks, **customer)
    await call("createCustomerSignInLink", "POST", f"{t}/customer-sign-in-link")
    contact = (await client.get(f"{t}/messages")).json()["contact"]
    acme = {"organisation": "Acme"}
    await call("updateContact", "PATCH", f"/api/contacts/{contact['id']}", acme)
    await call("listOrganisations", "GET", "/api/organisations")
    await call("setOrganisationSharing", "PUT", "/api/organisations/Acme", {"share_tickets": True})
    await call("createCustomerLink", "POST", f"{t}/customer-links")
    await call("revokeCustomerLinks", "DELETE", f"{t}/customer-links")
    return called


async def _check_portal(
    app: FastAPI,
    client: httpx.AsyncClient,
    spec: dict[str, Any],
    operations: dict[str, dict[str, Any]],
    context: JobContext,
    inbox: Inbox,
) -> set[str]:
    """The customer signed in by the emailed link: their tickets, one of them, a message.
    A new link: revoking the ticket's links (in the conversation's check) ended the last."""
    async with app.state.db.sessions() as session:
        filed = await session.scalar(select(func.max(OutboundEmail.ticket_id)))
    await client.post(f"/api/tickets/{filed}/customer-sign-in-link")
    async with app.state.db.sessions() as session:
        newest = await session.scalar(select(func.max(OutboundEmail.id)))
    await send(context, email_id=newest)
    text = inbox.received[-1].get_body(preferencelist=("plain",)).get_content()
    secret = {"secret": text.split("#signin=", 1)[1].split()[0]}
    signed = await client.post("/api/customer/sessions", json=secret)
    _check(spec, operations["customerSignIn"], signed)
    portal = {"X-Customer-Token": signed.json()["token"]}
    listed = await client.get("/api/customer/tickets", headers=portal)
    _check(spec, operations["listCustomerTickets"], listed)
    ticket = listed.json()["tickets"][0]["id"]
    one = await client.get(f"/api/customer/tickets/{ticket}", headers=portal)
    _check(spec, operations["getCustomerTicketById"], one)
    more = {"body": "And another thing."}
    on = f"/api/customer/tickets/{ticket}/messages"
    wrote = await client.post(on, json=more, headers=portal)
    _check(spec, operations["createCustomerMessageOn"], wrote)
    out = await client.delete("/api/customer/sessions/current", headers=portal)
    _check(spec, operations["customerSignOut"], out)
    return {
        "customerSignIn",
        "listCustomerTickets",
        "getCustomerTicketById",
        "createCustomerMessageOn",
        "customerSignOut",
    }


async def _check_email_in(
    app: FastAPI,
    client: httpx.AsyncClient,
    spec: dict[str, Any],
    operations: dict[str, dict[str, Any]],
) -> set[str]:
    """An email posted to the signed webhook, filed, and its attachment downloaded."""
    raw = corpus("attachments_and_inline_image.eml")
    digest = hmac.new(b"contract-secret", raw, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "message/rfc822", "X-Supportdesk-Signature": f"sha256={digest}"}
    with running_with(app, with_email(app.state.settings, inbound_secret="contract-secret")):
        posted = await client.post(WEBHOOK_PATH, content=raw, headers=headers)
    _check(spec, operations["receiveInboundEmail"], posted)
    async with app.state.db.sessions() as session:
        email_id = await session.scalar(select(func.max(InboundEmail.id)))
    await inbox.ingest(app.state.db, email_id, app.state.triage.classifier, app.state.settings)
    async with app.state.db.sessions() as session:
        ticket = await session.scalar(
            select(InboundEmail.ticket_id).where(InboundEmail.id == email_id)
        )
    thread = (await client.get(f"/api/tickets/{ticket}/messages")).json()["messages"]
    file = thread[0]["attachments"][1]
    download = await client.get(f"/api/tickets/{ticket}/attachments/{file['id']}")
    _check(spec, operations["downloadAttachment"], download)
    assert download.content.startswith(b"%PDF")
    return {"receiveInboundEmail", "downloadAttachment"}


async def _check_sla(
    client: httpx.AsyncClient,
    spec: dict[str, Any],
    operations: dict[str, dict[str, Any]],
    ticket: int,
) -> set[str]:
    """SLA settings, a ticket's targets and attainment."""
    targets = {
        "first_response_minutes": 30,
        "next_response_minutes": 60,
        "resolution_minutes": None,
    }
    hours = {"mon": {"start": "09:00", "end": "17:00"}}
    calendar = {
        "timezone": "Europe/Berlin",
        "hours": hours,
        "country": "DE",
        "holidays": ["2026-12-24"],
    }
    calls = [
        ("setSlaTargets", "PUT", "/api/sla/targets/high", targets),
        ("listSlaTargets", "GET", "/api/sla/targets", None),
        ("setSlaCalendar", "PUT", "/api/sla/calendars/billing_team", calendar),
        ("listSlaCalendars", "GET", "/api/sla/calendars", None),
        ("ticketSla", "GET", f"/api/tickets/{ticket}/sla", None),
        ("slaAttainment", "GET", "/api/sla/attainment?days=30", None),
        ("deleteSlaCalendar", "DELETE", "/api/sla/calendars/billing_team", None),
    ]
    for operation_id, method, path, body in calls:
        _check(spec, operations[operation_id], await client.request(method, path, json=body))
    return {operation_id for operation_id, *_ in calls}


async def _check_macros(
    client: httpx.AsyncClient,
    spec: dict[str, Any],
    operations: dict[str, dict[str, Any]],
    ticket: int,
) -> set[str]:
    """Macros: written, listed, suggested, applied, deleted."""
    macro = {
        "name": "Thanks",
        "body": "Hello {{ customer.first_name }}, thank you.",
        "category": "billing",
        "actions": {"priority": "low"},
    }
    made = await client.post("/api/macros", json=macro)
    _check(spec, operations["createMacro"], made)
    path = f"/api/macros/{made.json()['id']}"
    calls = [
        ("updateMacro", "PUT", path, {**macro, "body": "Thank you."}),
        ("listMacros", "GET", "/api/macros", None),
        ("suggestMacros", "GET", f"/api/tickets/{ticket}/macros/suggested", None),
        ("applyMacro", "POST", f"/api/tickets/{ticket}/macros/{made.json()['id']}", None),
        ("deleteMacro", "DELETE", path, None),
    ]
    for operation_id, method, url, body in calls:
        _check(spec, operations[operation_id], await client.request(method, url, json=body))
    return {"createMacro", *(operation_id for operation_id, *_ in calls)}
