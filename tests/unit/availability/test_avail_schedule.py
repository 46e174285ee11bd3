"""Schedule expansion (BEHAVIOR §3.2): wall-clock rules, DST, overrides, out-of-office."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from opencal.availability import DateOverride, Schedule, WeeklyRule
from opencal.availability.instants import from_epoch, to_epoch
from opencal.availability.schedule import expand_schedule

WEEKDAYS = frozenset({1, 2, 3, 4, 5})
EVERY_DAY = frozenset(range(7))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return to_epoch(datetime(year, month, day, hour, minute, tzinfo=UTC))


def expand(schedule: Schedule, start: int, end: int, ooo: frozenset[date] = frozenset()) -> list[tuple[str, str]]:
    """Spans as readable UTC strings."""
    return [
        (from_epoch(s).strftime("%m-%d %H:%M"), from_epoch(e).strftime("%m-%d %H:%M"))
        for s, e in expand_schedule(schedule, (start, end), ooo)
    ]


def rule(days: frozenset[int], start: time, end: time) -> WeeklyRule:
    return WeeklyRule(days, start, end)


def test_rome_weekdays_in_september() -> None:
    schedule = Schedule("Europe/Rome", weekly=[rule(WEEKDAYS, time(9), time(17))])
    assert expand(schedule, utc(2050, 9, 1), utc(2050, 9, 8)) == [
        ("09-01 07:00", "09-01 15:00"),
        ("09-02 07:00", "09-02 15:00"),
        ("09-05 07:00", "09-05 15:00"),
        ("09-06 07:00", "09-06 15:00"),
        ("09-07 07:00", "09-07 15:00"),
    ]


def test_sunday_is_zero() -> None:
    schedule = Schedule("UTC", weekly=[rule(frozenset({0}), time(9), time(10))])
    assert expand(schedule, utc(2050, 9, 1), utc(2050, 9, 8)) == [("09-04 09:00", "09-04 10:00")]


@pytest.mark.parametrize(
    ("zone", "day", "utc_start", "utc_end"),
    [
        # Spring-forward days: 09:00-17:00 stays 8 wall-clock hours, now at the summer offset.
        ("America/New_York", date(2050, 3, 13), "03-13 13:00", "03-13 21:00"),
        ("Europe/Berlin", date(2050, 3, 27), "03-27 07:00", "03-27 15:00"),
        ("Australia/Lord_Howe", date(2050, 10, 2), "10-01 22:00", "10-02 06:00"),
        # Fall-back days: back to the standard offset.
        ("America/New_York", date(2050, 11, 6), "11-06 14:00", "11-06 22:00"),
        ("Europe/Berlin", date(2050, 10, 30), "10-30 08:00", "10-30 16:00"),
        ("Australia/Lord_Howe", date(2050, 4, 3), "04-02 22:30", "04-03 06:30"),
        ("Asia/Kolkata", date(2050, 3, 27), "03-27 03:30", "03-27 11:30"),
    ],
)
def test_nine_to_five_on_dst_days(zone: str, day: date, utc_start: str, utc_end: str) -> None:
    schedule = Schedule(zone, weekly=[rule(EVERY_DAY, time(9), time(17))])
    spans = expand(schedule, utc(day.year, day.month, day.day) - 86_400, utc(day.year, day.month, day.day) + 86_400)
    assert (utc_start, utc_end) in spans


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        ("America/New_York", date(2050, 3, 13), 23.0),
        ("America/New_York", date(2050, 11, 6), 25.0),
        ("Europe/Berlin", date(2050, 3, 27), 23.0),
        ("Europe/Berlin", date(2050, 10, 30), 25.0),
        ("Australia/Lord_Howe", date(2050, 10, 2), 23.5),
        ("Australia/Lord_Howe", date(2050, 4, 3), 24.5),
        ("Asia/Kolkata", date(2050, 3, 27), 24.0),
    ],
)
def test_whole_day_rule_has_the_days_real_length(zone: str, day: date, hours: float) -> None:
    schedule = Schedule(zone, weekly=[rule(frozenset({0}), time(0), time(23, 59))])
    spans = expand_schedule(schedule, (utc(2050, 1, 1), utc(2051, 1, 1)))
    lengths = {from_epoch(s + 43_200).date(): (e - s) / 3600 for s, e in spans}
    assert lengths[day] == hours


def test_skipped_wall_clock_time_is_read_with_the_offset_before_the_change() -> None:
    # 02:30 does not exist in New York on 2050-03-13; fold=0 reads it as 02:30 EST = 03:30 EDT.
    schedule = Schedule("America/New_York", weekly=[rule(frozenset({0}), time(2, 30), time(4))])
    assert expand(schedule, utc(2050, 3, 13), utc(2050, 3, 14)) == [("03-13 07:30", "03-13 08:00")]


def test_repeated_wall_clock_time_is_its_first_occurrence() -> None:
    # 01:30 happens twice on 2050-11-06; the first one is EDT (05:30 UTC).
    schedule = Schedule("America/New_York", weekly=[rule(frozenset({0}), time(1, 30), time(3))])
    assert expand(schedule, utc(2050, 11, 6), utc(2050, 11, 7)) == [("11-06 05:30", "11-06 08:00")]


def test_2359_means_midnight_and_touching_days_merge() -> None:
    schedule = Schedule(
        "Europe/Rome",
        weekly=[rule(frozenset({1}), time(20), time(23, 59)), rule(frozenset({2}), time(0), time(2))],
    )
    assert expand(schedule, utc(2050, 9, 5), utc(2050, 9, 7)) == [("09-05 18:00", "09-06 00:00")]


def test_end_before_start_gives_nothing() -> None:
    schedule = Schedule("UTC", weekly=[rule(EVERY_DAY, time(17), time(9))])
    assert expand(schedule, utc(2050, 9, 5), utc(2050, 9, 6)) == []


def test_override_replaces_all_weekly_hours_of_its_date_only() -> None:
    schedule = Schedule(
        "Europe/Rome",
        weekly=[rule(WEEKDAYS, time(9), time(12)), rule(WEEKDAYS, time(13), time(17))],
        overrides=[
            DateOverride(date(2050, 9, 6), time(14), time(15)),
            DateOverride(date(2050, 9, 6), time(10), time(11)),
        ],
    )
    assert expand(schedule, utc(2050, 9, 5), utc(2050, 9, 8)) == [
        ("09-05 07:00", "09-05 10:00"),
        ("09-05 11:00", "09-05 15:00"),
        ("09-06 08:00", "09-06 09:00"),
        ("09-06 12:00", "09-06 13:00"),
        ("09-07 07:00", "09-07 10:00"),
        ("09-07 11:00", "09-07 15:00"),
    ]


def test_midnight_to_midnight_override_blocks_the_date() -> None:
    schedule = Schedule(
        "Europe/Rome",
        weekly=[rule(WEEKDAYS, time(9), time(17))],
        overrides=[DateOverride(date(2050, 9, 6), time(0), time(0))],
    )
    assert expand(schedule, utc(2050, 9, 5), utc(2050, 9, 8)) == [
        ("09-05 07:00", "09-05 15:00"),
        ("09-07 07:00", "09-07 15:00"),
    ]


def test_override_adds_hours_on_a_free_day_and_2359_reaches_midnight() -> None:
    schedule = Schedule(
        "Europe/Rome",
        weekly=[rule(WEEKDAYS, time(9), time(17))],
        overrides=[DateOverride(date(2050, 9, 3), time(18), time(23, 59))],
    )
    assert expand(schedule, utc(2050, 9, 3), utc(2050, 9, 4)) == [("09-03 16:00", "09-03 22:00")]


def test_out_of_office_dates_lose_weekly_hours_and_overrides() -> None:
    schedule = Schedule(
        "Europe/Rome",
        weekly=[rule(WEEKDAYS, time(9), time(17))],
        overrides=[DateOverride(date(2050, 9, 6), time(10), time(11))],
    )
    ooo = frozenset({date(2050, 9, 5), date(2050, 9, 6)})
    assert expand(schedule, utc(2050, 9, 5), utc(2050, 9, 8), ooo) == [("09-07 07:00", "09-07 15:00")]


def test_spans_are_clipped_to_the_window() -> None:
    schedule = Schedule(
        "Europe/Rome",
        weekly=[rule(WEEKDAYS, time(9), time(17))],
        overrides=[DateOverride(date(2050, 9, 7), time(8), time(20))],
    )
    assert expand(schedule, utc(2050, 9, 5, 10), utc(2050, 9, 7, 9, 30)) == [
        ("09-05 10:00", "09-05 15:00"),
        ("09-06 07:00", "09-06 15:00"),
        ("09-07 06:00", "09-07 09:30"),
    ]


def test_override_on_the_margin_day_applies_in_a_far_east_zone() -> None:
    # Window starts on 09-05 UTC, which is already 09-06 in Kiritimati (UTC+14): the override
    # dated 09-06 must still replace that date's weekly hours.
    schedule = Schedule(
        "Pacific/Kiritimati",
        weekly=[rule(EVERY_DAY, time(9), time(17))],
        overrides=[DateOverride(date(2050, 9, 6), time(12), time(13))],
    )
    assert expand(schedule, utc(2050, 9, 5, 12), utc(2050, 9, 6, 12)) == [("09-05 22:00", "09-05 23:00")]


def test_empty_or_inverted_window() -> None:
    schedule = Schedule("UTC", weekly=[rule(EVERY_DAY, time(0), time(23, 59))])
    assert expand(schedule, utc(2050, 9, 5), utc(2050, 9, 5)) == []
    assert expand(schedule, utc(2050, 9, 6), utc(2050, 9, 5)) == []


def test_weekday_out_of_range_is_rejected() -> None:
    with pytest.raises(ValueError, match="weekdays"):
        WeeklyRule(frozenset({7}), time(9), time(17))


def test_unknown_zone_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        expand_schedule(Schedule("Mars/Olympus"), (0, 86_400))
