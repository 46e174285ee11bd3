"""Seat counts per start of a seated event (BEHAVIOR §3.9 and §3.4)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .instants import to_epoch
from .models import Reservation, SeatAvailability, SeatedBooking


@dataclass(frozen=True, slots=True)
class SeatTally:
    attendees: int
    booking_uid: str | None


def seat_tallies(
    event_id: int, bookings: Iterable[SeatedBooking], reservations: Iterable[Reservation]
) -> dict[int, SeatTally]:
    """Attendees per start (epoch seconds): the seated booking there plus seat holds of the event.

    If two bookings share a start (two round-robin hosts), the one with the smallest uid is shown,
    so the answer does not depend on input order.
    """
    tallies: dict[int, SeatTally] = {}
    for booking in sorted(bookings, key=lambda b: b.uid):
        tallies.setdefault(to_epoch(booking.start), SeatTally(booking.attendees, booking.uid))
    for hold in reservations:
        if hold.is_seat and hold.event_type_id == event_id:
            start = to_epoch(hold.start)
            tally = tallies.get(start, SeatTally(0, None))
            tallies[start] = SeatTally(tally.attendees + 1, tally.booking_uid)
    return tallies


def seat_availability(tally: SeatTally | None, seats_per_slot: int) -> SeatAvailability | None:
    """What a slot shows for its seats; None when it is full (a full slot is not offered)."""
    booked = tally.attendees if tally else 0
    if booked >= seats_per_slot:
        return None
    return SeatAvailability(
        booked=booked,
        remaining=seats_per_slot - booked,
        total=seats_per_slot,
        booking_uid=tally.booking_uid if tally else None,
    )
