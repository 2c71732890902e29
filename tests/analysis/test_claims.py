"""No ticket is analyzed by two active runs: the claims table's key decides, not timing."""

from collections.abc import Sequence

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from supportdesk.analysis import service
from supportdesk.analysis.models import AnalysisClaim
from supportdesk.errors import Conflict
from tests.analysis.helpers import make_tickets


async def test_the_database_refuses_a_second_claim(
    api: httpx.AsyncClient, analysis_app: FastAPI
) -> None:
    ids = await make_tickets(api, 1)
    run = (await api.post("/api/analyze", json={"ticketIds": ids})).json()
    with pytest.raises(IntegrityError):
        async with analysis_app.state.db.transaction() as session:
            await session.execute(
                insert(AnalysisClaim), [{"ticket_id": ids[0], "run_id": run["id"]}]
            )


async def test_a_race_the_check_missed_is_a_conflict_naming_the_winner(
    api: httpx.AsyncClient, analysis_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await make_tickets(api, 3)
    winner = (await api.post("/api/analyze", json={"ticketIds": ids[:2]})).json()
    real_holders = service._holders
    calls = 0

    async def blind_once(session: object, wanted: Sequence[int]) -> dict[int, list[int]]:
        # The first look happens "before the winner committed": it sees no claim.
        nonlocal calls
        calls += 1
        return {} if calls == 1 else await real_holders(session, wanted)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "_holders", blind_once)
    with pytest.raises(Conflict) as caught:
        async with analysis_app.state.db.transaction() as session:
            await service.start_run(session, ids[1:], None)
    assert caught.value.detail == f"run {winner['id']} is analysing tickets {ids[1]}"
    assert caught.value.errors == {"ticketIds": [caught.value.detail]}
    runs = (await api.get("/api/analyze/runs")).json()
    assert runs["total"] == 1  # the loser's run rolled back with its request
