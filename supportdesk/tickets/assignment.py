"""Who works on a ticket: assigning by hand (one wins when two agents try at once),
keeping the assignee in the ticket's team, and auto-assignment to the least-loaded
available agent of a team that asked for it."""

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.audit.service import SYSTEM, By, Change, record
from supportdesk.auth.actor import Role, UserStatus
from supportdesk.auth.models import User, UserTeam
from supportdesk.errors import Conflict
from supportdesk.jobs.queue import enqueue_triggered
from supportdesk.taxonomy import DONE_STATUSES
from supportdesk.tickets.models import TeamSettings, Ticket
from supportdesk.types import utcnow

CAN_WORK = (Role.AGENT.value, Role.ADMIN.value)
_DONE = [status.value for status in DONE_STATUSES]
# The job trigger of a ticket given to someone (see notifications/tasks.py).
ASSIGNED = "ticket.assigned"


async def _name(session: AsyncSession, user_id: int | None) -> str:
    if user_id is None:
        return "nobody"
    return await session.scalar(select(User.name).where(User.id == user_id)) or "someone"


async def _check_assignable(session: AsyncSession, user_id: int, team: str | None) -> None:
    user = await session.get(User, user_id)
    problem = None
    if user is None or user.role not in CAN_WORK:
        problem = "no agent has this id"
    elif user.status == UserStatus.DEACTIVATED.value:
        problem = f"{user.name} is deactivated"
    elif team is not None and not await _in_team(session, user_id, team):
        problem = f"{user.name} is not in the ticket's team ({team})"
    if problem:
        # Who may take it depends on the people and the ticket as they are now: a conflict.
        raise Conflict("this person cannot take the ticket", {"assignee_id": [problem]})


async def _in_team(session: AsyncSession, user_id: int, team: str) -> bool:
    found = await session.scalar(
        select(UserTeam.user_id).where(UserTeam.user_id == user_id, UserTeam.team == team)
    )
    return found is not None


async def _set(
    session: AsyncSession, ticket: Ticket, assignee_id: int | None, by: By, why: str
) -> None:
    """Record and make the change; someone given the ticket by another (or by the
    auto-assignment) may be told by email (the notifications feature's job)."""
    record(
        session,
        Change(
            "ticket.assigned",
            by,
            ticket_id=ticket.id,
            changes={"assignee_id": [ticket.assignee_id, assignee_id]},
            detail=why,
        ),
    )
    ticket.assignee_id = assignee_id
    if assignee_id is not None and assignee_id != by.user_id:
        await enqueue_triggered(session, ASSIGNED, ticket.id)


async def assign(
    session: AsyncSession, ticket: Ticket, assignee_id: int | None, seen: int | None, by: By
) -> bool:
    """Assign a locked ticket. `seen` is the assignee the asker saw: if it changed since,
    someone else was quicker, and this one is told who. Whether anything changed."""
    if ticket.assignee_id != seen:
        taken_by = await _name(session, ticket.assignee_id)
        raise Conflict(
            f"the ticket was just assigned to {taken_by}",
            {"previous_assignee_id": [f"is now {ticket.assignee_id} ({taken_by})"]},
        )
    if assignee_id == ticket.assignee_id:
        return False
    if assignee_id is not None:
        await _check_assignable(session, assignee_id, ticket.team)
    await _set(session, ticket, assignee_id, by, "by hand")
    return True


async def can_keep(session: AsyncSession, user_id: int, team: str | None) -> bool:
    """Whether this person may go on holding a ticket of this team: still able to work,
    not deactivated, and (for a routed ticket) still in its team."""
    user = await session.get(User, user_id, populate_existing=True)
    if user is None or user.role not in CAN_WORK or user.status == UserStatus.DEACTIVATED:
        return False
    return team is None or await _in_team(session, user_id, team)


async def release(session: AsyncSession, ticket: Ticket, by: By) -> None:
    """A locked ticket whose assignee can no longer hold it goes back to its team's queue,
    or to whoever the team's auto-assignment picks."""
    await _set(session, ticket, None, by, "its assignee can no longer work on it")
    await _auto_assign(session, ticket)


async def after_routing(session: AsyncSession, ticket: Ticket) -> bool:
    """The team of a ticket was set or changed: an assignee outside it lets go, and a team
    that assigns by itself picks someone. Whether the assignee changed."""
    team = ticket.team
    if team is None:
        return False
    changed = False
    if ticket.assignee_id is not None and not await _in_team(session, ticket.assignee_id, team):
        await _set(session, ticket, None, SYSTEM, f"moved to {team}")
        changed = True
    return await _auto_assign(session, ticket) or changed


async def _auto_assign(session: AsyncSession, ticket: Ticket) -> bool:
    """An unassigned open ticket of a team that assigns by itself gets the team's
    least-loaded available agent. Whether it got one."""
    team = ticket.team
    if team is None or ticket.assignee_id is not None or ticket.status in _DONE:
        return False
    if not await auto_assigns(session, team):
        return False
    chosen = await _least_loaded(session, team)
    if chosen is None:
        return False
    await _set(session, ticket, chosen, SYSTEM, f"auto-assigned in {team}")
    return True


async def _least_loaded(session: AsyncSession, team: str) -> int | None:
    """The team's available agent with the fewest open tickets; among equals, whose turn it
    is (assigned longest ago). Away and deactivated people are skipped."""
    open_tickets = (
        select(func.count())
        .where(Ticket.assignee_id == User.id, Ticket.status.not_in(_DONE))
        .scalar_subquery()
    )
    chosen = await session.scalar(
        select(User.id)
        .join(UserTeam, UserTeam.user_id == User.id)
        .where(
            UserTeam.team == team,
            User.status == UserStatus.ACTIVE.value,
            User.role.in_(CAN_WORK),
        )
        .order_by(open_tickets, UserTeam.last_assigned_at.asc().nulls_first(), User.id)
        .limit(1)
    )
    if chosen is not None:
        await session.execute(
            update(UserTeam)
            .where(UserTeam.user_id == chosen, UserTeam.team == team)
            .values(last_assigned_at=utcnow())
        )
    return chosen


async def auto_assigns(session: AsyncSession, team: str) -> bool:
    return bool(
        await session.scalar(select(TeamSettings.auto_assign).where(TeamSettings.team == team))
    )


async def team_settings(session: AsyncSession, teams: Sequence[str]) -> dict[str, bool]:
    rows = await session.execute(select(TeamSettings.team, TeamSettings.auto_assign))
    chosen = {team: on for team, on in rows}
    return {team: chosen.get(team, False) for team in teams}


async def set_auto_assign(session: AsyncSession, team: str, enabled: bool, by: By) -> None:
    current = await session.get(TeamSettings, team)
    before = current.auto_assign if current else False
    if current is None:
        session.add(TeamSettings(team=team, auto_assign=enabled))
    else:
        current.auto_assign = enabled
    if before != enabled:
        record(
            session,
            Change("team.auto_assign", by, changes={"auto_assign": [before, enabled]}, detail=team),
        )
