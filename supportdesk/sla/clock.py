"""Business time: a team's working hours in its time zone, less holidays (the `holidays`
package's for a country, plus dates an admin adds). Adding minutes of it to a moment, and
counting it between two moments. No calendar: every minute counts (24/7)."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_DAYS = 3 * 366  # how far a target may reach: a calendar with no working hours ends it


@dataclass(frozen=True)
class Calendar:
    timezone: str = "UTC"
    # Weekday (0 Monday) -> the working hours starting that day, local time (an end not
    # after the start is the next day's: a night shift); absent: a day off.
    week: dict[int, tuple[time, time]] = field(default_factory=dict)
    country: str | None = None  # ISO code: its public holidays are days off
    extra_holidays: frozenset[date] = frozenset()

    @property
    def always(self) -> bool:
        return not self.week

    def is_holiday(self, day: date) -> bool:
        return day in self.extra_holidays or (
            self.country is not None and day in _country_holidays(self.country, day.year)
        )

    def spans(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The working spans (UTC) from `start` on, in order, clipped to start."""
        zone = ZoneInfo(self.timezone)
        local = start.astimezone(zone)
        covered = start  # a night shift may run into the next day's hours: no minute twice
        for offset in range(-1, MAX_DAYS):
            day = local.date() + timedelta(days=offset)
            hours = self.week.get(day.weekday())
            if hours is None or self.is_holiday(day):
                continue
            ends_on = day if hours[1] > hours[0] else day + timedelta(days=1)
            begin = datetime.combine(day, hours[0], zone).astimezone(UTC)
            end = datetime.combine(ends_on, hours[1], zone).astimezone(UTC)
            begin = max(begin, covered)
            if end > begin:
                yield begin, end
                covered = end

    def add(self, start: datetime, minutes: float) -> datetime:
        """The moment `minutes` of working time after `start`."""
        if self.always:
            return start + timedelta(minutes=minutes)
        left = timedelta(minutes=minutes)
        last = start
        for begin, end in self.spans(start):
            if end - begin >= left:
                return begin + left
            left -= end - begin
            last = end
        return last + left  # no working hours left within reach: as if 24/7 after

    def minutes_between(self, start: datetime, end: datetime) -> float:
        """Working minutes from `start` to `end` (0 if end is not later)."""
        if end <= start:
            return 0.0
        if self.always:
            return (end - start).total_seconds() / 60
        total = timedelta()
        for begin, stop in self.spans(start):
            if begin >= end:
                break
            total += min(stop, end) - begin
        return total.total_seconds() / 60


@lru_cache(maxsize=256)
def _country_holidays(country: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, years=year)
