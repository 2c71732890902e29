"""HTTP endpoints for tickets: parse, call the service, shape the answer."""

from collections.abc import Sequence
from operator import itemgetter
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, BackgroundTasks, Path, Query, Request, Response
from pydantic import Field
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import URL

from supportdesk.audit.service import By
from supportdesk.auth.access import Admin, Agent, Viewer
from supportdesk.auth.actor import Actor
from supportdesk.deps import PageNumber, ReadSessionDep, SessionDep
from supportdesk.errors import NotFound, ValidationFailed
from supportdesk.problems import problem_responses
from supportdesk.responses import json_bytes
from supportdesk.taxonomy import TEAM_ID, Category, Priority, Status
from supportdesk.tickets import service
from supportdesk.tickets.deps import VisibleTicketId
from supportdesk.tickets.kept import kept_answer
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.paging import make_cursor, read_cursor
from supportdesk.tickets.schemas import (
    AssigneeChange,
    HistoryEntry,
    SearchText,
    TeamAssignment,
    TeamAssignmentChange,
    TicketCreate,
    TicketCreated,
    TicketOut,
    TicketPage,
    TicketUpdate,
    ViewCounts,
)
from supportdesk.triage.deps import ClassifierDep, GivenSuggestionsDep, TriageDep

router = APIRouter(prefix="/api/tickets", tags=["tickets"])

MAX_PAGE_SIZE = 100
MAX_CURSOR = 400  # a cursor holds a few sort key values: anything longer is not one


def ticket_out(ticket: Ticket | Row[Any]) -> TicketOut:
    """Validated once here; FastAPI then only serializes it (an instance of the response
    model is not validated again)."""
    return TicketOut.model_validate(ticket, from_attributes=True)


TICKET_FIELDS = tuple(TicketOut.model_fields)


def tickets_json(rows: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    """A page of plain rows as TicketOut's JSON objects, with no model in between: the
    columns are what TicketOut declares (written only through validated schemas), and
    validating 20 models, then serializing them, was a tenth of the list's CPU.
    tests/tickets/test_api.py checks each listed ticket equals, field for field and in
    order, what the ticket's own endpoint (TicketOut) answers."""
    if not rows:
        return []
    columns = rows[0]._fields  # a new tuple at each call
    pick = itemgetter(*(columns.index(name) for name in TICKET_FIELDS))
    return [dict(zip(TICKET_FIELDS, pick(row), strict=True)) for row in rows]


E = TypeVar("E", Category, Priority, Status)


def _listing(value: str) -> Any:
    """The schema of one `category=billing,account` item: the values it may list. Only
    documented: `parse_choices` checks them, with a message naming the allowed ones."""
    values = rf"\s*(?:{value})?\s*"
    return Field(json_schema_extra={"pattern": rf"^{values}(?:,{values})*$"})


# `status=open,in_progress` and `status=open&status=in_progress` alike.
MANY = "one or more, comma-separated"
CategoryChoices = Annotated[
    list[Annotated[str, _listing("|".join(Category))]] | None, Query(description=MANY)
]
PriorityChoices = Annotated[
    list[Annotated[str, _listing("|".join(Priority))]] | None, Query(description=MANY)
]
StatusChoices = Annotated[
    list[Annotated[str, _listing("|".join(Status))]] | None, Query(description=MANY)
]
TeamChoices = Annotated[
    list[Annotated[str, _listing(TEAM_ID.pattern.strip("^$"))]] | None, Query(description=MANY)
]


def _values(raw: list[str] | None) -> list[str]:
    return [v.strip() for part in raw or [] for v in part.split(",") if v.strip()]


def parse_choices(field: str, raw: list[str] | None, enum: type[E]) -> list[E]:
    """`["open,in_progress"]` -> [open, in_progress]; empty values are ignored."""
    values = _values(raw)
    unknown = [v for v in values if v not in enum._value2member_map_]
    if unknown:
        allowed = ", ".join(e.value for e in enum)
        raise ValidationFailed(errors={field: [f"unknown value {unknown[0]!r}; one of: {allowed}"]})
    return [enum(v) for v in dict.fromkeys(values)]


def parse_teams(raw: list[str] | None) -> list[str]:
    """Team ids as the routing file spells them; a team no ticket has matches none."""
    values = _values(raw)
    malformed = [v for v in values if not TEAM_ID.match(v)]
    if malformed:
        reason = f"{malformed[0]!r} is not a team id (lower_snake_case, at most 48 characters)"
        raise ValidationFailed(errors={"team": [reason]})
    return list(dict.fromkeys(values))


def _assignee_filter(assignee: str | None, actor: Actor) -> dict[str, Any]:
    if assignee is None:
        return {}
    if assignee == "none":
        return {"unassigned": True}
    if assignee == "me":
        if actor.user_id is None:
            raise ValidationFailed(errors={"assignee": ["open access has no signed-in user"]})
        return {"assignees": [actor.user_id]}
    return {"assignees": [int(assignee)]}


def page_url(url: URL, page: int) -> str:
    return str(url.include_query_params(page=page))


# `warning` is there only when there is one (exclude_unset), as before the response model.
@router.post(
    "",
    status_code=201,
    response_model=TicketCreated,
    response_model_exclude_unset=True,
    operation_id="createTicket",
)
async def create_ticket(
    data: TicketCreate,
    session: SessionDep,
    classifier: ClassifierDep,
    given: GivenSuggestionsDep,
    actor: Agent,
) -> TicketCreated:
    """Create a ticket; a missing category or priority is filled in by triage. Labels sent
    for a text this server just suggested for are judged against that suggestion."""
    fresh = None
    if data.category is None or data.priority is None:
        fresh = await classifier.classify(data.title, data.description)
    suggestion = fresh or given.recall(data.title, data.description)
    ticket = await service.create_ticket(session, data, suggestion, By.user(actor.user_id))
    created = TicketCreated.model_validate(ticket, from_attributes=True)
    if fresh is not None and fresh.warning:
        # As on /classify: the LLM failed and the local model filled the labels in.
        created.warning = fresh.warning
    return created


@router.get(
    "",
    response_model=TicketPage,
    operation_id="listTickets",
    responses=problem_responses(404),  # a page past the last
)
async def list_tickets(
    request: Request,
    actor: Viewer,
    page: PageNumber = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
    category: CategoryChoices = None,
    priority: PriorityChoices = None,
    status: StatusChoices = None,
    team: TeamChoices = None,
    search: Annotated[SearchText | None, Query()] = None,
    assignee: Annotated[
        str | None,
        Query(pattern=r"^(me|none|[1-9][0-9]{0,8})$", description="me, none, or a user id"),
    ] = None,
    needs_review: bool | None = None,
    sla: Annotated[
        service.SlaState | None, Query(description="unresolved tickets past or near due")
    ] = None,
    waiting: Annotated[
        bool | None, Query(description="waiting on the customer (after a public reply)")
    ] = None,
    ordering: Annotated[
        Annotated[str, Field(json_schema_extra={"enum": list(service.ORDERINGS)})] | None,
        Query(description=", ".join(service.ORDERINGS)),
    ] = None,
    cursor: Annotated[
        str | None,
        Query(
            max_length=MAX_CURSOR,
            description="the `next_cursor` of the page before (instead of a page number)",
        ),
    ] = None,
) -> Response:
    """Newest first, 20 a page; every filter combines with every other. Deep pages: follow
    `next_cursor` (as fast at page 5,000 as at page 1) rather than a page number."""

    async def page_json(session: AsyncSession) -> bytes:
        order = "-created_at" if ordering is None else ordering
        if order not in service.ORDERINGS:
            raise ValidationFailed(errors={"ordering": [f"one of: {', '.join(service.ORDERINGS)}"]})
        filters = service.TicketFilter(
            categories=parse_choices("category", category, Category),
            priorities=parse_choices("priority", priority, Priority),
            statuses=parse_choices("status", status, Status),
            teams=parse_teams(team),
            search=search or None,  # cleaned and trimmed: blank is no search
            visible_teams=actor.team_scope,
            needs_review=needs_review,
            sla=sla,
            waiting=waiting,
            **_assignee_filter(assignee, actor),
        )
        keys, made_for = service.sort_keys(filters, order), service.list_key(filters, order)
        after = None
        if cursor is not None:
            if page != 1:
                raise ValidationFailed(errors={"cursor": ["give a cursor or a page, not both"]})
            after = read_cursor(cursor, keys, made_for)
        found = await service.list_page(
            session, filters, order, offset=(page - 1) * page_size, limit=page_size, after=after
        )
        if not found.rows and page > 1:
            last = "" if found.estimated else f" ({max(1, -(-found.total // page_size))})"
            raise NotFound(f"page {page} is past the last page{last}")
        next_cursor = make_cursor(keys, found.rows[-1], made_for) if found.more else None
        following = None
        if next_cursor is not None:
            following = (
                page_url(request.url, page + 1)
                if cursor is None
                else str(request.url.include_query_params(cursor=next_cursor))
            )
        return json_bytes(
            {
                "count": found.total,
                "count_estimated": found.estimated,
                "next": following,
                "previous": page_url(request.url, page - 1) if page > 1 else None,
                "next_cursor": next_cursor,
                "results": tickets_json(found.rows),
            }
        )

    # Kept for whoever sees these teams, with this "me"; the SLA views move with the clock:
    # never kept. Only an answer made is kept: a URL found kept was valid, and is not
    # parsed again.
    scope = actor.team_scope
    me = actor.user_id if assignee == "me" else None
    asker = None if sla is not None else (None if scope is None else tuple(scope), me)
    return await kept_answer(request, asker, page_json)


@router.get("/views", response_model=ViewCounts, operation_id="ticketViews")
async def ticket_views(session: ReadSessionDep, actor: Viewer) -> ViewCounts:
    """How many tickets each saved view holds for you: yours, unassigned, needing review,
    SLA at risk (due within 2 hours) or breached (all still to do), and all you can see."""
    counts = await service.view_counts(session, actor.user_id, actor.team_scope)
    return ViewCounts(**counts)


@router.get("/{ticket_id:int}", response_model=TicketOut, operation_id="getTicket")
async def get_ticket(ticket_id: VisibleTicketId, session: ReadSessionDep, _: Viewer) -> TicketOut:
    return ticket_out(await service.get_ticket(session, ticket_id))


@router.patch("/{ticket_id:int}", response_model=TicketOut, operation_id="updateTicket")
async def update_ticket(
    ticket_id: VisibleTicketId,
    actor: Agent,
    change: TicketUpdate,
    session: SessionDep,
    triage: TriageDep,
    background: BackgroundTasks,
) -> TicketOut:
    """Change status, category or priority; resolved/closed sets resolved_at. Overriding
    an AI-suggested label records a correction that the triage model learns from."""
    ticket = await service.update_ticket(session, ticket_id, change, By.user(actor.user_id))
    background.add_task(triage.retrain_if_due)
    return ticket_out(ticket)


@router.put(
    "/{ticket_id:int}/assignee",
    response_model=TicketOut,
    operation_id="assignTicket",
    responses=problem_responses(409),
)
async def assign_ticket(
    ticket_id: VisibleTicketId, body: AssigneeChange, session: SessionDep, actor: Agent
) -> TicketOut:
    """Assign to a member of the ticket's team, or unassign (null). Send the assignee you
    saw as `previous_assignee_id`: if someone was quicker, the answer is 409 naming them."""
    ticket = await service.assign_ticket(
        session, ticket_id, body.assignee_id, body.previous_assignee_id, By.user(actor.user_id)
    )
    return ticket_out(ticket)


@router.get(
    "/{ticket_id:int}/history", response_model=list[HistoryEntry], operation_id="ticketHistory"
)
async def ticket_history(
    ticket_id: VisibleTicketId, session: ReadSessionDep, _: Viewer
) -> list[HistoryEntry]:
    """Every change to the ticket, oldest first, with who made it."""
    return [HistoryEntry(**entry) for entry in await service.history(session, ticket_id)]


teams_router = APIRouter(prefix="/api/assignment", tags=["assignment"])


@teams_router.get("/teams", response_model=list[TeamAssignment], operation_id="listTeamAssignment")
async def list_team_assignment(
    request: Request, session: ReadSessionDep, _: Viewer
) -> list[TeamAssignment]:
    """Per team of the routing file: whether new tickets are assigned automatically."""
    teams: frozenset[str] = request.app.state.team_names
    chosen = await service.auto_assign_settings(session, sorted(teams))
    return [TeamAssignment(team=team, auto_assign=on) for team, on in chosen.items()]


@teams_router.put("/teams/{team}", response_model=TeamAssignment, operation_id="setTeamAssignment")
async def set_team_assignment(
    team: Annotated[str, Path(max_length=48, pattern=r"^[a-z][a-z0-9_]*$")],
    body: TeamAssignmentChange,
    request: Request,
    session: SessionDep,
    actor: Admin,
) -> TeamAssignment:
    if team not in request.app.state.team_names:
        raise NotFound(f"no team {team} in the routing file")
    await service.set_auto_assign(session, team, body.auto_assign, By.user(actor.user_id))
    return TeamAssignment(team=team, auto_assign=body.auto_assign)
