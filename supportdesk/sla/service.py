"""SLA use cases: targets per priority and calendars per team (admin settings), where a
ticket stands, its next due time written on the ticket (the list's "SLA at risk" view and
"due soonest" order read it), warnings before a breach and breaches recorded once, and
attainment over a period. Takes a session and plain values; never commits."""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, false, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from supportdesk.audit.service import SYSTEM, By, Change, record
from supportdesk.conversations import service as conversations
from supportdesk.dialect import among, upsert
from supportdesk.errors import NotFound
from supportdesk.events.broker import publish
from supportdesk.sla import outcomes
from supportdesk.sla.clock import DAYS, Calendar
from supportdesk.sla.models import SlaBackfill, SlaCalendar, SlaEvent, SlaTargets
from supportdesk.sla.outcomes import Arrival, Attainment, TargetDue, rows_for
from supportdesk.sla.targets import Conversation, Minutes, TargetState, next_due, states
from supportdesk.taxonomy import DONE_STATUSES, Priority, Status
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Ticket
from supportdesk.types import utcnow

HOUR = 60
# Until an admin sets them: first and next response as the routing file's shipped reply
# times (config/routing.toml [sla]), resolution a few times that.
DEFAULT_MINUTES = {
    Priority.CRITICAL: Minutes(1 * HOUR, 1 * HOUR, 8 * HOUR),
    Priority.HIGH: Minutes(4 * HOUR, 4 * HOUR, 24 * HOUR),
    Priority.MEDIUM: Minutes(24 * HOUR, 24 * HOUR, 72 * HOUR),
    Priority.LOW: Minutes(72 * HOUR, 72 * HOUR, 240 * HOUR),
}
WARNING, BREACHED = "warning", "breached"


# --- settings ------------------------------------------------------------------------------


async def all_minutes(session: AsyncSession) -> dict[Priority, Minutes]:
    stored = {row.priority: row for row in await session.scalars(select(SlaTargets))}
    return {
        priority: (
            Minutes(
                stored[priority].first_response_minutes,
                stored[priority].next_response_minutes,
                stored[priority].resolution_minutes,
            )
            if priority.value in stored
            else DEFAULT_MINUTES[priority]
        )
        for priority in Priority
    }


async def set_minutes(session: AsyncSession, priority: Priority, minutes: Minutes, by: By) -> None:
    row = {
        "priority": priority.value,
        "first_response_minutes": minutes.first_response,
        "next_response_minutes": minutes.next_response,
        "resolution_minutes": minutes.resolution,
        "updated_at": utcnow(),
    }
    columns = [name for name in row if name != "priority"]
    await session.execute(upsert(session, SlaTargets, key=["priority"], replace=columns), [row])
    detail = f"{priority.value}: {minutes.first_response}/{minutes.next_response}/"
    record(session, Change("sla.targets_changed", by, detail=f"{detail}{minutes.resolution} min"))


@dataclass(frozen=True)
class CalendarSettings:
    timezone: str
    hours: dict[str, tuple[time, time]]  # "mon".."sun" -> (start, end)
    country: str | None
    holidays: list[date]

    def calendar(self) -> Calendar:
        week = {DAYS.index(day): span for day, span in self.hours.items()}
        return Calendar(self.timezone, week, self.country, frozenset(self.holidays))


async def calendars(session: AsyncSession) -> dict[str, CalendarSettings]:
    return {row.team: _settings(row) for row in await session.scalars(select(SlaCalendar))}


def _settings(row: SlaCalendar) -> CalendarSettings:
    hours = {
        day: (time.fromisoformat(span[0]), time.fromisoformat(span[1]))
        for day, span in row.hours.items()
    }
    dates = [date.fromisoformat(day) for day in row.holidays]
    return CalendarSettings(row.timezone, hours, row.country, dates)


async def set_calendar(
    session: AsyncSession, team: str, settings: CalendarSettings | None, by: By
) -> None:
    """A team's calendar (None: every minute counts again, 24/7)."""
    if settings is None:
        await session.execute(delete(SlaCalendar).where(SlaCalendar.team == team))
    else:
        row = {
            "team": team,
            "timezone": settings.timezone,
            "hours": {
                day: [start.isoformat("minutes"), end.isoformat("minutes")]
                for day, (start, end) in settings.hours.items()
            },
            "country": settings.country,
            "holidays": sorted(day.isoformat() for day in settings.holidays),
            "updated_at": utcnow(),
        }
        columns = [name for name in row if name != "team"]
        await session.execute(upsert(session, SlaCalendar, key=["team"], replace=columns), [row])
    record(session, Change("sla.calendar_changed", by, detail=team))


# --- tickets against their targets ----------------------------------------------------------


async def ticket_states(
    session: AsyncSession, ticket: Ticket, now: datetime
) -> tuple[list[TargetState], Calendar]:
    found = await rules(session)
    timeline = (await conversations.public_timelines(session, [ticket.id])).get(ticket.id, [])
    fields = {name: getattr(ticket, name) for name in TICKET_FIELDS}
    return found.standing(fields, timeline, now).states, found.calendar(ticket.team)


# What a ticket's standing is worked out from (its row, or a row about to be loaded).
TICKET_FIELDS = ("id", "created_at", "updated_at", "resolved_at", "status", "priority", "team")


@dataclass(frozen=True)
class Standing:
    states: list[TargetState]
    due_at: datetime | None  # the next open target's (None: none running)
    breached: bool  # any target

    def outcome_rows(self, ticket: Mapping[str, Any]) -> list[dict[str, Any]]:
        arrival = Arrival(ticket["created_at"], ticket.get("team"), ticket["priority"])
        return rows_for(ticket["id"], arrival, self.states)


@dataclass(frozen=True)
class Rules:
    """The targets and calendars in force, read once for many tickets."""

    minutes: dict[Priority, Minutes]
    calendars: dict[str, Calendar]

    def calendar(self, team: str | None) -> Calendar:
        return self.calendars.get(team, ALWAYS) if team else ALWAYS

    def standing(
        self, ticket: Mapping[str, Any], timeline: list[tuple[datetime, bool]], now: datetime
    ) -> Standing:
        done = Status(ticket["status"]) in DONE_STATUSES
        conversation = Conversation(
            created_at=ticket["created_at"],
            done_at=(ticket["resolved_at"] or ticket["updated_at"]) if done else None,
            messages=timeline,
        )
        minutes = self.minutes[Priority(ticket["priority"])]
        found = states(conversation, minutes, self.calendar(ticket.get("team")), now)
        upcoming = next_due(found)
        due_at = upcoming.due_at if upcoming else None
        return Standing(found, due_at, any(state.breached for state in found))


async def rules(session: AsyncSession) -> Rules:
    by_team = {team: settings.calendar() for team, settings in (await calendars(session)).items()}
    return Rules(await all_minutes(session), by_team)


@dataclass(frozen=True)
class Refreshed:
    states: dict[int, list[TargetState]]  # tickets that no longer exist are left out
    breaches: int  # targets found breached since the last refresh, recorded


async def refresh_tickets(
    session: AsyncSession, ids: Sequence[int], now: datetime, *, record_breaches: bool = True
) -> Refreshed:
    """Work out where each of these tickets stands, and write it: its outcomes (and the
    rollup), its next due time and whether any target breached (on the ticket only if
    either differs; `updated_at` stays: these are derived, not a person's change), and
    each target that breached since (unless loading history: `record_breaches`)."""
    await tickets.lock_tickets(session, ids)
    found = await session.execute(select(*_FIELDS).where(among(session, _TICKETS.id, ids)))
    rows = [dict(row._mapping) for row in found]
    in_force = await rules(session)
    timelines = await conversations.public_timelines(session, ids)
    standings = {
        row["id"]: in_force.standing(row, timelines.get(row["id"], []), now) for row in rows
    }
    breaches = await outcomes.keep(
        session, {row["id"]: standings[row["id"]].outcome_rows(row) for row in rows}
    )
    recorded = 0
    for breach in breaches if record_breaches else []:
        recorded += await _record_once(session, breach, BREACHED, now)
    changed = [
        {"ticket": row["id"], "due": standing.due_at, "breached": standing.breached}
        for row in rows
        if (row["due_at"], row["sla_breached"])
        != (
            (standing := standings[row["id"]]).due_at,
            standing.breached,
        )
    ]
    if changed:
        await session.execute(_SET_DUE, changed)
        for change in changed:  # a Ticket this session holds shows the new values
            held = session.identity_map.get(identity_key(Ticket, change["ticket"]))
            if held is not None:
                set_committed_value(held, "due_at", change["due"])
                set_committed_value(held, "sla_breached", change["breached"])
    return Refreshed({ticket_id: s.states for ticket_id, s in standings.items()}, recorded)


async def keep_loaded(session: AsyncSession, loaded: Mapping[int, list[dict[str, Any]]]) -> None:
    """The outcomes of tickets just loaded in bulk (ticket id -> the `outcome_rows` of the
    standing each was given)."""
    await outcomes.keep(session, loaded, new=True)


ALWAYS = Calendar()
_TICKETS = cast(Table, Ticket.__table__).c
# Table columns, not the ORM's: plain rows, without the ORM's loading (thousands at a time).
_FIELDS = [_TICKETS[name] for name in (*TICKET_FIELDS, "due_at", "sla_breached")]
# A Core statement (executed for many tickets at once), not the ORM's bulk update.
_SET_DUE = (
    update(cast(Table, Ticket.__table__))
    .where(_TICKETS.id == bindparam("ticket"))
    .values(
        due_at=bindparam("due"), sla_breached=bindparam("breached"), updated_at=_TICKETS.updated_at
    )
)


async def refresh_ticket(session: AsyncSession, ticket_id: int, now: datetime) -> None:
    if ticket_id not in (await refresh_tickets(session, [ticket_id], now)).states:
        raise NotFound(f"ticket {ticket_id} does not exist")


async def sweep(session: AsyncSession, now: datetime, warn: timedelta) -> Counter[str]:
    """Tickets with an open target due within `warn`: a warning before its due time, a
    breach once past it, each recorded (and audited, and announced) once. A breached
    target is no longer open: it is not looked at again."""
    counts: Counter[str] = Counter()
    due = await outcomes.due_by(session, now + warn)
    for start in range(0, len(due), BATCH):
        refreshed = await refresh_tickets(session, due[start : start + BATCH], now)
        counts[BREACHED] += refreshed.breaches
        for ticket_id, found in refreshed.states.items():
            for state in found:
                if state.open and state.due_at is not None and now < state.due_at <= now + warn:
                    warning = TargetDue(ticket_id, state.target.value, state.due_at)
                    counts[WARNING] += await _record_once(session, warning, WARNING, now)
    return +counts


BATCH = 1000
BACKFILL_BATCH = 5000


async def backfill(session: AsyncSession, now: datetime) -> int:
    """The outcomes of the next batch of tickets filed before they were kept; how many
    tickets that was (0: none left)."""
    progress = await session.get(SlaBackfill, 1, with_for_update=True)
    if progress is None or progress.done >= progress.up_to:
        return 0
    ids = list(
        await session.scalars(
            select(Ticket.id)
            .where(Ticket.id > progress.done, Ticket.id <= progress.up_to)
            .order_by(Ticket.id)
            .limit(BACKFILL_BATCH)
        )
    )
    await refresh_tickets(session, ids, now, record_breaches=False)  # history, not news
    progress.done = ids[-1] if ids else progress.up_to
    return len(ids)


async def _record_once(session: AsyncSession, due: TargetDue, kind: str, now: datetime) -> bool:
    """A warning before a target's due time or its breach, unless already recorded."""
    row = {
        "ticket_id": due.ticket_id,
        "target": due.target,
        "kind": kind,
        "due_at": due.due_at,
        "at": now,
    }
    statement = upsert(
        session,
        SlaEvent,
        key=["ticket_id", "target", "kind", "due_at"],
        replace=["at"],
        where=false(),
    )
    new = await session.scalar(statement.values(row).returning(SlaEvent.id))
    if new is None:
        return False
    words = due.target.replace("_", " ")
    detail = f"{words} due {due.due_at.isoformat(timespec='minutes')}"
    record(session, Change(f"sla.{kind}", SYSTEM, ticket_id=due.ticket_id, detail=detail))
    await publish(session, "ticket.updated", id=due.ticket_id)
    return True


# --- attainment ------------------------------------------------------------------------------


async def attainment(
    session: AsyncSession, since: date, teams: list[str] | None
) -> list[Attainment]:
    """Each target's outcomes for tickets that arrived from the UTC day `since` on, by team
    and priority: met in time, breached, or still running. `teams` None: every team's."""
    return await outcomes.attainment(session, since, teams)
