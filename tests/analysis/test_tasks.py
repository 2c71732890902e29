"""The task functions called directly, as a worker would: faults, retries, summaries."""

import httpx
from fastapi import FastAPI
from pydantic_ai.messages import ModelMessage, ModelResponse, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel
from sqlalchemy import func, select, text

from supportdesk.analysis import tasks
from supportdesk.analysis.models import AnalysisClaim, AnalysisResult
from supportdesk.llm import CallLog
from supportdesk.triage.llm import EscalatingClassifier, LLMClassifier
from supportdesk.triage.model.local import LocalClassifier
from tests.analysis.helpers import FakeLLM, FakeTriage, context, drain, make_tickets, queued


async def _start(api: httpx.AsyncClient, body: dict[str, object]) -> dict[str, object]:
    response = await api.post("/api/analyze", json=body)
    assert response.status_code == 201, response.text
    run: dict[str, object] = response.json()
    return run


async def test_llm_failing_mid_run_falls_back_to_local(
    api: httpx.AsyncClient, analysis_app: FastAPI
) -> None:
    ids = await make_tickets(api, 6)
    run = await _start(api, {"ticketIds": ids})
    llm = FakeLLM(answers=2)
    ran = await drain(analysis_app, FakeTriage(analysis_app.state.triage.local, llm))
    assert ran == ["analysis.analyze_chunk", "analysis.summarize"]

    detail = (await api.get(f"/api/analyze/{run['id']}")).json()
    assert detail["status"] == "completed"
    results = detail["ticket_analyses"]
    assert {r["status"] for r in results} == {"analyzed"}
    by_llm = [r for r in results if r["provider"] == "fake:llm"]
    fell_back = [r for r in results if r["provider"] != "fake:llm"]
    assert len(by_llm) == 2 and len(fell_back) == 4
    for result in fell_back:
        assert result["notes"].startswith(
            "LLM fake:llm failed (ConnectionError); answered by local model"
        )
        assert result["category"] is not None and result["priority"] is not None
    assert detail["summary_data"]["totals"]["llm_fallbacks"] == 4
    assert "4 tickets fell back to the local model" in detail["summary"]


async def test_running_a_chunk_twice_changes_nothing(
    api: httpx.AsyncClient, analysis_app: FastAPI
) -> None:
    ids = await make_tickets(api, 4)
    run = await _start(api, {"ticketIds": ids})
    [(_, _, args)] = await queued(analysis_app)
    local = analysis_app.state.triage.local
    assert isinstance(local, LocalClassifier)
    embedded: list[int] = []

    class CountingEmbedder:
        def embed(self, texts: list[str]) -> object:
            embedded.append(len(texts))
            return local.embedder.embed(texts)

    counting = LocalClassifier(CountingEmbedder(), local.heads, local.version, 0.55)
    ctx = context(analysis_app, FakeTriage(counting, counting))

    await tasks.analyze_chunk(ctx, **args)
    first = (await api.get(f"/api/analyze/{run['id']}")).json()
    await tasks.analyze_chunk(ctx, **args)  # a retry after a crash, or a duplicate delivery
    second = (await api.get(f"/api/analyze/{run['id']}")).json()

    assert embedded == [4]  # no ticket was classified twice
    assert first["ticket_analyses"] == second["ticket_analyses"]
    summaries = [name for _, name, _ in await queued(analysis_app) if name.endswith("summarize")]
    assert summaries == ["analysis.summarize"]  # enqueued once

    await tasks.summarize(ctx, run_id=run["id"])
    done = (await api.get(f"/api/analyze/{run['id']}")).json()
    await tasks.summarize(ctx, run_id=run["id"])
    assert (await api.get(f"/api/analyze/{run['id']}")).json() == done
    assert done["status"] == "completed"
    async with analysis_app.state.db.transaction() as session:
        claims = await session.scalar(select(func.count()).select_from(AnalysisClaim))
        rows = await session.scalar(select(func.count()).select_from(AnalysisResult))
    assert (claims, rows) == (0, 4)


async def test_summary_shifts_against_the_previous_run(
    api: httpx.AsyncClient, analysis_app: FastAPI
) -> None:
    ids = await make_tickets(api, 10)
    first = await _start(api, {"filter": {}})
    await drain(analysis_app)
    # A run over other tickets in between is not what the next one compares with.
    other = await _start(api, {"filter": {"search": "charged"}})
    await drain(analysis_app)
    assert other["id"] > first["id"]
    before = (await api.get(f"/api/analyze/{first['id']}")).json()["summary_data"]
    critical_before = before["priorities"]["critical"]["count"]

    # The second run re-analyses everything with a (fake) LLM that calls it all critical.
    second = await _start(api, {"filter": {}})
    await drain(analysis_app, FakeTriage(analysis_app.state.triage.local, FakeLLM(answers=100)))
    detail = (await api.get(f"/api/analyze/{second['id']}")).json()
    data = detail["summary_data"]

    assert data["previous_run_id"] == first["id"]
    critical = data["priorities"]["critical"]
    assert critical == {
        "count": 10,
        "share": 1.0,
        "previous": critical_before,
        "change": 10 - critical_before,
        "share_change": round(1.0 - critical_before / 10, 3),
    }
    assert data["categories"]["technical"]["count"] == 10
    moved = data["relabelled"]
    assert moved["compared"] == 10
    assert moved["escalated_count"] == 10 - critical_before
    assert {e["to"] for e in moved["escalated"]} == {"critical"}
    assert len(data["critical"]) == 10  # every critical ticket is listed
    assert f"Changes are against run #{first['id']}" in detail["summary"]
    assert f"critical 10 (100%, +{10 - critical_before}" in detail["summary"]
    # Labels of the newest analysis are what the analyzed-tickets list shows.
    latest = (await api.get("/api/tickets/analyzed", params={"page_size": 100})).json()
    assert latest["total"] == 10
    assert {t["priority"] for t in latest["items"]} == {"critical"}
    assert {t["run_id"] for t in latest["items"]} == {second["id"]}
    assert ids


async def test_deleted_ticket_fails_and_claims_cascade(
    api: httpx.AsyncClient, analysis_app: FastAPI
) -> None:
    ids = await make_tickets(api, 2)
    run = await _start(api, {"ticketIds": ids})
    async with analysis_app.state.db.engine.begin() as connection:
        await connection.execute(text("DELETE FROM tickets WHERE id = :id"), {"id": ids[0]})
    await drain(analysis_app)
    detail = (await api.get(f"/api/analyze/{run['id']}")).json()
    assert [r["status"] for r in detail["ticket_analyses"]] == ["failed", "analyzed"]
    assert detail["ticket_analyses"][0]["error"] == "ticket no longer exists"
    assert detail["status"] == "completed"


def _escalating(local: LocalClassifier, answers: int, threshold: float) -> EscalatingClassifier:
    calls = 0

    def reply(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        nonlocal calls
        calls += 1
        if calls > answers:
            raise ConnectionError("provider went away")
        output = {
            "category": "general",
            "priority": "low",
            "category_confidence": 0.9,
            "priority_confidence": 0.9,
            "reasoning": "scripted",
        }
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, output)])

    llm = LLMClassifier(
        lambda: FunctionModel(reply, model_name="scripted"),
        provider="fake",
        model_name="scripted",
        fallback=local,
        recorder=CallLog(),
        max_retries=0,
    )
    return EscalatingClassifier(local, llm, threshold)


async def test_escalating_llm_uses_the_batch_answer_and_falls_back(
    api: httpx.AsyncClient, analysis_app: FastAPI
) -> None:
    local = analysis_app.state.triage.local
    ids = await make_tickets(api, 5)
    run = await _start(api, {"ticketIds": ids})
    every_ticket_escalates = _escalating(local, answers=2, threshold=1.01)
    await drain(analysis_app, FakeTriage(local, every_ticket_escalates))
    results = (await api.get(f"/api/analyze/{run['id']}")).json()["ticket_analyses"]
    providers = [r["provider"] for r in results]
    assert providers.count("fake:scripted") == 2
    fell_back = [r for r in results if r["provider"] != "fake:scripted"]
    assert len(fell_back) == 3
    assert all(
        r["notes"].startswith("LLM fake failed (error); answered by local model") for r in fell_back
    )
    counts = every_ticket_escalates.status()
    assert (counts["llm_calls"], counts["fallbacks"], counts["calls_saved"]) == (5, 3, 0)

    confident = _escalating(local, answers=0, threshold=0.0)
    again = await _start(api, {"ticketIds": ids})
    await drain(analysis_app, FakeTriage(local, confident))
    results = (await api.get(f"/api/analyze/{again['id']}")).json()["ticket_analyses"]
    assert all(r["provider"].startswith("local:") for r in results)
    assert confident.llm.last_outcome is None  # never asked
    assert confident.status()["calls_saved"] == 5  # the status page counts the run's tickets


def test_filters_stored_before_team_filters_compare_as_no_team() -> None:
    old = {"mode": "filter", "filter": {"status": ["open"], "search": None}}
    new = {"mode": "filter", "filter": {"status": ["open"], "team": [], "search": None}}
    assert tasks._comparable(old) == tasks._comparable(new)
    assert tasks._comparable({"mode": "pending"}) == {"mode": "pending"}
