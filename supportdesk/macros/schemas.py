"""API shapes of macros."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool

from supportdesk.macros.render import problem
from supportdesk.taxonomy import Category, Priority, Status
from supportdesk.text import LongText, Title


def _renders(template: str) -> str:
    why = problem(template)
    if why is not None:
        raise ValueError(f"not a usable Liquid template: {why}")
    return template


class MacroActions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    priority: Priority | None = None
    category: Category | None = None
    assign_to_me: StrictBool = Field(default=False, description="assign it to who applies it")
    note: LongText | None = Field(default=None, description="an internal note added to the ticket")


class MacroIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Title
    body: Annotated[LongText, AfterValidator(_renders)] = Field(
        description="the reply, a Liquid template: {{ customer.first_name }}, "
        "{{ customer.name }}, {{ ticket.id }}, {{ ticket.title }}, {{ agent.first_name }}..."
    )
    team: Annotated[str, Field(max_length=48, pattern=r"^[a-z][a-z0-9_]*$")] | None = Field(
        default=None, description="the team it belongs to; null: shared with every team"
    )
    category: Category | None = Field(
        default=None, description="the tickets it answers: suggestions favour it on those"
    )
    actions: MacroActions = Field(default_factory=MacroActions)


class MacroOut(MacroIn):
    id: int
    updated_at: datetime


class MacroApplied(BaseModel):
    body: str = Field(description="the reply for the composer; not sent until the agent sends it")
    done: list[str] = Field(description="what its actions changed")


class MacroSuggestion(BaseModel):
    macro: MacroOut
    score: float
    why: str
