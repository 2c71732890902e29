"""The /api/analyze endpoints, on SQLite and PostgreSQL, with the enqueued jobs run here."""

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from tests.analysis.helpers import drain, make_tickets, queued


async def test_run_over_pending_tickets_end_to_end(
    api: httpx.AsyncClient, analysis_app: FastAPI
) -> None:
    ids = await make_tickets(api)

    response = await api.post("/api/analyze", json={"ticketIds": None})
    assert response.status_code == 201, response.text
    run = response.json()
    assert run["status"] == "pending"
    assert run["summary"] == ""
    assert run["ticket_count"] == len(ids)
    assert [r["ticket_id"] for r in run["ticket_analyses"]] == ids
    assert {r["status"] for r in run["ticket_analyses"]} == {"pending"}
    jobs = await queued(analysis_app)
    assert [name for _, name, _ in jobs] == ["analysis.analyze_chunk"]
    assert jobs[0][2] == {"run_id": run["id"], "ticket_ids": ids}

    active = (await api.get("/api/analyze/active")).json()
    assert [(a["analysis_run_id"], a["ticket_ids"]) for a in active] == [(run["id"], ids)]

    assert await drain(analysis_app) == ["analysis.analyze_chunk", "analysis.summarize"]

    status = (await api.get(f"/api/analyze/{run['id']}/status/")).json()
    assert status["status"] == "completed"
    assert status["ticket_ids"] == ids
    assert status["progress"] == {
        "total": 10,
        "pending": 0,
        "processing": 0,
        "analyzed": 10,
        "failed": 0,
        "done": 10,
    }
    assert (await api.get("/api/analyze/active")).json() == []

    detail = (await api.get(f"/api/analyze/{run['id']}")).json()
    assert detail["finished_at"] is not None
    assert {r["status"] for r in detail["ticket_analyses"]} == {"analyzed"}
    outage = next(r for r in detail["ticket_analyses"] if r["title"] == "Production is down")
    assert (outage["category"], outage["priority"]) == ("technical", "critical")
    assert outage["notes"]
    data = detail["summary_data"]
    assert data["totals"] == {"tickets": 10, "analyzed": 10, "failed": 0, "llm_fallbacks": 0}
    assert sum(c["count"] for c in data["categories"].values()) == 10
    assert data["previous_run_id"] is None
    assert 1 <= len(data["themes"]) <= 8
    assert sum(t["size"] for t in data["themes"]) == 10
    assert outage["ticket_id"] in [c["ticket_id"] for c in data["critical"]]
    assert detail["summary_provider"] == "local"
    assert "Open critical tickets" in detail["summary"]
    assert f"#{outage['ticket_id']}" in detail["summary"]

    runs = (await api.get("/api/analyze/runs", params={"page_size": 1})).json()
    assert runs["total"] == 1 and runs["page"] == 1 and runs["page_size"] == 1
    assert runs["items"][0]["id"] == run["id"]
    assert runs["items"][0]["status"] == "completed"

    analyzed = (await api.get("/api/tickets/analyzed", params={"page_size": 4})).json()
    assert analyzed["total"] == 10 and len(analyzed["items"]) == 4
    first = analyzed["items"][0]
    assert {"id", "analysis_id", "title", "description", "category", "priority", "notes"} <= set(
        first
    )
    assert (await api.get(f"/api/tickets/{ids[0]}")).status_code == 200

    nothing = await api.post("/api/analyze/", json={"ticketIds": None})
    assert nothing.status_code == 409
    assert "nothing to analyse" in nothing.json()["detail"]


async def test_no_body_means_pending_and_filter_selects(
    api: httpx.AsyncClient, analysis_app: FastAPI
) -> None:
    ids = await make_tickets(api, 3)
    await api.patch(f"/api/tickets/{ids[0]}", json={"status": "closed"})

    by_filter = await api.post(
        "/api/analyze", json={"filter": {"status": ["closed"], "search": "charged"}}
    )
    assert by_filter.status_code == 201, by_filter.text
    assert [r["ticket_id"] for r in by_filter.json()["ticket_analyses"]] == [ids[0]]
    assert by_filter.json()["selection"]["mode"] == "filter"

    pending = await api.post("/api/analyze")  # no body: the tickets nobody analyses yet
    assert pending.status_code == 201, pending.text
    assert [r["ticket_id"] for r in pending.json()["ticket_analyses"]] == ids[1:]
    await drain(analysis_app)
    assert (await api.get("/api/tickets/analyzed")).json()["total"] == 3


async def test_filter_by_team_as_the_list_does(
    api: httpx.AsyncClient, analysis_app: FastAPI
) -> None:
    ids = await make_tickets(api, 3)
    async with analysis_app.state.db.engine.begin() as connection:
        await connection.execute(
            text("UPDATE tickets SET team = 'billing' WHERE id IN (:a, :b)"),
            {"a": ids[0], "b": ids[2]},
        )
    listed = (await api.get("/api/tickets/", params={"team": "billing"})).json()["results"]

    response = await api.post("/api/analyze", json={"filter": {"team": "billing,billing"}})
    assert response.status_code == 201, response.text
    run = response.json()
    assert [r["ticket_id"] for r in run["ticket_analyses"]] == [ids[0], ids[2]]
    assert sorted(t["id"] for t in listed) == [ids[0], ids[2]]
    assert run["selection"]["filter"]["team"] == ["billing"]


async def test_unknown_ids_fail_alone(api: httpx.AsyncClient, analysis_app: FastAPI) -> None:
    ids = await make_tickets(api, 2)
    response = await api.post("/api/analyze", json={"ticketIds": [ids[0], 9999, ids[1], ids[0]]})
    assert response.status_code == 201, response.text
    results = {r["ticket_id"]: r for r in response.json()["ticket_analyses"]}
    assert list(results) == sorted([ids[0], ids[1], 9999])
    assert results[9999]["status"] == "failed"
    assert results[9999]["error"] == "unknown ticket"
    assert results[9999]["title"] is None

    await drain(analysis_app)
    detail = (await api.get(f"/api/analyze/{response.json()['id']}")).json()
    assert detail["status"] == "completed"
    assert [r["status"] for r in detail["ticket_analyses"]] == ["analyzed", "analyzed", "failed"]
    assert detail["summary_data"]["failures"]["reasons"] == {"unknown ticket": 1}
    assert "1 failed (1 unknown ticket)" in detail["summary"]

    # Well-formed ids the database does not hold: nothing to analyse, as the state stands.
    none_exist = await api.post("/api/analyze", json={"ticketIds": [9998, 9999]})
    assert none_exist.status_code == 409
    assert none_exist.json()["errors"] == {"ticketIds": ["none of these tickets exist"]}


async def test_empty_and_bad_selections(api: httpx.AsyncClient) -> None:
    await make_tickets(api, 1)
    cases = [
        ({"ticketIds": []}, "ticketIds"),
        ({"filter": {"status": ["shipped"]}}, "filter.status.0"),
        ({"filter": {"team": ["Billing team"]}}, "filter.team.0"),
        ({"filter": {"search": "?!"}}, "filter.search"),
        ({"filter": {"search": "\x00"}}, "filter.search"),
        ({"ticketIds": [1], "filter": {}}, "filter"),
        ({"ticketIds": [0]}, "ticketIds.0"),
        ({"ticketIds": [2**40]}, "ticketIds.0"),
        ({"ticketIds": [True]}, "ticketIds.0"),
        ({"ticketIds": ["1"]}, "ticketIds.0"),
        ({"ticket": [1]}, "ticket"),
    ]
    for body, field in cases:
        response = await api.post("/api/analyze", json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert field in response.json()["errors"], (body, response.json())
    # A NUL in the filter's search is dropped before the query (PostgreSQL refuses it).
    by_search = await api.post("/api/analyze", json={"filter": {"search": "zz\x00zz"}})
    assert by_search.status_code == 409, by_search.text
    # Filters the schema allows that no ticket of the moment matches: nothing to analyse.
    for matching_none in [
        {"category": ["billing"], "search": "nothing-matches-this"},
        {"team": ["sales"]},
    ]:
        response = await api.post("/api/analyze", json={"filter": matching_none})
        assert response.status_code == 409, (matching_none, response.text)
        assert response.json()["errors"] == {"filter": ["no ticket matches this filter"]}
    assert (await api.get("/api/analyze/runs")).json()["total"] == 0
    assert (await api.get("/api/analyze/12345")).status_code == 404
    assert (await api.get("/api/analyze/12345/status")).status_code == 404


async def test_overlapping_run_is_refused(api: httpx.AsyncClient, analysis_app: FastAPI) -> None:
    ids = await make_tickets(api, 5)
    first = (await api.post("/api/analyze", json={"ticketIds": ids[:3]})).json()

    overlap = await api.post("/api/analyze", json={"ticketIds": [ids[2], ids[3]]})
    assert overlap.status_code == 409
    problem = overlap.json()
    assert f"run {first['id']} is analysing tickets {ids[2]}" in problem["detail"]
    assert problem["errors"]["ticketIds"] == [f"run {first['id']} is analysing tickets {ids[2]}"]
    by_filter = await api.post("/api/analyze", json={"filter": {}})
    assert by_filter.status_code == 409
    assert "filter" in by_filter.json()["errors"]

    # "Everything not analyzed yet" leaves out what an active run holds.
    rest = (await api.post("/api/analyze", json={"ticketIds": None})).json()
    assert [r["ticket_id"] for r in rest["ticket_analyses"]] == ids[3:]
    assert (await api.post("/api/analyze", json={"ticketIds": None})).status_code == 409

    await drain(analysis_app)
    again = await api.post("/api/analyze", json={"ticketIds": [ids[2], ids[3]]})
    assert again.status_code == 201, again.text
