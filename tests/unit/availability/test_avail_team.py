"""Team aggregation (BEHAVIOR §3.5), out-of-office and the per-slot free-host check."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from opencal.availability import (
    BusyBooking,
    EventRules,
    HostAvailability,
    HostFreeTime,
    Schedule,
    SlotQuery,
    TimeSpan,
    WeeklyRule,
    compute_slots,
    free_hosts,
    host_free_times,
    out_of_office_dates,
)
from opencal.availability.team import aggregate_availability

MONDAY = frozenset({1})
EVENT = EventRules(id=1, length=60, minimum_notice=0)


def at(hour: int, minute: int = 0, day: int = 5) -> datetime:
    return datetime(2050, 9, day, hour, minute, tzinfo=UTC)


def host(
    host_id: int,
    start: time,
    end: time,
    *,
    fixed: bool,
    zone: str = "UTC",
    group: str | None = None,
    **extra: object,
) -> HostAvailability:
    schedule = Schedule(zone, weekly=[WeeklyRule(frozenset(range(7)), start, end)])
    return HostAvailability(host_id, schedule, is_fixed=fixed, group_id=group, **extra)  # type: ignore[arg-type]


def slot_times(hosts: list[HostAvailability], event: EventRules = EVENT) -> list[str]:
    request = SlotQuery(event=event, start=at(0), end=at(23, 59), now=datetime(2050, 1, 1, tzinfo=UTC))
    return [slot.start.strftime("%H:%M") for slot in compute_slots(request, hosts)]


def test_collective_hosts_are_intersected() -> None:
    rome = host(1, time(9), time(17), fixed=True, zone="Europe/Rome")  # 07:00-15:00 UTC
    london = host(2, time(9), time(17), fixed=True, zone="Europe/London")  # 08:00-16:00 UTC
    assert slot_times([rome, london]) == ["08:00", "09:00", "10:00", "11:00", "12:00", "13:00", "14:00"]


def test_a_booking_of_one_collective_host_removes_the_slot() -> None:
    busy = host(1, time(9), time(12), fixed=True, bookings=[BusyBooking(at(10), at(11))])
    free = host(2, time(9), time(12), fixed=True)
    assert slot_times([busy, free]) == ["09:00", "11:00"]


def test_round_robin_hosts_are_side_by_side_not_merged() -> None:
    first = host(1, time(9), time(10, 30), fixed=False)
    second = host(2, time(10, 30), time(12), fixed=False)
    # A merged union would offer 10:00-11:00, which neither host can take.
    assert slot_times([first, second]) == ["09:00", "11:00"]


def test_round_robin_union_covers_each_hosts_hours() -> None:
    assert slot_times([host(1, time(9), time(12), fixed=False), host(2, time(12), time(15), fixed=False)]) == [
        "09:00", "10:00", "11:00", "12:00", "13:00", "14:00",
    ]  # fmt: skip


def test_every_round_robin_group_needs_a_free_host() -> None:
    hosts = [
        host(1, time(9), time(12), fixed=False, group="a"),
        host(2, time(13), time(17), fixed=False, group="a"),
        host(3, time(11), time(14), fixed=False, group="b"),
    ]
    assert slot_times(hosts) == ["11:00", "13:00"]


def test_empty_group_id_is_the_default_group() -> None:
    hosts = [host(1, time(9), time(10), fixed=False, group=""), host(2, time(11), time(12), fixed=False)]
    assert slot_times(hosts) == ["09:00", "11:00"]


def test_fixed_hosts_and_round_robin_hosts_together() -> None:
    hosts = [
        host(1, time(10), time(16), fixed=True),
        host(2, time(9), time(12), fixed=False),
        host(3, time(14), time(17), fixed=False),
    ]
    assert slot_times(hosts) == ["10:00", "11:00", "14:00", "15:00"]


def test_strict_fixed_hosts_without_common_time_leave_no_slots() -> None:
    hosts = [
        host(1, time(9), time(12), fixed=True),
        host(2, time(13), time(17), fixed=True),
        host(3, time(9), time(17), fixed=False),
    ]
    assert slot_times(hosts) == []


def test_no_hosts_no_slots() -> None:
    assert slot_times([]) == []
    assert aggregate_availability([]) == []


def test_identical_round_robin_hosts_do_not_duplicate_slots() -> None:
    twins = [host(1, time(9), time(11), fixed=False), host(2, time(9), time(11), fixed=False)]
    assert slot_times(twins) == ["09:00", "10:00"]


def test_aggregate_availability_spans() -> None:
    hosts = [
        HostFreeTime(1, [(0, 100)], is_fixed=True),
        HostFreeTime(2, [(10, 20), (50, 70)], is_fixed=False),
        HostFreeTime(3, [(15, 30), (55, 60)], is_fixed=False),
    ]
    assert aggregate_availability(hosts) == [(10, 20), (15, 30), (50, 70)]


def test_out_of_office_day_of_a_round_robin_host_leaves_the_others() -> None:
    away = host(1, time(9), time(12), fixed=False, out_of_office=frozenset({date(2050, 9, 5)}))
    present = host(2, time(10), time(12), fixed=False)
    assert slot_times([away, present]) == ["10:00", "11:00"]
    assert slot_times([away]) == []


def test_out_of_office_day_of_a_collective_host_blocks_the_day() -> None:
    away = host(1, time(9), time(12), fixed=True, out_of_office=frozenset({date(2050, 9, 5)}))
    assert slot_times([away, host(2, time(9), time(12), fixed=True)]) == []


def test_out_of_office_is_a_date_in_the_hosts_zone() -> None:
    # 06:00-08:00 in Tokyo on Sept 5 is 21:00-23:00 UTC on Sept 4; on Sept 6 it is Sept 5 UTC.
    tokyo = host(1, time(6), time(8), fixed=True, zone="Asia/Tokyo", out_of_office=frozenset({date(2050, 9, 5)}))
    request = SlotQuery(event=EVENT, start=at(0, day=4), end=at(23, 59, day=5), now=datetime(2050, 1, 1, tzinfo=UTC))
    assert [s.start.strftime("%d %H:%M") for s in compute_slots(request, [tokyo])] == ["05 21:00", "05 22:00"]


def test_free_hosts_for_one_slot() -> None:
    hosts = [
        host(3, time(9), time(17), fixed=False, bookings=[BusyBooking(at(10), at(11))]),
        host(1, time(9), time(17), fixed=False),
        host(2, time(9), time(17), fixed=False, calendar_busy=[TimeSpan(at(10, 30), at(10, 45))]),
        host(4, time(11), time(17), fixed=False),
    ]
    assert free_hosts(EVENT, hosts, at(10)) == [1]
    assert free_hosts(EVENT, hosts, at(11)) == [3, 1, 2, 4]
    assert free_hosts(EVENT, hosts, at(9, 30), duration=30) == [3, 1, 2]


def test_free_hosts_respects_the_rescheduled_booking_and_buffers() -> None:
    buffered = EventRules(id=1, length=60, before_buffer=15)
    booked = host(1, time(9), time(17), fixed=True, bookings=[BusyBooking(at(9), at(10), uid="r")])
    assert free_hosts(buffered, [booked], at(10)) == []
    assert free_hosts(buffered, [booked], at(10, 15)) == [1]
    assert free_hosts(buffered, [booked], at(9), reschedule_uid="r") == [1]


def test_host_free_times_exposes_each_hosts_spans() -> None:
    one = host(1, time(9), time(12), fixed=True, bookings=[BusyBooking(at(10), at(11))])
    [free] = host_free_times(EVENT, [one], at(0), at(23, 59))
    assert [(datetime.fromtimestamp(s, UTC).hour, datetime.fromtimestamp(e, UTC).hour) for s, e in free.spans] == [
        (9, 10),
        (11, 12),
    ]


def test_out_of_office_dates_are_utc_dates_from_today_on() -> None:
    entries = [
        TimeSpan(datetime(2050, 9, 3, 22, tzinfo=UTC), datetime(2050, 9, 6, 1, tzinfo=UTC)),
        TimeSpan(datetime(2050, 9, 10, 8, tzinfo=UTC), datetime(2050, 9, 10, 9, tzinfo=UTC)),
    ]
    assert out_of_office_dates(entries, today=date(2050, 9, 5)) == {
        date(2050, 9, 5),
        date(2050, 9, 6),
        date(2050, 9, 10),
    }
