"""Booking-count and duration limits (BEHAVIOR §3.7)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from opencal.availability import (
    EventRules,
    HostAvailability,
    IntervalLimits,
    LimitBooking,
    LimitViolation,
    Schedule,
    SlotQuery,
    WeeklyRule,
    booking_limit_violation,
    compute_slots,
    group_slots_by_date,
)
from opencal.availability.instants import from_epoch, to_epoch
from opencal.availability.limits import count_limit_blocks, fetch_window, period_start

ROME = ZoneInfo("Europe/Rome")
EVERY_DAY = frozenset(range(7))


def rome(day: int, hour: int = 0, minute: int = 0, month: int = 9) -> datetime:
    return datetime(2050, month, day, hour, minute, tzinfo=ROME)


def booking(day: int, hour: int, minutes: int = 30, host_id: int | None = 1, uid: str | None = None) -> LimitBooking:
    start = rome(day, hour)
    return LimitBooking(start, start + timedelta(minutes=minutes), host_id=host_id, uid=uid)


def host(host_id: int = 1, *, is_fixed: bool = True) -> HostAvailability:
    schedule = Schedule("Europe/Rome", weekly=[WeeklyRule(EVERY_DAY, time(9), time(17))])
    return HostAvailability(host_id, schedule, is_fixed=is_fixed)


def slot_days(
    event: EventRules,
    limit_bookings: list[LimitBooking],
    hosts: list[HostAvailability] | None = None,
    *,
    first: int = 4,
    last: int = 17,
    duration: int | None = None,
) -> list[date]:
    request = SlotQuery(
        event=event,
        start=rome(first),
        end=rome(last, 23, 59),
        now=datetime(2050, 1, 1, tzinfo=UTC),
        time_zone="Europe/Rome",
        duration=duration,
        limit_bookings=limit_bookings,
    )
    return list(group_slots_by_date(compute_slots(request, hosts or [host()]), "Europe/Rome"))


def days(*numbers: int) -> list[date]:
    return [date(2050, 9, n) for n in numbers]


def event_with(**limits: IntervalLimits) -> EventRules:
    return EventRules(id=1, length=30, minimum_notice=0, time_zone="Europe/Rome", **limits)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "sunday"),
    [(date(2050, 9, 7), date(2050, 9, 4)), (date(2050, 9, 4), date(2050, 9, 4)), (date(2050, 9, 10), date(2050, 9, 4))],
)
def test_weeks_start_on_sunday(day: date, sunday: date) -> None:
    assert period_start(day, "week") == sunday


def test_day_count_limit_blocks_that_day_only() -> None:
    event = event_with(booking_limits=IntervalLimits(day=2))
    got = slot_days(event, [booking(5, 10), booking(5, 12), booking(6, 10)], first=4, last=7)
    assert got == days(4, 6, 7)


def test_week_count_limit_blocks_the_sunday_to_saturday_week() -> None:
    event = event_with(booking_limits=IntervalLimits(week=3))
    got = slot_days(event, [booking(5, 10), booking(6, 10), booking(7, 10)], first=1, last=12)
    # 2050-09-04 (Sun) .. 09-10 (Sat) is blocked; Sept 1-3 and Sun 11 onwards are open.
    assert got == days(1, 2, 3, 11, 12)


def test_saturday_and_sunday_are_in_different_weeks() -> None:
    event = event_with(booking_limits=IntervalLimits(week=2))
    assert slot_days(event, [booking(10, 10), booking(11, 10)], first=9, last=12) == days(9, 10, 11, 12)


def test_bookings_belong_to_the_period_of_their_start_in_the_event_zone() -> None:
    event = event_with(booking_limits=IntervalLimits(day=1))
    late_monday_utc = datetime(2050, 9, 5, 23, 30, tzinfo=UTC)  # Tuesday 01:30 in Rome
    limit_booking = LimitBooking(late_monday_utc, late_monday_utc + timedelta(minutes=30), host_id=1)
    assert slot_days(event, [limit_booking], first=5, last=7) == days(5, 7)


def test_larger_units_block_their_whole_period() -> None:
    limits = IntervalLimits(month=2, year=5)
    window = (to_epoch(rome(10)), to_epoch(rome(12, month=10)))
    bookings = [(to_epoch(rome(d, 10)), to_epoch(rome(d, 11))) for d in (1, 2)]
    blocks = count_limit_blocks(limits, bookings, window, ROME)
    assert [(from_epoch(s).astimezone(ROME).date(), from_epoch(e).astimezone(ROME).date()) for s, e in blocks] == [
        (date(2050, 9, 1), date(2050, 10, 1))
    ]


def test_year_limit_blocks_the_year() -> None:
    limits = IntervalLimits(year=2)
    window = (to_epoch(rome(10)), to_epoch(rome(12)))
    bookings = [(to_epoch(rome(1, 10, month=2)), to_epoch(rome(1, 11, month=2)))] * 2
    assert count_limit_blocks(limits, bookings, window, ROME) == [
        (to_epoch(datetime(2050, 1, 1, tzinfo=ROME)), to_epoch(datetime(2051, 1, 1, tzinfo=ROME)))
    ]


def test_duration_limit_counts_the_requested_duration() -> None:
    event = event_with(duration_limits=IntervalLimits(day=60))
    booked = [booking(5, 10, minutes=45), booking(6, 10, minutes=30)]
    # Monday: 45 + 30 > 60 blocked; Tuesday: 30 + 30 = 60 is allowed.
    assert slot_days(event, booked, first=5, last=6) == days(6)


def test_duration_longer_than_the_limit_blocks_everything() -> None:
    event = event_with(duration_limits=IntervalLimits(day=60))
    assert slot_days(event, [], first=5, last=6, duration=90) == []
    assert slot_days(event, [], first=5, last=6, duration=60) == days(5, 6)


def test_count_limits_are_per_event_type_duration_limits_per_host() -> None:
    hosts = [host(1, is_fixed=False), host(2, is_fixed=False)]
    counted = event_with(booking_limits=IntervalLimits(day=2))
    one_each = [booking(5, 10, host_id=1), booking(5, 12, host_id=2)]
    assert slot_days(counted, one_each, hosts, first=5, last=6) == days(6)

    timed = event_with(duration_limits=IntervalLimits(day=60))
    host_one_full = [booking(5, 10, minutes=60, host_id=1)]
    assert slot_days(timed, host_one_full, hosts, first=5, last=6) == days(5, 6)
    assert slot_days(timed, host_one_full, [hosts[0]], first=5, last=6) == days(6)


def test_the_rescheduled_booking_does_not_count() -> None:
    event = event_with(booking_limits=IntervalLimits(day=1))
    request = SlotQuery(
        event=event,
        start=rome(5),
        end=rome(5, 23, 59),
        now=datetime(2050, 1, 1, tzinfo=UTC),
        reschedule_uid="moving",
        limit_bookings=[booking(5, 10, uid="moving")],
    )
    assert len(compute_slots(request, [host()])) == 16


def test_booking_time_count_check() -> None:
    event = event_with(booking_limits=IntervalLimits(day=2, week=10))
    two = [booking(5, 10), booking(5, 12)]
    assert booking_limit_violation(event, rome(5, 15), two) == LimitViolation("count", "day", 2)
    assert booking_limit_violation(event, rome(6, 15), two) is None
    assert (
        booking_limit_violation(event, rome(5, 15), [booking(5, 10), booking(5, 12, uid="r")], reschedule_uid="r")
        is None
    )


def test_booking_time_counts_only_bookings_entirely_inside_the_period() -> None:
    event = event_with(booking_limits=IntervalLimits(day=1))
    straddling = LimitBooking(rome(4, 23, 30), rome(5, 0, 30), host_id=1)
    assert booking_limit_violation(event, rome(5, 15), [straddling]) is None
    ends_at_midnight = LimitBooking(rome(5, 23, 30), rome(6, 0, 0), host_id=1)
    assert booking_limit_violation(event, rome(5, 15), [ends_at_midnight]) == LimitViolation("count", "day", 1)


def test_booking_time_duration_check_per_host() -> None:
    event = event_with(duration_limits=IntervalLimits(day=60))
    booked = [booking(5, 10, minutes=30, host_id=1), booking(5, 12, minutes=30, host_id=2)]
    assert booking_limit_violation(event, rome(5, 15), booked, duration=30, host_id=1) is None
    assert booking_limit_violation(event, rome(5, 15), booked, duration=31, host_id=1) == LimitViolation(
        "duration", "day", 60
    )
    assert booking_limit_violation(event, rome(5, 15), booked, duration=30) == LimitViolation("duration", "day", 60)


def test_fetch_window_covers_the_periods_of_the_window() -> None:
    window = (to_epoch(rome(7, 12)), to_epoch(rome(8, 12)))
    assert fetch_window(window, ROME, IntervalLimits(week=3), None) == (
        to_epoch(rome(4)),
        to_epoch(rome(11)),
    )
    assert fetch_window(window, ROME, None, IntervalLimits(month=1)) == (
        to_epoch(rome(1)),
        to_epoch(rome(1, month=10)),
    )
