"""Cases schemathesis found where /openapi.json and the server disagreed: each now agrees."""

import re
from typing import Any

import httpx
import pytest

from supportdesk.text import VISIBLE_CHARACTER


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
