"""SLA settings (admins), a ticket's targets, and attainment over a period."""

from datetime import UTC, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from supportdesk.audit.service import By
from supportdesk.auth.access import Admin, Viewer
from supportdesk.deps import ReadSessionDep, SessionDep
from supportdesk.errors import NotFound
from supportdesk.sla import service
from supportdesk.sla.schemas import (
    AttainmentRow,
    SlaAttainment,
    SlaCalendarIn,
    SlaCalendarOut,
    SlaTargetsIn,
    SlaTargetsOut,
    TargetOut,
    TicketSlaOut,
    WorkingHours,
)
from supportdesk.sla.targets import Minutes, TargetState, next_due
from supportdesk.taxonomy import Priority
from supportdesk.tickets import service as tickets
from supportdesk.tickets.deps import VisibleTicketId
from supportdesk.types import utcnow

router = APIRouter(tags=["sla"])
Team = Annotated[str, Path(max_length=48, pattern=r"^[a-z][a-z0-9_]*$")]


def _target_out(state: TargetState) -> TargetOut:
    return TargetOut(
        target=state.target,
        started_at=state.started_at,
        due_at=state.due_at,
        met_at=state.met_at,
        breached=state.breached,
        paused=state.open and state.due_at is None,
    )


@router.get(
    "/api/tickets/{ticket_id:int}/sla", response_model=TicketSlaOut, operation_id="ticketSla"
)
async def ticket_sla(
    ticket_id: VisibleTicketId, session: ReadSessionDep, _: Viewer
) -> TicketSlaOut:
    """Where the ticket stands against each SLA target, and which is due next."""
    ticket = await tickets.get_ticket(session, ticket_id)
    found, calendar = await service.ticket_states(session, ticket, utcnow())
    upcoming = next_due(found)
    return TicketSlaOut(
        ticket_id=ticket_id,
        calendar="24/7" if calendar.always else f"{ticket.team} ({calendar.timezone})",
        next=_target_out(upcoming) if upcoming else None,
        targets=[_target_out(state) for state in found],
    )


@router.get("/api/sla/targets", response_model=list[SlaTargetsOut], operation_id="listSlaTargets")
async def list_sla_targets(session: ReadSessionDep, _: Viewer) -> list[SlaTargetsOut]:
    """Minutes of business time per priority (null: no such target)."""
    return [
        SlaTargetsOut(
            priority=priority,
            first_response_minutes=minutes.first_response,
            next_response_minutes=minutes.next_response,
            resolution_minutes=minutes.resolution,
        )
        for priority, minutes in (await service.all_minutes(session)).items()
    ]


@router.put(
    "/api/sla/targets/{priority}", response_model=SlaTargetsOut, operation_id="setSlaTargets"
)
async def set_sla_targets(
    priority: Priority, body: SlaTargetsIn, session: SessionDep, actor: Admin
) -> SlaTargetsOut:
    """Set a priority's targets; tickets' due times follow as each is next looked at."""
    minutes = Minutes(
        body.first_response_minutes, body.next_response_minutes, body.resolution_minutes
    )
    await service.set_minutes(session, priority, minutes, By.user(actor.user_id))
    return SlaTargetsOut(priority=priority, **body.model_dump())


def _calendar_out(team: str, settings: service.CalendarSettings) -> SlaCalendarOut:
    return SlaCalendarOut(
        team=team,
        timezone=settings.timezone,
        hours={
            day: WorkingHours(start=start.isoformat("minutes"), end=end.isoformat("minutes"))
            for day, (start, end) in settings.hours.items()
        },
        country=settings.country,
        holidays=settings.holidays,
    )


@router.get(
    "/api/sla/calendars", response_model=list[SlaCalendarOut], operation_id="listSlaCalendars"
)
async def list_sla_calendars(session: ReadSessionDep, _: Viewer) -> list[SlaCalendarOut]:
    """Teams' working hours; a team without one counts every minute (24/7)."""
    found = await service.calendars(session)
    return [_calendar_out(team, found[team]) for team in sorted(found)]


@router.put(
    "/api/sla/calendars/{team}", response_model=SlaCalendarOut, operation_id="setSlaCalendar"
)
async def set_sla_calendar(
    team: Team, body: SlaCalendarIn, request: Request, session: SessionDep, actor: Admin
) -> SlaCalendarOut:
    """A team's working hours, time zone and holidays."""
    _known(request, team)
    settings = service.CalendarSettings(
        body.timezone,
        {
            day: (time.fromisoformat(span.start), time.fromisoformat(span.end))
            for day, span in body.hours.items()
        },
        body.country,
        body.holidays,
    )
    await service.set_calendar(session, team, settings, By.user(actor.user_id))
    return _calendar_out(team, settings)


@router.delete("/api/sla/calendars/{team}", status_code=204, operation_id="deleteSlaCalendar")
async def delete_sla_calendar(
    team: Team, request: Request, session: SessionDep, actor: Admin
) -> None:
    """The team counts every minute again (24/7)."""
    _known(request, team)
    await service.set_calendar(session, team, None, By.user(actor.user_id))


def _known(request: Request, team: str) -> None:
    if team not in request.app.state.team_names:
        raise NotFound(f"no team {team} in the routing file")


@router.get("/api/sla/attainment", response_model=SlaAttainment, operation_id="slaAttainment")
async def sla_attainment(
    session: ReadSessionDep,
    actor: Viewer,
    days: Annotated[int, Query(ge=1, le=366, description="the period: the last N days")] = 30,
) -> SlaAttainment:
    """Per target, team and priority: how many of the tickets that arrived in the period
    (whole UTC days: today and the N-1 before) met it, breached it, or are still running
    (the tickets the asker may see). A target that came due in the last minute may still
    count as running: the sweep settles it within a minute."""
    until = utcnow()
    first_day = (until - timedelta(days=days - 1)).date()
    scope = actor.team_scope
    rows = await service.attainment(session, first_day, None if scope is None else list(scope))
    since = datetime.combine(first_day, time(), UTC)
    return SlaAttainment(
        since=since,
        until=until,
        rows=[
            AttainmentRow(
                target=row.target,
                team=row.team,
                priority=row.priority,
                met=row.met,
                breached=row.breached,
                open=row.open,
                attainment=row.rate,
            )
            for row in rows
        ],
    )
