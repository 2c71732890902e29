"""Each target a ticket has had and how it stands, stored, and their daily rollup that
attainment reads. `keep` replaces a ticket's stored outcomes with the ones it has now and
moves the rollup by the difference, in the transaction of the change: the rollup is
always the sum of the rows it stands for."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.dialect import among, insert_rows, upsert
from supportdesk.sla.models import SlaAttainmentDay, SlaOutcome
from supportdesk.sla.targets import Target, TargetState
from supportdesk.taxonomy import Priority

OPEN, MET, BREACHED = "open", "met", "breached"
NO_TEAM = ""  # the rollup's team for tickets not routed yet: a key column cannot be NULL
# (day, target, team, priority)
Group = tuple[date, str, str, str]


@dataclass(frozen=True)
class Arrival:
    """What places a ticket's outcomes in the rollup."""

    arrived_at: datetime
    team: str | None
    priority: str


def state_of(state: TargetState) -> str:
    return BREACHED if state.breached else (MET if state.met_at else OPEN)


def rows_for(
    ticket_id: int, arrival: Arrival, found: Iterable[TargetState]
) -> list[dict[str, Any]]:
    rows: dict[tuple[str, datetime], dict[str, Any]] = {}
    for state in found:
        rows.setdefault(
            (state.target.value, state.started_at),
            {
                "ticket_id": ticket_id,
                "target": state.target.value,
                "started_at": state.started_at,
                "arrived_at": arrival.arrived_at,
                "team": arrival.team,
                "priority": arrival.priority,
                "due_at": state.due_at,
                "state": state_of(state),
            },
        )
    return list(rows.values())


def _tally(rows: Iterable[Mapping[str, Any]], sign: int, into: Counter[tuple[Group, str]]) -> None:
    for row in rows:
        day = row["arrived_at"].astimezone(UTC).date()
        group = (day, row["target"], row["team"] or NO_TEAM, row["priority"])
        into[(group, row["state"])] += sign


@dataclass(frozen=True)
class TargetDue:
    """One of a ticket's targets and its due time: what a warning or a breach is of."""

    ticket_id: int
    target: str
    due_at: datetime


async def keep(
    session: AsyncSession, outcomes: Mapping[int, list[dict[str, Any]]], *, new: bool = False
) -> list[TargetDue]:
    """Store these tickets' outcomes (ticket id -> its rows from `rows_for`), in place of
    what was stored for them (`new`: nothing is, they were just loaded); the targets that
    have breached since (met late, or not met in time). The tickets are locked by the caller."""
    stored: dict[int, list[dict[str, Any]]] = {ticket_id: [] for ticket_id in outcomes}
    table = cast(Table, SlaOutcome.__table__)
    if not new:
        found = await session.execute(
            select(*table.c).where(among(session, table.c.ticket_id, list(outcomes)))
        )
        for row in found.mappings():
            stored[row["ticket_id"]].append(dict(row))
    changed = [
        ticket_id
        for ticket_id, rows in outcomes.items()
        if not stored[ticket_id] or _as_set(rows) != _as_set(stored[ticket_id])
    ]
    if not changed:
        return []
    moves: Counter[tuple[Group, str]] = Counter()
    breaches = []
    for ticket_id in changed:
        _tally(stored[ticket_id], -1, moves)
        _tally(outcomes[ticket_id], +1, moves)
        was = {(row["target"], row["started_at"]): row["state"] for row in stored[ticket_id]}
        breaches += [
            TargetDue(ticket_id, row["target"], row["due_at"])
            for row in outcomes[ticket_id]
            if row["state"] == BREACHED and was.get((row["target"], row["started_at"])) != BREACHED
        ]
    had = [ticket_id for ticket_id in changed if stored[ticket_id]]
    if had:
        await session.execute(delete(table).where(among(session, table.c.ticket_id, had)))
    new_rows = [row for ticket_id in changed for row in outcomes[ticket_id]]
    await insert_rows(session, table, new_rows)
    await _move(session, moves)
    return breaches


def _as_set(rows: Iterable[Mapping[str, Any]]) -> set[tuple[Any, ...]]:
    return {tuple(sorted(row.items())) for row in rows}


async def _move(session: AsyncSession, moves: Counter[tuple[Group, str]]) -> None:
    """Add the counts to the rollup, in key order: two transactions moving the same days
    then lock them in the same order and cannot deadlock."""
    by_group: dict[Group, dict[str, int]] = {}
    for (group, state), n in moves.items():
        if n:
            by_group.setdefault(group, {OPEN: 0, MET: 0, BREACHED: 0})[state] += n
    if not by_group:
        return
    rows = [
        {"day": day, "target": target, "team": team, "priority": priority, **counts}
        for (day, target, team, priority), counts in sorted(by_group.items())
    ]
    key = ["day", "target", "team", "priority"]
    await session.execute(
        upsert(session, SlaAttainmentDay, key=key, add=[OPEN, MET, BREACHED]), rows
    )


async def due_by(session: AsyncSession, moment: datetime) -> list[int]:
    """The tickets with an open target due by `moment`."""
    found = await session.scalars(
        select(SlaOutcome.ticket_id)
        .where(SlaOutcome.state == OPEN, SlaOutcome.due_at <= moment)
        .distinct()
        .order_by(SlaOutcome.ticket_id)
    )
    return list(found)


@dataclass(frozen=True)
class Attainment:
    target: Target
    team: str | None
    priority: Priority
    met: int
    breached: int
    open: int  # neither met nor breached yet

    @property
    def rate(self) -> float | None:
        done = self.met + self.breached
        return round(self.met / done, 4) if done else None


async def attainment(
    session: AsyncSession, since: date, teams: list[str] | None
) -> list[Attainment]:
    """Each target's outcomes for the tickets that arrived from `since` (a UTC day) on, by
    team and priority. `teams` None: every team's; else theirs and those not routed yet."""
    day = SlaAttainmentDay
    statement = (
        select(
            day.target,
            day.team,
            day.priority,
            func.sum(day.met),
            func.sum(day.breached),
            func.sum(day.open),
        )
        .where(day.day >= since)
        .group_by(day.target, day.team, day.priority)
    )
    if teams is not None:
        statement = statement.where(or_(day.team == NO_TEAM, day.team.in_(teams)))
    found = [
        Attainment(Target(target), team or None, Priority(priority), met, breached, still)
        for target, team, priority, met, breached, still in await session.execute(statement)
        if met or breached or still
    ]
    order = list(Target)
    return sorted(found, key=lambda a: (order.index(a.target), a.team or "", a.priority.rank))
