"""Read-only aggregates over tickets, from the rollups the database keeps in step."""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.auth import service as auth
from supportdesk.taxonomy import Category, Priority, Status
from supportdesk.tickets import service as tickets
from supportdesk.types import utcnow

SERIES_DAYS = 30


async def ticket_stats(
    session: AsyncSession, today: date | None = None, teams: Sequence[str] | None = None
) -> dict[str, Any]:
    """Over every ticket, or (`teams`) over those of these teams and those not routed yet:
    what an agent of some teams may see."""
    today = today or utcnow().date()
    by_priority = dict.fromkeys((p.value for p in Priority), 0)
    by_category = dict.fromkeys((c.value for c in Category), 0)
    by_status = dict.fromkeys((s.value for s in Status), 0)
    suggested = dict.fromkeys((c.value for c in Category), 0)
    accepted = dict.fromkeys((c.value for c in Category), 0)
    priority_suggested = priority_accepted = 0
    for row in await tickets.label_counts(session, teams):
        by_category[row.category] += row.n
        by_priority[row.priority] += row.n
        by_status[row.status] += row.n
        if row.ai_category:
            suggested[row.ai_category] += row.n
            accepted[row.ai_category] += row.n if row.category == row.ai_category else 0
        if row.ai_priority:
            priority_suggested += row.n
            priority_accepted += row.n if row.priority == row.ai_priority else 0
    total = sum(by_status.values())

    per_day = await tickets.daily_counts(session, teams)
    # Average over the days since the first ticket, today included, so a quiet week lowers it.
    days = (today - min(per_day)).days + 1 if per_day else 1
    since = today - timedelta(days=SERIES_DAYS - 1)
    return {
        "total_tickets": total,
        "open_tickets": by_status[Status.OPEN.value],
        "avg_tickets_per_day": round(total / max(days, 1), 2),
        "priority_breakdown": by_priority,
        "category_breakdown": by_category,
        "status_breakdown": by_status,
        "tickets_per_day": [
            {"date": day, "count": per_day.get(day, 0)}
            for day in (since + timedelta(days=i) for i in range(SERIES_DAYS))
        ],
        "ai_acceptance": {
            "category": {
                category: _acceptance(suggested[category], accepted[category])
                for category in suggested
            },
            "priority": _acceptance(priority_suggested, priority_accepted),
        },
    }


def _acceptance(suggested: int, accepted: int) -> dict[str, Any]:
    """How often agents kept what the AI suggested (rate is null until there is a suggestion)."""
    rate = round(accepted / suggested, 3) if suggested else None
    return {"suggested": suggested, "accepted": accepted, "rate": rate}


async def workload(session: AsyncSession, teams: Sequence[str] | None = None) -> dict[str, Any]:
    """The backlog and each person's share, over every ticket or (`teams`) over what an
    agent of these teams sees, listing then only the people of these teams."""
    rows = await tickets.workload(session, teams)
    counts = ("open", "needs_review", "breached")
    people = {user.id: user for user in await auth.list_users(session)}
    held = {row["assignee_id"]: row for row in rows}
    if teams is not None:
        memberships = await auth.teams_of(session, list(people))
        people = {
            user_id: user
            for user_id, user in people.items()
            if user_id in held or set(memberships.get(user_id, ())) & set(teams)
        }
    agents = [
        {
            "user_id": user.id,
            "name": user.name,
            "status": user.status,
            **{key: held.get(user.id, {}).get(key, 0) for key in counts},
        }
        for user in people.values()
        if user.id in held or user.role != "viewer"
    ]
    return {
        "backlog": sum(row["open"] for row in rows),
        "unassigned": held.get(None, {}).get("open", 0),
        "needs_review": sum(row["needs_review"] for row in rows),
        "breached": sum(row["breached"] for row in rows),
        "agents": sorted(agents, key=lambda agent: (-agent["open"], agent["name"])),
    }
