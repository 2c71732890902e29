"""API shapes for batch analysis. Reference 003's fields first; ours are additions."""

from datetime import datetime
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from supportdesk.analysis.models import ResultStatus, RunStatus
from supportdesk.taxonomy import TEAM_ID, Category, Priority, Status
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


class RunOut(BaseModel):
    id: int
    created_at: datetime
    summary: str = Field(description='"" until the run has finished')
    ticket_count: int
    status: RunStatus
    started_at: datetime | None
    finished_at: datetime | None
    selection: dict[str, Any]


class RunDetail(RunOut):
    ticket_analyses: list[TicketAnalysisOut]
    summary_data: dict[str, Any] | None = Field(description="the structured summary")
    summary_provider: str | None
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
