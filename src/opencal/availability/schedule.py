"""Expanding a weekly schedule and its date overrides into concrete spans (BEHAVIOR §3.2)."""

from __future__ import annotations

from collections.abc import Iterable, Set
from datetime import UTC, date, time
from zoneinfo import ZoneInfo

from .instants import ONE_DAY, local_date, local_midnight, minutes_of, wall_clock, zone
from .intervals import Span, normalize
from .models import DateOverride, Schedule, TimeSpan

_END_OF_DAY = time(23, 59)


def expand_schedule(schedule: Schedule, window: Span, out_of_office: Set[date] = frozenset()) -> list[Span]:
    """The working time of `schedule` inside `window`, as a span list.

    Rules are wall-clock times in the schedule's zone, so 09:00 stays 09:00 local across DST (see
    `instants.wall_clock` for skipped and repeated times). An end of 23:59 is the next midnight.
    A date with any override keeps only its overrides; a 00:00-00:00 override therefore blocks the
    date. Dates in `out_of_office` (schedule zone) lose all their hours. Overrides are looked at one
    day beyond each end of the window, as Cal.com does, then everything is clipped to the window.
    """
    window_start, window_end = window
    if window_start >= window_end:
        return []
    tz = zone(schedule.time_zone)
    first_day = local_date(window_start, tz)
    last_day = local_date(window_end, tz)

    overridden = _override_spans_by_day(schedule.overrides, tz, first_day - ONE_DAY, last_day + ONE_DAY)
    spans: list[Span] = []
    for day, day_spans in overridden.items():
        if day not in out_of_office:
            spans.extend(day_spans)

    rules = [(rule.days, minutes_of(rule.start), rule.end) for rule in schedule.weekly]
    day = first_day
    while day <= last_day:
        if day not in overridden and day not in out_of_office:
            weekday = day.isoweekday() % 7  # stored numbering: 0 = Sunday
            for days, start_minutes, end in rules:
                if weekday in days:
                    spans.append(_wall_span(day, start_minutes, end, tz))
        day += ONE_DAY

    return normalize((max(start, window_start), min(end, window_end)) for start, end in spans)


def out_of_office_dates(entries: Iterable[TimeSpan], today: date) -> frozenset[date]:
    """The dates an out-of-office entry takes away, as Cal.com counts them.

    Each entry covers the UTC dates from its start (or `today`, if later) to its end, inclusive;
    `expand_schedule` then removes those dates as seen in the host's schedule zone.
    """
    dates: set[date] = set()
    for entry in entries:
        day = max(entry.start.astimezone(UTC).date(), today)
        last = entry.end.astimezone(UTC).date()
        while day <= last:
            dates.add(day)
            day += ONE_DAY
    return frozenset(dates)


def _override_spans_by_day(
    overrides: Iterable[DateOverride], tz: ZoneInfo, first_day: date, last_day: date
) -> dict[date, list[Span]]:
    by_day: dict[date, list[Span]] = {}
    for override in overrides:
        if first_day <= override.day <= last_day:
            span = _wall_span(override.day, minutes_of(override.start), override.end, tz)
            # Kept even when empty: the date is still overridden (that is how 00:00-00:00 blocks it).
            by_day.setdefault(override.day, []).append(span)
    return by_day


def _wall_span(day: date, start_minutes: int, end: time, tz: ZoneInfo) -> Span:
    start = wall_clock(day, start_minutes // 60, start_minutes % 60, tz)
    if (end.hour, end.minute) == (_END_OF_DAY.hour, _END_OF_DAY.minute):
        # The UI cannot say 24:00, so 23:59 stands for the end of the day.
        return start, local_midnight(day + ONE_DAY, tz)
    end_minutes = minutes_of(end)
    return start, wall_clock(day, end_minutes // 60, end_minutes % 60, tz)
