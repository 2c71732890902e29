"""Every route of the app against one table of who may call it. A new route without a rule,
or with a rule this table does not expect, fails here."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from supportdesk.auth.access import RouteRules, route_rules
from tests.factories import bearer, make_staff, make_ticket

# operationId (or route name, for routes outside the schema) -> rule.
EXPECTED = {
    "health": "public",
    "readiness": "public",
    "metrics": "admin",
    "signIn": "public",
    "getLink": "public",
    "useLink": "public",
    "createPublicTicket": "public",
    "receiveInboundEmail": "public",
    "customerSignIn": "public",
    # Read: viewers and up.
    **dict.fromkeys(
        [
            "getMe",
            "updateMe",
            "signOut",
            "signOutEverywhere",
            "listTokens",
            "createToken",
            "revokeToken",
            "listUsers",
            "listTickets",
            "getTicket",
            "ticketStats",
            "triageStatus",
            "listDuplicates",
            "listMerged",
            "listTeams",
            "getTicketWorkflow",
            "events",
            "ticketHistory",
            "listTeamAssignment",
            "ticketViews",
            "ticketWorkload",
            "listMessages",
            "downloadAttachment",
            "ticketSla",
            "listSlaTargets",
            "listSlaCalendars",
            "slaAttainment",
            "listMacros",
            "suggestMacros",
            "getTicketPage",
            "listDraftsForReview",
        ],
        "viewer",
    ),
    # Work on tickets: agents and admins.
    **dict.fromkeys(
        [
            "createTicket",
            "updateTicket",
            "classifyTicket",
            "announceTyping",
            "applyMacro",
            "setDraftReview",
            "mergeTicket",
            "workflowProcess",
            "workflowClassify",
            "workflowExtract",
            "workflowRespond",
            "workflowRoute",
            "updateTicketDraft",
            "regenerateTicketDraft",
            "generateTicketDraft",
            "assignTicket",
            "createMessage",
            "createCustomerLink",
            "revokeCustomerLinks",
            "createCustomerSignInLink",
            "updateContact",
        ],
        "agent",
    ),
    # People and the record of what they did: admins.
    **dict.fromkeys(
        [
            "inviteUser",
            "updateUser",
            "resetPasswordLink",
            "listAuditEvents",
            "setTeamAssignment",
            "setSlaTargets",
            "setSlaCalendar",
            "deleteSlaCalendar",
            "createMacro",
            "updateMacro",
            "deleteMacro",
            # Batch analysis reads every team's tickets.
            "startAnalysis",
            "listAnalysisRuns",
            "activeAnalyses",
            "getAnalysis",
            "getAnalysisStatus",
            "listAnalyzedTickets",
            "listOrganisations",
            "setOrganisationSharing",
        ],
        "admin",
    ),
    # A customer's private link (X-Customer-Token): their one ticket, no id in the path.
    **dict.fromkeys(
        [
            "getCustomerTicket",
            "createCustomerMessage",
            # Signed in by a one-time link, or with a private link: theirs by id.
            "listCustomerTickets",
            "getCustomerTicketById",
            "createCustomerMessageOn",
            "customerSignOut",
        ],
        "customer",
    ),
}
# Framework routes that serve no data: the schema, the API docs and the built UI's files.
NOT_API = {"openapi", "custom_swagger_ui_html", "swagger_ui_redirect", "redoc_html", "ui"}
# Served outside /api: the health checks and the Prometheus scrape.
OUTSIDE_API = {"health", "readiness", "metrics"}


def _api_routes(app: FastAPI) -> dict[str, RouteRules]:
    return {route.name: route for route in route_rules(app) if route.path.startswith("/api")}


def test_every_api_route_declares_exactly_the_rule_the_table_expects(app: FastAPI) -> None:
    routes = _api_routes(app)
    assert len(routes) > 30, "routes not found"
    assert {name: route.rules for name, route in routes.items() if len(route.rules) != 1} == {}
    assert {name: route.rules[0] for name, route in routes.items()} == {
        name: rule for name, rule in EXPECTED.items() if name in routes
    }
    assert set(EXPECTED) - set(routes) == OUTSIDE_API


def test_routes_outside_the_api_are_the_known_ones(app: FastAPI) -> None:
    others = {route.name: route.rules for route in route_rules(app)}
    others = {name: rules for name, rules in others.items() if name not in _api_routes(app)}
    assert set(others) <= NOT_API | OUTSIDE_API
    assert {name: others[name] for name in OUTSIDE_API} == {
        name: [EXPECTED[name]] for name in OUTSIDE_API
    }


def _example(route: RouteRules, ticket: int) -> tuple[str, str, Any]:
    """A request each route would accept from someone allowed: (method, path, body)."""
    path = (
        route.path.replace("{ticket_id:int}", str(ticket))
        .replace("{contact_id:int}", "1")
        .replace("{name:path}", "Acme")
        .replace("{ticket_id}", str(ticket))
        .replace("{run_id:int}", "1")
        .replace("{attachment_id:int}", "1")
        .replace("{user_id}", "1")
        .replace("{token_id}", "1")
        .replace("{secret}", "sdl_" + "x" * 40)
        .replace("{team}", "billing_team")
        .replace("{priority}", "high")
        .replace("{macro_id:int}", "1")
    )
    method = sorted(route.methods or {"GET"})[0]
    return method, path, {} if method in {"POST", "PUT", "PATCH"} else None


# A customer's link is no staff credential: staff rules answer it as anonymous (401).
_STAFF = {"anonymous": 401, "customer": 401}
OUTCOMES: dict[str, dict[str, int | None]] = {
    # The rule, and who asks -> the status refusing them for who they are (None: let in).
    "public": dict.fromkeys(["anonymous", "customer", "viewer", "agent", "admin"], None),
    "viewer": {**_STAFF, "viewer": None, "agent": None, "admin": None},
    "agent": {**_STAFF, "viewer": 403, "agent": None, "admin": None},
    "admin": {**_STAFF, "viewer": 403, "agent": 403, "admin": None},
    # Without a valid link, staff too: 404, as for a link that never existed.
    "customer": {**dict.fromkeys(["anonymous", "viewer", "agent", "admin"], 404), "customer": None},
}
# What a refusal looks like under each rule.
REFUSALS = {"customer": {404}}


async def test_each_role_is_refused_exactly_where_the_table_says(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ticket = (await make_ticket(client))["id"]
    form = {"name": "Ann", "email": "ann@example.com", "title": "Hi", "description": "Help"}
    filed = (await anonymous.post("/api/public/tickets", json=form)).json()
    link, customer_ticket = filed["url"], filed["ticket_id"]
    headers = {"anonymous": {}, "customer": {"X-Customer-Token": link.split("#", 1)[1]}}
    teams = tuple(app.state.team_names)  # the ticket's team among them: not a 404 here
    for role in ("viewer", "agent", "admin"):
        headers[role] = bearer((await make_staff(app, role, teams))[1])
    for name, route in _api_routes(app).items():
        if name == "events":
            continue  # an endless stream; tests/events covers it signed in
        rule = EXPECTED[name]
        # A customer's routes name the customer's own ticket; staff routes a staff one.
        method, path, body = _example(route, customer_ticket if rule == "customer" else ticket)
        for who, refusal in OUTCOMES[rule].items():
            response = await anonymous.request(method, path, json=body, headers=headers[who])
            refused = response.status_code in REFUSALS.get(rule, {401, 403})
            assert refused is (refusal is not None), (name, who, response.text)
            assert response.status_code < 500, (name, who, response.text)
            if refusal is not None:
                assert response.status_code == refusal, (name, who, response.text)
                assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("header", ["Bearer nope", "Basic abc", "Bearer "])
async def test_a_bad_credential_is_401_not_anonymous(
    anonymous: httpx.AsyncClient, header: str
) -> None:
    response = await anonymous.get("/api/tickets", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["title"] == "Sign-in required"
