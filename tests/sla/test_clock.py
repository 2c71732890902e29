"""Business time on a team's calendar: working hours in its time zone, weekends, its
country's public holidays and the dates an admin added."""

from datetime import UTC, date, datetime, time

from supportdesk.sla.clock import Calendar

WEEKDAYS_9_TO_5 = {day: (time(9), time(17)) for day in range(5)}
BERLIN = Calendar("Europe/Berlin", WEEKDAYS_9_TO_5, "DE", frozenset({date(2026, 12, 7)}))


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_without_a_calendar_every_minute_counts() -> None:
    assert Calendar().add(at(2026, 12, 5, 23, 0), 120) == at(2026, 12, 6, 1, 0)
    assert Calendar().minutes_between(at(2026, 12, 5), at(2026, 12, 6)) == 24 * 60


def test_time_runs_only_in_working_hours_skipping_weekends_and_holidays() -> None:
    friday_4pm_berlin = at(2026, 12, 4, 15, 0)
    # 1 h on Friday, the weekend, Monday 7 December (added by the admin) off: Tuesday 10:00.
    assert BERLIN.add(friday_4pm_berlin, 120) == at(2026, 12, 8, 9, 0)
    assert BERLIN.minutes_between(friday_4pm_berlin, at(2026, 12, 8, 9, 0)) == 120


def test_a_public_holiday_of_the_team_s_country_is_a_day_off() -> None:
    before_christmas = at(2026, 12, 24, 15, 0)  # Thursday 16:00 in Berlin
    # 25 and 26 December are German public holidays, then the weekend: Monday 28th.
    assert BERLIN.add(before_christmas, 120) == at(2026, 12, 28, 9, 0)


def test_time_before_opening_waits_for_the_morning_in_the_team_s_zone() -> None:
    tokyo = Calendar("Asia/Tokyo", WEEKDAYS_9_TO_5)
    sunday_night_utc = at(2026, 12, 6, 20, 0)  # Monday 05:00 in Tokyo
    assert tokyo.add(sunday_night_utc, 30) == at(2026, 12, 7, 0, 30)  # 09:30 Tokyo


def test_summer_time_changes_keep_local_working_hours() -> None:
    # Berlin moves to summer time on 28 March 2027: 09:00 local is 07:00 UTC after it.
    # (No country: that Friday and Monday are Easter holidays in Germany.)
    berlin = Calendar("Europe/Berlin", WEEKDAYS_9_TO_5)
    assert berlin.add(at(2027, 3, 26, 15, 30), 60) == at(2027, 3, 29, 7, 30)
    assert BERLIN.add(at(2027, 3, 26, 15, 30), 60) == at(2027, 3, 30, 8, 0)


def test_a_night_shift_runs_past_midnight_and_no_minute_counts_twice() -> None:
    nights = Calendar("UTC", {0: (time(22), time(6)), 1: (time(0), time(8))})
    monday_night = at(2026, 12, 7, 22, 0)
    # 22:00-06:00 then Tuesday's own 00:00-08:00 overlaps it: 10 hours in all, not 16.
    assert nights.minutes_between(monday_night, at(2026, 12, 8, 8, 0)) == 10 * 60
    assert nights.add(monday_night, 9 * 60) == at(2026, 12, 8, 7, 0)
