"""Duplicates need the embedding model: skip (saying why) only when it is not built."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from supportdesk.duplicates.tasks import index_ticket
from supportdesk.jobs.registry import JobContext
from supportdesk.tickets.models import Ticket
from supportdesk.triage.model.embeddings import Embedder
from tests.factories import make_ticket

MakeTicket = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def embedder(app: FastAPI) -> Embedder:
    model: Embedder | None = app.state.triage.embedder
    if model is None:
        pytest.skip("embedding model not built (models/minilm); run `make model`")
    return model


@pytest.fixture
def job_context(app: FastAPI) -> JobContext:
    return JobContext(app.state.settings, app.state.db, app.state.triage)


@pytest.fixture
def make_indexed(
    client: httpx.AsyncClient, job_context: JobContext, embedder: Embedder
) -> MakeTicket:
    """Create a ticket through the API, then run its index job as a worker would (tests
    run jobs themselves)."""

    async def make(**fields: Any) -> dict[str, Any]:
        ticket = await make_ticket(client, **fields)
        await index_ticket(job_context, ticket_id=ticket["id"])
        return ticket

    return make


async def set_created_at(app: FastAPI, ticket_id: int, when: datetime) -> None:
    async with app.state.db.transaction() as session:
        await session.execute(update(Ticket).where(Ticket.id == ticket_id).values(created_at=when))
