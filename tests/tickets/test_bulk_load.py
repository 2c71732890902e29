"""A seed into an empty PostgreSQL table loads without the per-row rollup trigger and text
index upkeep (`bulk_load`), and leaves the same rollups, indexes and trigger behind."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from supportdesk.demo import demo_tickets
from supportdesk.tickets.service import bulk_load, insert_many

LABEL_COUNTS = (
    "SELECT category, priority, status, ai_category, ai_priority, n"
    " FROM ticket_label_counts WHERE n > 0 ORDER BY 1, 2, 3, 4, 5"
)
RECOUNTED = (
    "SELECT category, priority, status, COALESCE(ai_category, ''), COALESCE(ai_priority, ''),"
    " count(*) FROM tickets GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"
)
DAILY_COUNTS = "SELECT day, n FROM ticket_daily_counts WHERE n > 0 ORDER BY day"
RECOUNTED_DAYS = (
    "SELECT (created_at AT TIME ZONE 'UTC')::date, count(*) FROM tickets GROUP BY 1 ORDER BY 1"
)
STATE = {
    "indexes": "SELECT indexdef FROM pg_indexes WHERE tablename = 'tickets' ORDER BY 1",
    "trigger": "SELECT tgenabled FROM pg_trigger WHERE tgname = 'tickets_rollup'",
    "tickets": "SELECT count(*) FROM tickets",
}


def rows(count: int) -> list[dict[str, object]]:
    made = list(demo_tickets(count, seed=3))
    for i, row in enumerate(made):  # some with suggestions, some without
        if i % 3:
            row |= {"ai_category": row["category"], "ai_priority": "low"}
    return made


async def query(app: FastAPI, statement: str) -> list[tuple[Any, ...]]:
    async with app.state.db.engine.connect() as connection:
        return [tuple(row) for row in (await connection.execute(text(statement))).all()]


async def state(app: FastAPI) -> dict[str, list[tuple[Any, ...]]]:
    return {name: await query(app, statement) for name, statement in STATE.items()}


@pytest.fixture
def postgresql(app: FastAPI) -> None:
    if app.state.db.dialect != "postgresql":
        pytest.skip("the bulk load is PostgreSQL's")


@pytest.mark.usefixtures("postgresql")
async def test_a_bulk_load_leaves_rollups_indexes_and_trigger_as_row_inserts_do(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    before = await state(app)
    async with app.state.db.transaction() as session, bulk_load(session) as bulk:
        assert bulk
        await insert_many(session, rows(40)[:25], with_workflow=False)
        await insert_many(session, rows(40)[25:], with_workflow=True)
    after = await state(app)
    assert after["indexes"] == before["indexes"] and after["trigger"] == before["trigger"]
    assert after["tickets"] == [(40,)]
    assert await query(app, LABEL_COUNTS) == await query(app, RECOUNTED)
    assert await query(app, DAILY_COUNTS) == await query(app, RECOUNTED_DAYS)

    # The trigger counts again: a row inserted now is in the rollups.
    async with app.state.db.transaction() as session, bulk_load(session) as bulk:
        assert not bulk  # the table is not empty
        await insert_many(session, rows(1), with_workflow=False)
    assert await query(app, LABEL_COUNTS) == await query(app, RECOUNTED)
    response = await client.get("/api/tickets/", params={"search": "fund"})
    assert response.json()["count"] > 0  # fragments, through the rebuilt trigram index


@pytest.mark.usefixtures("postgresql", "client")
async def test_a_bulk_load_that_fails_leaves_the_table_as_it_was(app: FastAPI) -> None:
    before = await state(app)
    with pytest.raises(RuntimeError):
        async with app.state.db.transaction() as session, bulk_load(session):
            await insert_many(session, rows(5), with_workflow=False)
            raise RuntimeError("the load failed")
    assert await state(app) == before
    assert await query(app, LABEL_COUNTS) == []
