"""Properties of `compute_slots` on random schedules, bookings and teams.

The oracle below is deliberately naive (per-day loops with zoneinfo, linear scans), so it shares
no code with the implementation beyond the input types.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opencal.availability import (
    BusyBooking,
    DateOverride,
    EventRules,
    HostAvailability,
    Schedule,
    Slot,
    SlotQuery,
    TimeSpan,
    WeeklyRule,
    compute_slots,
    group_slots_by_date,
)

ZONES = ("UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "Asia/Kathmandu")
DST_DAYS = (
    date(2050, 3, 13),  # New York spring forward
    date(2050, 11, 6),  # New York fall back
    date(2050, 3, 27),  # Berlin spring forward
    date(2050, 10, 30),  # Berlin fall back
    date(2050, 10, 2),  # Lord Howe spring forward (30 minutes)
    date(2050, 4, 3),  # Lord Howe fall back
)
FAR_PAST = datetime(2000, 1, 1, tzinfo=UTC)
Interval = tuple[datetime, datetime]
T = TypeVar("T")

# --- strategies ----------------------------------------------------------------------------------

clock_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@st.composite
def weekly_rules(draw: st.DrawFn) -> WeeklyRule:
    start = draw(clock_times)
    end = draw(st.one_of(clock_times, st.just(time(23, 59))))
    return WeeklyRule(frozenset(draw(st.sets(st.integers(0, 6), min_size=1))), start, end)


@st.composite
def schedules(draw: st.DrawFn, first_day: date) -> Schedule:
    overrides = draw(
        st.lists(
            st.builds(
                DateOverride,
                st.integers(-1, 4).map(lambda n: first_day + timedelta(days=n)),
                clock_times,
                st.one_of(clock_times, st.just(time(23, 59))),
            ),
            max_size=2,
        )
    )
    return Schedule(
        draw(st.sampled_from(ZONES)), weekly=draw(st.lists(weekly_rules(), min_size=1, max_size=3)), overrides=overrides
    )


@st.composite
def bookings(draw: st.DrawFn, first_day: date) -> list[BusyBooking]:
    anchor = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    result = []
    for index in range(draw(st.integers(0, 8))):
        start = anchor + timedelta(minutes=5 * draw(st.integers(-100, 4 * 288)))
        result.append(
            BusyBooking(
                start,
                start + timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60, 120]))),
                uid=f"b{index}",
                event_type_id=draw(st.sampled_from([1, 2])),
                before_buffer=draw(st.sampled_from([0, 5, 15, 30])),
                after_buffer=draw(st.sampled_from([0, 10, 20])),
            )
        )
    return result


@st.composite
def calendar_blocks(draw: st.DrawFn, first_day: date) -> list[TimeSpan]:
    anchor = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    blocks = []
    for _ in range(draw(st.integers(0, 3))):
        start = anchor + timedelta(minutes=15 * draw(st.integers(0, 4 * 96)))
        blocks.append(TimeSpan(start, start + timedelta(minutes=draw(st.sampled_from([20, 60, 180])))))
    return blocks


events = st.builds(
    EventRules,
    id=st.just(1),
    length=st.sampled_from([15, 20, 30, 45, 60, 90]),
    slot_interval=st.sampled_from([None, None, 10, 15, 30, 25]),
    before_buffer=st.sampled_from([0, 0, 5, 15]),
    after_buffer=st.sampled_from([0, 0, 10, 30]),
    minimum_notice=st.sampled_from([0, 60, 120]),
    offset_start=st.sampled_from([0, 0, 5]),
)


@st.composite
def scenarios(draw: st.DrawFn, max_hosts: int = 1) -> tuple[SlotQuery, list[HostAvailability]]:
    first_day = draw(st.sampled_from(DST_DAYS)) - timedelta(days=draw(st.integers(0, 1)))
    hosts = []
    for host_id in range(1, draw(st.integers(1, max_hosts)) + 1):
        hosts.append(
            HostAvailability(
                host_id,
                draw(schedules(first_day)),
                bookings=draw(bookings(first_day)),
                calendar_busy=draw(calendar_blocks(first_day)),
                out_of_office=frozenset(
                    draw(st.sets(st.sampled_from([first_day, first_day + timedelta(days=1)]), max_size=1))
                ),
                is_fixed=draw(st.booleans()) if max_hosts > 1 else True,
                group_id=draw(st.sampled_from([None, "a"])),
            )
        )
    start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    now = draw(st.sampled_from([FAR_PAST, start + timedelta(hours=13, minutes=7)]))
    query = SlotQuery(
        event=draw(events),
        start=start,
        end=start + timedelta(days=draw(st.integers(1, 3))),
        now=now,
        time_zone=draw(st.sampled_from([None, *ZONES])),
        reschedule_uid=draw(st.sampled_from([None, "b0"])),
    )
    return query, hosts


# --- the oracle ----------------------------------------------------------------------------------


def wall(day: date, clock: time, tz: ZoneInfo) -> datetime:
    if (clock.hour, clock.minute) == (23, 59):
        nxt = day + timedelta(days=1)
        return datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz).astimezone(UTC)
    return datetime(day.year, day.month, day.day, clock.hour, clock.minute, tzinfo=tz).astimezone(UTC)


def working_intervals(host: HostAvailability, first_day: date, days: int) -> list[Interval]:
    tz = ZoneInfo(host.schedule.time_zone)
    intervals: list[Interval] = []
    for offset in range(-2, days + 3):
        day = first_day + timedelta(days=offset)
        if day in host.out_of_office:
            continue
        overrides = [o for o in host.schedule.overrides if o.day == day]
        if overrides:
            intervals += [(wall(day, o.start, tz), wall(day, o.end, tz)) for o in overrides]
            continue
        weekday = (day.weekday() + 1) % 7
        intervals += [(wall(day, r.start, tz), wall(day, r.end, tz)) for r in host.schedule.weekly if weekday in r.days]
    return merged([i for i in intervals if i[0] < i[1]])


def merged(intervals: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def busy_intervals(host: HostAvailability, query: SlotQuery) -> list[Interval]:
    event = query.event
    busy = [
        (
            b.start - timedelta(minutes=b.before_buffer + event.after_buffer),
            b.end + timedelta(minutes=b.after_buffer + event.before_buffer),
        )
        for b in host.bookings
        if b.uid != query.reschedule_uid
    ]
    # The rescheduled booking is on the external calendar too; its own time does not count.
    moving = [(b.start, b.end) for b in host.bookings if b.uid == query.reschedule_uid]
    busy += [
        (s - timedelta(minutes=event.after_buffer), e + timedelta(minutes=event.before_buffer))
        for c in host.calendar_busy
        for s, e in cut((c.start, c.end), moving)
    ]
    return busy


def cut(block: Interval, holes: list[Interval]) -> list[Interval]:
    pieces = [block]
    for hole_start, hole_end in holes:
        pieces = [
            piece
            for s, e in pieces
            for piece in ((s, min(e, hole_start)), (max(s, hole_end), e))
            if piece[0] < piece[1]
        ]
    return pieces


def host_is_free(host: HostAvailability, query: SlotQuery, slot: Slot) -> bool:
    first_day = query.start.date()
    days = (query.end - query.start).days + 1
    inside = any(s <= slot.start and slot.end <= e for s, e in working_intervals(host, first_day, days))
    clear = all(not (s < slot.end and slot.start < e) for s, e in busy_intervals(host, query))
    return inside and clear


def team_can_take(hosts: Sequence[HostAvailability], query: SlotQuery, slot: Slot) -> bool:
    fixed = [h for h in hosts if h.is_fixed]
    groups: dict[str | None, list[HostAvailability]] = {}
    for h in hosts:
        if not h.is_fixed:
            groups.setdefault(h.group_id, []).append(h)
    return all(host_is_free(h, query, slot) for h in fixed) and all(
        any(host_is_free(h, query, slot) for h in members) for members in groups.values()
    )


# --- properties ----------------------------------------------------------------------------------

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scenarios())
def test_single_host_slots_are_free_inside_hours_and_unique(scenario: tuple[SlotQuery, list[HostAvailability]]) -> None:
    query, hosts = scenario
    slots = compute_slots(query, hosts)
    starts = [slot.start for slot in slots]
    assert starts == sorted(set(starts))
    length = timedelta(minutes=query.duration or query.event.length)
    for slot in slots:
        assert slot.end - slot.start == length
        assert query.start <= slot.start and slot.end <= query.end
        assert slot.start >= query.now + timedelta(minutes=query.event.minimum_notice)
        assert slot.start.second == 0
        assert host_is_free(hosts[0], query, slot), slot


@SETTINGS
@given(scenarios(max_hosts=4))
def test_team_slots_have_every_fixed_host_and_one_host_per_group_free(
    scenario: tuple[SlotQuery, list[HostAvailability]],
) -> None:
    query, hosts = scenario
    slots = compute_slots(query, hosts)
    assert [s.start for s in slots] == sorted({s.start for s in slots})
    for slot in slots:
        assert team_can_take(hosts, query, slot), slot


@SETTINGS
@given(scenarios(max_hosts=4), st.randoms(use_true_random=False))
def test_input_order_does_not_matter(scenario: tuple[SlotQuery, list[HostAvailability]], rng: random.Random) -> None:
    query, hosts = scenario

    def shuffled(items: Sequence[T]) -> list[T]:
        copy = list(items)
        rng.shuffle(copy)
        return copy

    reordered = [
        replace(
            host,
            schedule=replace(
                host.schedule, weekly=shuffled(host.schedule.weekly), overrides=shuffled(host.schedule.overrides)
            ),
            bookings=shuffled(host.bookings),
            calendar_busy=shuffled(host.calendar_busy),
        )
        for host in shuffled(hosts)
    ]
    assert compute_slots(query, reordered) == compute_slots(query, hosts)


@SETTINGS
@given(
    st.sampled_from(["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata"]),
    st.sampled_from(DST_DAYS),
    st.integers(0, 46),
    st.integers(1, 48),
)
def test_half_hour_grid_follows_the_wall_clock_on_dst_days(zone: str, day: date, start_step: int, steps: int) -> None:
    tz = ZoneInfo(zone)
    start_clock = time(start_step // 2, 30 * (start_step % 2))
    end_step = min(start_step + steps, 48)
    end_clock = time(23, 59) if end_step == 48 else time(end_step // 2, 30 * (end_step % 2))
    schedule = Schedule(zone, weekly=[WeeklyRule(frozenset({0}), start_clock, end_clock)])
    event = EventRules(id=1, length=30, minimum_notice=0)
    local_midnight = datetime(day.year, day.month, day.day, tzinfo=tz)
    query = SlotQuery(event, local_midnight, local_midnight + timedelta(days=1), now=FAR_PAST, time_zone=zone)

    first, last = wall(day, start_clock, tz), wall(day, end_clock, tz)
    expected = []
    moment = first
    while moment + timedelta(minutes=30) <= last:
        expected.append(moment)
        moment += timedelta(minutes=30)
    assert [s.start for s in compute_slots(query, [HostAvailability(1, schedule)])] == expected


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata"])
def test_nine_to_five_all_year_is_eight_slots_at_the_same_local_times(zone: str) -> None:
    tz = ZoneInfo(zone)
    schedule = Schedule(zone, weekly=[WeeklyRule(frozenset(range(7)), time(9), time(17))])
    event = EventRules(id=1, length=60, minimum_notice=0)
    start = datetime(2050, 1, 1, tzinfo=tz)
    query = SlotQuery(event, start, datetime(2051, 1, 1, tzinfo=tz), now=FAR_PAST, time_zone=zone)
    by_day = group_slots_by_date(compute_slots(query, [HostAvailability(1, schedule)]), zone)
    assert len(by_day) == 365
    hours = [f"{h:02d}:00" for h in range(9, 17)]
    utc_lengths = set()
    for day, slots in by_day.items():
        assert [s.start.astimezone(tz).strftime("%H:%M") for s in slots] == hours, day
        next_day = day + timedelta(days=1)
        utc_lengths.add(
            datetime(next_day.year, next_day.month, next_day.day, tzinfo=tz).timestamp()
            - datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()
        )
    expected_lengths = {
        "America/New_York": {82_800.0, 86_400.0, 90_000.0},
        "Europe/Berlin": {82_800.0, 86_400.0, 90_000.0},
        "Australia/Lord_Howe": {84_600.0, 86_400.0, 88_200.0},
        "Asia/Kolkata": {86_400.0},
    }
    assert utc_lengths == expected_lengths[zone]
