"""The list's first page with no framework: a bare ASGI app on an asyncpg pool that runs
the SQL the API runs for the benchmark's agent (the page, one row over, and the planner's
estimate of the total), and writes the same JSON shape. bench.run serves it beside the API
and loads both: the API's req/s as a share of this one's is the figure that travels
between machines.

    BARE_DSN=postgresql://... BARE_TEAMS=a,b .venv/bin/uvicorn bench.bare:app --port 8001
"""

import json
import os
from typing import Any

import asyncpg
import orjson

PAGE = 20
COLUMNS = (
    "id, title, description, category, priority, status, created_at, updated_at, resolved_at, "
    "category_source, priority_source, ai_category, ai_priority, ai_confidence, ai_reasoning, "
    "ai_provider, needs_review, team, due_at, sla_breached, duplicate_of, "
    "ai_category_confidence, ai_priority_confidence, assignee_id, contact_id, follow_up_of, "
    "waiting_since"
)
SCOPE = "(tickets.team = ANY($1::varchar[]) OR tickets.team IS NULL)"
PAGE_SQL = (
    f"SELECT {COLUMNS} FROM tickets WHERE {SCOPE} "
    "ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
)
ESTIMATE_SQL = f"EXPLAIN (FORMAT JSON) SELECT tickets.id FROM tickets WHERE {SCOPE}"


class Bare:
    def __init__(self) -> None:
        self.pool: asyncpg.Pool | None = None
        self.teams = os.environ.get("BARE_TEAMS", "").split(",")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                if message["type"] == "lifespan.startup":
                    self.pool = await asyncpg.create_pool(os.environ["BARE_DSN"], max_size=10)
                    await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        assert self.pool is not None
        async with self.pool.acquire() as connection:
            rows = await connection.fetch(PAGE_SQL, self.teams, PAGE + 1, 0)
            plan = json.loads(await connection.fetchval(ESTIMATE_SQL, self.teams))
        body = orjson.dumps(
            {
                "count": int(plan[0]["Plan"]["Plan Rows"]),
                "count_estimated": True,
                "next": None,
                "previous": None,
                "next_cursor": None,
                "results": [dict(row) for row in rows[:PAGE]],
            }
        )
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


app = Bare()
