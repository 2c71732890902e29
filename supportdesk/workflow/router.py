"""Workflow endpoints: the reference `/api/v1/workflow/*` (stateless) and the per-ticket
workflow the UI shows and edits. Parse, call the service, shape the answer."""

from collections.abc import AsyncIterator
from dataclasses import replace
from time import perf_counter
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request
from starlette.responses import StreamingResponse

from supportdesk.audit.service import By
from supportdesk.auth.access import Agent, Viewer
from supportdesk.config import Settings
from supportdesk.db import Database
from supportdesk.deps import ReadSessionDep, SessionDep
from supportdesk.errors import AppError, Conflict
from supportdesk.llm import DatabaseCallRecorder
from supportdesk.problems import problem_responses
from supportdesk.tickets.deps import VisibleTicketId
from supportdesk.triage.deps import ClassifierDep
from supportdesk.types import utcnow
from supportdesk.workflow import service
from supportdesk.workflow.drafts.llm import LLMDrafter, build_llm_drafter
from supportdesk.workflow.drafts.template import Draft, DraftRequest, DraftSource, TemplateDrafter
from supportdesk.workflow.extraction.extract import validation_errors
from supportdesk.workflow.extraction.facts import Fact
from supportdesk.workflow.pipeline import (
    Assessment,
    Classification,
    WorkflowSetup,
    assess,
    routing_confidence,
    setup_for,
)
from supportdesk.workflow.routing.route import RoutingDecision
from supportdesk.workflow.schemas import (
    ClassificationOut,
    ClassifyRequest,
    DraftEdit,
    DraftForReviewOut,
    DraftOut,
    DraftRegenerate,
    DraftReview,
    ExtractionOut,
    ExtractRequest,
    FieldsIn,
    ProcessOut,
    ProcessRequest,
    RespondRequest,
    RouteRequest,
    RoutingOut,
    StoredDraft,
    TeamOut,
    TicketWorkflowOut,
    stored_draft_fields,
    workflow_fields,
)

router = APIRouter(tags=["workflow"])


async def _setup(request: Request) -> WorkflowSetup:
    return setup_for(request.app.state.settings)


SetupDep = Annotated[WorkflowSetup, Depends(_setup)]


def _classification(result: Classification) -> dict[str, Any]:
    s = result.suggestion
    return {
        "category": s.category,
        "category_confidence": s.category_confidence,
        "severity": s.priority,
        "severity_confidence": s.priority_confidence,
        "secondary_categories": result.secondary_categories,
        "keywords_matched": result.keywords_matched,
        "urgency_indicators": result.urgency_indicators,
        "reasoning": s.reasoning,
        "provider": s.provider,
        "needs_review": s.needs_review,
    }


def _extraction(facts: list[Fact], missing: list[str]) -> dict[str, Any]:
    return {
        "fields": [f.as_json() for f in facts],
        "missing_required": missing,
        "validation_errors": validation_errors(facts),
    }


def _draft(draft: Draft, escalated: bool) -> dict[str, Any]:
    return {
        "content": draft.content,
        "tone": draft.tone,
        "suggested_actions": draft.suggested_actions,
        "requires_escalation": escalated,
        "source": draft.source,
    }


def _routing(decision: RoutingDecision, confidence: float) -> dict[str, Any]:
    return {
        "team": decision.team,
        "priority": decision.priority,
        "reasoning": decision.reasoning,
        "alternative_teams": list(decision.alternatives),
        "confidence": confidence,
        "sla_hours": decision.sla_hours,
        "due_at": decision.due_at,
    }


def _known(fields: FieldsIn | None) -> list[Fact]:
    """Caller-supplied fields as facts; a list value stands for one fact per item."""
    facts = []
    for field in fields.fields if fields else []:
        values = field.value if isinstance(field.value, list) else [field.value]
        for value in values:
            text = f"{value:g}" if isinstance(value, float) else value
            facts.append(Fact(field.name, text, field.confidence, raw=text))
    return facts


@router.post("/api/v1/workflow/process", response_model=ProcessOut, operation_id="workflowProcess")
async def process(
    data: ProcessRequest, classifier: ClassifierDep, setup: SetupDep, _: Agent
) -> ProcessOut:
    """Classify, extract, draft and route one ticket's text; nothing is stored."""
    started = perf_counter()
    ticket, options = data.ticket, data.options
    classification, assessment = await service.process_text(
        setup,
        classifier,
        subject=ticket.subject,
        body=ticket.body,
        contact_email=ticket.customer_email,
        tone=options.response_tone,
        with_draft=not options.skip_response_generation,
    )
    s = classification.suggestion
    decision = assessment.decision
    confidence = routing_confidence(decision, s.category_confidence, s.priority_confidence)
    return ProcessOut.model_validate(
        {
            "ticket_id": None,
            "classification": _classification(classification),
            "extracted_fields": _extraction(assessment.facts, assessment.missing),
            "response_draft": _draft(assessment.draft, decision.escalated)
            if assessment.draft
            else None,
            "routing": _routing(decision, confidence),
            "total_duration_ms": round((perf_counter() - started) * 1000, 2),
        }
    )


@router.post(
    "/api/v1/workflow/classify", response_model=ClassificationOut, operation_id="workflowClassify"
)
async def classify(data: ClassifyRequest, classifier: ClassifierDep, _: Agent) -> ClassificationOut:
    """Category and severity with confidence, the cues behind them, and urgency words."""
    result = await service.classify_text(classifier, data.subject, data.body)
    return ClassificationOut.model_validate(_classification(result))


@router.post(
    "/api/v1/workflow/extract", response_model=ExtractionOut, operation_id="workflowExtract"
)
async def extract(data: ExtractRequest, setup: SetupDep, _: Agent) -> ExtractionOut:
    """Order ids, error codes, emails, phones, amounts, links, dates, plans: each with a
    confidence; invalid values are reported as such, with the reason."""
    facts, missing = service.extract_text(
        setup, data.subject, data.body, data.category, data.customer_email
    )
    return ExtractionOut.model_validate(_extraction(facts, missing))


async def _assess(setup: WorkflowSetup, data: RouteRequest, **options: Any) -> Assessment:
    return await assess(
        setup,
        subject=data.subject,
        body=data.body,
        category=data.category,
        priority=data.severity,
        created_at=utcnow(),
        known_facts=_known(data.extracted_fields),
        **options,
    )


@router.post("/api/v1/workflow/respond", response_model=DraftOut, operation_id="workflowRespond")
async def respond(data: RespondRequest, setup: SetupDep, _: Agent) -> DraftOut:
    """A reply draft for a ticket already classified; supplied fields join the extracted."""
    assessment = await _assess(setup, data, tone=data.tone, contact_email=data.customer_email)
    assert assessment.draft is not None
    return DraftOut.model_validate(_draft(assessment.draft, assessment.decision.escalated))


@router.post("/api/v1/workflow/route", response_model=RoutingOut, operation_id="workflowRoute")
async def route(data: RouteRequest, setup: SetupDep, _: Agent) -> RoutingOut:
    """Team, alternatives, reasoning and due time for a ticket already classified."""
    assessment = await _assess(setup, data, with_draft=False)
    return RoutingOut.model_validate(
        _routing(assessment.decision, routing_confidence(assessment.decision))
    )


@router.get("/api/teams", response_model=list[TeamOut], operation_id="listTeams")
async def list_teams(setup: SetupDep, _: Viewer) -> list[TeamOut]:
    """The teams tickets are routed to, as the routing file declares them."""
    routing = setup.routing
    return [
        TeamOut.model_validate(item)
        for item in [
            {"id": team, "name": name, "escalation": team == routing.escalation_team}
            for team, name in routing.teams.items()
        ]
    ]


@router.get(
    "/api/tickets/{ticket_id:int}/workflow",
    response_model=TicketWorkflowOut,
    operation_id="getTicketWorkflow",
)
async def get_ticket_workflow(
    ticket_id: VisibleTicketId, session: SessionDep, _: Viewer
) -> TicketWorkflowOut:
    """The ticket's extracted facts, routing (team, due time, SLA) and reply draft; a part
    the workflow has not produced yet is null."""
    return TicketWorkflowOut.model_validate(
        workflow_fields(await service.get_workflow(session, ticket_id))
    )


@router.put(
    "/api/tickets/{ticket_id:int}/draft",
    response_model=StoredDraft,
    operation_id="updateTicketDraft",
)
async def update_ticket_draft(
    ticket_id: VisibleTicketId, data: DraftEdit, session: SessionDep, setup: SetupDep, _: Agent
) -> StoredDraft:
    """Save an agent's version of the reply; the workflow will not overwrite it. The
    stored text in another tone rewrites the draft in that tone instead."""
    result = await service.edit_draft(session, ticket_id, setup, data.content, data.tone)
    assert result.draft is not None
    return StoredDraft.model_validate(stored_draft_fields(result.draft))


@router.put(
    "/api/tickets/{ticket_id:int}/draft/review",
    response_model=StoredDraft,
    operation_id="setDraftReview",
    responses=problem_responses(409),
)
async def set_draft_review(
    ticket_id: VisibleTicketId, body: DraftReview, session: SessionDep, actor: Agent
) -> StoredDraft:
    """Shared drafts: mark the reply draft ready for a teammate's review, or withdraw that.
    It stays marked until withdrawn or until a public reply goes out; 409 without a draft."""
    draft = await service.set_review(
        session, ticket_id, body.ready, actor.user_id, By.user(actor.user_id)
    )
    return StoredDraft.model_validate(stored_draft_fields(draft))


@router.get(
    "/api/drafts/review", response_model=list[DraftForReviewOut], operation_id="listDraftsForReview"
)
async def list_drafts_for_review(session: ReadSessionDep, actor: Viewer) -> list[DraftForReviewOut]:
    """Drafts marked ready for review, newest first (at most 50), of the tickets the asker
    may see."""
    found = await service.drafts_for_review(session, actor.team_scope)
    return [DraftForReviewOut.model_validate(item, from_attributes=True) for item in found]


@router.post(
    "/api/tickets/{ticket_id:int}/draft/regenerate",
    response_model=StoredDraft,
    operation_id="regenerateTicketDraft",
)
async def regenerate_ticket_draft(
    ticket_id: VisibleTicketId,
    session: SessionDep,
    setup: SetupDep,
    _: Agent,
    data: DraftRegenerate | None = None,
) -> StoredDraft:
    """Replace the draft (edited or not) with a fresh one, in `tone` or the current tone."""
    tone = data.tone if data else None
    result = await service.regenerate_draft(session, ticket_id, setup, tone)
    assert result.draft is not None
    return StoredDraft.model_validate(stored_draft_fields(result.draft))


# --- LLM drafts, streamed ------------------------------------------------------------------


class _Written:
    """A drafter that hands back a draft already written (by the LLM, streamed)."""

    source = DraftSource.LLM

    def __init__(self, draft: Draft) -> None:
        self._draft = draft

    async def draft(self, request: DraftRequest) -> Draft:
        return self._draft


def _llm_drafter(request: Request) -> LLMDrafter | None:
    """The app's LLM drafter (one, so its circuit breaker is shared), built at start-up."""
    drafter: LLMDrafter | None = request.app.state.llm_drafter
    return drafter


def app_drafter(settings: Settings, database: Database) -> LLMDrafter | None:
    """The LLM drafter an app serves with, recording its calls in the database."""
    signature = settings.workflow.draft_signature
    return build_llm_drafter(
        settings.llm,
        TemplateDrafter(signature),
        recorder=DatabaseCallRecorder(database),
        signature=signature,
    )


def _event(payload: dict[str, Any]) -> bytes:
    return b"data: " + orjson.dumps(payload, option=orjson.OPT_UTC_Z) + b"\n\n"


@router.post(
    "/api/tickets/{ticket_id:int}/draft/generate",
    operation_id="generateTicketDraft",
    response_class=StreamingResponse,
    responses={
        **problem_responses(409),
        200: {
            "content": {"text/event-stream": {}},
            "description": 'Server-sent events: `{"delta": text}` while the LLM writes, then '
            '`{"done": true, "draft": StoredDraft, "warning"?: text}`.',
        },
    },
)
async def generate_ticket_draft(
    ticket_id: VisibleTicketId,
    request: Request,
    session: SessionDep,
    setup: SetupDep,
    _: Agent,
    data: DraftRegenerate | None = None,
) -> StreamingResponse:
    """Write the draft with the configured LLM, streamed as it is written, and store it
    (source "llm"). The stored draft (an edit or an earlier LLM draft) is replaced, unless
    the agent edits it again while this one is being written. Falls back to the template
    draft, with a warning."""
    plan = await service.plan_draft(session, ticket_id, setup, data.tone if data else None)
    drafter = _llm_drafter(request)
    if drafter is None:
        raise Conflict("no LLM provider configured; use regenerate")
    tone = plan.request.tone
    # The draft the agent chose to replace; a different edit made meanwhile is kept.
    replaced = plan.replaces
    database: Database = request.app.state.db

    async def events() -> AsyncIterator[bytes]:
        stream = drafter.stream(plan.request)
        async for delta in stream:
            yield _event({"delta": delta})
        assert stream.draft is not None
        warning = stream.warning
        try:
            async with database.transaction() as writing:
                written = replace(setup, drafter=_Written(stream.draft))
                await service.process_ticket(
                    writing, ticket_id, written, tone=tone, replace_edited=replaced or False
                )
                result = await service.get_workflow(writing, ticket_id)
        except AppError as exc:  # the ticket was deleted meanwhile
            yield _event({"done": True, "draft": None, "error": exc.detail or exc.title})
            return
        stored = result.draft
        if stored is not None and stored.edited:
            warning = "the draft was edited while this one was written; the edit was kept"
        final: dict[str, Any] = {
            "done": True,
            "draft": stored_draft_fields(stored) if stored else None,
        }
        if warning:
            final["warning"] = warning
        yield _event(final)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
