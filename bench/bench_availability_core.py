"""Benchmark of the pure availability core (`opencal.availability.compute_slots`).

Run: python bench/bench_availability_core.py [--iterations N]

Each host works Monday-Friday 09:00-17:00 in one of several zones (Central European
ones for the collective event, so the hosts share their hours) and has 20 bookings a week
(four 30-minute bookings per working day, some with buffers), plus a few external calendar
blocks; the event is 30 minutes long. Prints p50/p95 in milliseconds per scenario, then how the
cost grows when the range doubles from 30 to 60 days.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time as clock
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from opencal.availability import (
    BusyBooking,
    EventRules,
    HostAvailability,
    Schedule,
    SlotQuery,
    TimeSpan,
    WeeklyRule,
    compute_slots,
)

ZONES = (
    "Europe/Rome",
    "America/New_York",
    "Asia/Kolkata",
    "Europe/London",
    "Australia/Sydney",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Asia/Tokyo",
)
# Collective hosts must share working hours, so they live in zones with the same offset.
COLLECTIVE_ZONES = ("Europe/Rome", "Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Vienna")
START = datetime(2050, 9, 1, tzinfo=UTC)
NOW = datetime(2050, 8, 31, 12, tzinfo=UTC)
WEEKDAYS = frozenset({1, 2, 3, 4, 5})
BOOKING_HOURS = (9, 11, 13, 15)


def make_host(host_id: int, days: int, rng: random.Random, *, is_fixed: bool) -> HostAvailability:
    zones = COLLECTIVE_ZONES if is_fixed else ZONES
    tz_name = zones[host_id % len(zones)]
    tz = ZoneInfo(tz_name)
    bookings: list[BusyBooking] = []
    calendar: list[TimeSpan] = []
    first = START.date() - timedelta(days=1)
    for offset in range(days + 2):
        day: date = first + timedelta(days=offset)
        if day.isoweekday() > 5:
            continue
        for hour in BOOKING_HOURS:
            minute = rng.choice((0, 30))
            start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
            bookings.append(
                BusyBooking(
                    start=start,
                    end=start + timedelta(minutes=30),
                    uid=f"b{host_id}-{day}-{hour}",
                    event_type_id=rng.choice((1, 2, 3)),
                    before_buffer=rng.choice((0, 0, 5)),
                    after_buffer=rng.choice((0, 10)),
                )
            )
        if rng.random() < 0.3:
            start = datetime(day.year, day.month, day.day, 16, 0, tzinfo=tz)
            calendar.append(TimeSpan(start, start + timedelta(minutes=45)))
    schedule = Schedule(tz_name, weekly=(WeeklyRule(WEEKDAYS, time(9), time(17)),))
    return HostAvailability(host_id, schedule, tuple(bookings), tuple(calendar), is_fixed=is_fixed)


def make_query(days: int) -> SlotQuery:
    event = EventRules(id=1, length=30, before_buffer=5, after_buffer=5, minimum_notice=120)
    return SlotQuery(
        event=event,
        start=START,
        end=START + timedelta(days=days) - timedelta(seconds=1),
        now=NOW,
        time_zone="Europe/Rome",
    )


def timings(run: Callable[[], object], iterations: int) -> tuple[float, float, int]:
    run()  # warm caches (zone files) once
    samples: list[float] = []
    result: object = None
    for _ in range(iterations):
        began = clock.perf_counter()
        result = run()
        samples.append((clock.perf_counter() - began) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    count = len(result) if isinstance(result, Sequence) else -1
    return statistics.median(samples), p95, count


def scenario(hosts: int, *, round_robin: bool, days: int, iterations: int) -> tuple[float, float, int]:
    rng = random.Random(hosts * 1000 + days)
    host_list = [make_host(i, days, rng, is_fixed=not round_robin) for i in range(hosts)]
    query = make_query(days)
    return timings(lambda: compute_slots(query, host_list), iterations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=60)
    iterations = max(parser.parse_args().iterations, 5)

    print(f"availability core, {iterations} iterations per scenario, 30-minute event, times in ms")
    print(f"{'scenario':<34}{'p50':>9}{'p95':>9}{'slots':>8}")
    cases = (
        ("1 host", 1, True),
        ("10 hosts, round robin", 10, True),
        ("50 hosts, round robin", 50, True),
        ("5 hosts, collective", 5, False),
    )
    medians: dict[tuple[str, int], float] = {}
    for days in (30, 60):
        for label, hosts, round_robin in cases:
            p50, p95, count = scenario(hosts, round_robin=round_robin, days=days, iterations=iterations)
            medians[(label, days)] = p50
            print(f"{label + f', {days} days':<34}{p50:>9.2f}{p95:>9.2f}{count:>8}")
    print("\ngrowth when the range doubles (p50 60 days / p50 30 days):")
    for label, _, _ in cases:
        print(f"  {label:<30} x{medians[(label, 60)] / medians[(label, 30)]:.2f}")


if __name__ == "__main__":
    main()
