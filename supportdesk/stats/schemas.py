"""The stats shape: the reference keys, then breakdowns and a series for charts."""

from datetime import date

from pydantic import BaseModel, Field

from supportdesk.taxonomy import PerCategory, PerPriority, PerStatus


class DayCount(BaseModel):
    date: date
    count: int


class Acceptance(BaseModel):
    suggested: int
    accepted: int
    rate: float | None


class AIAcceptance(BaseModel):
    category: PerCategory[Acceptance] = Field(description="by the category the AI suggested")
    priority: Acceptance


class Stats(BaseModel):
    total_tickets: int
    open_tickets: int
    avg_tickets_per_day: float
    priority_breakdown: PerPriority[int]
    category_breakdown: PerCategory[int]
    status_breakdown: PerStatus[int]
    tickets_per_day: list[DayCount]
    ai_acceptance: AIAcceptance


class AgentLoad(BaseModel):
    user_id: int
    name: str
    status: str = Field(description="active, away or deactivated")
    open: int = Field(description="assigned tickets not resolved or closed")
    needs_review: int
    breached: int


class Workload(BaseModel):
    """Everything still to do (open or in progress), and who holds it."""

    backlog: int
    unassigned: int
    needs_review: int
    breached: int
    agents: list[AgentLoad]
