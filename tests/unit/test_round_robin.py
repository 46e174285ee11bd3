"""The round-robin choice (BEHAVIOR.md §4.9): weights, then priority, then least recently booked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencal.scheduling.round_robin import Candidate, choose_host, shortfalls

T0 = datetime(2050, 9, 1, tzinfo=UTC)


def test_a_single_candidate_is_chosen_whatever_its_settings() -> None:
    only = Candidate(7, weight=1, priority=0, bookings=99, last_booked_at=T0)
    assert choose_host([only], pool=[only, Candidate(8, weight=1000)], weighted=True) is only


def test_no_candidate_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one candidate"):
        choose_host([])


def test_weights_share_bookings_in_proportion() -> None:
    """Two hosts weighted 2:1 take six bookings 4:2, in the order the shortfall dictates."""
    counts = {1: 0, 2: 0}
    weights = {1: 200, 2: 100}
    order = []
    for _ in range(6):
        pool = [Candidate(uid, weight=weights[uid], bookings=counts[uid]) for uid in (1, 2)]
        chosen = choose_host(pool, pool=pool, weighted=True)
        order.append(chosen.user_id)
        counts[chosen.user_id] += 1
    assert order == [1, 2, 1, 1, 2, 1]


def test_weights_count_the_whole_pool_not_only_the_free_hosts() -> None:
    # Host 3 is busy now but took most bookings: hosts 1 and 2 are both below their share; 2 the most.
    pool = [Candidate(1, bookings=2), Candidate(2, bookings=1), Candidate(3, bookings=9)]
    assert choose_host(pool[:2], pool=pool, weighted=True).user_id == 2


def test_shortfalls_are_exact() -> None:
    pool = [Candidate(1, weight=1, bookings=0), Candidate(2, weight=2, bookings=1)]
    assert shortfalls(pool) == {1: Fraction(1, 3), 2: Fraction(-1, 3)}


def test_weights_are_ignored_unless_enabled() -> None:
    hosts = [Candidate(1, weight=1, bookings=5, last_booked_at=T0), Candidate(2, weight=500, last_booked_at=T0)]
    assert choose_host(hosts, weighted=False).user_id == 1


def test_priority_comes_before_recency() -> None:
    hosts = [
        Candidate(1, priority=2, last_booked_at=None),
        Candidate(2, priority=4, last_booked_at=T0 + timedelta(days=1)),
        Candidate(3, priority=4, last_booked_at=T0),
    ]
    assert choose_host(hosts).user_id == 3


def test_least_recently_booked_never_booked_first_then_lowest_id() -> None:
    hosts = [Candidate(5, last_booked_at=T0), Candidate(9), Candidate(4)]
    assert choose_host(hosts).user_id == 4
    assert choose_host([hosts[0], Candidate(6, last_booked_at=T0 - timedelta(minutes=1))]).user_id == 6


candidates = st.lists(
    st.builds(
        Candidate,
        user_id=st.integers(1, 50),
        weight=st.integers(0, 300),
        priority=st.integers(0, 4),
        bookings=st.integers(0, 20),
        last_booked_at=st.one_of(st.none(), st.integers(0, 1000).map(lambda m: T0 + timedelta(minutes=m))),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda c: c.user_id,
)


@given(candidates, st.booleans())
def test_the_choice_is_a_candidate_of_the_highest_priority_among_those_left(
    hosts: list[Candidate], weighted: bool
) -> None:
    chosen = choose_host(hosts, pool=hosts, weighted=weighted)
    assert chosen in hosts
    if not weighted:
        assert chosen.priority == max(host.priority for host in hosts)
    # The choice does not depend on the order the candidates come in.
    assert choose_host(list(reversed(hosts)), pool=hosts, weighted=weighted) == chosen
