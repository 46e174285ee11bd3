from __future__ import annotations

import pytest

from opencal.core.envelope import pagination_summary


@pytest.mark.parametrize(
    ("total", "skip", "take", "expected"),
    [
        (
            25,
            0,
            10,
            dict(
                returnedItems=10,
                remainingItems=15,
                totalPages=3,
                currentPage=1,
                hasNextPage=True,
                hasPreviousPage=False,
            ),
        ),
        (
            25,
            20,
            10,
            dict(
                returnedItems=5, remainingItems=0, totalPages=3, currentPage=3, hasNextPage=False, hasPreviousPage=True
            ),
        ),
        (
            25,
            100,
            10,
            dict(
                returnedItems=0, remainingItems=0, totalPages=3, currentPage=3, hasNextPage=False, hasPreviousPage=True
            ),
        ),
        (
            0,
            0,
            100,
            dict(
                returnedItems=0, remainingItems=0, totalPages=0, currentPage=0, hasNextPage=False, hasPreviousPage=False
            ),
        ),
        (
            10,
            5,
            10,
            dict(
                returnedItems=5, remainingItems=0, totalPages=1, currentPage=1, hasNextPage=False, hasPreviousPage=True
            ),
        ),
    ],
)
def test_bookings_pagination_summary(total: int, skip: int, take: int, expected: dict[str, object]) -> None:
    summary = pagination_summary(total, skip, take)
    assert summary["totalItems"] == total
    assert summary["itemsPerPage"] == take
    for key, value in expected.items():
        assert summary[key] == value, key
