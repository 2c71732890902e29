"""The stats shape: the reference keys, then breakdowns and a series for charts."""

from datetime import date

from pydantic import BaseModel


class DayCount(BaseModel):
    date: date
    count: int


class Acceptance(BaseModel):
    suggested: int
    accepted: int
    rate: float | None


class AIAcceptance(BaseModel):
    category: dict[str, Acceptance]
    priority: Acceptance


class Stats(BaseModel):
    total_tickets: int
    open_tickets: int
    avg_tickets_per_day: float
    priority_breakdown: dict[str, int]
    category_breakdown: dict[str, int]
    status_breakdown: dict[str, int]
    tickets_per_day: list[DayCount]
    ai_acceptance: AIAcceptance
