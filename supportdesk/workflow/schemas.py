"""API shapes for the workflow: the reference `/api/v1/workflow/*` contract (its field
names first, ours added after) and the per-ticket workflow our UI reads and edits."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool

from supportdesk.taxonomy import Category, Priority, Status, Tone
from supportdesk.text import LongText, Title
from supportdesk.workflow.drafts.template import DraftSource
from supportdesk.workflow.extraction.contacts import EMAIL_ADDRESS, email_problem
from supportdesk.workflow.models import TicketDraft
from supportdesk.workflow.service import TicketWorkflow


def _email(value: str) -> str:
    # The documented pattern is the rule (searched as JSON Schema searches it, so a final
    # newline passes and is trimmed); `email_problem` only explains a refusal.
    if EMAIL_ADDRESS.search(value) is None:
        problem = email_problem(value.strip()) or "it has a character no address has"
        raise ValueError(f"not a valid email address: {problem}")
    return value.strip()


Subject = Title
Body = LongText
Email = Annotated[
    str,
    Field(max_length=254, json_schema_extra={"pattern": EMAIL_ADDRESS.pattern}),
    AfterValidator(_email),
]


# --- requests ------------------------------------------------------------------------------


class TicketText(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: Subject
    body: Body
    customer_email: Email | None = None


# Strict: 0, 1 or "true" is a client bug, not a boolean (the schema's type says boolean).
Flag = Annotated[bool, Field(strict=True)]


class ProcessOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    response_tone: Tone | None = None
    skip_response_generation: Flag = False
    # Accepted for the reference contract; every step here is local and takes milliseconds.
    enable_parallel: Flag = True


class ProcessRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ticket: TicketText
    options: ProcessOptions = Field(default_factory=ProcessOptions)


class ClassifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: Subject
    body: Body


class ExtractRequest(ClassifyRequest):
    category: Category | None = None
    customer_email: Email | None = None


class FieldIn(BaseModel):
    """A fact the caller already knows; a list value stands for several facts."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=48, pattern=r"^[a-z][a-z0-9_]*$")]
    value: (
        Annotated[str, Field(min_length=1, max_length=500)]
        # Strict: true is no amount; and a draft must never say "nan" or "inf".
        | Annotated[float, Field(strict=True, allow_inf_nan=False)]
        | Annotated[list[Annotated[str, Field(max_length=500)]], Field(max_length=50)]
    )
    # Strict: `false` is a client bug, not 0 (whole numbers still count).
    confidence: Annotated[float, Field(ge=0, le=1, strict=True)] = 1.0


class FieldsIn(BaseModel):
    model_config = ConfigDict(extra="ignore")  # the reference also echoes its own lists

    fields: Annotated[list[FieldIn], Field(max_length=100)] = []


class RouteRequest(ClassifyRequest):
    category: Category
    severity: Priority
    extracted_fields: FieldsIn | None = None


class RespondRequest(RouteRequest):
    tone: Tone | None = None
    customer_email: Email | None = None


class DraftEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: Body
    tone: Tone


class DraftRegenerate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tone: Tone | None = None


# --- responses -----------------------------------------------------------------------------


class FactOut(BaseModel):
    name: str
    value: str
    confidence: float
    valid: bool
    reason: str | None
    raw: str


class ExtractionOut(BaseModel):
    fields: list[FactOut]
    missing_required: list[str]
    validation_errors: list[str]


class ClassificationOut(BaseModel):
    category: Category
    category_confidence: float
    severity: Priority
    severity_confidence: float
    secondary_categories: list[Category]
    keywords_matched: list[str]
    urgency_indicators: list[str]
    reasoning: str
    provider: str
    needs_review: bool


class DraftOut(BaseModel):
    content: str
    tone: Tone
    suggested_actions: list[str]
    requires_escalation: bool
    source: DraftSource


class RoutingOut(BaseModel):
    team: str
    priority: Priority
    reasoning: str
    alternative_teams: list[str]
    confidence: float
    sla_hours: float
    due_at: datetime


class ProcessOut(BaseModel):
    # Nothing is stored by this endpoint, so there is no id (the reference returns a UUID).
    ticket_id: None
    classification: ClassificationOut
    extracted_fields: ExtractionOut
    response_draft: DraftOut | None
    routing: RoutingOut
    total_duration_ms: float


class StoredFacts(BaseModel):
    fields: list[FactOut]
    extracted_at: datetime


class StoredRouting(BaseModel):
    team: str | None
    due_at: datetime | None
    sla_breached: bool
    alternatives: list[str]
    reasoning: str
    decided_at: datetime


class StoredDraft(BaseModel):
    content: str
    tone: Tone
    suggested_actions: list[str]
    source: DraftSource
    edited: bool
    updated_at: datetime
    review_reason: str | None = Field(
        description="why the draft must be checked before sending (it promises money, "
        "refunds or actions); null when it need not be"
    )
    review_requested_by: int | None = Field(
        description="shared drafts: the agent who marked it ready for a teammate's review"
    )
    review_requested_at: datetime | None = Field(
        description="when it was marked ready for review; null when it is not"
    )


class DraftReview(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ready: StrictBool = Field(description="true: ready for review; false: withdraw that")


class DraftForReviewOut(BaseModel):
    ticket_id: int
    title: str
    status: Status
    requested_by: int | None = Field(description="the agent who asked for the review")
    requested_at: datetime


class TeamOut(BaseModel):
    id: str
    name: str
    escalation: bool = Field(description="critical tickets go to this team whatever the rules")


class TicketWorkflowOut(BaseModel):
    ticket_id: int
    facts: StoredFacts | None
    routing: StoredRouting | None
    draft: StoredDraft | None


# --- stored rows as the API shows them -------------------------------------------------


def stored_draft_fields(draft: TicketDraft) -> dict[str, Any]:
    return {
        "content": draft.content,
        "tone": draft.tone,
        "suggested_actions": draft.suggested_actions,
        "source": draft.source,
        "edited": draft.edited,
        "updated_at": draft.updated_at,
        "review_reason": draft.review_reason,
        "review_requested_by": draft.review_requested_by,
        "review_requested_at": draft.review_requested_at,
    }


def workflow_fields(result: TicketWorkflow) -> dict[str, Any]:
    facts, routing, draft = result.facts, result.routing, result.draft
    return {
        "ticket_id": result.ticket_id,
        "facts": ({"fields": facts.fields, "extracted_at": facts.extracted_at} if facts else None),
        "routing": (
            {
                "team": result.team,
                "due_at": result.due_at,
                "sla_breached": result.sla_breached,
                "alternatives": routing.alternatives,
                "reasoning": routing.reasoning,
                "decided_at": routing.decided_at,
            }
            if routing
            else None
        ),
        "draft": stored_draft_fields(draft) if draft else None,
    }
