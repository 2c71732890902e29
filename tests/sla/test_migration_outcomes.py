"""Migration 0023 on SQLite: an install with tickets gets the outcome tables and a backfill
mark at its newest ticket, which the backfill job works through; a new one stays empty."""

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from supportdesk.db import Database
from supportdesk.sla import service
from supportdesk.sla.models import SlaAttainmentDay, SlaBackfill, SlaOutcome
from supportdesk.tickets.models import Ticket
from supportdesk.types import utcnow
from tests.factories import run_cli
from tests.sqlite_schema import MigratedFile


def test_tickets_filed_before_0023_are_marked_and_backfilled(tmp_path: Path) -> None:
    database = MigratedFile(tmp_path / "m.db")
    seeded = run_cli("seed", "--count", "30", "--no-workflow", url=database.url)
    assert seeded.returncode == 0, seeded.stderr
    assert "sla_outcomes" not in database.downgrade("0022").tables  # as if never kept
    assert "sla_outcomes" in database.upgrade("0023").tables
    asyncio.run(_backfilled(database.url))


async def _backfilled(url: str) -> None:
    db = Database(url)
    try:
        async with db.transaction() as session:
            mark = await session.get(SlaBackfill, 1)
            assert mark is not None
            assert (mark.done, mark.up_to) == (0, await session.scalar(select(func.max(Ticket.id))))
            assert await session.scalar(select(func.count()).select_from(SlaOutcome)) == 0
        async with db.transaction() as session:
            assert await service.backfill(session, utcnow()) == 30
        async with db.transaction() as session:
            assert await service.backfill(session, utcnow()) == 0
            kept = await session.scalar(select(func.count()).select_from(SlaOutcome))
            day = SlaAttainmentDay
            rolled = await session.scalar(select(func.sum(day.open + day.met + day.breached)))
        assert kept and kept == rolled
    finally:
        await db.dispose()


def test_a_new_database_has_no_backfill_to_do(tmp_path: Path) -> None:
    """move-data and restore want a new database empty."""
    database = MigratedFile(tmp_path / "m.db")
    tables = database.upgrade("0023").tables
    assert {"sla_outcomes", "sla_attainment_days", "sla_backfill"} <= tables
    assert database.rows("sla_backfill") == []
