"""Checks the booking service runs on one chosen start (BEHAVIOR §3.7, §3.8)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from .compute import event_length
from .instants import to_epoch, zone
from .limits import find_limit_violation
from .models import EventRules, LimitBooking, LimitViolation
from .window import future_bounds, outside_bounds

_MINUTE = 60


def is_in_past(start: datetime, now: datetime) -> bool:
    """'Attempting to book a meeting in the past.'"""
    return start < now


def violates_minimum_notice(event: EventRules, start: datetime, now: datetime) -> bool:
    """Whether `start` is earlier than now + the event's minimum notice."""
    return to_epoch(start) < to_epoch(now) + max(event.minimum_notice, 0) * _MINUTE


def outside_booking_window(
    event: EventRules, start: datetime, now: datetime, booker_time_zone: str | None = None
) -> bool:
    """Whether `start` is outside the event's booking window.

    A ROLLING_WINDOW period is not checked here, as in Cal.com at booking time: it depends on which
    days have slots, which only the slot computation knows.
    """
    bounds = future_bounds(
        event.booking_window,
        now=to_epoch(now),
        booker_tz=zone(booker_time_zone or "UTC"),
        event_tz=zone(event.time_zone),
    )
    return outside_bounds(to_epoch(start), bounds)


def booking_limit_violation(
    event: EventRules,
    start: datetime,
    bookings: Sequence[LimitBooking],
    *,
    duration: int | None = None,
    host_id: int | None = None,
    reschedule_uid: str | None = None,
) -> LimitViolation | None:
    """The booking/duration limit a new booking at `start` would break, or None.

    `bookings` are the event type's ACCEPTED bookings around `start`. Counts use all of them; the
    duration limit uses `host_id`'s own when given (as the slot computation does). Only bookings
    entirely inside a period count. A count limit is broken when the period already holds `limit`
    bookings; a duration limit when booked minutes plus this booking's exceed it.
    """
    counted = [b for b in bookings if reschedule_uid is None or b.uid != reschedule_uid]
    own = counted if host_id is None else [b for b in counted if b.host_id == host_id]
    return find_limit_violation(
        to_epoch(start),
        event_length(event, duration),
        zone(event.time_zone),
        count_limits=event.booking_limits,
        count_bookings=[(to_epoch(b.start), to_epoch(b.end)) for b in counted],
        duration_limits=event.duration_limits,
        duration_bookings=[(to_epoch(b.start), to_epoch(b.end)) for b in own],
    )
