"""Which round-robin host takes a booking (BEHAVIOR.md §4.9): the data, loaded for the pure rules of
`opencal.scheduling.round_robin.choose_host`.

The pool is every round-robin host of the candidates' host groups; each host's bookings of the event
type this calendar month (UTC, by creation; as organizer or co-host) set the weighted shares, which
count once a host of the event has a weight. Booking and reassignment use the same function.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.models import Booking, BookingHost
from opencal.models.bookings import ACCEPTED, PENDING
from opencal.models.event_types import EventType
from opencal.scheduling.round_robin import DEFAULT_PRIORITY, DEFAULT_WEIGHT, Candidate, choose_host
from opencal.slots.engine import HostRef, event_hosts


async def choose_round_robin_host(
    session: AsyncSession, event_type: EventType, candidates: Sequence[HostRef], now: datetime
) -> HostRef:
    """One of `candidates` (round-robin hosts free for the booking; at least one)."""
    round_robin = [host for host in event_hosts(event_type) if not host.is_fixed]
    groups = {host.group_id for host in candidates}
    pool = [host for host in round_robin if host.group_id in groups] or list(candidates)
    user_ids = sorted({host.user_id for host in [*pool, *candidates]})
    month_start = datetime(now.year, now.month, 1, tzinfo=UTC)
    this_month = case((Booking.created_at >= month_start, 1), else_=0)
    history = {
        user_id: (int(count or 0), last)
        for user_id, count, last in (
            await session.execute(
                select(BookingHost.user_id, func.sum(this_month), func.max(Booking.created_at))
                .join(Booking, Booking.id == BookingHost.booking_id)
                .where(
                    Booking.event_type_id == event_type.id,
                    Booking.status.in_((ACCEPTED, PENDING)),
                    BookingHost.user_id.in_(user_ids),
                )
                .group_by(BookingHost.user_id)
            )
        ).all()
    }

    def candidate(host: HostRef) -> Candidate:
        count, last = history.get(host.user_id, (0, None))
        return Candidate(
            user_id=host.user_id,
            weight=DEFAULT_WEIGHT if host.weight is None else host.weight,
            priority=DEFAULT_PRIORITY if host.priority is None else host.priority,
            bookings=count,
            last_booked_at=last,
        )

    chosen = choose_host(
        [candidate(host) for host in candidates],
        pool=[candidate(host) for host in pool],
        weighted=any(host.weight is not None for host in round_robin),
    )
    return next(host for host in candidates if host.user_id == chosen.user_id)
