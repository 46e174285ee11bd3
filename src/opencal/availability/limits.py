"""Booking-count and duration limits per day/week/month/year (BEHAVIOR §3.7).

Periods are calendar periods in the event's zone; weeks start on Sunday. A blocked period is
busy from its first to its last instant. The slot computation puts a booking in the period of its
start; the booking-time check counts only bookings lying entirely inside the period.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from .instants import ONE_DAY, local_date, local_midnight
from .intervals import Span, normalize
from .models import IntervalLimits, LimitUnit, LimitViolation

_MINUTE = 60
_SMALLEST_UNIT_FIRST: tuple[LimitUnit, ...] = ("day", "week", "month", "year")


def period_start(day: date, unit: LimitUnit) -> date:
    """First day of the period of `unit` that contains `day` (weeks start on Sunday)."""
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.isoweekday() % 7)
    if unit == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def next_period_start(start: date, unit: LimitUnit) -> date:
    """First day of the period after the one starting on `start`."""
    if unit == "day":
        return start + ONE_DAY
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        if start.month == 12:
            return start.replace(year=start.year + 1, month=1)
        return start.replace(month=start.month + 1)
    return start.replace(year=start.year + 1)


def period_span(day: date, unit: LimitUnit, tz: ZoneInfo) -> Span:
    """The instants of the period of `unit` containing `day`, in `tz`."""
    first = period_start(day, unit)
    return local_midnight(first, tz), local_midnight(next_period_start(first, unit), tz)


def periods_overlapping(window: Span, unit: LimitUnit, tz: ZoneInfo) -> Iterator[Span]:
    """Every period of `unit` in `tz` that shares time with `window`."""
    first = period_start(local_date(window[0], tz), unit)
    start = local_midnight(first, tz)
    while start < window[1]:
        first = next_period_start(first, unit)
        end = local_midnight(first, tz)
        yield start, end
        start = end


def fetch_window(window: Span, tz: ZoneInfo, *limits: IntervalLimits | None) -> Span:
    """The span whose bookings a caller must load so the limits can be evaluated for `window`."""
    start, end = window
    for limit in limits:
        if limit is None:
            continue
        for unit, _ in limit.largest_unit_first():
            start = min(start, period_span(local_date(window[0], tz), unit, tz)[0])
            end = max(end, period_span(local_date(window[1], tz), unit, tz)[1])
    return start, end


class BookingsByStart:
    """Bookings sorted by start, answering "how many / how long starting in a span" in O(log n)."""

    def __init__(self, bookings: Sequence[Span]) -> None:
        ordered = sorted(bookings)
        self._starts = [start for start, _ in ordered]
        self._minutes = [0, *accumulate((end - start) // _MINUTE for start, end in ordered)]

    def count(self, span: Span) -> int:
        lo, hi = self._range(span)
        return hi - lo

    def minutes(self, span: Span) -> int:
        lo, hi = self._range(span)
        return self._minutes[hi] - self._minutes[lo]

    def _range(self, span: Span) -> tuple[int, int]:
        return bisect_left(self._starts, span[0]), bisect_left(self._starts, span[1])


def count_limit_blocks(limits: IntervalLimits, bookings: Sequence[Span], window: Span, tz: ZoneInfo) -> list[Span]:
    """Periods touching `window` that already hold `limit` or more bookings, as a span list."""
    index = BookingsByStart(bookings)
    blocked: list[Span] = []
    for unit, limit in limits.largest_unit_first():
        blocked.extend(p for p in periods_overlapping(window, unit, tz) if index.count(p) >= limit)
    return normalize(blocked)


def duration_limit_blocks(
    limits: IntervalLimits,
    bookings: Sequence[Span],
    window: Span,
    tz: ZoneInfo,
    requested_minutes: int,
) -> list[Span]:
    """Periods where booked minutes plus the requested duration would exceed the limit."""
    index = BookingsByStart(bookings)
    blocked: list[Span] = []
    for unit, limit in limits.largest_unit_first():
        for period in periods_overlapping(window, unit, tz):
            # A duration longer than the limit can never fit, whatever is booked.
            if requested_minutes > limit or index.minutes(period) + requested_minutes > limit:
                blocked.append(period)
    return normalize(blocked)


def find_limit_violation(
    start: int,
    duration_minutes: int,
    tz: ZoneInfo,
    *,
    count_limits: IntervalLimits | None,
    count_bookings: Sequence[Span],
    duration_limits: IntervalLimits | None,
    duration_bookings: Sequence[Span],
) -> LimitViolation | None:
    """The first limit (smallest unit first, count before duration) a new booking would break."""
    day = local_date(start, tz)
    for unit in _SMALLEST_UNIT_FIRST:
        period = period_span(day, unit, tz)
        count_limit = _limit_of(count_limits, unit)
        if count_limit and _inside_count(count_bookings, period) >= count_limit:
            return LimitViolation("count", unit, count_limit)
        duration_limit = _limit_of(duration_limits, unit)
        if duration_limit and _inside_minutes(duration_bookings, period) + duration_minutes > duration_limit:
            return LimitViolation("duration", unit, duration_limit)
    return None


def _limit_of(limits: IntervalLimits | None, unit: LimitUnit) -> int | None:
    return None if limits is None else limits.of(unit)


def _inside_count(bookings: Sequence[Span], period: Span) -> int:
    return sum(1 for start, end in bookings if period[0] <= start and end <= period[1])


def _inside_minutes(bookings: Sequence[Span], period: Span) -> int:
    return sum((end - start) // _MINUTE for start, end in bookings if period[0] <= start and end <= period[1])
