"""API shapes of SLA settings, a ticket's targets and attainment."""

from datetime import date, datetime, time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from supportdesk.sla.clock import known_country
from supportdesk.sla.targets import Target
from supportdesk.taxonomy import Priority

# A target of up to a year of business time; null: no such target.
TargetMinutes = Annotated[int | None, Field(ge=1, le=525_600)]
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class SlaTargetsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    first_response_minutes: TargetMinutes = Field(
        description="from a ticket's arrival to the first public reply"
    )
    next_response_minutes: TargetMinutes = Field(
        description="from each customer message that follows a reply to the next reply"
    )
    resolution_minutes: TargetMinutes = Field(
        description="from arrival to resolution, not counting time waiting on the customer"
    )


class SlaTargetsOut(SlaTargetsIn):
    priority: Priority


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("not a known IANA time zone (e.g. Europe/Berlin)") from None
    return name


def _country(code: str | None) -> str | None:
    if code is not None and not known_country(code):
        raise ValueError("not a country the holidays package knows (ISO code, e.g. DE)")
    return code.upper() if code else None


class WorkingHours(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: time = Field(description="local time, e.g. 09:00")
    end: time = Field(description="local time, later than start, e.g. 17:30")

    @model_validator(mode="after")
    def _ordered(self) -> "WorkingHours":
        if self.end <= self.start:
            raise ValueError("end must be later than start")
        return self


class SlaCalendarIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timezone: Annotated[str, Field(max_length=64), AfterValidator(_zone)]
    hours: dict[Day, WorkingHours] = Field(
        min_length=1, description="working hours by weekday; days left out are days off"
    )
    country: Annotated[
        str | None, Field(default=None, pattern=r"^[A-Za-z]{2,3}$"), AfterValidator(_country)
    ] = Field(default=None, description="its public holidays are days off")
    holidays: list[date] = Field(
        default_factory=list, max_length=366, description="more days off (company holidays)"
    )


class SlaCalendarOut(SlaCalendarIn):
    team: str


class TargetOut(BaseModel):
    target: Target
    started_at: datetime
    due_at: datetime | None = Field(description="null while paused (waiting on the customer)")
    met_at: datetime | None
    breached: bool
    paused: bool


class TicketSlaOut(BaseModel):
    ticket_id: int
    calendar: str = Field(description="the team whose calendar counts, or 24/7")
    next: TargetOut | None = Field(description="the running target due first")
    targets: list[TargetOut]


class AttainmentRow(BaseModel):
    target: Target
    team: str | None
    priority: Priority
    met: int
    breached: int
    open: int = Field(description="still running, not breached yet")
    attainment: float | None = Field(description="met / (met + breached); null if neither")


class SlaAttainment(BaseModel):
    since: datetime
    until: datetime
    rows: list[AttainmentRow]
