"""The record of LLM calls is kept for the configured number of days, on both backends."""

from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from supportdesk.jobs.registry import PERIODIC, JobContext
from supportdesk.llm import ProviderCall
from supportdesk.triage.tasks import prune_provider_calls
from supportdesk.types import utcnow


@pytest.mark.usefixtures("client")
async def test_calls_older_than_the_keep_are_forgotten(app: FastAPI) -> None:
    assert PERIODIC["triage.prune_provider_calls"].every_seconds == 3600
    keep = timedelta(days=app.state.settings.triage.keep_provider_calls_days)
    now = utcnow()
    async with app.state.db.transaction() as session:
        for model, age in (
            ("old", keep + timedelta(hours=1)),
            ("recent", keep - timedelta(hours=1)),
        ):
            session.add(
                ProviderCall(
                    created_at=now - age,
                    provider="openai",
                    model=model,
                    latency_ms=120.0,
                    outcome="ok",
                )
            )

    await prune_provider_calls(JobContext(app.state.settings, app.state.db, app.state.triage))

    async with app.state.db.sessions() as session:
        assert list(await session.scalars(select(ProviderCall.model))) == ["recent"]
