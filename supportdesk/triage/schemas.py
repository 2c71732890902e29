"""API shapes for classification (the reference shape plus our additions)."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict

from supportdesk.taxonomy import Category, Priority
from supportdesk.text import CleanText, LongText, at_most


class ClassifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: LongText
    title: Annotated[CleanText, at_most(200)] = ""


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
