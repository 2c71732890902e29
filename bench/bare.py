"""The list's first page with no framework: a bare ASGI app on an asyncpg pool that runs
the SQL the API runs for the benchmark's agent (one of every team, who sees every ticket:
the page and the total from the label rollup, in one statement), and writes the same JSON
shape. bench.run serves it beside the API and loads both: the API's req/s as a share of
this one's is the figure that travels between machines.

`framework_floor` is the same endpoint as one FastAPI route, with nothing else: no
middleware, no sign-in, no query parameters, no response model. What it loses against the
bare app is what the framework alone costs, the most our API could keep.

    BARE_DSN=postgresql://... .venv/bin/uvicorn bench.bare:app --port 8001
    BARE_DSN=postgresql://... .venv/bin/uvicorn bench.bare:framework_floor --port 8002
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import orjson
from fastapi import FastAPI, Request, Response

from supportdesk.tickets.models import Ticket

PAGE = 20
# The table's own columns, in its order (read once here, never per request).
COLUMNS = ", ".join(Ticket.__table__.columns.keys())
PAGE_SQL = (
    f"SELECT {COLUMNS}, (SELECT coalesce(sum(n), 0) FROM ticket_label_counts) AS total "
    "FROM tickets ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2"
)


class Bare:
    def __init__(self) -> None:
        self.pool: asyncpg.Pool | None = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                if message["type"] == "lifespan.startup":
                    self.pool = await asyncpg.create_pool(os.environ["BARE_DSN"], max_size=10)
                    await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        assert self.pool is not None
        body = await first_page(self.pool)
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def first_page(pool: asyncpg.Pool) -> bytes:
    async with pool.acquire() as connection:
        rows = await connection.fetch(PAGE_SQL, PAGE, 0)
    results = [dict(row) for row in rows]
    total = results[0].pop("total") if results else 0
    for row in results[1:]:
        del row["total"]
    return orjson.dumps(
        {
            "count": int(total),
            "count_estimated": False,
            "next": None,
            "previous": None,
            "next_cursor": None,
            "results": results,
        }
    )


app = Bare()


@asynccontextmanager
async def _pool(_: FastAPI) -> AsyncIterator[dict[str, asyncpg.Pool]]:
    async with asyncpg.create_pool(os.environ["BARE_DSN"], max_size=10) as pool:
        yield {"pool": pool}


framework_floor = FastAPI(lifespan=_pool)


@framework_floor.get("/")
async def floor_first_page(request: Request) -> Response:
    return Response(await first_page(request.state.pool), media_type="application/json")
