"""Laying the slot grid over available ranges (BEHAVIOR §3.6, steps 1-2)."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from .instants import utc_offset_seconds
from .intervals import Span

_MINUTE = 60
_HOUR_MINUTES = 60
_ALIGNMENT_STEPS = (60, 30, 20, 15, 10, 5)


def alignment_step(frequency: int) -> int:
    """Minutes slot starts snap to: the first of 60, 30, 20, 15, 10, 5 dividing `frequency`, else 1."""
    return next((step for step in _ALIGNMENT_STEPS if frequency % step == 0), 1)


def align_up(start: int, step: int, tz: ZoneInfo) -> int:
    """`start` (a whole minute) moved up to the next minute-of-hour in `tz` divisible by `step`.

    Done in the booker's zone, so 09:00 in Asia/Kolkata (03:30 UTC) is already on the hourly grid
    for a Kolkata booker but moves to 04:00 UTC for a UTC booker.
    """
    if step == 1:
        return start
    minute = (start + utc_offset_seconds(start, tz)) // _MINUTE % _HOUR_MINUTES
    if minute % step == 0:
        return start
    rounded = -(-minute // step) * step  # ceil to the step; 60 rolls into the next hour
    return start + (rounded - minute) * _MINUTE


def generate_slot_starts(
    ranges: Sequence[Span],
    *,
    length: int,
    frequency: int,
    offset_start: int,
    tz: ZoneInfo,
    not_before: int,
) -> list[int]:
    """Slot starts (epoch seconds, ascending, unique) for a range list, Cal.com's way.

    Per range in start order: the candidate is max(range start, `not_before`) with seconds
    dropped, aligned up in `tz`, plus `offset_start`. If it falls within one step after an
    already emitted slot it snaps onto that slot's grid (back to that slot when it is not before
    the range, else one step on), so overlapping ranges of a team share one grid. Slots are then
    emitted every `frequency + offset_start` minutes while start + length - 1 s ≤ range end; the
    one-second slack is Cal.com's and keeps a slot that ends on a window end of 23:59:59.
    """
    length = max(length, 1) * _MINUTE
    step = alignment_step(max(frequency, 1))
    advance = (max(frequency, 1) + max(offset_start, 0)) * _MINUTE
    offset = max(offset_start, 0) * _MINUTE

    emitted: list[int] = []
    seen: set[int] = set()
    for range_start, range_end in sorted(ranges):
        candidate = max(range_start, not_before)
        candidate -= candidate % _MINUTE
        candidate = align_up(candidate, step, tz) + offset

        earlier = bisect_left(emitted, candidate)
        if earlier:
            previous = emitted[earlier - 1]
            if previous + advance > candidate:
                candidate = previous if previous >= range_start else previous + advance

        last_start = range_end - length + 1
        while candidate <= last_start:
            if candidate not in seen:
                seen.add(candidate)
                insort(emitted, candidate)
            candidate += advance
    return emitted
