"""Team-level booking limits (BEHAVIOR.md §3.7): per host, over all the team's event types.

A team's `bookingLimits` count each host's ACCEPTED bookings of every event type of the team (and
of the managed event types' per-member copies when the team includes them) and block that host
the same way an event type's own count limit blocks the event: a period already holding `limit`
bookings is busy from its first to its last instant. Periods are read in the event's zone.

    TeamLimits(limits, time_zone, bookings_by_host)
    .fetch_window(start, end)                  -> which bookings the caller must load
    .blocked(host_id, start, end, ...)         -> the host's blocked periods, for `extra_busy`
    .violation(host_id, start, minutes, ...)   -> the limit a booking would break, or None

Like the event-level limits, the slot computation puts a booking in the period of its start and
the booking-time check counts only bookings lying entirely inside the period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from opencal.availability.instants import from_epoch, to_epoch, zone
from opencal.availability.intervals import Span
from opencal.availability.limits import count_limit_blocks, fetch_window, find_limit_violation
from opencal.availability.models import IntervalLimits, LimitBooking, LimitViolation, TimeSpan


@dataclass(frozen=True)
class TeamLimits:
    """A team's count limits and, per host, the bookings they count.

    `bookings_by_host` holds each host's ACCEPTED bookings of the team's event types (as organizer
    or co-host) around the window being evaluated; `host_id` of each booking is that host.
    """

    limits: IntervalLimits
    time_zone: str
    bookings_by_host: Mapping[int, Sequence[LimitBooking]] = field(default_factory=dict)

    def fetch_window(self, start: datetime, end: datetime) -> tuple[datetime, datetime]:
        """The span whose bookings must be loaded to evaluate the limits over [start, end)."""
        first, last = fetch_window((to_epoch(start), to_epoch(end)), zone(self.time_zone), self.limits)
        return from_epoch(first), from_epoch(last)

    def blocked(
        self,
        host_id: int,
        start: datetime,
        end: datetime,
        *,
        reschedule_uid: str | None = None,
    ) -> list[TimeSpan]:
        """The periods touching [start, end) in which `host_id` has reached a team limit."""
        spans = self._spans(host_id, reschedule_uid)
        if not spans:
            return []
        window = (to_epoch(start), to_epoch(end))
        blocks = count_limit_blocks(self.limits, spans, window, zone(self.time_zone))
        return [TimeSpan(start=from_epoch(first), end=from_epoch(last)) for first, last in blocks]

    def violation(
        self,
        host_id: int,
        start: datetime,
        minutes: int,
        *,
        reschedule_uid: str | None = None,
        also: Sequence[TimeSpan] = (),
    ) -> LimitViolation | None:
        """The team limit a new booking of `host_id` at `start` would break, or None.

        `also` are bookings of the same request already accepted (the earlier occurrences of a
        recurring booking), which count like stored ones.
        """
        spans = [*self._spans(host_id, reschedule_uid), *((to_epoch(b.start), to_epoch(b.end)) for b in also)]
        return find_limit_violation(
            to_epoch(start),
            minutes,
            zone(self.time_zone),
            count_limits=self.limits,
            count_bookings=spans,
            duration_limits=None,
            duration_bookings=(),
        )

    def _spans(self, host_id: int, reschedule_uid: str | None) -> list[Span]:
        return [
            (to_epoch(booking.start), to_epoch(booking.end))
            for booking in self.bookings_by_host.get(host_id, ())
            if reschedule_uid is None or booking.uid != reschedule_uid
        ]
