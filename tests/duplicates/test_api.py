"""GET /api/tickets/{id}/duplicates and POST /api/tickets/{id}/merge, on both databases."""

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from supportdesk.duplicates.service import THRESHOLD
from supportdesk.tickets.schemas import TicketOut
from supportdesk.types import utcnow
from tests.duplicates.conftest import MakeTicket, set_created_at
from tests.factories import bearer, make_staff, make_ticket

RESET = {
    "title": "Password reset email not arriving",
    "description": "I've requested a password reset link three times in the last hour and "
    "nothing has arrived. Not in spam either.",
    "category": "account",
}
RESET_REWORDED = {
    "title": "Reset link never comes",
    "description": "forgot my password and the reset link never comes to my inbox, "
    "tried several times",
    "category": "account",
}
UNRELATED = {
    "title": "Order arrived damaged",
    "description": "My order #5521 arrived today with the lamp shade cracked. I'd like a "
    "replacement.",
}


async def duplicates_of(client: httpx.AsyncClient, ticket_id: int) -> dict[str, Any]:
    response = await client.get(f"/api/tickets/{ticket_id}/duplicates/")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def ids(body: dict[str, Any]) -> list[int]:
    return [result["ticket"]["id"] for result in body["results"]]


async def test_finds_a_reworded_duplicate(
    client: httpx.AsyncClient, make_indexed: MakeTicket
) -> None:
    original = await make_indexed(**RESET)
    unrelated = await make_indexed(**UNRELATED)
    reworded = await make_indexed(**RESET_REWORDED)

    body = await duplicates_of(client, reworded["id"])

    assert body["ticket_id"] == reworded["id"]
    assert body["threshold"] == THRESHOLD
    assert ids(body) == [original["id"]]
    assert unrelated["id"] not in ids(body)
    found = body["results"][0]
    assert THRESHOLD <= found["score"] <= 1
    assert found["ticket"] == (await client.get(f"/api/tickets/{original['id']}")).json()
    assert set(found["ticket"]) == set(TicketOut.model_fields)


async def test_results_are_sorted_by_score_and_limited(
    client: httpx.AsyncClient, make_indexed: MakeTicket
) -> None:
    query = await make_indexed(**RESET)
    near = await make_indexed(**{**RESET, "description": RESET["description"] + " Please help."})
    further = await make_indexed(**RESET_REWORDED)

    body = await duplicates_of(client, query["id"])

    assert ids(body) == [near["id"], further["id"]]
    scores = [result["score"] for result in body["results"]]
    assert scores == sorted(scores, reverse=True)
    limited = await client.get(f"/api/tickets/{query['id']}/duplicates", params={"limit": 1})
    assert [r["ticket"]["id"] for r in limited.json()["results"]] == [near["id"]]


async def test_ignores_done_old_merged_tickets_and_itself(
    client: httpx.AsyncClient, app: FastAPI, make_indexed: MakeTicket
) -> None:
    query = await make_indexed(**RESET)
    await make_indexed(**RESET, status="closed")
    await make_indexed(**RESET, status="resolved")
    in_progress = await make_indexed(**RESET, status="in_progress")
    old = await make_indexed(**RESET)
    await set_created_at(app, old["id"], utcnow() - timedelta(days=31))
    recent_enough = await make_indexed(**RESET)
    await set_created_at(app, recent_enough["id"], utcnow() - timedelta(days=29))
    original = await make_indexed(**RESET)
    merged = await make_indexed(**RESET)
    response = await client.post(
        f"/api/tickets/{merged['id']}/merge", json={"into": original["id"]}
    )
    assert response.status_code == 200

    body = await duplicates_of(client, query["id"])

    # In progress counts as open: someone already working on the problem is the best
    # place for a new report of it.
    assert sorted(ids(body)) == [in_progress["id"], recent_enough["id"], original["id"]]


async def test_reopening_a_merged_ticket_unmerges_it(
    client: httpx.AsyncClient, make_indexed: MakeTicket
) -> None:
    original = await make_indexed(**RESET)
    merged = await make_indexed(**RESET_REWORDED)
    await client.post(f"/api/tickets/{merged['id']}/merge", json={"into": original["id"]})

    reopened = (await client.patch(f"/api/tickets/{merged['id']}", json={"status": "open"})).json()

    assert (reopened["status"], reopened["duplicate_of"]) == ("open", None)
    assert (await client.get(f"/api/tickets/{original['id']}/merged")).json()["results"] == []
    assert ids(await duplicates_of(client, original["id"])) == [merged["id"]]


async def test_a_closed_ticket_can_still_look_for_its_duplicates(
    client: httpx.AsyncClient, make_indexed: MakeTicket
) -> None:
    original = await make_indexed(**RESET)
    closed = await make_indexed(**RESET_REWORDED, status="closed")
    assert ids(await duplicates_of(client, closed["id"])) == [original["id"]]


async def test_duplicates_of_an_unknown_ticket_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/tickets/999999/duplicates")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_limit_is_validated(client: httpx.AsyncClient) -> None:
    ticket = await make_ticket(client)
    response = await client.get(f"/api/tickets/{ticket['id']}/duplicates", params={"limit": 0})
    assert response.status_code == 422
    assert "limit" in response.json()["errors"]


async def test_merge_closes_and_links_the_duplicate(client: httpx.AsyncClient) -> None:
    original = await make_ticket(client)
    duplicate = await make_ticket(client, title="Double charge")

    response = await client.post(
        f"/api/tickets/{duplicate['id']}/merge", json={"into": original["id"]}
    )

    assert response.status_code == 200, response.text
    merged = response.json()
    assert merged["id"] == duplicate["id"]
    assert merged["status"] == "closed"
    assert merged["duplicate_of"] == original["id"]
    assert merged["resolved_at"] is not None
    assert (await client.get(f"/api/tickets/{duplicate['id']}")).json() == merged
    untouched = (await client.get(f"/api/tickets/{original['id']}")).json()
    assert (untouched["status"], untouched["duplicate_of"]) == ("open", None)

    # The original lists what was merged into it; the duplicate has nothing merged in.
    listed = (await client.get(f"/api/tickets/{original['id']}/merged")).json()
    assert listed == {"ticket_id": original["id"], "results": [merged]}
    assert (await client.get(f"/api/tickets/{duplicate['id']}/merged")).json()["results"] == []
    assert (await client.get("/api/tickets/999999/merged")).status_code == 404


async def test_merging_an_original_moves_its_duplicates_along(client: httpx.AsyncClient) -> None:
    first, second, third = [await make_ticket(client) for _ in range(3)]
    await client.post(f"/api/tickets/{first['id']}/merge", json={"into": second["id"]})

    response = await client.post(f"/api/tickets/{second['id']}/merge", json={"into": third["id"]})

    assert response.json()["duplicate_of"] == third["id"]
    assert (await client.get(f"/api/tickets/{first['id']}")).json()["duplicate_of"] == third["id"]
    history = (await client.get(f"/api/tickets/{first['id']}/history")).json()
    moved = [e["changes"] for e in history if e["action"] == "ticket.merged"]
    assert moved == [
        {"duplicate_of": [None, second["id"]]},
        {"duplicate_of": [second["id"], third["id"]]},
    ]


async def test_a_whole_float_is_an_id_as_json_schema_says(client: httpx.AsyncClient) -> None:
    original, duplicate = await make_ticket(client), await make_ticket(client)
    response = await client.post(
        f"/api/tickets/{duplicate['id']}/merge", json={"into": float(original["id"])}
    )
    assert response.status_code == 200, response.text
    assert response.json()["duplicate_of"] == original["id"]


async def test_merge_of_unknown_tickets_is_404(client: httpx.AsyncClient) -> None:
    ticket = await make_ticket(client)
    for path_id, into in ((999999, ticket["id"]), (ticket["id"], 999999)):
        response = await client.post(f"/api/tickets/{path_id}/merge", json={"into": into})
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert str(999999) in response.json()["detail"]
        assert ("into" in response.json().get("errors", {})) == (into == 999999)


async def test_merge_conflicts_are_409(client: httpx.AsyncClient) -> None:
    original, duplicate, other = [await make_ticket(client) for _ in range(3)]

    itself = await client.post(
        f"/api/tickets/{original['id']}/merge", json={"into": original["id"]}
    )
    assert itself.status_code == 409
    assert "into" in itself.json()["errors"]

    assert (
        await client.post(f"/api/tickets/{duplicate['id']}/merge", json={"into": original["id"]})
    ).status_code == 200
    again = await client.post(f"/api/tickets/{duplicate['id']}/merge", json={"into": other["id"]})
    assert again.status_code == 409
    assert "already merged" in again.json()["detail"]

    into_merged = await client.post(
        f"/api/tickets/{other['id']}/merge", json={"into": duplicate["id"]}
    )
    assert into_merged.status_code == 409
    assert into_merged.headers["content-type"] == "application/problem+json"
    assert str(original["id"]) in into_merged.json()["errors"]["into"][0]
    # Nothing changed by the refused merges.
    assert (await client.get(f"/api/tickets/{other['id']}")).json()["status"] == "open"


async def test_crossing_merges_at_once_let_one_through(client: httpx.AsyncClient) -> None:
    for _ in range(3):
        first, second = [await make_ticket(client) for _ in range(2)]
        answers = await asyncio.gather(
            client.post(f"/api/tickets/{first['id']}/merge", json={"into": second["id"]}),
            client.post(f"/api/tickets/{second['id']}/merge", json={"into": first["id"]}),
        )
        assert sorted(a.status_code for a in answers) == [200, 409]
        links = [
            (await client.get(f"/api/tickets/{t['id']}")).json()["duplicate_of"]
            for t in (first, second)
        ]
        assert set(links) in ({None, first["id"]}, {None, second["id"]})
        merged = next(t for t, link in zip((first, second), links, strict=True) if link)
        assert (await client.get(f"/api/tickets/{merged['id']}")).json()["status"] == "closed"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "into"),
        ({"into": "abc"}, "into"),
        ({"into": "2"}, "into"),
        ({"into": None}, "into"),
        ({"into": True}, "into"),
        ({"into": 0}, "into"),
        ({"into": 2**31}, "into"),
        ({"into": 10**23}, "into"),
        ({"into": 1, "also": 2}, "also"),
        ([], "body"),
    ],
)
async def test_bad_merge_bodies_are_422_naming_the_field(
    client: httpx.AsyncClient, body: Any, field: str
) -> None:
    ticket = await make_ticket(client)
    response = await client.post(f"/api/tickets/{ticket['id']}/merge", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in response.json()["errors"]


async def test_malformed_json_is_422(client: httpx.AsyncClient) -> None:
    ticket = await make_ticket(client)
    response = await client.post(
        f"/api/tickets/{ticket['id']}/merge",
        content=b'{"into": ',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert "body" in response.json()["errors"]


async def test_duplicates_without_the_model_is_503(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket = await make_ticket(client)
    monkeypatch.setattr(app.state.triage, "embedder", None)
    response = await client.get(f"/api/tickets/{ticket['id']}/duplicates")
    assert response.status_code == 503
    assert "make model" in response.json()["detail"]


async def test_another_teams_duplicate_is_not_shown_nor_a_merge_target(
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    app: FastAPI,
    make_indexed: MakeTicket,
) -> None:
    original = await make_indexed(**RESET)
    reworded = await make_indexed(**RESET_REWORDED)
    async with app.state.db.engine.begin() as connection:
        for ticket, team in ((original, "technical_support"), (reworded, "account_management")):
            await connection.execute(
                text("UPDATE tickets SET team = :team WHERE id = :id"),
                {"team": team, "id": ticket["id"]},
            )
    agent = bearer((await make_staff(app, "agent", ("account_management",)))[1])
    body = (await anonymous.get(f"/api/tickets/{reworded['id']}/duplicates", headers=agent)).json()
    assert body["results"] == []
    assert ids(await duplicates_of(client, reworded["id"])) == [original["id"]]  # admins see it
    merge = await anonymous.post(
        f"/api/tickets/{reworded['id']}/merge", json={"into": original["id"]}, headers=agent
    )
    assert merge.status_code == 404 and "into" in merge.json()["errors"]
    assert (await client.get(f"/api/tickets/{reworded['id']}")).json()["status"] == "open"


async def test_the_limit_counts_only_the_duplicates_the_asker_may_see(
    anonymous: httpx.AsyncClient, app: FastAPI, make_indexed: MakeTicket
) -> None:
    visible = await make_indexed(**RESET)  # not routed yet: everyone's
    hidden = await make_indexed(**RESET_REWORDED)  # the same words: the most similar
    query = await make_indexed(**RESET_REWORDED)
    async with app.state.db.engine.begin() as connection:
        for ticket, team in ((hidden, "technical_support"), (query, "account_management")):
            await connection.execute(
                text("UPDATE tickets SET team = :team WHERE id = :id"),
                {"team": team, "id": ticket["id"]},
            )
    agent = bearer((await make_staff(app, "agent", ("account_management",)))[1])
    body = (
        await anonymous.get(
            f"/api/tickets/{query['id']}/duplicates", params={"limit": 1}, headers=agent
        )
    ).json()
    assert ids(body) == [visible["id"]]
