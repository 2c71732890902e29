"""POST /api/tickets/classify: suggestions while the customer types."""

from fastapi import APIRouter

from supportdesk.deps import ClassifierDep
from supportdesk.responses import JSONResponse
from supportdesk.triage.schemas import ClassifyRequest, ClassifyResponse
from supportdesk.triage.service import suggest

router = APIRouter(prefix="/api/tickets", tags=["triage"])


@router.post("/classify", response_model=ClassifyResponse, operation_id="classifyTicket")
async def classify(data: ClassifyRequest, classifier: ClassifierDep) -> JSONResponse:
    """Suggest a category and priority, with confidence, reasons and the signals seen."""
    result = await suggest(classifier, data.title, data.description)
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
    return JSONResponse(body)
