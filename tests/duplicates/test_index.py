"""Indexing (service and job) and the LSH lookup, on both databases."""

from collections.abc import Sequence
from datetime import timedelta

import httpx
import numpy as np
import numpy.typing as npt
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from supportdesk.duplicates import lsh, service
from supportdesk.duplicates.models import ticket_embeddings
from supportdesk.duplicates.tasks import index_ticket as index_ticket_job
from supportdesk.duplicates.tasks import maintain_index
from supportdesk.jobs.registry import PERIODIC, TASKS, JobContext
from supportdesk.tickets.models import Ticket
from supportdesk.triage.model.embeddings import Embedder
from supportdesk.types import utcnow
from tests.duplicates.conftest import MakeTicket, set_created_at
from tests.factories import make_ticket


class CountingEmbedder:
    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.texts.extend(texts)
        return self.embedder.embed(texts)


async def stored_rows(app: FastAPI) -> list[tuple[int, bytes, str]]:
    async with app.state.db.transaction() as session:
        rows = await session.execute(
            select(
                ticket_embeddings.c.ticket_id,
                ticket_embeddings.c.vector,
                ticket_embeddings.c.text_hash,
            ).order_by(ticket_embeddings.c.ticket_id)
        )
        return [tuple(row) for row in rows]


async def test_index_ticket_is_idempotent(
    client: httpx.AsyncClient, app: FastAPI, embedder: Embedder
) -> None:
    ticket_id = (await make_ticket(client))["id"]
    counting = CountingEmbedder(embedder)
    for _ in range(2):
        async with app.state.db.transaction() as session:
            ticket = await session.get(Ticket, ticket_id)
            assert ticket is not None
            vector = await service.index_ticket(session, ticket, counting)
    rows = await stored_rows(app)
    assert [row[0] for row in rows] == [ticket_id]
    assert len(counting.texts) == 1  # the second run found the same text stored
    np.testing.assert_array_equal(lsh.from_bytes(rows[0][1]), vector)
    assert np.isclose(np.linalg.norm(vector), 1, atol=1e-5)


async def test_edited_text_is_embedded_again(
    client: httpx.AsyncClient, app: FastAPI, embedder: Embedder
) -> None:
    ticket_id = (await make_ticket(client))["id"]
    async with app.state.db.transaction() as session:
        ticket = await session.get(Ticket, ticket_id)
        assert ticket is not None
        await service.index_ticket(session, ticket, embedder)
    before = await stored_rows(app)
    async with app.state.db.transaction() as session:
        await session.execute(
            update(Ticket).where(Ticket.id == ticket_id).values(title="Refund never arrived")
        )
        ticket = await session.get(Ticket, ticket_id, populate_existing=True)
        assert ticket is not None
        await service.index_ticket(session, ticket, embedder)
    after = await stored_rows(app)
    assert len(after) == 1
    assert after[0][2] != before[0][2] and after[0][1] != before[0][1]


async def test_the_job_indexes_new_tickets_and_skips_missing_ones(
    client: httpx.AsyncClient, app: FastAPI, embedder: Embedder
) -> None:
    spec = TASKS["duplicates.index_ticket"]
    assert spec.triggers == ("ticket.created", "ticket.customer_message")
    assert spec.lock is not None and spec.lock({"ticket_id": 7}) == "ticket:7"
    context = JobContext(app.state.settings, app.state.db, app.state.triage)
    ticket_id = (await make_ticket(client))["id"]
    await index_ticket_job(context, ticket_id=ticket_id)
    await index_ticket_job(context, ticket_id=ticket_id)
    await index_ticket_job(context, ticket_id=999_999)
    assert [row[0] for row in await stored_rows(app)] == [ticket_id]


async def test_brute_force_embeds_tickets_that_have_no_embedding(
    client: httpx.AsyncClient, app: FastAPI, embedder: Embedder
) -> None:
    first = await make_ticket(client)
    second = await make_ticket(client, title="Double charge")
    assert await stored_rows(app) == []
    async with app.state.db.transaction() as session:
        found = await service.find_duplicates(session, first["id"], embedder, strategy="exact")
    assert [d.ticket.id for d in found] == [second["id"]]
    assert [row[0] for row in await stored_rows(app)] == [first["id"], second["id"]]


async def test_the_periodic_task_embeds_recent_open_tickets_and_drops_old_ones(
    client: httpx.AsyncClient, app: FastAPI, embedder: Embedder
) -> None:
    assert "duplicates.maintain_index" in PERIODIC
    context = JobContext(app.state.settings, app.state.db, app.state.triage)
    wanted = [(await make_ticket(client, status=s))["id"] for s in ("open", "in_progress")]
    await make_ticket(client, status="closed")
    old = (await make_ticket(client))["id"]
    await index_ticket_job(context, ticket_id=old)
    await set_created_at(app, old, utcnow() - timedelta(days=31))

    await maintain_index(context)

    assert [row[0] for row in await stored_rows(app)] == wanted


def clusters(seed: int, centres: int, size: int) -> npt.NDArray[np.float32]:
    """Unit vectors in tight clusters (cosine ~0.9 within a cluster, ~0 across), like
    reworded reports of a few unrelated problems."""
    rng = np.random.default_rng(seed)
    middle = rng.standard_normal((centres, lsh.DIM))
    middle /= np.linalg.norm(middle, axis=1, keepdims=True)
    noise = rng.standard_normal((centres, size, lsh.DIM)) * rng.uniform(
        0.01, 0.017, (centres, size, 1)
    )
    points = (middle[:, None, :] + noise).reshape(-1, lsh.DIM)
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


async def test_lsh_candidates_match_brute_force_on_a_small_set(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    vectors = clusters(seed=3, centres=12, size=5)
    ids = [(await make_ticket(client, title=f"T{i}"))["id"] for i in range(len(vectors))]
    since = utcnow() - service.WINDOW
    async with app.state.db.transaction() as session:
        await service.store(session, ids, vectors, ["-"] * len(ids))
        codes = np.array(
            (
                await session.execute(
                    select(*(ticket_embeddings.c[c] for c in lsh.BAND_COLUMNS)).order_by(
                        ticket_embeddings.c.ticket_id
                    )
                )
            ).all()
        )
        np.testing.assert_array_equal(codes, lsh.band_codes(vectors))
        for row, query in enumerate(vectors[::5]):
            query_id = ids[row * 5]
            by_index = await service.candidates(session, query, since, "lsh", query_id)
            brute = await service.candidates(session, query, since, "exact", query_id)
            found, matrix = by_index.ids, by_index.vectors
            everyone, all_vectors = brute.ids, brute.vectors
            assert brute.missing == by_index.missing == []
            # The SQL lookup fetches exactly the rows the numpy rule says it should.
            expected = lsh.candidate_mask(codes, query)
            expected[row * 5] = False
            assert sorted(found.tolist()) == sorted(np.array(ids)[expected].tolist())
            # ...and on tight clusters it finds every neighbour brute force finds.
            assert len(everyone) == len(ids) - 1
            near = {int(i) for i, s in zip(everyone, all_vectors @ query, strict=True) if s >= 0.8}
            assert len(near) == 4
            assert near <= set(found.tolist())
            # Unrelated tickets are mostly not fetched: that is the point of the index.
            assert len(found) < len(ids) / 2
            # Each fetched vector is that ticket's stored vector.
            position = {ticket_id: i for i, ticket_id in enumerate(ids)}
            np.testing.assert_array_equal(matrix, vectors[[position[int(i)] for i in found]])


@pytest.mark.parametrize("strategy", ["exact", "lsh"])
async def test_both_strategies_give_the_same_duplicates_here(
    app: FastAPI, embedder: Embedder, make_indexed: MakeTicket, strategy: service.Strategy
) -> None:
    texts = [
        (
            "Charged twice this month",
            "My card was charged twice for the Team plan on March 3rd, "
            "two identical payments of $48.",
        ),
        (
            "double charge",
            "hi, I see 2 payments of 48 dollars from you on the same day. "
            "I only have one subscription",
        ),
        ("Order arrived damaged", "My order arrived today with the lamp shade cracked."),
    ]
    ids = [(await make_indexed(title=t, description=d))["id"] for t, d in texts]
    async with app.state.db.transaction() as session:
        found = await service.find_duplicates(session, ids[0], embedder, strategy=strategy)
    assert [d.ticket.id for d in found] == [ids[1]]
    assert 0.6 < found[0].score < 0.8
