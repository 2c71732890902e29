"""Bad input gets a problem+json answer naming the field, and writes nothing."""

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.factories import make_ticket

VALID = {"title": "T", "description": "D", "category": "general", "priority": "low"}


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"]
    return body


async def ticket_count(client: httpx.AsyncClient) -> int:
    return int((await client.get("/api/tickets/")).json()["count"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": None}, "title"),
        ({"description": ""}, "description"),
        ({"description": "\x00\x01 \n"}, "description"),
        ({"title": "x" * 201}, "title"),
        ({"description": "x" * 20_001}, "description"),
        ({"category": "sales"}, "category"),
        ({"priority": "urgent"}, "priority"),
        ({"status": "done"}, "status"),
        ({"owner": "me"}, "owner"),
        ({"ai_reasoning": "x" * 1001}, "ai_reasoning"),
        ({"ai_provider": "p" * 65}, "ai_provider"),
        ({"ai_confidence": False}, "ai_confidence"),
    ],
)
async def test_create_rejects_with_the_field_named(
    client: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    body = {k: v for k, v in {**VALID, **change}.items() if v is not None}
    assert field in problem(await client.post("/api/tickets/", json=body), 422)["errors"]
    assert await ticket_count(client) == 0


async def test_missing_body_fields(client: httpx.AsyncClient) -> None:
    errors = problem(await client.post("/api/tickets/", json={}), 422)["errors"]
    assert set(errors) == {"title", "description"}


async def test_malformed_json_and_wrong_content_type(client: httpx.AsyncClient) -> None:
    headers = {"content-type": "application/json"}
    for malformed in (b'{"title": ', b'{"title": "bad \xff\xfe bytes"}', b"[" * 100_000):
        body = problem(await client.post("/api/tickets/", content=malformed, headers=headers), 422)
        assert body["errors"] == {"body": ["malformed JSON"]}
    problem(await client.post("/api/tickets/", data={"title": "x"}), 415)
    assert await ticket_count(client) == 0


async def test_body_over_one_megabyte(client: httpx.AsyncClient) -> None:
    huge = {**VALID, "description": "x" * 1_100_000}
    problem(await client.post("/api/tickets/", json=huge), 413)

    async def chunks():  # type: ignore[no-untyped-def]
        yield b'{"title": "T", "description": "'
        for _ in range(11):
            yield b"x" * 100_000
        yield b'"}'

    streamed = await client.post(
        "/api/tickets/", content=chunks(), headers={"content-type": "application/json"}
    )
    problem(streamed, 413)
    assert await ticket_count(client) == 0


async def test_patch_rejects_unknown_fields_and_values(client: httpx.AsyncClient) -> None:
    ticket = await make_ticket(client)
    url = f"/api/tickets/{ticket['id']}/"
    assert "title" in problem(await client.patch(url, json={"title": "new"}), 422)["errors"]
    bad = await client.patch(url, json={"status": "closed", "priority": "asap"})
    assert "priority" in problem(bad, 422)["errors"]
    assert (await client.get(url)).json() == ticket


async def test_unknown_ids_paths_and_pages_are_json_404(client: httpx.AsyncClient) -> None:
    problem(await client.get("/api/tickets/999999/"), 404)
    problem(await client.patch("/api/tickets/999999", json={"status": "open"}), 404)
    problem(await client.get("/api/tickets/not-a-number"), 404)
    problem(await client.get("/api/nothing/here"), 404)
    problem(await client.post("/api/nothing", json={}), 404)
    await make_ticket(client)
    problem(await client.get("/api/tickets/", params={"page": 2}), 404)
    problem(await client.get("/api/tickets/", params={"page": 0}), 422)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/tickets/0", None),
        ("GET", "/api/tickets/2147483648", None),
        ("GET", "/api/tickets/9223372036854775808", None),
        ("PATCH", "/api/tickets/3000000000", {"status": "open"}),
        ("GET", "/api/tickets/3000000000/workflow", None),
        ("GET", "/api/tickets/3000000000/duplicates", None),
        ("PUT", "/api/tickets/3000000000/draft", {"content": "x", "tone": "formal"}),
        ("POST", "/api/tickets/3000000000/merge", {"into": 1}),
        ("GET", "/api/analyze/99999999999999999999", None),
        ("GET", "/api/analyze/3000000000/status", None),
    ],
)
async def test_ids_past_any_row_are_unknown_not_a_crash(
    client: httpx.AsyncClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    detail = problem(await client.request(method, path, json=body), 404)["detail"]
    assert "does not exist" in detail


@pytest.mark.parametrize("path", ["/api/tickets/", "/api/analyze/runs", "/api/tickets/analyzed"])
async def test_page_numbers_past_any_offset_are_refused(
    client: httpx.AsyncClient, path: str
) -> None:
    for page in ("99999999999999999999", "9223372036854775807"):
        assert "page" in problem(await client.get(path, params={"page": page}), 422)["errors"]


async def test_ai_fields_are_cleaned_like_the_text(client: httpx.AsyncClient) -> None:
    ticket = await make_ticket(client, ai_reasoning="\x00because\x07", ai_provider="lo\x00cal")
    assert (ticket["ai_reasoning"], ticket["ai_provider"]) == ("because", "local")


@pytest.mark.parametrize(
    "params",
    [
        {"status": "open,bogus"},
        {"category": "sales"},
        {"priority": "urgent"},
        {"ordering": "title; drop"},
        {"page_size": "1000"},
        {"page": "abc"},
        {"team": "a\x00b"},
        {"team": "billing,Billing Team"},
    ],
)
async def test_bad_filters_name_the_parameter(
    client: httpx.AsyncClient, params: dict[str, str]
) -> None:
    body = problem(await client.get("/api/tickets/", params=params), 422)
    assert set(params) <= set(body["errors"])


@pytest.mark.parametrize(
    "column_value",
    [
        ("category", "'sales'"),
        ("priority", "'urgent'"),
        ("status", "'done'"),
        ("title", "'  '"),
        ("description", "''"),
    ],
)
async def test_database_refuses_invalid_rows(
    client: httpx.AsyncClient, column_value: tuple[str, str]
) -> None:
    column, value = column_value
    row = {
        "title": "'t'",
        "description": "'d'",
        "category": "'billing'",
        "priority": "'low'",
        "status": "'open'",
        "created_at": "CURRENT_TIMESTAMP",
        "updated_at": "CURRENT_TIMESTAMP",
        column: value,
    }
    statement = text(f"INSERT INTO tickets ({', '.join(row)}) VALUES ({', '.join(row.values())})")
    app = client._transport.app  # type: ignore[attr-defined]
    with pytest.raises(IntegrityError):
        async with app.state.db.engine.begin() as connection:
            await connection.execute(statement)
