"""The workflow API: reference 004's `/api/v1/workflow/*` shapes, the per-ticket workflow,
draft edits, and bad input as problem+json naming the field (SQLite and PostgreSQL)."""

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from supportdesk.config import ROOT
from supportdesk.jobs.registry import JobContext
from supportdesk.workflow.tasks import process_ticket
from tests.factories import make_ticket

CRASH = {
    "subject": "Application crashes on startup",
    "body": "Hi, I have been trying to launch the application but it keeps crashing. I get "
    "an error code ERR-5003 every time. This is urgent!",
    "customer_email": "john.doe@example.com",
}
BILLING = {
    "subject": "Double charged for subscription",
    "body": "Hello, I was charged twice this month for my Pro subscription. The amounts are "
    "$29.99 on January 15th and again on January 20th. My order IDs are ORD-111 and ORD-112. "
    "Please refund the duplicate.",
}


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


async def test_process_returns_the_reference_shape(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/workflow/process", json={"ticket": CRASH})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) >= {
        "ticket_id",
        "classification",
        "extracted_fields",
        "response_draft",
        "routing",
        "total_duration_ms",
    }
    classification = body["classification"]
    assert set(classification) >= {
        "category",
        "category_confidence",
        "severity",
        "severity_confidence",
        "secondary_categories",
        "keywords_matched",
        "urgency_indicators",
        "reasoning",
    }
    assert classification["category"] == "technical"
    assert "urgent" in [u.lower() for u in classification["urgency_indicators"]]
    fields = body["extracted_fields"]["fields"]
    assert {"name": "error_code", "value": "ERR-5003", "confidence": 1.0}.items() <= fields[
        0
    ].items()
    draft = body["response_draft"]
    assert set(draft) >= {"content", "tone", "suggested_actions"}
    assert draft["tone"] == "friendly" and "ERR-5003" in draft["content"]
    routing = body["routing"]
    assert set(routing) >= {"team", "priority", "reasoning"}
    assert routing["priority"] == classification["severity"]
    assert routing["due_at"].endswith("Z")
    assert isinstance(body["total_duration_ms"], float)


async def test_process_options(client: httpx.AsyncClient) -> None:
    body = {"ticket": BILLING, "options": {"response_tone": "formal", "enable_parallel": True}}
    result = (await client.post("/api/v1/workflow/process", json=body)).json()
    assert result["response_draft"]["tone"] == "formal"
    assert result["routing"]["team"] == "billing_team"
    skipped = {"ticket": BILLING, "options": {"skip_response_generation": True}}
    result = (await client.post("/api/v1/workflow/process", json=skipped)).json()
    assert result["response_draft"] is None


async def test_process_minimal_content(client: httpx.AsyncClient) -> None:
    body = {"ticket": {"subject": "Help", "body": "?"}}
    result = (await client.post("/api/v1/workflow/process", json=body)).json()
    assert result["extracted_fields"]["fields"] == []
    assert "more" in result["response_draft"]["content"]


async def test_classify(client: httpx.AsyncClient) -> None:
    body = {
        "subject": "Bug in export feature",
        "body": "When I export my report to PDF, the application freezes every time. "
        "Error message shows ERR-EXP-001.",
    }
    result = (await client.post("/api/v1/workflow/classify", json=body)).json()
    assert result["category"] == "technical"
    assert 0 < result["category_confidence"] <= 1
    assert result["severity"] in {"low", "medium", "high", "critical"}
    assert "export" in result["keywords_matched"]


async def test_extract(client: httpx.AsyncClient) -> None:
    body = {
        "subject": "Order ORD-789012 never arrived",
        "body": "My order #ORD-789012 was supposed to arrive on 2024-01-15. You can reach me "
        "at waiting.customer@email.com or 555-987-6543, or +1 555. The order was for $149.99.",
        "category": "billing",
    }
    result = (await client.post("/api/v1/workflow/extract", json=body)).json()
    named = {(f["name"], f["value"]) for f in result["fields"]}
    assert {
        ("order_id", "ORD-789012"),
        ("email", "waiting.customer@email.com"),
        ("date", "2024-01-15"),
        ("amount", "149.99 USD"),
    } <= named
    invalid = [f for f in result["fields"] if not f["valid"]]
    assert {f["value"] for f in invalid} == {"555-987-6543", "+1 555"}
    assert result["missing_required"] == []
    assert len(result["validation_errors"]) == 2
    no_ids = {"subject": "Refund", "body": "Please refund me.", "category": "billing"}
    result = (await client.post("/api/v1/workflow/extract", json=no_ids)).json()
    assert result["missing_required"] == ["order_id"]


async def test_respond(client: httpx.AsyncClient) -> None:
    body = {
        "subject": "Need help with installation",
        "body": "I downloaded the software but cannot figure out how to install it.",
        "category": "technical",
        "severity": "medium",
        "extracted_fields": {"fields": [{"name": "order_id", "value": ["A-1", "A-2"]}]},
        "tone": "empathetic",
    }
    result = (await client.post("/api/v1/workflow/respond", json=body)).json()
    assert result["tone"] == "empathetic"
    assert result["requires_escalation"] is False
    assert result["suggested_actions"]
    assert "I'm sorry" in result["content"]


async def test_route(client: httpx.AsyncClient) -> None:
    body = {
        "subject": "Critical payment failure",
        "body": "Payment processing is completely down. All transactions failing. Urgent!",
        "category": "billing",
        "severity": "critical",
        "extracted_fields": {"fields": []},
    }
    result = (await client.post("/api/v1/workflow/route", json=body)).json()
    assert result["team"] == "escalation_team"
    assert result["priority"] == "critical"
    assert result["alternative_teams"][0] == "billing_team"
    assert "escalat" in result["reasoning"].lower()
    assert result["confidence"] == 0.95
    assert result["sla_hours"] == 1


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("process", {}, "ticket"),
        ("process", {"ticket": {"body": "x"}}, "ticket.subject"),
        ("process", {"ticket": {"subject": "s", "body": "  "}}, "ticket.body"),
        (
            "process",
            {"ticket": {"subject": "s", "body": "b", "customer_email": "john@example"}},
            "ticket.customer_email",
        ),
        (
            "process",
            {"ticket": {"subject": "s", "body": "b"}, "options": {"response_tone": "rude"}},
            "options.response_tone",
        ),
        ("process", {"ticket": {"subject": "s", "body": "b", "id": 1}}, "ticket.id"),
        ("classify", {"subject": "s"}, "body"),
        ("classify", {"subject": "x" * 201, "body": "b"}, "subject"),
        ("extract", {"subject": "s", "body": "b" * 20_001}, "body"),
        ("extract", {"subject": "s", "body": "b", "category": "sales"}, "category"),
        ("route", {"subject": "s", "body": "b", "category": "billing"}, "severity"),
        (
            "route",
            {
                **{"subject": "s", "body": "b", "category": "billing", "severity": "low"},
                "extracted_fields": {"fields": [{"name": "a", "value": "1", "confidence": False}]},
            },
            "extracted_fields.fields.0.confidence",
        ),
        (
            "route",
            {"subject": "s", "body": "b", "category": "bug_report", "severity": "high"},
            "category",
        ),
        (
            "respond",
            {"subject": "s", "body": "b", "category": "billing", "severity": "low", "tone": "x"},
            "tone",
        ),
        (
            "respond",
            {
                "subject": "s",
                "body": "b",
                "category": "billing",
                "severity": "low",
                "extracted_fields": {"fields": [{"name": "Bad Name", "value": "v"}]},
            },
            "extracted_fields.fields.0.name",
        ),
        (
            "respond",
            {
                "subject": "s",
                "body": "b",
                "category": "billing",
                "severity": "low",
                "extracted_fields": {"fields": [{"name": "amount", "value": True}]},
            },
            "extracted_fields.fields.0.value.float",
        ),
    ],
)
async def test_bad_input_names_the_field(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], field: str
) -> None:
    errors = problem(await client.post(f"/api/v1/workflow/{path}", json=body), 422)["errors"]
    assert field in errors, errors


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1e400"])
async def test_a_known_amount_must_be_a_finite_number(
    client: httpx.AsyncClient, number: str
) -> None:
    fields = f'{{"fields": [{{"name": "amount", "value": {number}}}]}}'
    ticket = '"subject": "s", "body": "b", "category": "billing", "severity": "low"'
    body = f'{{{ticket}, "extracted_fields": {fields}}}'
    response = await client.post(
        "/api/v1/workflow/respond", content=body, headers={"content-type": "application/json"}
    )
    assert "extracted_fields.fields.0.value.float" in problem(response, 422)["errors"]


# --- the per-ticket workflow ---------------------------------------------------------------


async def _processed_ticket(client: httpx.AsyncClient, app: FastAPI) -> dict[str, Any]:
    ticket = await make_ticket(
        client,
        title="Charged twice",
        description="Order ORD-42 was charged $10 twice. Call +1 555.",
    )
    context = JobContext(app.state.settings, app.state.db, app.state.triage)
    await process_ticket(context, ticket_id=ticket["id"])
    return ticket


async def test_ticket_workflow_before_and_after_processing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    ticket = await make_ticket(client)
    empty = (await client.get(f"/api/tickets/{ticket['id']}/workflow")).json()
    assert empty == {"ticket_id": ticket["id"], "facts": None, "routing": None, "draft": None}
    ticket = await _processed_ticket(client, app)
    result = (await client.get(f"/api/tickets/{ticket['id']}/workflow")).json()
    assert result["ticket_id"] == ticket["id"]
    names = {(f["name"], f["value"], f["valid"]) for f in result["facts"]["fields"]}
    assert ("order_id", "ORD-42", True) in names and ("phone", "+1 555", False) in names
    routing = result["routing"]
    assert routing["team"] == "billing_team"
    assert routing["due_at"].endswith("Z")
    assert routing["sla_breached"] is False
    assert isinstance(routing["alternatives"], list) and routing["reasoning"]
    draft = result["draft"]
    assert draft["edited"] is False and draft["source"] == "template"
    assert "ORD-42" in draft["content"]
    listed = (await client.get(f"/api/tickets/{ticket['id']}")).json()
    assert (listed["team"], listed["due_at"]) == ("billing_team", routing["due_at"])


async def test_edit_and_regenerate_a_draft(client: httpx.AsyncClient, app: FastAPI) -> None:
    ticket = await _processed_ticket(client, app)
    url = f"/api/tickets/{ticket['id']}/draft"
    edited = (await client.put(url, json={"content": "  My words.  ", "tone": "formal"})).json()
    assert (edited["content"], edited["tone"], edited["edited"]) == ("My words.", "formal", True)
    assert edited["suggested_actions"]  # kept from the generated draft
    regenerated = await client.post(f"{url}/regenerate", json={"tone": "empathetic"})
    assert regenerated.status_code == 200, regenerated.text
    fresh = regenerated.json()
    assert (fresh["tone"], fresh["edited"], fresh["source"]) == ("empathetic", False, "template")
    assert "ORD-42" in fresh["content"]
    again = (await client.post(f"{url}/regenerate")).json()
    assert again["tone"] == "empathetic"  # no tone asked: the current one stays


async def test_saving_the_draft_in_another_tone_rewrites_it(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    ticket = await _processed_ticket(client, app)
    url = f"/api/tickets/{ticket['id']}/draft"
    friendly = (await client.get(f"/api/tickets/{ticket['id']}/workflow")).json()["draft"]
    answer = await client.put(url, json={"content": friendly["content"], "tone": "formal"})
    assert answer.status_code == 200, answer.text
    formal = answer.json()
    assert (formal["tone"], formal["edited"], formal["source"]) == ("formal", False, "template")
    assert formal["content"] != friendly["content"] and "ORD-42" in formal["content"]


async def test_a_draft_can_be_written_before_any_processing(client: httpx.AsyncClient) -> None:
    ticket = await make_ticket(client)
    url = f"/api/tickets/{ticket['id']}/draft"
    draft = (await client.put(url, json={"content": "Hi!", "tone": "friendly"})).json()
    assert (draft["content"], draft["edited"], draft["suggested_actions"]) == ("Hi!", True, [])
    regenerated = (await client.post(f"{url}/regenerate", json={})).json()
    assert regenerated["edited"] is False
    assert (await client.get(f"/api/tickets/{ticket['id']}/workflow")).json()["routing"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/tickets/999999/workflow", None),
        ("PUT", "/api/tickets/999999/draft", {"content": "x", "tone": "formal"}),
        ("POST", "/api/tickets/999999/draft/regenerate", {"tone": "formal"}),
    ],
)
async def test_unknown_ticket_is_404(
    client: httpx.AsyncClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    body_json = problem(await client.request(method, path, json=body), 404)
    assert "999999" in body_json["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"content": "x"}, "tone"),
        ({"content": " \n ", "tone": "formal"}, "content"),
        ({"content": "x", "tone": "sarcastic"}, "tone"),
        ({"content": "x", "tone": "formal", "edited": False}, "edited"),
        ({"content": "x" * 20_001, "tone": "formal"}, "content"),
    ],
)
async def test_bad_draft_edits_name_the_field(
    client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    ticket = await make_ticket(client)
    response = await client.put(f"/api/tickets/{ticket['id']}/draft", json=body)
    assert field in problem(response, 422)["errors"]
    regenerate = await client.post(
        f"/api/tickets/{ticket['id']}/draft/regenerate", json={"tone": "loud"}
    )
    assert "tone" in problem(regenerate, 422)["errors"]


async def test_openapi_lists_the_workflow_operations(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "workflowProcess",
        "workflowClassify",
        "workflowExtract",
        "workflowRespond",
        "workflowRoute",
        "getTicketWorkflow",
        "updateTicketDraft",
        "regenerateTicketDraft",
    } <= ids


async def test_teams_are_the_routing_files(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    response = await client.get("/api/teams")
    assert response.status_code == 200
    teams = response.json()
    assert {"id": "billing_team", "name": "billing team", "escalation": False} in teams
    assert [t["id"] for t in teams if t["escalation"]] == ["escalation_team"]

    # An operator who adds a team to the routing file sees it offered (UI filters use this).
    custom = tmp_path / "routing.toml"
    default = (ROOT / "config" / "routing.toml").read_text()
    custom.write_text(default.replace("[teams]\n", '[teams]\nreturns_desk = "returns desk"\n'))
    monkeypatch.setattr(app.state.settings.workflow, "routing_file", custom)
    ids = [t["id"] for t in (await client.get("/api/teams")).json()]
    assert ids[0] == "returns_desk" and "billing_team" in ids
