"""What the inbound webhook answers."""

from typing import Literal

from pydantic import BaseModel, Field


class InboundReceived(BaseModel):
    status: Literal["received", "duplicate"] = Field(
        description="received: kept, and filed by a job shortly; duplicate: this email "
        "(its Message-ID) was received before, and is kept once"
    )
