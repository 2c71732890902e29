"""SLA outcomes kept per target and rolled up by day, on SQLite and PostgreSQL: after any
mix of replies, answers, priority and team changes, reopening and time passing, the
attainment read from the rollup equals the one worked out ticket by ticket from the
conversations (the oracle); tickets filed before outcomes were kept get theirs by the
backfill, without announcing old breaches, and a seed loads each ticket with the standing
a refresh would give it; a breached target is not looked at again."""

from collections import Counter
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select, update

from supportdesk.demo import demo_tickets
from supportdesk.jobs.registry import JobContext
from supportdesk.sla import outcomes, service
from supportdesk.sla.models import SlaAttainmentDay, SlaBackfill, SlaEvent, SlaOutcome
from supportdesk.sla.tasks import backfill, refresh
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.service import insert_many
from supportdesk.types import utcnow
from tests.factories import make_ticket, run_cli

REPLY = {"kind": "reply", "body": "We are on it."}
ANSWER = {"kind": "customer", "body": "It still fails."}


def context(app: FastAPI) -> JobContext:
    return JobContext(app.state.settings, app.state.db, app.state.triage)


async def _set(app: FastAPI, ticket_id: int, **values: object) -> None:
    async with app.state.db.transaction() as session:
        await session.execute(update(Ticket).where(Ticket.id == ticket_id).values(**values))


async def _oracle(app: FastAPI, days: int) -> Counter[tuple[str, str | None, str, str]]:
    """Attainment worked out afresh from every ticket's conversation."""
    since = (utcnow() - timedelta(days=days - 1)).date()
    counts: Counter[tuple[str, str | None, str, str]] = Counter()
    async with app.state.db.sessions() as session:
        for ticket in await session.scalars(select(Ticket)):
            if ticket.created_at.date() < since:
                continue
            found, _ = await service.ticket_states(session, ticket, utcnow())
            for state in found:
                key = (state.target.value, ticket.team, ticket.priority)
                counts[(*key, outcomes.state_of(state))] += 1
    return counts


async def _read(app: FastAPI, days: int) -> Counter[tuple[str, str | None, str, str]]:
    since = (utcnow() - timedelta(days=days - 1)).date()
    counts: Counter[tuple[str, str | None, str, str]] = Counter()
    async with app.state.db.sessions() as session:
        for row in await service.attainment(session, since, None):
            key = (row.target.value, row.team, row.priority.value)
            for state, n in (("met", row.met), ("breached", row.breached), ("open", row.open)):
                if n:
                    counts[(*key, state)] += n
    return counts


async def _rollup_equals_rows(app: FastAPI) -> None:
    async with app.state.db.sessions() as session:
        rows = await session.scalar(select(func.count()).select_from(SlaOutcome))
        day = SlaAttainmentDay
        rolled = await session.scalar(select(func.sum(day.open + day.met + day.breached)))
    assert rows == (rolled or 0)


async def test_attainment_from_the_rollup_equals_the_conversations(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    ids = [(await make_ticket(client, priority="high"))["id"] for _ in range(6)]
    answered, late, waiting, reopened, moved, untouched = ids
    await _set(app, late, created_at=utcnow() - timedelta(hours=6))
    await _set(app, untouched, created_at=utcnow() - timedelta(days=3))
    await client.post(f"/api/tickets/{answered}/messages", json=REPLY)
    await client.post(f"/api/tickets/{late}/messages", json=REPLY)
    for message in (REPLY, ANSWER):  # the customer answered: a next response is due
        await client.post(f"/api/tickets/{waiting}/messages", json=message)
    await client.patch(f"/api/tickets/{reopened}", json={"status": "resolved"})
    await client.patch(f"/api/tickets/{reopened}", json={"status": "open"})
    await client.patch(f"/api/tickets/{moved}", json={"priority": "low"})
    await _set(app, moved, team="billing")
    for ticket in ids:  # the jobs these changes queue
        await refresh(context(app), ticket_id=ticket)
    read = await _read(app, 30)
    assert {state for *_, state in read} == {"met", "breached", "open"}
    assert read == await _oracle(app, 30)
    assert await _read(app, 1) == await _oracle(app, 1)  # today's only: not `untouched`
    await _rollup_equals_rows(app)

    await client.post(f"/api/tickets/{waiting}/messages", json=REPLY)  # answered again
    await _set(app, moved, team="technical")
    await client.patch(f"/api/tickets/{answered}", json={"priority": "critical"})
    for ticket in ids:
        await refresh(context(app), ticket_id=ticket)
    assert await _read(app, 30) == await _oracle(app, 30)
    await _rollup_equals_rows(app)


async def test_time_passing_breaches_an_open_target_once_and_it_is_not_looked_at_again(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    ticket = (await make_ticket(client, priority="critical"))["id"]  # first response: 1 hour
    await refresh(context(app), ticket_id=ticket)
    later = utcnow() + timedelta(hours=2)
    async with app.state.db.transaction() as session:
        assert await outcomes.due_by(session, later) == [ticket]
        assert await service.sweep(session, later, timedelta()) == {"breached": 1}
    async with app.state.db.transaction() as session:
        assert await outcomes.due_by(session, later) == []  # settled: never swept again
        assert await service.sweep(session, later, timedelta()) == {}
        breached = await session.scalar(
            select(func.sum(SlaAttainmentDay.breached)).where(
                SlaAttainmentDay.target == "first_response"
            )
        )
    assert breached == 1


async def test_tickets_filed_before_outcomes_were_kept_get_theirs_by_the_backfill_quietly(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async with app.state.db.transaction() as session:
        await insert_many(session, list(demo_tickets(300, seed=3)), with_workflow=False)
        newest = await session.scalar(select(func.max(Ticket.id)))
        session.add(SlaBackfill(id=1, up_to=newest, done=0))  # as migration 0023 leaves it
    await backfill(context(app))
    assert await _read(app, 30) == await _oracle(app, 30)
    assert sum(n for (*_, state), n in (await _read(app, 30)).items() if state == "breached")
    await _rollup_equals_rows(app)
    async with app.state.db.sessions() as session:
        # Breaches from before outcomes were kept are history, not news.
        assert await session.scalar(select(func.count()).select_from(SlaEvent)) == 0
        overdue = await session.scalar(
            select(func.count()).where(Ticket.due_at < utcnow(), Ticket.resolved_at.is_(None))
        )
    assert overdue  # the list's "SLA at risk" and "breached" views see them too
    async with app.state.db.transaction() as session:
        assert await service.backfill(session, utcnow()) == 0  # done: one read a minute


async def _standings(app: FastAPI) -> tuple[list[tuple[object, ...]], ...]:
    async with app.state.db.sessions() as session:
        day = SlaAttainmentDay
        rollup = await session.execute(
            select(day.day, day.target, day.team, day.priority, day.open, day.met, day.breached)
            .where(day.open + day.met + day.breached > 0)
            .order_by(day.day, day.target, day.team, day.priority)
        )
        ticket = await session.execute(
            select(Ticket.id, Ticket.due_at, Ticket.sla_breached).order_by(Ticket.id)
        )
        return [tuple(row) for row in rollup], [tuple(row) for row in ticket]


async def test_a_seed_gives_each_ticket_the_standing_the_workflow_would(
    app: FastAPI, client: httpx.AsyncClient, database_url: str
) -> None:
    """The seed works each ticket's standing out before loading it (rows are never
    updated after): refreshing every ticket afterwards changes nothing. 293 tickets over
    60 days: no target's length is a whole number of the gaps between them, so none falls
    due in the moment between the seed and the refresh."""
    seeded = run_cli(
        "seed", "--count", "293", "--threads", "0.3", "--routed", "--no-workflow", url=database_url
    )
    assert seeded.returncode == 0, seeded.stderr
    seen = await _standings(app)
    async with app.state.db.transaction() as session:
        ids = list(await session.scalars(select(Ticket.id)))
        await service.refresh_tickets(session, ids, utcnow(), record_breaches=False)
    assert await _standings(app) == seen
    assert {state for *_, state in await _read(app, 60)} == {"met", "breached", "open"}
    await _rollup_equals_rows(app)


async def test_an_agent_sees_the_attainment_of_their_teams_tickets_only(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    billing, technical = [(await make_ticket(client))["id"] for _ in range(2)]
    await _set(app, billing, team="billing")
    await _set(app, technical, team="technical")
    for ticket in (billing, technical):
        await refresh(context(app), ticket_id=ticket)
    async with app.state.db.sessions() as session:
        seen = await service.attainment(session, utcnow().date(), ["billing"])
    assert {row.team for row in seen} == {"billing"}
