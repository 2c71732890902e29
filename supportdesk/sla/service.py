"""SLA use cases: targets per priority and calendars per team (admin settings), where a
ticket stands, its next due time written on the ticket (the list's "SLA at risk" view and
"due soonest" order read it), warnings before a breach and breaches recorded once, and
attainment over a period. Takes a session and plain values; never commits."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, false, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from supportdesk.audit.service import SYSTEM, By, Change, record
from supportdesk.conversations import service as conversations
from supportdesk.dialect import upsert
from supportdesk.events.broker import publish
from supportdesk.sla.clock import DAYS, Calendar
from supportdesk.sla.models import SlaCalendar, SlaEvent, SlaTargets
from supportdesk.sla.targets import Conversation, Minutes, Target, TargetState, next_due, states
from supportdesk.taxonomy import ACTIVE_STATUSES, DONE_STATUSES, Priority, Status
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


async def _calendar(session: AsyncSession, team: str | None) -> Calendar:
    row = await session.get(SlaCalendar, team) if team else None
    return _settings(row).calendar() if row is not None else Calendar()


# --- a ticket against its targets ------------------------------------------------------------


async def ticket_states(
    session: AsyncSession, ticket: Ticket, now: datetime
) -> tuple[list[TargetState], Calendar]:
    minutes = (await all_minutes(session))[Priority(ticket.priority)]
    calendar = await _calendar(session, ticket.team)
    done = Status(ticket.status) in DONE_STATUSES
    conversation = Conversation(
        created_at=ticket.created_at,
        done_at=(ticket.resolved_at or ticket.updated_at) if done else None,
        messages=await conversations.public_timeline(session, ticket.id),
    )
    return states(conversation, minutes, calendar, now), calendar


async def refresh(session: AsyncSession, ticket: Ticket, now: datetime) -> TargetState | None:
    """Write the ticket's next due time and whether any target breached (only if either
    differs; `updated_at` stays: these are derived, not a person's change)."""
    found, _ = await ticket_states(session, ticket, now)
    upcoming = next_due(found)
    due_at = upcoming.due_at if upcoming else None
    breached = any(state.breached for state in found)
    if ticket.due_at != due_at or ticket.sla_breached != breached:
        await session.execute(
            update(Ticket)
            .where(Ticket.id == ticket.id)
            .values(due_at=due_at, sla_breached=breached, updated_at=Ticket.updated_at)
            .execution_options(synchronize_session=False)
        )
        set_committed_value(ticket, "due_at", due_at)
        set_committed_value(ticket, "sla_breached", breached)
    return upcoming


async def refresh_ticket(session: AsyncSession, ticket_id: int, now: datetime) -> None:
    await refresh(session, await tickets.get_ticket(session, ticket_id, fresh=True), now)


async def sweep(session: AsyncSession, now: datetime, warn: timedelta) -> Counter[str]:
    """Active tickets whose next target is due within `warn`: a warning before the due
    time, a breach once past it, each recorded (and audited, and announced) once."""
    due_soon = await session.scalars(
        select(Ticket).where(
            Ticket.status.in_([status.value for status in ACTIVE_STATUSES]),
            Ticket.due_at.is_not(None),
            Ticket.due_at <= now + warn,
        )
    )
    counts: Counter[str] = Counter()
    for ticket in due_soon.all():
        upcoming = await refresh(session, ticket, now)
        if upcoming is None or upcoming.due_at is None:
            continue
        kind = BREACHED if upcoming.due_at <= now else WARNING
        if await _record_once(session, ticket.id, upcoming, kind, now):
            counts[kind] += 1
    return counts


async def _record_once(
    session: AsyncSession, ticket_id: int, state: TargetState, kind: str, now: datetime
) -> bool:
    assert state.due_at is not None
    row = {
        "ticket_id": ticket_id,
        "target": state.target.value,
        "kind": kind,
        "due_at": state.due_at,
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
    words = state.target.value.replace("_", " ")
    detail = f"{words} due {state.due_at.isoformat(timespec='minutes')}"
    record(session, Change(f"sla.{kind}", SYSTEM, ticket_id=ticket_id, detail=detail))
    await publish(session, "ticket.updated", id=ticket_id)
    return True


# --- attainment ------------------------------------------------------------------------------


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
    session: AsyncSession, since: datetime, until: datetime, teams: list[str] | None
) -> list[Attainment]:
    """Each target's outcomes for tickets that arrived in the period, by team and
    priority: met in time, breached, or still running. `teams` None: every team's."""
    statement = select(Ticket).where(Ticket.created_at >= since, Ticket.created_at < until)
    if teams is not None:  # their teams' tickets, and those not routed yet (everyone's)
        statement = statement.where(or_(Ticket.team.is_(None), Ticket.team.in_(teams)))
    counts: Counter[tuple[Target, str | None, Priority, str]] = Counter()
    now = utcnow()
    for ticket in (await session.scalars(statement)).all():
        found, _ = await ticket_states(session, ticket, now)
        for state in found:
            outcome = "breached" if state.breached else ("met" if state.met_at else "open")
            counts[(state.target, ticket.team, Priority(ticket.priority), outcome)] += 1
    groups = sorted({key[:3] for key in counts}, key=lambda k: (k[0], k[1] or "", k[2].rank))
    return [
        Attainment(
            target,
            team,
            priority,
            counts[(target, team, priority, "met")],
            counts[(target, team, priority, "breached")],
            counts[(target, team, priority, "open")],
        )
        for target, team, priority in groups
    ]
