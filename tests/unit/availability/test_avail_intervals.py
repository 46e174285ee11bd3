"""Interval algebra, checked against examples and against a set-of-points model."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from opencal.availability.intervals import (
    Span,
    contains,
    drop_contained,
    intersect,
    intersect_all,
    intersect_ranges,
    normalize,
    overlaps,
    subtract,
    union,
)

spans_strategy = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)).map(lambda p: (min(p), max(p))), max_size=8)


def points(spans: list[Span]) -> set[int]:
    return {t for start, end in spans for t in range(start, end)}


def is_span_list(spans: list[Span]) -> bool:
    return all(s < e for s, e in spans) and all(a[1] < b[0] for a, b in pairwise(spans))


def test_normalize_merges_overlapping_and_touching_and_drops_empty() -> None:
    assert normalize([(5, 7), (1, 3), (3, 4), (6, 9), (10, 10), (12, 11)]) == [(1, 4), (5, 9)]


def test_subtract_touching_does_not_cut() -> None:
    assert subtract([(0, 10)], [(10, 12)]) == [(0, 10)]
    assert subtract([(0, 10)], [(-2, 0)]) == [(0, 10)]
    assert subtract([(0, 10), (20, 30)], [(2, 4), (8, 22), (29, 40)]) == [(0, 2), (4, 8), (22, 29)]


def test_intersect_all_of_nothing_is_nothing() -> None:
    assert intersect_all([]) == []
    assert intersect_all([[(0, 10)], [(5, 15)], [(8, 20)]]) == [(8, 10)]


def test_contains_and_overlaps_edges() -> None:
    spans = [(0, 10), (20, 30)]
    assert contains(spans, 0, 10)
    assert contains(spans, 20, 25)
    assert not contains(spans, 5, 21)
    assert not contains(spans, -1, 3)
    assert not overlaps(spans, 10, 20)
    assert overlaps(spans, 9, 20)
    assert overlaps(spans, 10, 21)
    assert not overlaps([], 0, 1)


def test_drop_contained_keeps_one_of_duplicates_and_partial_overlaps() -> None:
    assert drop_contained([(0, 10), (2, 5), (0, 10), (8, 12), (0, 4)]) == [(0, 10), (8, 12)]


def test_intersect_ranges_keeps_pieces_side_by_side() -> None:
    # Two hosts 9-10 and 10-11 do not make a 9:30-10:30 slot possible.
    assert intersect_ranges([(0, 100)], [(9, 10), (10, 11)]) == [(9, 10), (10, 11)]
    # (0, 5) meets (4, 6) in (4, 5), which (3, 12) covers better with (4, 6).
    assert intersect_ranges([(0, 5), (3, 12)], [(4, 6), (10, 20)]) == [(4, 6), (10, 12)]


@given(spans_strategy)
def test_normalize_model(spans: list[Span]) -> None:
    result = normalize(spans)
    assert is_span_list(result)
    assert points(result) == points(spans)


@given(spans_strategy, spans_strategy)
def test_binary_operations_model(a: list[Span], b: list[Span]) -> None:
    na, nb = normalize(a), normalize(b)
    assert union(a, b) == normalize(a + b)
    assert points(union(a, b)) == points(a) | points(b)
    assert is_span_list(intersect(na, nb))
    assert points(intersect(na, nb)) == points(a) & points(b)
    assert is_span_list(subtract(na, nb))
    assert points(subtract(na, nb)) == points(a) - points(b)


@given(spans_strategy, st.integers(0, 60), st.integers(1, 20))
def test_contains_and_overlaps_model(a: list[Span], start: int, width: int) -> None:
    spans = normalize(a)
    wanted = set(range(start, start + width))
    assert contains(spans, start, start + width) == any(wanted <= set(range(s, e)) for s, e in spans)
    assert overlaps(spans, start, start + width) == bool(wanted & points(spans))


@given(spans_strategy, spans_strategy)
def test_intersect_ranges_model(a: list[Span], b: list[Span]) -> None:
    ra, rb = drop_contained(a), drop_contained(b)
    result = intersect_ranges(ra, rb)
    expected = drop_contained(
        (max(x[0], y[0]), min(x[1], y[1])) for x in ra for y in rb if max(x[0], y[0]) < min(x[1], y[1])
    )
    assert result == expected
    starts, ends = [r[0] for r in result], [r[1] for r in result]
    assert starts == sorted(set(starts))
    assert ends == sorted(set(ends))
