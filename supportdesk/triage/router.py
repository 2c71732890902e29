"""POST /api/tickets/classify: suggestions while the customer types."""

from dataclasses import asdict

from fastapi import APIRouter, Request

from supportdesk.auth.access import Agent, Viewer
from supportdesk.deps import SessionDep, SettingsDep
from supportdesk.triage import service
from supportdesk.triage.deps import ClassifierDep, GivenSuggestionsDep, TriageDep
from supportdesk.triage.llm import EscalatingClassifier
from supportdesk.triage.schemas import ClassifyRequest, ClassifyResponse, TriageStatus
from supportdesk.triage.training import versions

router = APIRouter(tags=["triage"])


# `warning` is there only when there is one (exclude_unset).
@router.post(
    "/api/tickets/classify",
    response_model=ClassifyResponse,
    response_model_exclude_unset=True,
    operation_id="classifyTicket",
)
async def classify(
    data: ClassifyRequest, classifier: ClassifierDep, given: GivenSuggestionsDep, _: Agent
) -> ClassifyResponse:
    """Suggest a category and priority, with confidence, reasons and the signals seen."""
    result = await classifier.classify(data.title, data.description)
    given.remember(data.title, data.description, result)
    body = {
        "suggested_category": result.category,
        "suggested_priority": result.priority,
        "confidence": {
            "category": result.category_confidence,
            "priority": result.priority_confidence,
        },
        "reasoning": result.reasoning,
        "signals": result.signals,
        "provider": result.provider,
        "needs_review": result.needs_review,
    }
    if result.warning:
        body["warning"] = result.warning
    return ClassifyResponse.model_validate(body)


# A part that does not apply (the drafts' LLM, the model's figures) is absent (exclude_unset).
@router.get(
    "/api/triage/status",
    response_model=TriageStatus,
    response_model_exclude_unset=True,
    operation_id="triageStatus",
)
async def status(
    request: Request, triage: TriageDep, session: SessionDep, settings: SettingsDep, _: Viewer
) -> TriageStatus:
    """The classifier serving now, its model version and figures, and provider health:
    triage's and, under `drafts`, the reply drafts' (each has its own circuit)."""
    body = triage.status()
    drafter = request.app.state.llm_drafter
    if drafter is not None and body["provider"] is not None:
        body["provider"]["drafts"] = drafter.status()
    if isinstance(triage.classifier, EscalatingClassifier):
        saved, since = await service.escalation_totals(session)
        totals = saved + triage.classifier.unsaved()
        body["provider"]["all_processes"] = {"since": since, **asdict(totals)}
    if triage.local is not None:
        # The figures of the version this process serves: a version activated elsewhere
        # is served here within TRIAGE_RELOAD_SECONDS, and the two must not be mixed.
        served = triage.local.version
        metrics = await versions.metrics_of(session, served, settings.triage.heads_dir)
        if metrics:  # {} only for a version no row describes: no figures to show
            body["model_metrics"] = metrics
        body["corrections_pending"] = await versions.corrections_not_trained_on(session)
    return TriageStatus.model_validate(body)
