"""The LLM provider wired into the running app: answers, fallbacks, records, status."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from supportdesk.app import create_app
from supportdesk.config import LLMSettings, Settings, TriageSettings
from supportdesk.llm import ProviderCall
from supportdesk.triage import service
from supportdesk.triage.llm.escalation import EscalationCounts
from supportdesk.types import utcnow
from tests.llm.conftest import GOOD, FakeLLM, Reply

BILLING = {"description": "I was charged twice for my subscription, please refund one"}


@pytest.fixture
async def llm_app(settings: Settings, fake_llm: FakeLLM) -> AsyncIterator[FastAPI]:
    configured = settings.model_copy(
        update={
            "llm": LLMSettings(
                provider="openai-compatible",
                model="fake-model",
                base_url=f"{fake_llm.url}/v1",
                timeout_seconds=2,
                max_retries=0,
            ),
            # Above any confidence: every ticket goes to the LLM.
            "triage": TriageSettings(escalation_threshold=1.01),
        }
    )
    application = create_app(configured)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def llm_client(
    llm_app: FastAPI, client: httpx.AsyncClient
) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=llm_app)
    # The same database as `client`, so its admin's token works here too.
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=client.headers
    ) as http:
        yield http


async def test_the_llm_answers_and_the_call_is_recorded(
    llm_client: httpx.AsyncClient, llm_app: FastAPI
) -> None:
    body = (await llm_client.post("/api/tickets/classify/", json=BILLING)).json()
    assert body["provider"] == "openai-compatible:fake-model"
    assert body["suggested_category"] == "billing" and "warning" not in body
    async with llm_app.state.db.sessions() as session:
        calls = list(await session.scalars(select(ProviderCall)))
    assert [(c.provider, c.outcome) for c in calls] == [("openai-compatible", "ok")]


async def test_a_failing_provider_falls_back_to_local_with_a_warning(
    llm_client: httpx.AsyncClient, llm_app: FastAPI, fake_llm: FakeLLM
) -> None:
    fake_llm.script(Reply(status=500))
    response = await llm_client.post("/api/tickets/classify/", json=BILLING)
    assert response.status_code == 200
    body = response.json()
    assert body["warning"] and not body["provider"].startswith("openai")
    status = (await llm_client.get("/api/triage/status")).json()
    assert status["provider"]["llm"]["last_outcome"] == "server_error"
    async with llm_app.state.db.sessions() as session:
        (call,) = await session.scalars(select(ProviderCall))
    assert (call.outcome, call.attempt) == ("server_error", 1)
    assert call.error is not None and "500" in call.error


async def test_a_ticket_filed_while_the_provider_fails_says_so(
    llm_client: httpx.AsyncClient, fake_llm: FakeLLM
) -> None:
    fake_llm.script(Reply(status=500))
    ticket = {"title": "Charged twice", **BILLING}
    created = await llm_client.post("/api/tickets/", json=ticket)
    assert created.status_code == 201
    body = created.json()
    assert body["warning"].startswith("LLM openai-compatible failed (server_error)")
    assert body["ai_provider"].startswith("local")
    stored = (await llm_client.get(f"/api/tickets/{body['id']}/")).json()
    assert "warning" not in stored  # a note on that answer, not part of the ticket
    fake_llm.script(Reply())
    answered = (await llm_client.post("/api/tickets/", json=ticket)).json()
    assert "warning" not in answered


async def test_a_label_outside_the_taxonomy_is_never_stored(
    llm_client: httpx.AsyncClient, fake_llm: FakeLLM
) -> None:
    fake_llm.script(
        Reply(
            output={
                "category": "sales",
                "priority": "urgent",
                "category_confidence": 1,
                "priority_confidence": 1,
                "reasoning": "x",
            }
        )
    )
    created = await llm_client.post("/api/tickets/", json={"title": "Refund", **BILLING})
    assert created.status_code == 201
    ticket = created.json()
    assert ticket["category"] in {"billing", "technical", "account", "general"}
    assert ticket["priority"] in {"low", "medium", "high", "critical"}


async def test_escalation_counts_add_up_over_processes(
    llm_client: httpx.AsyncClient, llm_app: FastAPI
) -> None:
    """Each process adds its counts to the day's row; the status shows the sum, including
    what this process counted since its last save."""
    engine = llm_app.state.triage
    await llm_client.post("/api/tickets/classify/", json=BILLING)
    await engine.save_escalation_counts()
    await engine.save_escalation_counts()  # nothing new: nothing added twice
    async with llm_app.state.db.transaction() as session:  # another worker's counts
        await service.add_escalation_counts(
            session, utcnow().date(), EscalationCounts(local_answers=4, calls_saved=4)
        )
    await llm_client.post("/api/tickets/classify/", json=BILLING)  # not saved yet

    totals = (await llm_client.get("/api/triage/status")).json()["provider"]["all_processes"]

    assert totals == {
        "since": utcnow().date().isoformat(),
        "local_answers": 4,
        "llm_calls": 2,
        "calls_saved": 4,
        "fallbacks": 0,
    }
    async with llm_app.state.db.sessions() as session:
        saved, _ = await service.escalation_totals(session)
    assert saved == EscalationCounts(local_answers=4, llm_calls=1, calls_saved=4)


HOW_TO = {"title": "Export", "description": "How do I export my invoices as a CSV file?"}


async def test_an_llm_priority_far_from_the_local_one_is_flagged_not_trusted(
    llm_client: httpx.AsyncClient, llm_app: FastAPI, fake_llm: FakeLLM
) -> None:
    local = await llm_app.state.triage.local.classify(HOW_TO["title"], HOW_TO["description"])
    assert local.priority == "low"
    fake_llm.script(Reply(output={**GOOD, "category": "general", "priority": "critical"}))
    created = (await llm_client.post("/api/tickets/", json=HOW_TO)).json()
    assert (created["priority"], created["needs_review"]) == ("low", True)
    assert "LLM said critical priority but the local model said low" in created["warning"]
    fake_llm.script(Reply(output={**GOOD, "category": "general", "priority": "medium"}))
    trusted = (await llm_client.post("/api/tickets/", json=HOW_TO)).json()
    assert (trusted["priority"], trusted["needs_review"]) == ("medium", False)


async def test_failures_retries_and_the_circuit_are_logged_and_errors_say_what_happened(
    settings: Settings, fake_llm: FakeLLM, caplog: pytest.LogCaptureFixture
) -> None:
    llm = LLMSettings(
        provider="openai-compatible",
        model="fake-model",
        base_url=f"{fake_llm.url}/v1",
        timeout_seconds=5,
        max_retries=1,
        circuit_failures=1,
    )
    configured = settings.model_copy(
        update={"llm": llm, "triage": TriageSettings(escalation_threshold=1.01)}
    )
    application = create_app(configured)
    async with application.router.lifespan_context(application):
        classifier = application.state.triage.classifier
        fake_llm.script(Reply(status=503))
        with caplog.at_level("WARNING"):
            await classifier.classify("Refund", BILLING["description"])
        messages = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
        assert any("attempt 1, retrying" in m and "HTTP 503: fake 503" in m for m in messages)
        assert any("failed on attempt 2: HTTP 503" in m for m in messages)
        assert any(m.startswith("LLM triage circuit opened") for m in messages)
        classifier.llm.breaker.cooldown_seconds = 0
        fake_llm.script(Reply())
        caplog.clear()
        with caplog.at_level("WARNING"):
            await classifier.classify("Refund", BILLING["description"])
        assert "LLM triage circuit closed: the provider answered again" in caplog.messages


async def test_recorded_errors_say_what_happened(
    llm_client: httpx.AsyncClient, fake_llm: FakeLLM
) -> None:
    async def last_error() -> str:
        await llm_client.post("/api/tickets/classify/", json=BILLING)
        status = (await llm_client.get("/api/triage/status")).json()
        return str(status["provider"]["llm"]["last_error"])

    fake_llm.script(Reply(status=400))
    assert await last_error() == "HTTP 400: fake 400"
    fake_llm.script(Reply(raw="<html>bad gateway</html>"))
    assert (await last_error()).startswith("unreadable response body")
    fake_llm.script(Reply(sleep=3))
    assert await last_error() == "timeout: no answer within the time allowed"
