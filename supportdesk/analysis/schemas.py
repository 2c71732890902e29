"""API shapes for batch analysis. Reference 003's fields first; ours are additions."""

from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema

from supportdesk.analysis.models import ResultStatus, RunStatus
from supportdesk.taxonomy import TEAM_ID, Category, PerCategory, PerPriority, Priority, Status
from supportdesk.tickets.schemas import SearchText
from supportdesk.types import BodyId

MAX_TICKET_IDS = 20_000
# Shaped like the routing file's team ids; a team that no ticket has matches no ticket.
TeamId = Annotated[str, StringConstraints(pattern=TEAM_ID.pattern)]

T = TypeVar("T")


def _comma_separated(value: Any) -> Any:
    """`"open,in_progress"` as well as `["open", "in_progress"]`, like the list filters."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


Choices = Annotated[list[T], BeforeValidator(_comma_separated)]


class AnalyzeFilter(BaseModel):
    """The tickets list's filters; every one given must match. `{}` selects every ticket."""

    model_config = ConfigDict(extra="forbid")

    status: Choices[Status] = Field(default_factory=list)
    category: Choices[Category] = Field(default_factory=list)
    priority: Choices[Priority] = Field(default_factory=list)
    team: Choices[TeamId] = Field(default_factory=list)
    search: SearchText | None = None


class AnalyzeRequest(BaseModel):
    """`ticketIds`: these tickets; `filter`: the tickets matching it; neither (or
    `ticketIds: null`): every ticket that no run has analyzed yet."""

    # `_not_both`, stated in the schema: not a list of ids and a filter together.
    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        json_schema_extra={
            "not": {
                "required": ["ticketIds", "filter"],
                "properties": {"ticketIds": {"type": "array"}, "filter": {"type": "object"}},
            }
        },
    )

    # minItems only documents `_not_empty` (which keeps its own message).
    ticket_ids: (
        Annotated[list[BodyId], Field(max_length=MAX_TICKET_IDS, json_schema_extra={"minItems": 1})]
        | None
    ) = Field(default=None, alias="ticketIds")
    filter: AnalyzeFilter | None = None

    # Field validators, not a model validator: the error then names the field at fault.
    @field_validator("ticket_ids")
    @classmethod
    def _not_empty(cls, value: list[int] | None) -> list[int] | None:
        if value is not None and not value:
            raise ValueError("must list at least one ticket id")
        return value

    @field_validator("filter")
    @classmethod
    def _not_both(cls, value: AnalyzeFilter | None, info: ValidationInfo) -> AnalyzeFilter | None:
        if value is not None and info.data.get("ticket_ids") is not None:
            raise ValueError("give ticketIds or filter, not both")
        return value


class TicketAnalysisOut(BaseModel):
    ticket_id: int
    status: ResultStatus
    category: Category | None
    priority: Priority | None
    notes: str | None
    error: str | None = Field(description='why a ticket failed, e.g. "unknown ticket"')
    title: str | None = Field(description="null when the ticket does not exist")
    confidence: float | None
    provider: str | None
    analyzed_at: datetime | None


class Progress(BaseModel):
    total: int
    pending: int
    processing: int
    analyzed: int
    failed: int
    done: int


# --- What runs store (selection, summary), as they stored it: a key that older runs lack
# is absent from theirs (the routes exclude unset fields), typed `X | SkipJsonSchema[None]`.


class StoredFilter(BaseModel):
    """The filter a run selected its tickets by (`AnalyzeFilter`, every list spelled out)."""

    status: list[Status]
    category: list[Category]
    priority: list[Priority]
    team: list[str] | SkipJsonSchema[None] = Field(
        default=None, description="absent in runs started before runs could filter by team"
    )
    search: str | None


class ChosenTickets(BaseModel):
    mode: Literal["ids"]
    tickets: str | SkipJsonSchema[None] = Field(
        default=None,
        description="a digest of the ids: runs over the same tickets are compared with each "
        "other (absent in the first runs)",
    )


class FilteredTickets(BaseModel):
    mode: Literal["filter"]
    filter: StoredFilter


class PendingTickets(BaseModel):
    """Every ticket no run had analyzed yet."""

    mode: Literal["pending"]


RunSelection = Annotated[
    ChosenTickets | FilteredTickets | PendingTickets, Field(discriminator="mode")
]


class Distribution(BaseModel):
    """A label's count and share, and with an earlier run to compare with, their shift."""

    count: int
    share: float
    previous: int | SkipJsonSchema[None] = None
    change: int | SkipJsonSchema[None] = None
    share_change: float | SkipJsonSchema[None] = None


class SummaryTotals(BaseModel):
    tickets: int
    analyzed: int
    failed: int
    llm_fallbacks: int = Field(description="answered by the local model when the LLM failed")


class TicketRef(BaseModel):
    ticket_id: int
    title: str | None = Field(description="null when the ticket no longer exists")


class Escalated(TicketRef):
    # `from` is a Python keyword: by alias, in and out.
    from_: Priority = Field(alias="from")
    to: Priority


class Relabelled(BaseModel):
    """Tickets both runs analyzed whose labels changed."""

    compared: int
    changed: int
    escalated_count: int
    escalated: list[Escalated] = Field(description="the first 20 that rose in priority")
    deescalated_count: int


class Theme(BaseModel):
    theme: str = Field(description="a name in words: a representative title, or the kind")
    keywords: list[str]
    size: int
    share: float
    top_category: Category | None
    critical: int
    tickets: list[TicketRef] = Field(description="the tickets closest to the theme's centre")


class CriticalTicket(TicketRef):
    category: Category | None
    status: Status | None = Field(
        default=None, description="the ticket's status when the run was summarised"
    )
    notes: str | None


class FailedTicket(BaseModel):
    ticket_id: int
    error: str | None


class Failures(BaseModel):
    count: int
    reasons: dict[str, int] = Field(description="how many failed for each reason")
    tickets: list[FailedTicket] = Field(description="the first 50")


class RunSummary(BaseModel):
    """The structured executive summary, computed once every ticket of the run is done."""

    run_id: int
    totals: SummaryTotals
    previous_run_id: int | None = Field(
        description="the latest earlier run that chose its tickets the same way"
    )
    previous_analyzed: int | None = Field(description="how many tickets that run analyzed")
    categories: PerCategory[Distribution]
    priorities: PerPriority[Distribution]
    relabelled: Relabelled | None = Field(description="null without an earlier run")
    themes: list[Theme]
    critical: list[CriticalTicket] = Field(
        description="the critical tickets still open (in older runs: every critical ticket)"
    )
    critical_done: int | SkipJsonSchema[None] = Field(
        default=None, description="critical tickets already resolved or closed: only counted"
    )
    failures: Failures
    notes: list[str]


class RunOut(BaseModel):
    id: int
    created_at: datetime
    summary: str = Field(description='"" until the run has finished')
    ticket_count: int
    status: RunStatus
    started_at: datetime | None
    finished_at: datetime | None
    selection: RunSelection = Field(description="how the run chose its tickets")


class RunDetail(RunOut):
    ticket_analyses: list[TicketAnalysisOut]
    summary_data: RunSummary | None = Field(description="the structured summary")
    summary_provider: str | None = Field(
        description='"local" for the structured text, else the LLM that wrote the prose'
    )
    progress: Progress


class RunPage(BaseModel):
    items: list[RunOut]
    page: int
    page_size: int
    total: int


class RunStatusOut(BaseModel):
    analysis_run_id: int
    status: RunStatus
    ticket_ids: list[int]
    progress: Progress


class AnalyzedTicketOut(BaseModel):
    id: int
    analysis_id: int
    title: str
    description: str
    category: Category
    priority: Priority
    notes: str | None
    run_id: int
    analyzed_at: datetime
    confidence: float | None
    provider: str | None
    ticket_category: Category
    ticket_priority: Priority
    ticket_status: Status


class AnalyzedTicketPage(BaseModel):
    items: list[AnalyzedTicketOut]
    page: int
    page_size: int
    total: int
