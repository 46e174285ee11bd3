"""Interval algebra over half-open spans of integer epoch seconds.

Two shapes of list are used:

* a *span list* is sorted, non-empty spans that neither overlap nor touch (what `normalize`
  returns). `union`, `intersect`, `intersect_all`, `subtract`, `contains` and `overlaps` take and
  return span lists.
* a *range list* may overlap but no range contains another, so starts and ends are both strictly
  increasing (what `drop_contained` returns). Team availability is a range list: each range is
  time that one combination of hosts can cover, and a slot must fit inside one range, never
  straddle two (§3.5). Every span list is also a range list.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import chain

Span = tuple[int, int]
"""[start, end) in UTC epoch seconds."""

_AFTER_ANY_END = 1 << 62


def normalize(spans: Iterable[Span]) -> list[Span]:
    """Sort, drop empty spans and merge overlapping or touching ones into a span list."""
    merged: list[Span] = []
    for start, end in sorted(span for span in spans if span[0] < span[1]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def union(*span_lists: Iterable[Span]) -> list[Span]:
    """Everything covered by any of the lists."""
    return normalize(chain.from_iterable(span_lists))


def intersect(first: Sequence[Span], second: Sequence[Span]) -> list[Span]:
    """What two span lists have in common."""
    common: list[Span] = []
    i = j = 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            common.append((start, end))
        if first[i][1] <= second[j][1]:
            i += 1
        else:
            j += 1
    return common


def intersect_all(span_lists: Sequence[Sequence[Span]]) -> list[Span]:
    """What every span list has in common (nothing when there are no lists)."""
    if not span_lists:
        return []
    common = list(span_lists[0])
    for spans in span_lists[1:]:
        if not common:
            break
        common = intersect(common, spans)
    return common


def subtract(source: Sequence[Span], removed: Sequence[Span]) -> list[Span]:
    """The parts of `source` not covered by `removed`; touching does not cut."""
    kept: list[Span] = []
    j = 0
    for start, end in source:
        cursor = start
        while j < len(removed) and removed[j][1] <= cursor:
            j += 1
        k = j
        while k < len(removed) and removed[k][0] < end:
            if removed[k][0] > cursor:
                kept.append((cursor, removed[k][0]))
            cursor = max(cursor, removed[k][1])
            k += 1
        if cursor < end:
            kept.append((cursor, end))
    return kept


def contains(spans: Sequence[Span], start: int, end: int) -> bool:
    """Whether [start, end) lies inside one span of a span list."""
    index = bisect_right(spans, (start, _AFTER_ANY_END)) - 1
    return index >= 0 and spans[index][0] <= start and end <= spans[index][1]


def overlaps(spans: Sequence[Span], start: int, end: int) -> bool:
    """Whether [start, end) shares any time with a span list (touching is not overlapping)."""
    index = bisect_left(spans, (end, -_AFTER_ANY_END))
    return index > 0 and spans[index - 1][1] > start


def drop_contained(ranges: Iterable[Span]) -> list[Span]:
    """A range list: empty ranges, duplicates and ranges inside another range removed."""
    kept: list[Span] = []
    furthest_end = -_AFTER_ANY_END
    # Longest first among equal starts, so a later range is contained iff it ends no further.
    for start, end in sorted((r for r in ranges if r[0] < r[1]), key=lambda r: (r[0], -r[1])):
        if end > furthest_end:
            kept.append((start, end))
            furthest_end = end
    return kept


def intersect_ranges(first: Sequence[Span], second: Sequence[Span]) -> list[Span]:
    """Every non-empty overlap of one range of `first` with one range of `second`, as a range list.

    Both inputs must be range lists; their starts and ends increase, so the ranges of `second`
    that meet a given range of `first` are one contiguous run, found by bisection.
    """
    second_starts = [r[0] for r in second]
    second_ends = [r[1] for r in second]
    pieces: list[Span] = []
    for start, end in first:
        lo = bisect_right(second_ends, start)
        hi = bisect_left(second_starts, end)
        for k in range(lo, hi):
            pieces.append((max(start, second[k][0]), min(end, second[k][1])))
    return drop_contained(pieces)
