"""API shapes for tickets. The reference contract's fields come first; ours are additions."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool

from supportdesk.taxonomy import Category, LabelSource, Priority, Status
from supportdesk.text import Clean, LongText, Title
from supportdesk.tickets.search import SEARCH_NEEDS_WORDS, SEARCH_PATTERN, searchable
from supportdesk.types import BodyId

# Strict: `false` is a client bug, not 0 (whole numbers still count).
Confidence = Annotated[float, Field(ge=0, le=1, strict=True)]


def _searchable(value: str) -> str:
    if value.strip() and not searchable(value):
        raise ValueError(SEARCH_NEEDS_WORDS)
    return value


# A search as typed (the list's `search`, an analysis filter's): blank, or with a word to
# find. The pattern only documents `_searchable`, which keeps its message and reads the
# text as sent; then control characters go (PostgreSQL refuses a NUL in a query).
SearchText = Annotated[
    str,
    Field(max_length=500, json_schema_extra={"pattern": SEARCH_PATTERN}),
    AfterValidator(_searchable),
    Clean,
]


class TicketCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    description: LongText
    category: Category | None = None
    priority: Priority | None = None
    status: Status = Status.OPEN
    # What the form's suggestion said, so an override by the submitter is recorded.
    ai_category: Category | None = None
    ai_priority: Priority | None = None
    ai_confidence: Confidence | None = None
    ai_category_confidence: Confidence | None = None
    ai_priority_confidence: Confidence | None = None
    ai_reasoning: Annotated[str, Field(max_length=1000), Clean] | None = None
    ai_provider: Annotated[str, Field(max_length=64), Clean] | None = None


class TicketUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    category: Category | None = None
    priority: Priority | None = None


class TicketOut(BaseModel):
    id: int
    title: str
    description: str
    category: Category
    priority: Priority
    status: Status
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    category_source: LabelSource
    priority_source: LabelSource
    ai_category: Category | None
    ai_priority: Priority | None
    ai_confidence: float | None = Field(description="the lower of the two confidences below")
    ai_category_confidence: float | None
    ai_priority_confidence: float | None
    ai_reasoning: str | None
    ai_provider: str | None
    needs_review: bool
    team: str | None
    due_at: datetime | None
    sla_breached: bool
    duplicate_of: int | None
    assignee_id: int | None
    waiting_since: datetime | None = Field(
        description="waiting on the customer since this public reply; null when not"
    )
    follow_up_of: int | None = Field(
        description="the resolved ticket this one follows up (the customer wrote again)"
    )


class TicketCreated(TicketOut):
    warning: str | None = Field(
        default=None, description="the LLM failed and the local model filled the labels in"
    )


class TicketPage(BaseModel):
    count: int = Field(description="how many tickets match (an estimate when count_estimated)")
    count_estimated: bool = Field(
        False,
        description="count is the database's estimate: counting every match of a common "
        "word among many tickets costs more than the page",
    )
    next: str | None = Field(description="the next page's link (by cursor after a cursor page)")
    previous: str | None = Field(description="the previous page's link (none after a cursor)")
    next_cursor: str | None = Field(
        None, description="give it as `cursor` for the page after this one, however deep"
    )
    results: list[TicketOut]


UserIdOrNone = BodyId | None


class AssigneeChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignee_id: UserIdOrNone = Field(description="null unassigns")
    previous_assignee_id: UserIdOrNone = Field(
        description="the assignee the client last saw (null: nobody)"
    )


class HistoryEntry(BaseModel):
    """One change to a ticket, in words a person reads and in fields a program reads."""

    id: int
    at: datetime
    action: str
    actor_kind: str = Field(description="user, customer, ai, system or open")
    actor_user_id: int | None
    actor_name: str | None = Field(description="the staff member's name, for user changes")
    changes: dict[str, list[Any]]
    detail: str


class TeamAssignment(BaseModel):
    team: str
    auto_assign: bool


class TeamAssignmentChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    auto_assign: StrictBool


class ViewCounts(BaseModel):
    """Tickets in each saved view, for the asker (the last five count tickets still to do)."""

    all: int
    mine: int
    unassigned: int
    needs_review: int
    sla_at_risk: int
    sla_breached: int
