"""Cases schemathesis found where /openapi.json and the server disagreed: each now agrees."""

import re
from typing import Any

import httpx
import jsonschema_rs
import pytest

from supportdesk.text import VISIBLE_CHARACTER
from supportdesk.tickets.search import SEARCH_PATTERN


async def request_schema(client: httpx.AsyncClient, path: str) -> dict[str, Any]:
    spec = (await client.get("/openapi.json")).json()
    ref = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    ref = ref.get("$ref") or ref["anyOf"][0]["$ref"]  # an optional body is anyOf [it, null]
    return dict(spec["components"]["schemas"][ref.rsplit("/", 1)[1]])


async def test_merge_documents_its_bounds_as_minimum_and_maximum(
    client: httpx.AsyncClient,
) -> None:
    into = (await request_schema(client, "/api/tickets/{ticket_id}/merge"))["properties"]["into"]
    assert (into["minimum"], "ge" in into) == (1, False)


async def test_analyze_documents_not_both(client: httpx.AsyncClient) -> None:
    schema = await request_schema(client, "/api/analyze")
    assert schema["not"]["required"] == ["ticketIds", "filter"]
    response = await client.post("/api/analyze", json={"ticketIds": [1], "filter": {}})
    assert response.status_code == 422


@pytest.mark.parametrize("email", ["0", "a b@c.com", "a@b", ".a@b.com"])
async def test_an_address_off_the_documented_pattern_is_refused(
    client: httpx.AsyncClient, email: str
) -> None:
    schema = await request_schema(client, "/api/v1/workflow/extract")
    pattern = schema["properties"]["customer_email"]["anyOf"][0]["pattern"]
    assert re.search(pattern, email) is None
    body = {"subject": "s", "body": "b", "customer_email": email}
    response = await client.post("/api/v1/workflow/extract", json=body)
    assert response.status_code == 422 and "customer_email" in response.json()["errors"]


async def test_a_documented_address_is_accepted(client: httpx.AsyncClient) -> None:
    body = {"subject": "s", "body": "b", "customer_email": "ann@example.com\n"}
    response = await client.post("/api/v1/workflow/extract", json=body)
    assert response.status_code == 200, response.text


async def test_unassigned_code_points_are_text(client: httpx.AsyncClient) -> None:
    assert re.search(VISIBLE_CHARACTER, "\U0008e0d7")
    response = await client.post("/api/tickets/", json={"title": "0", "description": "\U0008e0d7"})
    assert response.status_code == 201, response.text


async def test_title_length_counts_the_text_as_sent(client: httpx.AsyncClient) -> None:
    body = {"subject": "x" * 200 + "\x00", "body": "b"}
    response = await client.post("/api/v1/workflow/classify", json=body)
    assert response.status_code == 422 and "subject" in response.json()["errors"]


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return own + [p for value in node.values() for p in _patterns(value)]
    if isinstance(node, list):
        return [p for item in node for p in _patterns(item)]
    return []


async def test_every_pattern_compiles_in_a_schema_tool(client: httpx.AsyncClient) -> None:
    # jsonschema-rs (Rust's regex engine) refused the surrogate range the visible-text
    # pattern named, so schemathesis dropped that pattern and sent blank text as valid.
    patterns = set(_patterns((await client.get("/openapi.json")).json()))
    assert VISIBLE_CHARACTER in patterns
    for pattern in patterns:
        jsonschema_rs.validator_for({"type": "string", "pattern": pattern})


@pytest.mark.parametrize("text", ["\x1f\x7f\x9a\xa0", "\x8b", "\u200d\u00ad \ufeff"])
async def test_blank_looking_text_is_off_the_documented_pattern(
    client: httpx.AsyncClient, text: str
) -> None:
    assert re.search(VISIBLE_CHARACTER, text) is None
    body = {"subject": text, "body": "b", "category": "account", "severity": "low"}
    response = await client.post("/api/v1/workflow/route", json=body)
    assert response.status_code == 422 and "subject" in response.json()["errors"]


async def test_a_lone_surrogate_is_no_text(client: httpx.AsyncClient) -> None:
    # No JSON Schema string holds one (nor does a Rust one), so no pattern need name it.
    raw = b'{"title": "\\ud800", "description": "a\\udfffb"}'
    headers = {"content-type": "application/json"}
    response = await client.post("/api/tickets/", content=raw, headers=headers)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"title", "description"}


@pytest.mark.parametrize("value", [0, 1, "true"])
async def test_process_flags_are_booleans_as_documented(
    client: httpx.AsyncClient, value: object
) -> None:
    ticket = {"subject": "Refund", "body": "Please refund order ORD-1."}
    for flag in ("enable_parallel", "skip_response_generation"):
        body = {"ticket": ticket, "options": {flag: value}}
        response = await client.post("/api/v1/workflow/process", json=body)
        assert response.status_code == 422, (flag, value, response.text)
        assert f"options.{flag}" in response.json()["errors"]


async def test_search_documents_what_it_needs(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    (search,) = [
        p for p in spec["paths"]["/api/tickets"]["get"]["parameters"] if p["name"] == "search"
    ]
    assert search["schema"]["anyOf"][0]["pattern"] == SEARCH_PATTERN
    analyze_filter = spec["components"]["schemas"]["AnalyzeFilter"]["properties"]["search"]
    assert analyze_filter["anyOf"][0]["pattern"] == SEARCH_PATTERN
