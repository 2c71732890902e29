"""HTTP endpoints for tickets: parse, call the service, shape the answer."""

from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, BackgroundTasks, Query, Request
from pydantic import Field
from sqlalchemy import Row
from starlette.datastructures import URL

from supportdesk.deps import PageNumber, ReadSessionDep, SessionDep, TicketId
from supportdesk.errors import NotFound, ValidationFailed
from supportdesk.problems import problem_responses
from supportdesk.taxonomy import TEAM_ID, Category, Priority, Status
from supportdesk.tickets import service
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.schemas import (
    SearchText,
    TicketCreate,
    TicketCreated,
    TicketOut,
    TicketPage,
    TicketUpdate,
)
from supportdesk.triage.deps import ClassifierDep, GivenSuggestionsDep, TriageDep

router = APIRouter(prefix="/api/tickets", tags=["tickets"])

MAX_PAGE_SIZE = 100


def ticket_out(ticket: Ticket | Row[Any]) -> TicketOut:
    """Validated once here; FastAPI then only serializes it (an instance of the response
    model is not validated again)."""
    return TicketOut.model_validate(ticket, from_attributes=True)


def tickets_out(rows: Sequence[Row[Any]]) -> list[TicketOut]:
    """A page of plain rows, each validated from a dict of its columns: reading a row's
    23 attributes one by one (from_attributes) costs about twice as much."""
    if not rows:
        return []
    names = rows[0]._fields
    return [TicketOut.model_validate(dict(zip(names, row, strict=True))) for row in rows]


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
) -> TicketCreated:
    """Create a ticket; a missing category or priority is filled in by triage. Labels sent
    for a text this server just suggested for are judged against that suggestion."""
    fresh = None
    if data.category is None or data.priority is None:
        fresh = await classifier.classify(data.title, data.description)
    suggestion = fresh or given.recall(data.title, data.description)
    ticket = await service.create_ticket(session, data, suggestion)
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
    session: ReadSessionDep,
    page: PageNumber = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
    category: CategoryChoices = None,
    priority: PriorityChoices = None,
    status: StatusChoices = None,
    team: TeamChoices = None,
    search: Annotated[SearchText | None, Query()] = None,
    ordering: Annotated[
        Annotated[str, Field(json_schema_extra={"enum": list(service.ORDERINGS)})] | None,
        Query(description=", ".join(service.ORDERINGS)),
    ] = None,
) -> TicketPage:
    """Newest first, 20 a page; every filter combines with every other."""
    ordering = ordering or "-created_at"
    if ordering not in service.ORDERINGS:
        raise ValidationFailed(errors={"ordering": [f"one of: {', '.join(service.ORDERINGS)}"]})
    filters = service.TicketFilter(
        categories=parse_choices("category", category, Category),
        priorities=parse_choices("priority", priority, Priority),
        statuses=parse_choices("status", status, Status),
        teams=parse_teams(team),
        search=search or None,  # cleaned and trimmed: blank is no search
    )
    count, tickets = await service.list_page(
        session, filters, ordering, offset=(page - 1) * page_size, limit=page_size
    )
    last_page = max(1, -(-count // page_size))
    if page > last_page:
        raise NotFound(f"page {page} is past the last page ({last_page})")
    return TicketPage(
        count=count,
        next=page_url(request.url, page + 1) if page < last_page else None,
        previous=page_url(request.url, page - 1) if page > 1 else None,
        results=tickets_out(tickets),
    )


@router.get("/{ticket_id:int}", response_model=TicketOut, operation_id="getTicket")
async def get_ticket(ticket_id: TicketId, session: ReadSessionDep) -> TicketOut:
    return ticket_out(await service.get_ticket(session, ticket_id))


@router.patch("/{ticket_id:int}", response_model=TicketOut, operation_id="updateTicket")
async def update_ticket(
    ticket_id: TicketId,
    change: TicketUpdate,
    session: SessionDep,
    triage: TriageDep,
    background: BackgroundTasks,
) -> TicketOut:
    """Change status, category or priority; resolved/closed sets resolved_at. Overriding
    an AI-suggested label records a correction that the triage model learns from."""
    ticket = await service.update_ticket(session, ticket_id, change)
    background.add_task(triage.retrain_if_due)
    return ticket_out(ticket)
