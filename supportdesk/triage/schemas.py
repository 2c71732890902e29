"""API shapes for classification (the reference shape plus our additions) and triage's
status."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from supportdesk.llm import CircuitState, Outcome
from supportdesk.taxonomy import Category, Priority
from supportdesk.text import Clean, LongText


class ClassifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: LongText
    title: Annotated[str, Field(max_length=200), Clean] = ""


class Confidence(BaseModel):
    category: float
    priority: float


class ClassifyResponse(BaseModel):
    suggested_category: Category
    suggested_priority: Priority
    confidence: Confidence
    reasoning: str
    signals: list[str]
    provider: str
    needs_review: bool
    warning: str | None = None


# --- GET /api/triage/status ---------------------------------------------------------------
# Built from the status() of the classifier, the LLM classifier, the drafter and their
# circuit breakers: `extra="forbid"`, so a key one of them adds without adding it here
# fails the tests instead of going out undocumented. A field typed `X | SkipJsonSchema[None]`
# is absent when it does not apply (the route excludes unset fields), never null.


class Circuit(BaseModel):
    """A provider's circuit breaker (`CircuitBreaker.status()`): `open` while calls are
    skipped after repeated failures, `half_open` while one probe is let through."""

    model_config = ConfigDict(extra="forbid")

    circuit: CircuitState
    consecutive_failures: int


class ProviderCircuit(Circuit):
    """An LLM provider as one feature uses it, with its own circuit."""

    provider: str
    model: str


class TriageLLMStatus(ProviderCircuit):
    """Triage's LLM, with its last call (all null before the first)."""

    last_outcome: Outcome | None
    last_error: str | None
    last_latency_ms: float | None


class EscalationCountsOut(BaseModel):
    """How the local model and the LLM shared the tickets."""

    model_config = ConfigDict(extra="forbid")

    local_answers: int = Field(description="answered by the local model: confident or fallback")
    llm_calls: int = Field(description="sent to the LLM, answered or not")
    calls_saved: int = Field(description="settled by the local model alone")
    fallbacks: int = Field(description="meant for the LLM, which did not answer")


class AllProcesses(EscalationCountsOut):
    since: date | None = Field(description="the first day counted")


class EscalationStatus(EscalationCountsOut):
    """The local model answers first and hands the tickets it is unsure of to the LLM.
    The counts are this process's since it started."""

    threshold: float = Field(description="the local confidence below which the LLM is asked")
    llm: TriageLLMStatus
    drafts: ProviderCircuit | SkipJsonSchema[None] = Field(
        default=None, description="the reply drafts' LLM, with its own circuit"
    )
    all_processes: AllProcesses = Field(
        description="every API and worker process's counts, as saved, plus this one's unsaved"
    )


class ModelMetrics(BaseModel):
    """Figures of a model version on held-out examples it was not trained on (0-1)."""

    model_config = ConfigDict(extra="forbid")

    examples: int
    category_accuracy: float
    category_macro_f1: float
    category_calibration_error: float = Field(
        description="mean gap between stated confidence and accuracy"
    )
    priority_accuracy: float
    priority_within_one: float
    priority_calibration_error: float
    trained_on: int | SkipJsonSchema[None] = Field(
        default=None, description="examples the shipped (base) version was trained on"
    )
    bank: str | SkipJsonSchema[None] = Field(
        default=None, description="digest of the example bank the base version was built from"
    )
    training_code: str | SkipJsonSchema[None] = Field(
        default=None, description="digest of the code that trained a retrained version"
    )


class TriageStatus(BaseModel):
    model_config = ConfigDict(extra="forbid")

    classifier: str = Field(
        description='the classifier serving now: "local", "rules", "local+openai:gpt-4o-mini"…'
    )
    model_version: str | None = Field(description='"base" or "v<id>"; null without a model')
    problem: str | None = Field(description="why triage is degraded (the model is missing)")
    provider: EscalationStatus | None = Field(description="null when no LLM is configured")
    model_metrics: ModelMetrics | SkipJsonSchema[None] = Field(
        default=None, description="the served version's figures; absent without a local model"
    )
    corrections_pending: int | SkipJsonSchema[None] = Field(
        default=None,
        description="agent overrides recorded since the last version was trained; absent "
        "without a local model",
    )
