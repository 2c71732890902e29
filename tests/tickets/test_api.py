"""The reference contract for tickets, on SQLite and PostgreSQL."""

from typing import Any

import httpx
from fastapi import FastAPI

from tests.factories import make_ticket, queued_jobs, recorded_statements


async def test_create_returns_the_contract_shape(client: httpx.AsyncClient) -> None:
    ticket = await make_ticket(client, title="  Charged twice  ")
    assert ticket["title"] == "Charged twice"
    assert ticket["status"] == "open"
    assert ticket["category_source"] == "user"
    assert ticket["created_at"].endswith("Z")
    for field in ("id", "description", "category", "priority", "updated_at", "resolved_at"):
        assert field in ticket
    assert "warning" not in ticket  # only when the LLM failed


async def test_missing_labels_are_triaged(client: httpx.AsyncClient) -> None:
    ticket = await make_ticket(
        client,
        title="Prod down",
        description="Production is down and users cannot log in. This is urgent!",
        category=None,
        priority=None,
    )
    assert (ticket["category"], ticket["priority"]) == ("technical", "critical")
    assert ticket["category_source"] == ticket["priority_source"] == "ai"
    assert ticket["ai_category"] == "technical"
    assert 0 < ticket["ai_confidence"] <= 1
    each = (ticket["ai_category_confidence"], ticket["ai_priority_confidence"])
    assert ticket["ai_confidence"] == min(each)


async def test_the_forms_confidences_are_kept_per_label(client: httpx.AsyncClient) -> None:
    ticket = await make_ticket(
        client,
        ai_category="billing",
        ai_priority="medium",
        ai_confidence=0.48,
        ai_category_confidence=1.0,
        ai_priority_confidence=0.48,
    )
    assert (ticket["ai_category_confidence"], ticket["ai_priority_confidence"]) == (1.0, 0.48)
    refused = await client.post(
        "/api/tickets/",
        json={"title": "t", "description": "d", "ai_priority_confidence": 1.5},
    )
    assert "ai_priority_confidence" in refused.json()["errors"]


async def test_submitter_override_of_a_suggestion_is_recorded(client: httpx.AsyncClient) -> None:
    ticket = await make_ticket(
        client, category="account", priority="low", ai_category="billing", ai_priority="low"
    )
    assert ticket["category_source"] == "user"
    assert ticket["priority_source"] == "ai"


async def test_paths_work_with_and_without_trailing_slash(client: httpx.AsyncClient) -> None:
    body = {"title": "A", "description": "B", "category": "general", "priority": "low"}
    assert (await client.post("/api/tickets", json=body)).status_code == 201
    assert (await client.post("/api/tickets/", json=body)).status_code == 201
    assert (await client.get("/api/tickets")).json()["count"] == 2
    assert (await client.get("/api/tickets/stats")).status_code == 200


async def test_list_is_newest_first_and_paginated(client: httpx.AsyncClient) -> None:
    ids = [(await make_ticket(client, title=f"T{i}"))["id"] for i in range(5)]
    page = (await client.get("/api/tickets/", params={"page_size": 2})).json()
    assert page["count"] == 5
    assert [t["id"] for t in page["results"]] == ids[::-1][:2]
    assert page["previous"] is None
    assert "page=2" in page["next"]
    last = (await client.get("/api/tickets/", params={"page_size": 2, "page": 3})).json()
    assert [t["id"] for t in last["results"]] == [ids[0]]
    assert last["next"] is None and "page=2" in last["previous"]


def _not_the_sign_in(recorded: list[tuple[str, Any]]) -> list[str]:
    # Who is asking is one statement of its own, counted apart.
    return [statement for statement, _ in recorded if "api_tokens" not in statement]


async def test_a_list_page_and_its_total_are_one_statement(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    for i in range(3):
        await make_ticket(client, title=f"T{i}", status="open" if i else "resolved")
    for params, total in (({"page_size": 2}, 3), ({"status": "open", "search": "charged"}, 2)):
        with recorded_statements(app) as recorded:
            page = (await client.get("/api/tickets/", params=params)).json()
        assert page["count"] == total
        # No BEGIN/COMMIT either: reads run without a transaction.
        assert len(_not_the_sign_in(recorded)) == 1, recorded
    with recorded_statements(app) as recorded:
        past_the_end = await client.get("/api/tickets/", params={"page": 9})
    assert past_the_end.status_code == 404 and "last page (1)" in past_the_end.text
    assert len(_not_the_sign_in(recorded)) == 2  # an empty page needs the total on its own


async def test_filters_combine_and_accept_several_values(client: httpx.AsyncClient) -> None:
    await make_ticket(client, category="billing", priority="high")
    await make_ticket(client, category="technical", priority="high")
    await make_ticket(client, category="technical", priority="low")
    closed = await make_ticket(client, category="account", priority="low")
    await client.patch(f"/api/tickets/{closed['id']}/", json={"status": "closed"})

    async def count(**params: str | list[str]) -> int:
        response = await client.get("/api/tickets/", params=params)
        assert response.status_code == 200, response.text
        return int(response.json()["count"])

    assert await count(category="technical") == 2
    assert await count(category="technical", priority="high") == 1
    assert await count(category="billing,account") == 2
    assert await count(status="open,in_progress") == 3
    assert await count(status="closed", category="account") == 1
    assert await count(category="", priority="") == 4
    assert await count(status=["open", "closed"]) == 4
    assert await count(category=["billing,account", "technical"], priority="low") == 2


async def test_ordering_by_priority_uses_severity_not_alphabet(client: httpx.AsyncClient) -> None:
    for priority in ("medium", "critical", "low", "high"):
        await make_ticket(client, priority=priority)
    page = (await client.get("/api/tickets/", params={"ordering": "-priority"})).json()
    assert [t["priority"] for t in page["results"]] == ["critical", "high", "medium", "low"]


async def test_retrieve_and_patch(client: httpx.AsyncClient) -> None:
    ticket = await make_ticket(client)
    fetched = (await client.get(f"/api/tickets/{ticket['id']}")).json()
    assert fetched == ticket

    resolved = (
        await client.patch(f"/api/tickets/{ticket['id']}/", json={"status": "resolved"})
    ).json()
    assert resolved["status"] == "resolved" and resolved["resolved_at"] is not None
    reopened = (await client.patch(f"/api/tickets/{ticket['id']}", json={"status": "open"})).json()
    assert reopened["resolved_at"] is None

    relabeled = (
        await client.patch(
            f"/api/tickets/{ticket['id']}", json={"category": "account", "priority": "high"}
        )
    ).json()
    assert (relabeled["category"], relabeled["priority"]) == ("account", "high")


async def test_a_patch_that_changes_nothing_leaves_the_ticket_alone(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    ticket = await make_ticket(client, category="billing", priority="high")
    jobs_before = await queued_jobs(app)

    same = await client.patch(
        f"/api/tickets/{ticket['id']}",
        json={"status": ticket["status"], "category": "billing", "priority": "high"},
    )

    assert same.status_code == 200
    assert same.json()["updated_at"] == ticket["updated_at"]
    assert await queued_jobs(app) == jobs_before


async def test_agent_override_of_ai_label_marks_source_user(client: httpx.AsyncClient) -> None:
    ticket = await make_ticket(
        client, category=None, priority=None, description="please add dark mode"
    )
    assert ticket["category_source"] == "ai"
    changed = (
        await client.patch(f"/api/tickets/{ticket['id']}", json={"category": "technical"})
    ).json()
    assert changed["category_source"] == "user"
    assert changed["ai_category"] == ticket["ai_category"]


async def test_an_empty_or_unknown_ordering_is_refused_naming_it(client: httpx.AsyncClient) -> None:
    for given in ("", "__main__", "-3.8e+212"):
        response = await client.get("/api/tickets", params={"ordering": given})
        assert response.status_code == 422, (given, response.text)
        assert "ordering" in response.json()["errors"]


async def test_the_list_writes_each_ticket_as_the_ticket_endpoint_does(
    client: httpx.AsyncClient,
) -> None:
    # The list writes its rows as JSON with no model in between; a ticket's own endpoint
    # goes through TicketOut. Nulls, confidences, an AI reasoning, a resolved time.
    await make_ticket(client, title="Plain")
    suggested = await make_ticket(
        client,
        title="Suggested",
        category=None,
        priority=None,
        description="Production is down and users cannot log in. This is urgent!",
    )
    resolved = await make_ticket(client, title="Done", ai_category="billing", ai_confidence=0.5)
    await client.patch(f"/api/tickets/{resolved['id']}/", json={"status": "resolved"})
    listed = (await client.get("/api/tickets/")).json()["results"]
    assert {t["id"] for t in listed} >= {suggested["id"], resolved["id"]}
    for ticket in listed:
        alone = (await client.get(f"/api/tickets/{ticket['id']}/")).json()
        assert ticket == alone
        assert list(ticket) == list(alone)  # the same fields, in the same order
