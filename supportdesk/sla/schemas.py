"""API shapes of SLA settings, a ticket's targets and attainment."""

from datetime import date, datetime
from typing import Annotated, Literal
from zoneinfo import available_timezones

import holidays
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from supportdesk.sla.targets import Target
from supportdesk.taxonomy import Priority


def _zone(name: str) -> str:
    if name not in ZONE_SET:
        raise ValueError("not a known IANA time zone (e.g. Europe/Berlin)")
    return name


def _country(code: str) -> str:
    if code not in COUNTRY_SET:
        raise ValueError("not a country the holidays package knows (ISO code, e.g. DE)")
    return code


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


# Listed in the schema, so a client (and schemathesis) knows every accepted value.
ZONES = sorted(available_timezones())
COUNTRIES = sorted(holidays.list_supported_countries())
ZONE_SET, COUNTRY_SET = frozenset(ZONES), frozenset(COUNTRIES)
TimeZone = Annotated[str, Field(json_schema_extra={"enum": ZONES}), AfterValidator(_zone)]
Country = Annotated[str, Field(json_schema_extra={"enum": COUNTRIES}), AfterValidator(_country)]
LocalTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class WorkingHours(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: LocalTime = Field(description="local time, HH:MM, e.g. 09:00")
    end: LocalTime = Field(
        description="local time, HH:MM, e.g. 17:30; not later than start: the next day's "
        "(a night shift), equal to start: 24 hours"
    )


class SlaCalendarIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timezone: TimeZone
    hours: dict[Day, WorkingHours] = Field(
        min_length=1, description="working hours by weekday; days left out are days off"
    )
    country: Country | None = Field(default=None, description="its public holidays are days off")
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
