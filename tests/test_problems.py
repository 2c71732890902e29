import re
from typing import Any

import httpx

from supportdesk.app import create_app
from supportdesk.config import Settings

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in spec["paths"].items() for method, op in ops.items()]


def test_every_error_status_is_documented_as_a_problem(settings: Settings) -> None:
    spec = create_app(settings).openapi()
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert set(spec["components"]["schemas"]["Problem"]["required"]) == {"title", "status"}
    for path, method, op in _operations(spec):
        errors = {status: r for status, r in op["responses"].items() if int(status) >= 400}
        for answer in errors.values():
            assert answer["content"] == PROBLEM, (method, path)
        if "{" in path:
            assert "404" in errors, (method, path)
        if "requestBody" in op:
            assert {"413", "415", "422"} <= errors.keys(), (method, path)


def test_conflicts_are_documented_where_routes_raise_them(settings: Settings) -> None:
    spec = create_app(settings).openapi()["paths"]
    assert "409" in spec["/api/tickets/{ticket_id}/merge"]["post"]["responses"]
    assert "503" in spec["/api/tickets/{ticket_id}/duplicates"]["get"]["responses"]
    assert "409" in spec["/api/analyze"]["post"]["responses"]


def test_json_answers_are_documented_with_their_model(settings: Settings) -> None:
    spec = create_app(settings).openapi()["paths"]
    ok = spec["/api/tickets/{ticket_id}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/TicketOut"}


async def test_an_invalid_body_is_a_problem_naming_the_field(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/tickets", json={"title": "", "description": "x"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "title" in response.json()["errors"]


def test_request_constraints_the_server_checks_are_in_the_schema(settings: Settings) -> None:
    spec = create_app(settings).openapi()
    schemas, paths = spec["components"]["schemas"], spec["paths"]
    title = schemas["TicketCreate"]["properties"]["title"]
    assert title["minLength"] == 1 and title["maxLength"] == 200
    assert re.search(title["pattern"], " \t\x07\u200b") is None  # blank text is refused
    assert re.search(title["pattern"], " a ") is not None
    ticket_ids = schemas["AnalyzeRequest"]["properties"]["ticketIds"]["anyOf"][0]
    assert ticket_ids["minItems"] == 1
    assert "404" in paths["/api/tickets"]["get"]["responses"]  # a page past the last


def test_list_filters_document_the_values_they_take(settings: Settings) -> None:
    parameters = create_app(settings).openapi()["paths"]["/api/tickets"]["get"]["parameters"]
    priority = next(p for p in parameters if p["name"] == "priority")
    pattern = priority["schema"]["anyOf"][0]["items"]["pattern"]
    assert re.search(pattern, "low, high") is not None
    assert re.search(pattern, "low,urgent") is None
    ordering = next(p for p in parameters if p["name"] == "ordering")
    assert "-created_at" in ordering["schema"]["anyOf"][0]["enum"]
