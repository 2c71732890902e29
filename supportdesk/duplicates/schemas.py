"""API shapes for duplicate detection and merging."""

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from supportdesk.tickets.schemas import TicketOut
from supportdesk.types import MAX_ID


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Strict: "7" or true is a client bug, not an id; 7.0 is 7 in JSON (and JSON Schema).
    # The bounds stand before the validator so that the schema states them as
    # minimum/maximum (after it, pydantic wrote them as unknown `ge`/`le` keywords).
    into: Annotated[
        int,
        Field(strict=True, ge=1, le=MAX_ID),
        BeforeValidator(lambda v: int(v) if isinstance(v, float) and v.is_integer() else v),
        Field(description="id of the original ticket"),
    ]


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
