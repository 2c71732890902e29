"""Learning from agents: corrections are stored, retraining is gated, rollback works."""

import asyncio
import threading
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from supportdesk.triage.models import Correction, ModelVersion
from supportdesk.triage.training import versions
from supportdesk.triage.training.bank import load_bank, split_bank, training_code_digest
from tests.factories import make_ticket


async def corrections(app: FastAPI) -> list[Correction]:
    async with app.state.db.sessions() as session:
        return list(await session.scalars(select(Correction).order_by(Correction.id)))


async def test_overriding_an_ai_label_stores_a_correction(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    ticket = await make_ticket(
        client, category=None, priority=None, description="I was charged twice, please refund"
    )
    wrong = "technical" if ticket["category"] != "technical" else "general"
    await client.patch(f"/api/tickets/{ticket['id']}", json={"category": wrong})
    await client.patch(
        f"/api/tickets/{ticket['id']}", json={"category": "account"}
    )  # already the agent's
    stored = await corrections(app)
    assert len(stored) == 1
    assert (stored[0].field, stored[0].predicted, stored[0].corrected) == (
        "category",
        ticket["category"],
        wrong,
    )
    assert stored[0].description == "I was charged twice, please refund"


async def test_two_agents_overriding_at_once_make_one_correction(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    ticket = await make_ticket(
        client, category=None, priority=None, description="I was charged twice, please refund"
    )
    others = [c for c in ("billing", "technical", "account", "general") if c != ticket["category"]]
    path = f"/api/tickets/{ticket['id']}"
    answers = await asyncio.gather(*(client.patch(path, json={"category": c}) for c in others))

    assert [a.status_code for a in answers] == [200] * len(others)
    stored = await corrections(app)
    assert len(stored) == 1, [(c.predicted, c.corrected) for c in stored]
    assert stored[0].predicted == ticket["category"]


async def test_changing_a_label_the_submitter_chose_is_not_a_correction(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    ticket = await make_ticket(client, category="billing", priority="low")
    await client.patch(
        f"/api/tickets/{ticket['id']}", json={"category": "general", "priority": "high"}
    )
    assert await corrections(app) == []


async def test_retrain_is_gated_and_rollback_restores(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = app.state.triage
    if engine.local is None:
        pytest.skip("local model not built")
    # Training runs off the event loop, so the server keeps answering meanwhile.
    trained_on: list[str] = []
    train = versions.train_heads

    def train_heads(*args: Any) -> Any:
        trained_on.append(threading.current_thread().name)
        return train(*args)

    monkeypatch.setattr(versions, "train_heads", train_heads)
    ticket = await make_ticket(
        client, category=None, priority=None, description="how do I export a report?"
    )
    await client.patch(f"/api/tickets/{ticket['id']}", json={"priority": "medium"})

    first = await engine.retrain()
    assert first["active"] is True and first["version"].startswith("v")
    assert trained_on and trained_on[0] != threading.main_thread().name
    assert engine.local.version == first["version"]
    status = (await client.get("/api/triage/status")).json()
    assert status["model_version"] == first["version"]
    assert status["corrections_pending"] == 0
    assert status["model_metrics"]["category_accuracy"] > 0.8

    async with app.state.db.sessions() as session:
        assert await versions.rollback(session) == versions.BASE_VERSION
        await session.commit()
    # Until this process reloads, it serves the first version: the status says so, with
    # that version's figures, never the base version's figures beside it.
    status = (await client.get("/api/triage/status")).json()
    assert status["model_version"] == first["version"]
    assert status["model_metrics"] == first["metrics"]
    await engine.reload()
    assert engine.local.version == versions.BASE_VERSION
    status = (await client.get("/api/triage/status")).json()
    assert status["model_metrics"] == versions.load_base_metrics(
        app.state.settings.triage.heads_dir
    )


async def test_a_worse_version_is_not_activated(client: httpx.AsyncClient, app: FastAPI) -> None:
    engine = app.state.triage
    if engine.local is None:
        pytest.skip("local model not built")
    # Agents "correct" many urgent problems to general / low: the held-out bank must catch it.
    training, _ = split_bank(load_bank())
    urgent = [
        e for e in training if e.title and e.category != "general" and e.priority == "critical"
    ]
    for example in urgent[:40]:
        ticket = await make_ticket(
            client,
            category=None,
            priority=None,
            title=example.title,
            description=example.description,
        )
        await client.patch(
            f"/api/tickets/{ticket['id']}", json={"category": "general", "priority": "low"}
        )
    result = await engine.retrain()
    assert result["active"] is False
    assert "worse" in result["note"]
    assert engine.local.version == versions.BASE_VERSION


async def test_a_refused_version_has_seen_the_corrections_before_it(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    # Otherwise, once a version is refused, every later correction would retrain again.
    ticket = await make_ticket(client, category=None, priority=None)
    wrong = "technical" if ticket["category"] != "technical" else "general"
    await client.patch(f"/api/tickets/{ticket['id']}", json={"category": wrong})
    async with app.state.db.sessions() as session:
        assert await versions.corrections_not_trained_on(session) == 1
        refused = ModelVersion(
            heads=b"", metrics={}, examples=1, corrections=1, active=False, note="not activated"
        )
        session.add(refused)
        await session.commit()
        assert await versions.corrections_not_trained_on(session) == 0


async def test_a_version_trained_by_other_code_is_not_served(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """After an upgrade that changes how features are read, a retrained version's heads
    would misread them (or fail on their shape): the shipped heads serve until a retrain."""
    engine = app.state.triage
    if engine.local is None:
        pytest.skip("local model not built")
    trained = await engine.retrain()
    assert engine.local.version == trained["version"]
    assert trained["metrics"]["training_code"] == training_code_digest()

    async with app.state.db.transaction() as session:
        row = await session.get(ModelVersion, int(trained["version"].removeprefix("v")))
        assert row is not None
        row.metrics = {**row.metrics, "training_code": "older code"}
    await engine.reload()

    assert engine.local.version == versions.BASE_VERSION
    status = (await client.get("/api/triage/status")).json()
    assert status["model_version"] == versions.BASE_VERSION
    heads_dir = app.state.settings.triage.heads_dir
    assert status["model_metrics"] == versions.load_base_metrics(heads_dir)


async def test_a_correction_names_its_agent_and_retraining_can_leave_them_out(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = app.state.triage
    if engine.local is None:
        pytest.skip("local model not built")
    me = (await client.get("/api/auth/me")).json()["user"]["id"]
    ticket = await make_ticket(
        client, category=None, priority=None, description="how do I export a report?"
    )
    other = "critical" if ticket["priority"] != "critical" else "low"
    await client.patch(f"/api/tickets/{ticket['id']}", json={"priority": other})
    assert [c.actor_user_id for c in await corrections(app)] == [me]
    trained_on: list[int] = []
    train = versions.train_heads

    def train_heads(embedder: Any, examples: list[Any]) -> Any:
        trained_on.append(len(examples))
        return train(embedder, examples)

    monkeypatch.setattr(versions, "train_heads", train_heads)
    heads_dir = app.state.settings.triage.heads_dir
    async with app.state.db.sessions() as session:
        await versions.retrain(session, engine.embedder, heads_dir, ignored=[me])
        await versions.retrain(session, engine.embedder, heads_dir)
        await session.rollback()
    assert trained_on[1] == trained_on[0] + 1
