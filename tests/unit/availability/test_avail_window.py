"""Booking windows (periods), minimum notice and the booking-time checks (BEHAVIOR §3.8)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from opencal.availability import (
    BookingWindow,
    DateOverride,
    DateRangeWindow,
    EventRules,
    HostAvailability,
    RollingAvailableDays,
    RollingDays,
    Schedule,
    SlotQuery,
    Unlimited,
    WeeklyRule,
    compute_slots,
    group_slots_by_date,
    is_in_past,
    outside_booking_window,
    violates_minimum_notice,
)
from opencal.availability.window import add_business_days

EVERY_DAY = frozenset(range(7))
MONDAY_5_TEN = datetime(2050, 9, 5, 10, tzinfo=UTC)
FRIDAY_9_TEN = datetime(2050, 9, 9, 10, tzinfo=UTC)


def utc(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2050, month, day, hour, minute, tzinfo=UTC)


def host_on(weekdays: frozenset[int] = EVERY_DAY, **schedule: object) -> HostAvailability:
    return HostAvailability(
        1,
        Schedule("UTC", weekly=[WeeklyRule(weekdays, time(9), time(17))], **schedule),  # type: ignore[arg-type]
    )


def slots(
    window: BookingWindow,
    *,
    now: datetime = MONDAY_5_TEN,
    start: datetime = utc(9, 5),
    end: datetime = utc(9, 20, 23, 59),
    host: HostAvailability | None = None,
    booker: str | None = None,
    notice: int = 0,
    length: int = 60,
    event_zone: str = "UTC",
    first_only: bool = False,
) -> list[datetime]:
    event = EventRules(
        id=1,
        length=length,
        minimum_notice=notice,
        booking_window=window,
        time_zone=event_zone,
        only_first_slot_per_day=first_only,
    )
    request = SlotQuery(event=event, start=start, end=end, now=now, time_zone=booker)
    return [slot.start for slot in compute_slots(request, [host or host_on()])]


def days_of(starts: list[datetime]) -> list[int]:
    return sorted({s.day for s in starts})


def test_unlimited() -> None:
    assert days_of(slots(Unlimited())) == list(range(5, 21))


def test_rolling_calendar_days_end_at_the_end_of_today_plus_n() -> None:
    assert days_of(slots(RollingDays(3))) == [5, 6, 7, 8]
    assert days_of(slots(RollingDays(3), now=FRIDAY_9_TEN, start=utc(9, 9))) == [9, 10, 11, 12]


def test_rolling_business_days_skip_weekends() -> None:
    assert days_of(slots(RollingDays(3, business_days=True), now=FRIDAY_9_TEN, start=utc(9, 9))) == list(range(9, 15))


def test_rolling_days_end_in_the_booker_zone() -> None:
    # 10:00 UTC on Friday is already 22:00 in Auckland: "today + 1" ends Saturday 24:00 there,
    # which is Saturday 12:00 UTC.
    got = slots(RollingDays(1), now=FRIDAY_9_TEN, start=utc(9, 9), booker="Pacific/Auckland")
    assert got[-1] == utc(9, 10, 11)


def test_rolling_window_counts_days_that_have_slots() -> None:
    mon_wed_fri = host_on(frozenset({1, 3, 5}))
    assert days_of(slots(RollingAvailableDays(3), host=mon_wed_fri)) == [5, 7, 9]
    assert days_of(slots(RollingDays(3), host=mon_wed_fri)) == [5, 7]


def test_rolling_window_in_business_days_steps_over_weekends_without_hiding_them() -> None:
    got = slots(RollingAvailableDays(3, business_days=True), now=FRIDAY_9_TEN, start=utc(9, 9))
    assert days_of(got) == [9, 10, 11, 12, 13]
    assert days_of(slots(RollingAvailableDays(3), now=FRIDAY_9_TEN, start=utc(9, 9))) == [9, 10, 11]


def test_rolling_window_with_too_few_days_ends_at_the_last_one_found() -> None:
    mondays = host_on(frozenset({1}))
    got = slots(RollingAvailableDays(3), host=mondays, end=utc(10, 31, 23, 59))
    assert sorted({(s.month, s.day) for s in got}) == [(9, 5), (9, 12), (9, 19)]


def test_rolling_window_search_length_is_capped() -> None:
    only_two_days = HostAvailability(
        1,
        Schedule(
            "UTC",
            overrides=[
                DateOverride(date(2050, 9, 5), time(12), time(13)),
                DateOverride(date(2050, 11, 20), time(12), time(13)),
            ],
        ),
    )
    end = utc(12, 1)
    assert slots(RollingAvailableDays(2), host=only_two_days, end=end) == [utc(9, 5, 12)]
    assert slots(RollingAvailableDays(2, max_days_to_check=90), host=only_two_days, end=end) == [
        utc(9, 5, 12),
        utc(11, 20, 12),
    ]


def test_rolling_window_counts_from_today_even_when_the_request_starts_later() -> None:
    mon_wed_fri = host_on(frozenset({1, 3, 5}))
    # Today (Mon 5) and Wed 7 use up the two days: nothing is bookable from Sept 12 on.
    assert slots(RollingAvailableDays(2), host=mon_wed_fri, start=utc(9, 12)) == []
    # Five days from today: 5, 7, 9, 12, 14; the look-back never leaks days before the request.
    assert days_of(slots(RollingAvailableDays(5), host=mon_wed_fri, start=utc(9, 12))) == [12, 14]


def test_date_range_window_is_whole_days_in_the_event_zone() -> None:
    round_the_clock = HostAvailability(1, Schedule("UTC", weekly=[WeeklyRule(EVERY_DAY, time(0), time(23, 59))]))
    got = slots(
        DateRangeWindow(date(2050, 9, 7), date(2050, 9, 8)),
        host=round_the_clock,
        end=utc(9, 10, 23, 59),
        event_zone="America/New_York",
    )
    assert got[0] == utc(9, 7, 4)
    assert got[-1] == utc(9, 9, 3)
    assert len(got) == 48


def test_minimum_notice_and_the_one_minute_floor() -> None:
    assert slots(Unlimited(), notice=120, end=utc(9, 5, 23, 59))[0] == utc(9, 5, 12)
    assert slots(Unlimited(), notice=90, length=30, end=utc(9, 5, 23, 59))[0] == utc(9, 5, 11, 30)
    # No notice still starts a minute after now, so the 10:00 slot (now) is not offered.
    assert slots(Unlimited(), notice=0, length=30, end=utc(9, 5, 23, 59))[0] == utc(9, 5, 10, 30)


def test_a_slot_floored_to_the_minute_inside_the_notice_is_dropped() -> None:
    # Search starts at 11:00:30; the grid drops seconds (11:00), and the notice filter then
    # removes 11:00 because it is before now + notice.
    now = datetime(2050, 9, 5, 10, 0, 30, tzinfo=UTC)
    got = slots(Unlimited(), now=now, notice=60, length=7, end=utc(9, 5, 23, 59))
    assert got[:2] == [utc(9, 5, 11, 7), utc(9, 5, 11, 14)]


def test_past_is_never_offered() -> None:
    got = slots(Unlimited(), start=utc(9, 1), end=utc(9, 5, 23, 59))
    assert got == [utc(9, 5, h) for h in range(11, 17)]


def test_only_first_slot_per_day_in_the_booker_zone() -> None:
    got = slots(Unlimited(), first_only=True, notice=120, end=utc(9, 7, 23, 59))
    assert got == [utc(9, 5, 12), utc(9, 6, 9), utc(9, 7, 9)]
    # Dates are the booker's: in Tokyo 15:00 UTC is already the next day.
    in_tokyo = slots(Unlimited(), first_only=True, notice=120, end=utc(9, 7, 23, 59), booker="Asia/Tokyo")
    assert in_tokyo == [utc(9, 5, 12), utc(9, 5, 15), utc(9, 6, 15), utc(9, 7, 15)]
    assert list(group_slots_by_date([], "UTC")) == []


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2050, 9, 9), 1, date(2050, 9, 12)),
        (date(2050, 9, 10), 1, date(2050, 9, 12)),
        (date(2050, 9, 10), 0, date(2050, 9, 10)),
    ],
)
def test_add_business_days(day: date, count: int, expected: date) -> None:
    assert add_business_days(day, count) == expected


def test_booking_time_checks() -> None:
    event = EventRules(id=1, length=30, minimum_notice=120, booking_window=RollingDays(2))
    now = MONDAY_5_TEN
    assert is_in_past(utc(9, 5, 9), now)
    assert not is_in_past(utc(9, 5, 10), now)
    assert violates_minimum_notice(event, utc(9, 5, 11, 59), now)
    assert not violates_minimum_notice(event, utc(9, 5, 12), now)
    assert not outside_booking_window(event, utc(9, 7, 23, 59), now)
    assert outside_booking_window(event, utc(9, 8), now)
    ranged = EventRules(id=1, length=30, booking_window=DateRangeWindow(date(2050, 9, 7), date(2050, 9, 7)))
    assert outside_booking_window(ranged, utc(9, 6, 23, 59), now)
    assert not outside_booking_window(ranged, utc(9, 7), now)
    assert outside_booking_window(ranged, utc(9, 8), now)
    rolling_window = EventRules(id=1, length=30, booking_window=RollingAvailableDays(1))
    assert not outside_booking_window(rolling_window, utc(12, 1), now)
