"""Deep pages: keyset cursors beside page numbers, and totals that say when they are an
estimate."""

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from supportdesk.tickets import paging, service
from supportdesk.tickets.models import Ticket
from tests.factories import make_ticket

PRIORITIES = ["low", "high", "critical", "medium", "high", "low", "medium"]


@pytest.fixture
async def tickets(client: httpx.AsyncClient, app: FastAPI) -> list[int]:
    """Seven tickets with ties in every sort key: two created at the same moment, shared
    priorities, due times some empty, some resolved."""
    ids = [
        (await make_ticket(client, title=f"Refund {n}", priority=priority))["id"]
        for n, priority in enumerate(PRIORITIES)
    ]
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    async with app.state.db.transaction() as session:
        for n, ticket_id in enumerate(ids):
            due = None if n % 3 == 0 else start + timedelta(hours=n % 2)
            resolved = start if n in (1, 4) else None
            created = start + timedelta(minutes=min(n, 3))  # tickets 3.. share a moment
            await session.execute(
                update(Ticket)
                .where(Ticket.id == ticket_id)
                .values(created_at=created, updated_at=created, due_at=due, resolved_at=resolved)
            )
    return ids


async def _get(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/tickets", params=params)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


@pytest.mark.usefixtures("tickets")
@pytest.mark.parametrize("ordering", list(paging.ORDERINGS))
@pytest.mark.parametrize("search", [None, "refund"])
async def test_cursor_pages_walk_the_list_as_page_numbers_do(
    client: httpx.AsyncClient, ordering: str, search: str | None
) -> None:
    query = {"ordering": ordering, "page_size": 100} | ({"search": search} if search else {})
    whole = [t["id"] for t in (await _get(client, **query))["results"]]
    assert len(whole) == len(PRIORITIES)
    walked, params = [], {**query, "page_size": 2}
    while True:
        page = await _get(client, **params)
        walked += [t["id"] for t in page["results"]]
        if page["next_cursor"] is None:
            assert page["next"] is None
            break
        if "cursor" in params:  # after a cursor page, `next` follows cursors too
            assert "cursor=" in page["next"] and "page=" not in page["next"]
        params = {**query, "page_size": 2, "cursor": page["next_cursor"]}
    assert walked == whole


@pytest.mark.usefixtures("tickets")
async def test_a_page_number_link_and_a_cursor_lead_to_the_same_page(
    client: httpx.AsyncClient,
) -> None:
    first = await _get(client, page_size=3)
    by_number = await _get(client, page_size=3, page=2)
    by_cursor = await _get(client, page_size=3, cursor=first["next_cursor"])
    assert by_cursor["results"] == by_number["results"]
    assert by_cursor["count"] == by_number["count"] == len(PRIORITIES)
    assert by_cursor["previous"] is None  # a cursor reads forward only


def _forged(values: list[Any], made_for: str) -> str:
    """A cursor with a checksum that matches: what someone reading this code could make."""
    body = json.dumps([paging.CURSOR_VERSION, made_for, values]).encode()
    encoded = base64.urlsafe_b64encode(body).decode().rstrip("=")
    return f"{encoded}.{paging._checksum(body)}"


@pytest.mark.usefixtures("tickets")
async def test_a_cursor_not_given_by_this_list_is_refused_naming_it(
    client: httpx.AsyncClient,
) -> None:
    cursor = (await _get(client, page_size=2))["next_cursor"]
    encoded, _, checksum = cursor.partition(".")
    edited = encoded[:-2] + ("AA" if encoded[-2:] != "AA" else "BB") + "." + checksum
    made_for = service.list_key(service.TicketFilter(), "-created_at")
    for bad, params in (
        ("not a cursor", {}),
        (edited, {}),
        (cursor, {"status": "open"}),  # other filters
        (cursor, {"ordering": "id"}),  # another ordering
        (cursor, {"page": 2}),  # both
        (_forged(["yesterday", 3], made_for), {}),  # checksum right, values not ours
        (_forged([True, 3], made_for), {}),
        (_forged([1], made_for), {}),
    ):
        response = await client.get("/api/tickets", params={"cursor": bad, **params})
        assert response.status_code == 422, (bad, params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert "cursor" in response.json()["errors"]


async def test_a_search_past_the_counting_limit_gives_an_estimate_and_says_so(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(4):
        await make_ticket(client, title=f"Refund {n}")
    monkeypatch.setattr(service, "EXACT_COUNT_UP_TO", 0)
    full = await _get(client, search="refund", page_size=2)
    if app.state.db.dialect == "postgresql":  # the planner's estimate, marked as one
        assert full["count_estimated"] is True and full["count"] >= 1
    else:  # SQLite counts
        assert full["count_estimated"] is False and full["count"] == 4
    whole = await _get(client, search="refund", page_size=10)  # the page holds them all
    assert whole["count_estimated"] is False and whole["count"] == 4


@pytest.mark.usefixtures("tickets")
async def test_pages_by_number_of_a_search_read_their_own_rows(
    client: httpx.AsyncClient,
) -> None:
    # Each page reads the statement built for the first (kept per filters), at its offset.
    whole = [t["id"] for t in (await _get(client, search="refund", page_size=100))["results"]]
    walked = []
    for number in range(1, 5):
        walked += [
            t["id"]
            for t in (await _get(client, search="refund", page_size=2, page=number))["results"]
        ]
    assert walked == whole


async def test_the_at_risk_view_is_measured_from_each_read(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The page's statement is kept between reads; "due within 2 hours" moves with the clock.
    ticket = (await make_ticket(client))["id"]
    now = datetime.now(UTC)
    async with app.state.db.transaction() as session:
        due = now + timedelta(hours=3)
        await session.execute(update(Ticket).where(Ticket.id == ticket).values(due_at=due))
    assert (await _get(client, sla="at_risk"))["count"] == 0
    monkeypatch.setattr(service, "utcnow", lambda: now + timedelta(hours=1, minutes=30))
    assert [t["id"] for t in (await _get(client, sla="at_risk"))["results"]] == [ticket]


async def test_the_at_risk_estimate_is_planned_from_each_read(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The count's EXPLAIN is compiled once per list; the at-risk bound is taken at each read.
    at_risk = service.TicketFilter(sla=service.SlaState.AT_RISK)
    now = datetime.now(UTC)
    async with app.state.db.engine.connect() as connection:
        monkeypatch.setattr(service, "utcnow", lambda: now)
        first = service._explained(connection, at_risk)
        monkeypatch.setattr(service, "utcnow", lambda: now + timedelta(hours=1))
        assert service._explained(connection, at_risk) != first
