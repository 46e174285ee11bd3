"""Which round-robin host takes a booking (BEHAVIOR.md §4.9), as a pure function over plain data.

    choose_host(candidates, pool=everyone, weighted=True) -> the chosen Candidate

`candidates` are the round-robin hosts free for the whole booking (at least one); `pool` is every
round-robin host the booking could have gone to (the event's, or its host group's), with their
bookings in the current interval: it sets each host's target share. The rules, in order:

1. a single candidate is chosen;
2. when the event weighs its hosts, keep the candidates furthest below their target share
   (weight / total weight of the pool x bookings of the pool - own bookings), then the heaviest;
3. keep the highest priority (API `lowest..highest` = 0..4);
4. take the least recently booked (never booked first), then the lowest user id, so the choice is
   deterministic.

Shares are compared as exact fractions: a float rounding must never decide who gets a meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction

DEFAULT_WEIGHT = 100
DEFAULT_PRIORITY = 2  # "medium"
PRIORITIES = ("lowest", "low", "medium", "high", "highest")
_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Candidate:
    user_id: int
    weight: int = DEFAULT_WEIGHT
    priority: int = DEFAULT_PRIORITY
    # Bookings of the event this host took in the current interval (as organizer or co-host).
    bookings: int = 0
    # When this host was last given a booking of the event; None if never.
    last_booked_at: datetime | None = None


def _keep_best(candidates: list[Candidate], score: Callable[[Candidate], Fraction | int]) -> list[Candidate]:
    best = max(score(candidate) for candidate in candidates)
    return [candidate for candidate in candidates if score(candidate) == best]


def shortfalls(pool: Sequence[Candidate]) -> dict[int, Fraction]:
    """How far each host of the pool is below (positive) or above its weighted share of the bookings."""
    total_weight = sum(host.weight for host in pool)
    total_bookings = sum(host.bookings for host in pool)
    if total_weight <= 0:
        return {host.user_id: Fraction(-host.bookings) for host in pool}
    return {host.user_id: Fraction(host.weight * total_bookings, total_weight) - host.bookings for host in pool}


def choose_host(
    candidates: Sequence[Candidate], *, pool: Sequence[Candidate] | None = None, weighted: bool = False
) -> Candidate:
    if not candidates:
        raise ValueError("choose_host needs at least one candidate")
    remaining = sorted(candidates, key=lambda candidate: candidate.user_id)
    if len(remaining) == 1:
        return remaining[0]
    if weighted:
        members = {host.user_id: host for host in pool or ()}
        members.update({candidate.user_id: candidate for candidate in remaining if candidate.user_id not in members})
        below = shortfalls(list(members.values()))
        remaining = _keep_best(remaining, lambda candidate: below[candidate.user_id])
        remaining = _keep_best(remaining, lambda candidate: candidate.weight)
    remaining = _keep_best(remaining, lambda candidate: candidate.priority)
    return min(
        remaining,
        key=lambda candidate: (
            candidate.last_booked_at is not None,
            candidate.last_booked_at or _NEVER,
            candidate.user_id,
        ),
    )
