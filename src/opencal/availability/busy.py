"""Busy time of one host for one event type, buffers included (BEHAVIOR §3.3)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set

from .instants import to_epoch
from .intervals import Span, normalize, subtract
from .models import BusyBooking, EventRules, TimeSpan

_MINUTE = 60


def open_seat_uids(rules: EventRules, attendees_by_uid: dict[str, int]) -> frozenset[str]:
    """Uids of the event's own seated bookings that still have a free seat."""
    if not rules.seats_per_slot:
        return frozenset()
    return frozenset(uid for uid, count in attendees_by_uid.items() if count < rules.seats_per_slot)


def booking_busy_spans(
    bookings: Iterable[BusyBooking],
    rules: EventRules,
    *,
    reschedule_uid: str | None = None,
    open_seats: Set[str] = frozenset(),
) -> list[Span]:
    """Each booking widened crosswise by the buffers of both event types.

    A booking B blocks [B.start - (B.before + E.after), B.end + (B.after + E.before)]: whichever
    side the new event E lands on, the gap covers both events' buffers on that side. The booking
    being rescheduled is ignored. A booking of E itself with a free seat blocks only its buffers,
    so more attendees can still join it.
    """
    spans: list[Span] = []
    for booking in bookings:
        if reschedule_uid is not None and booking.uid == reschedule_uid:
            continue
        start, end = to_epoch(booking.start), to_epoch(booking.end)
        before = (booking.before_buffer + rules.after_buffer) * _MINUTE
        after = (booking.after_buffer + rules.before_buffer) * _MINUTE
        if _has_open_seat(booking, rules, open_seats):
            spans.append((start - before, start))
            spans.append((end, end + after))
        else:
            spans.append((start - before, end + after))
    return spans


def calendar_busy_spans(blocks: Iterable[TimeSpan], rules: EventRules, *, not_busy: Sequence[Span] = ()) -> list[Span]:
    """External calendar blocks widened by the event's own buffers.

    `not_busy` (open seated bookings, the booking being rescheduled) is cut out first: those
    bookings are on the external calendar too and must not block themselves.
    """
    raw = normalize((to_epoch(block.start), to_epoch(block.end)) for block in blocks)
    kept = subtract(raw, normalize(not_busy)) if not_busy else raw
    before = rules.after_buffer * _MINUTE
    after = rules.before_buffer * _MINUTE
    return [(start - before, end + after) for start, end in kept]


def unbuffered_spans(bookings: Iterable[BusyBooking], uids: Set[str]) -> list[Span]:
    """The plain time of the bookings whose uid is in `uids`."""
    return [
        (to_epoch(booking.start), to_epoch(booking.end))
        for booking in bookings
        if booking.uid is not None and booking.uid in uids
    ]


def _has_open_seat(booking: BusyBooking, rules: EventRules, open_seats: Set[str]) -> bool:
    return booking.event_type_id == rules.id and booking.uid is not None and booking.uid in open_seats
