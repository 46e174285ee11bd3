"""Slot generation (BEHAVIOR §3.6): Cal.com's worked examples, alignment, grid continuity."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from opencal.availability import (
    EventRules,
    HostAvailability,
    Schedule,
    SlotQuery,
    WeeklyRule,
    compute_slots,
    group_slots_by_date,
    slot_frequency,
)
from opencal.availability.instants import from_epoch, to_epoch
from opencal.availability.slots import align_up, alignment_step, generate_slot_starts

ROME = ZoneInfo("Europe/Rome")
WEEKDAYS = frozenset({1, 2, 3, 4, 5})
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def ts(hour: int, minute: int = 0, second: int = 0) -> int:
    return to_epoch(datetime(2050, 9, 5, hour, minute, second, tzinfo=UTC))


def hhmm(starts: list[int]) -> list[str]:
    return [from_epoch(s).strftime("%H:%M") for s in starts]


def grid(ranges: list[tuple[int, int]], *, length: int, frequency: int, offset: int = 0, tz: str = "UTC") -> list[str]:
    starts = generate_slot_starts(
        ranges, length=length, frequency=frequency, offset_start=offset, tz=ZoneInfo(tz), not_before=0
    )
    return hhmm(starts)


def nine_to_five(zone: str) -> HostAvailability:
    return HostAvailability(1, Schedule(zone, weekly=[WeeklyRule(WEEKDAYS, time(9), time(17))]))


def query(event: EventRules, start: datetime, end: datetime, **extra: object) -> SlotQuery:
    return SlotQuery(event=event, start=start, end=end, now=LONG_AGO, **extra)  # type: ignore[arg-type]


def test_rome_worked_example_september_2050() -> None:
    event = EventRules(id=1, length=60, minimum_notice=0)
    request = query(
        event,
        datetime(2050, 9, 1, tzinfo=UTC),
        datetime(2050, 9, 30, 23, 59, 59, tzinfo=UTC),
        time_zone="Europe/Rome",
    )
    slots = compute_slots(request, [nine_to_five("Europe/Rome")])
    by_day = group_slots_by_date(slots, "Europe/Rome")

    weekdays = [date(2050, 9, d) for d in range(1, 31) if date(2050, 9, d).isoweekday() <= 5]
    assert list(by_day) == weekdays
    assert len(weekdays) == 22
    for day_slots in by_day.values():
        assert [s.start.astimezone(ROME).strftime("%H:%M") for s in day_slots] == [
            "09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00",
        ]  # fmt: skip
        assert [s.start.strftime("%H:%M") for s in day_slots] == [
            "07:00", "08:00", "09:00", "10:00", "11:00", "12:00", "13:00", "14:00",
        ]  # fmt: skip
        # The 16:00 slot ends exactly at 17:00 and is included.
        assert day_slots[-1].end.astimezone(ROME).strftime("%H:%M") == "17:00"
    assert date(2050, 9, 3) not in by_day
    assert date(2050, 9, 4) not in by_day


def test_requested_duration_drives_length_and_grid() -> None:
    # A 15-minute event with options [15, 30, 45, 60, 180] queried with duration=60.
    variable = EventRules(id=1, length=15, minimum_notice=0)
    hourly = EventRules(id=2, length=60, minimum_notice=0)
    window = (datetime(2050, 9, 5, tzinfo=UTC), datetime(2050, 9, 5, 23, 59, 59, tzinfo=UTC))
    host = nine_to_five("Europe/Rome")
    with_duration = compute_slots(query(variable, *window, duration=60), [host])
    assert with_duration == compute_slots(query(hourly, *window), [host])
    assert [s.start.strftime("%H:%M") for s in with_duration] == [
        "07:00", "08:00", "09:00", "10:00", "11:00", "12:00", "13:00", "14:00",
    ]  # fmt: skip
    assert with_duration[0].end - with_duration[0].start == timedelta(minutes=60)
    assert slot_frequency(variable, 60) == 60
    assert slot_frequency(EventRules(id=3, length=15, slot_interval=10), 60) == 10


@pytest.mark.parametrize(
    ("frequency", "step"),
    [(60, 60), (120, 60), (30, 30), (90, 30), (40, 20), (45, 15), (50, 10), (25, 5), (35, 5), (7, 1), (1, 1)],
)
def test_alignment_step(frequency: int, step: int) -> None:
    assert alignment_step(frequency) == step


def test_alignment_0905_with_step_60_gives_1000() -> None:
    assert grid([(ts(9, 5), ts(12))], length=60, frequency=60) == ["10:00", "11:00"]


def test_alignment_0905_with_step_15_gives_0915() -> None:
    assert grid([(ts(9, 5), ts(12))], length=45, frequency=45) == ["09:15", "10:00", "10:45"]


def test_alignment_rolls_into_the_next_hour() -> None:
    assert align_up(ts(9, 50), 20, ZoneInfo("UTC")) == ts(10)
    assert align_up(ts(9, 40), 20, ZoneInfo("UTC")) == ts(9, 40)


def test_alignment_is_done_in_the_booker_zone() -> None:
    kolkata_nine = ts(3, 30)  # 09:00 in Asia/Kolkata
    assert align_up(kolkata_nine, 60, ZoneInfo("Asia/Kolkata")) == ts(3, 30)
    assert align_up(kolkata_nine, 60, ZoneInfo("UTC")) == ts(4)
    assert align_up(ts(3, 45), 30, ZoneInfo("Asia/Kathmandu")) == ts(3, 45)  # 09:30 at UTC+05:45


@pytest.mark.parametrize(
    ("booker", "expected_utc"),
    [
        ("Asia/Kolkata", ["03:30", "04:30", "05:30", "06:30", "07:30", "08:30", "09:30", "10:30"]),
        ("UTC", ["04:00", "05:00", "06:00", "07:00", "08:00", "09:00", "10:00"]),
    ],
)
def test_kolkata_schedule_for_a_kolkata_and_a_utc_booker(booker: str, expected_utc: list[str]) -> None:
    event = EventRules(id=1, length=60, minimum_notice=0)
    request = query(
        event, datetime(2050, 9, 5, tzinfo=UTC), datetime(2050, 9, 5, 23, 59, 59, tzinfo=UTC), time_zone=booker
    )
    assert [s.start.strftime("%H:%M") for s in compute_slots(request, [nine_to_five("Asia/Kolkata")])] == expected_utc


def test_london_schedule_for_a_kolkata_booker_is_shifted_half_an_hour() -> None:
    event = EventRules(id=1, length=60, minimum_notice=0)
    request = query(
        event,
        datetime(2050, 9, 5, tzinfo=UTC),
        datetime(2050, 9, 5, 23, 59, 59, tzinfo=UTC),
        time_zone="Asia/Kolkata",
    )
    slots = compute_slots(request, [nine_to_five("Europe/London")])
    assert [s.start.strftime("%H:%M") for s in slots] == ["08:30", "09:30", "10:30", "11:30", "12:30", "13:30", "14:30"]


def test_offset_start_shifts_and_spaces_the_grid() -> None:
    assert grid([(ts(9), ts(17))], length=60, frequency=60, offset=10) == [
        "09:10", "10:20", "11:30", "12:40", "13:50", "15:00",
    ]  # fmt: skip


def test_overlapping_ranges_share_one_grid() -> None:
    # Without continuity the second range would add 09:30, 10:30 and 11:30.
    assert grid([(ts(9), ts(12)), (ts(9, 30), ts(12, 30))], length=60, frequency=60) == ["09:00", "10:00", "11:00"]


@pytest.mark.parametrize("second_range_start", [(9, 5), (9, 10)])
def test_a_candidate_within_one_step_continues_the_earlier_grid(second_range_start: tuple[int, int]) -> None:
    # The second range's own candidate is 09:35 (aligned to :30, plus offset 5); it lies within
    # one step (35 min) of the 09:05 slot, so the grid continues 09:40, 10:15 instead.
    ranges = [(ts(9), ts(9, 40)), (ts(*second_range_start), ts(11))]
    assert grid(ranges, length=30, frequency=30, offset=5) == ["09:05", "09:40", "10:15"]


def test_a_candidate_beyond_one_step_starts_its_own_grid() -> None:
    ranges = [(ts(9), ts(9, 40)), (ts(10, 20), ts(11, 30))]
    assert grid(ranges, length=30, frequency=30, offset=5) == ["09:05", "10:35"]


def test_slot_must_fit_with_cal_coms_one_second_slack() -> None:
    assert grid([(ts(9), ts(9, 59, 59))], length=60, frequency=60) == ["09:00"]
    assert grid([(ts(9), ts(9, 59, 58))], length=60, frequency=60) == []
    assert grid([(ts(9), ts(10))], length=61, frequency=60) == []


def test_no_duplicate_starts_from_identical_ranges() -> None:
    ranges = [(ts(9), ts(11)), (ts(9), ts(11)), (ts(10), ts(11))]
    assert grid(ranges, length=30, frequency=30) == ["09:00", "09:30", "10:00", "10:30"]


def test_candidate_seconds_are_dropped() -> None:
    starts = generate_slot_starts(
        [(ts(9), ts(10))], length=7, frequency=7, offset_start=0, tz=ZoneInfo("UTC"), not_before=ts(9, 7, 30)
    )
    assert hhmm(starts[:2]) == ["09:07", "09:14"]


def test_slot_interval_sets_the_spacing() -> None:
    event = EventRules(id=1, length=30, slot_interval=15, minimum_notice=0)
    host = HostAvailability(1, Schedule("UTC", weekly=[WeeklyRule(WEEKDAYS, time(9), time(10))]))
    request = query(event, datetime(2050, 9, 5, tzinfo=UTC), datetime(2050, 9, 5, 23, 59, 59, tzinfo=UTC))
    assert [s.start.strftime("%H:%M") for s in compute_slots(request, [host])] == ["09:00", "09:15", "09:30"]


@pytest.mark.parametrize(
    ("zone", "day", "expected_local"),
    [
        ("America/New_York", date(2050, 3, 13), [f"{h:02d}:00" for h in range(24) if h != 2]),
        ("America/New_York", date(2050, 11, 6), ["00:00", "01:00"] + [f"{h:02d}:00" for h in range(1, 24)]),
        ("Europe/Berlin", date(2050, 3, 27), [f"{h:02d}:00" for h in range(24) if h != 2]),
        ("Europe/Berlin", date(2050, 10, 30), ["00:00", "01:00", "02:00"] + [f"{h:02d}:00" for h in range(2, 24)]),
        ("Australia/Lord_Howe", date(2050, 10, 2), ["00:00", "01:00"] + [f"{h:02d}:30" for h in range(2, 23)]),
        ("Australia/Lord_Howe", date(2050, 4, 3), ["00:00", "01:00"] + [f"{h:02d}:30" for h in range(1, 23)]),
        ("Asia/Kolkata", date(2050, 3, 27), [f"{h:02d}:00" for h in range(24)]),
    ],
)
def test_hourly_slots_over_a_whole_dst_day(zone: str, day: date, expected_local: list[str]) -> None:
    tz = ZoneInfo(zone)
    event = EventRules(id=1, length=60, minimum_notice=0)
    host = HostAvailability(1, Schedule(zone, weekly=[WeeklyRule(frozenset({0}), time(0), time(23, 59))]))
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    request = query(event, start, start + timedelta(days=1), time_zone=zone)
    slots = group_slots_by_date(compute_slots(request, [host]), zone)[day]
    assert [s.start.astimezone(tz).strftime("%H:%M") for s in slots] == expected_local


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("America/New_York", date(2050, 3, 13)),
        ("America/New_York", date(2050, 11, 6)),
        ("Europe/Berlin", date(2050, 3, 27)),
        ("Europe/Berlin", date(2050, 10, 30)),
        ("Australia/Lord_Howe", date(2050, 10, 2)),
        ("Australia/Lord_Howe", date(2050, 4, 3)),
        ("Asia/Kolkata", date(2050, 3, 27)),
    ],
)
def test_nine_to_five_is_eight_hourly_slots_on_dst_days(zone: str, day: date) -> None:
    tz = ZoneInfo(zone)
    event = EventRules(id=1, length=60, minimum_notice=0)
    host = HostAvailability(1, Schedule(zone, weekly=[WeeklyRule(frozenset(range(7)), time(9), time(17))]))
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    request = query(event, start, start + timedelta(days=1), time_zone=zone)
    slots = group_slots_by_date(compute_slots(request, [host]), zone)[day]
    assert [s.start.astimezone(tz).strftime("%H:%M") for s in slots] == [f"{h:02d}:00" for h in range(9, 17)]
