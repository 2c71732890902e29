"""API shapes for classification (the reference shape plus our additions)."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

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
