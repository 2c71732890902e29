"""API shapes for duplicate detection and merging."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from supportdesk.tickets.schemas import TicketOut
from supportdesk.types import BodyId


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    into: Annotated[BodyId, Field(description="id of the original ticket")]


class DuplicateOut(BaseModel):
    ticket: TicketOut
    score: float = Field(description="cosine similarity of the two tickets' embeddings")


class MergedOut(BaseModel):
    ticket_id: int
    results: list[TicketOut] = Field(description="tickets closed as duplicates of this one")


class DuplicatesOut(BaseModel):
    ticket_id: int
    threshold: float
    results: list[DuplicateOut]
