"""Bookings as the 2024-08-13 API shows them (BEHAVIOR.md §4.8, §4.7).

One booking is `BookingOutput_2024_08_13`, plus `recurringBookingUid` when it belongs to a series;
a booking of a seated event type is `GetSeatedBookingOutput_2024_08_13` (attendees with their seat),
plus `seatUid` right after a seat was taken. `load_contexts` fetches what the outputs of several
bookings need in three queries whatever their number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.util import identity_key

from opencal.core.envelope import iso_utc
from opencal.models import Attendee, Booking, BookingSeat, User
from opencal.models.event_types import EventType

# Metadata keys the server writes for itself; the API shows only what callers stored.
INTERNAL_METADATA_KEYS = frozenset({"videoCallUrl"})
_Row = TypeVar("_Row", User, EventType)
# Managed users' emails carry `+<OAuth client id>`; the display form drops it.
_CLIENT_SUFFIX = re.compile(r"\+[a-zA-Z0-9]{25}")


@dataclass(frozen=True)
class BookingContext:
    """What a booking's output needs besides the booking row: organizer, event type, seats."""

    organizer: User | None
    event_type: EventType | None
    seats: Mapping[int, BookingSeat] = field(default_factory=dict)

    @property
    def seated(self) -> bool:
        return bool(self.event_type is not None and self.event_type.seats_per_time_slot)


async def _rows_by_id(session: AsyncSession, model: type[_Row], ids: set[int]) -> dict[int, _Row]:
    """Rows by primary key: those the session already holds, the others in one query."""
    found: dict[int, _Row] = {}
    for row_id in ids:
        held = session.identity_map.get(identity_key(model, row_id))
        if held is not None:
            found[row_id] = held
    missing = ids - set(found)
    if missing:
        primary_key = model.__mapper__.primary_key[0]
        for row in (await session.scalars(select(model).where(primary_key.in_(missing)))).all():
            found[row.id] = row
    return found


async def load_contexts(session: AsyncSession, bookings: Sequence[Booking]) -> dict[int, BookingContext]:
    users = await _rows_by_id(session, User, {b.user_id for b in bookings if b.user_id is not None})
    event_types = await _rows_by_id(
        session, EventType, {b.event_type_id for b in bookings if b.event_type_id is not None}
    )
    seats: dict[int, dict[int, BookingSeat]] = {}
    seated = [b.id for b in bookings if (e := event_types.get(b.event_type_id or -1)) and e.seats_per_time_slot]
    if seated:
        for seat in (await session.scalars(select(BookingSeat).where(BookingSeat.booking_id.in_(seated)))).all():
            seats.setdefault(seat.booking_id, {})[seat.attendee_id] = seat
    return {
        b.id: BookingContext(
            organizer=users.get(b.user_id) if b.user_id is not None else None,
            event_type=event_types.get(b.event_type_id) if b.event_type_id is not None else None,
            seats=seats.get(b.id, {}),
        )
        for b in bookings
    }


async def load_context(session: AsyncSession, booking: Booking) -> BookingContext:
    return (await load_contexts(session, [booking]))[booking.id]


def display_email(email: str) -> str:
    return _CLIENT_SUFFIX.sub("", email)


def user_metadata(metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    return {key: value for key, value in (metadata or {}).items() if key not in INTERNAL_METADATA_KEYS}


def _host(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "displayEmail": display_email(user.email),
        "username": user.username or "unknown",
        "timeZone": user.time_zone,
    }


def _attendee(attendee: Attendee) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": attendee.name,
        "email": attendee.email,
        "displayEmail": display_email(attendee.email),
        "timeZone": attendee.time_zone,
        "language": attendee.locale,
        "absent": attendee.absent,
    }
    if attendee.phone_number:
        out["phoneNumber"] = attendee.phone_number
    return out


def _seated_attendee(attendee: Attendee, seat: BookingSeat | None) -> dict[str, Any]:
    out = _attendee(attendee)
    responses = dict((seat.data or {}).get("responses") or {}) if seat else {}
    responses.pop("email", None)  # a seat's answers are shown without the email, as Cal.com does
    if seat is not None:
        out["seatUid"] = seat.uid
    out["bookingFieldsResponses"] = responses
    out["metadata"] = dict(seat.metadata_ or {}) if seat else {}
    return out


def _responses(responses: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(responses)
    if isinstance(out.get("email"), str):
        out["displayEmail"] = display_email(out["email"])
    if isinstance(out.get("guests"), list):
        out["displayGuests"] = [display_email(str(guest)) for guest in out["guests"]]
    return out


def booking_output(
    booking: Booking,
    context: BookingContext,
    *,
    show_attendees: bool = True,
    seat_uid: str | None = None,
    seated_shape: bool = True,
) -> dict[str, Any]:
    """The output of one booking, in the shape its kind calls for (`seated_shape=False`: never the
    seated shape, for the operations whose answer is always `BookingOutput_2024_08_13`)."""
    seated = context.seated and seated_shape
    duration = int((booking.end_time - booking.start_time).total_seconds() // 60)
    # The video meeting made for the booking, if any, is where it takes place.
    video_call_url = (booking.metadata_ or {}).get("videoCallUrl") or None
    event_type = context.event_type
    out: dict[str, Any] = {
        "id": booking.id,
        "uid": booking.uid,
        "title": booking.title,
        "description": booking.description or "",
        "hosts": [_host(context.organizer)] if context.organizer is not None else [],
        "status": booking.status.lower(),
    }
    optional = {
        "cancellationReason": booking.cancellation_reason,
        "cancelledByEmail": booking.cancelled_by_email,
        "reschedulingReason": booking.rescheduling_reason,
        "rescheduledByEmail": booking.rescheduled_by_email,
        "rescheduledFromUid": booking.from_reschedule,
        "rescheduledToUid": booking.rescheduled_to_uid,
    }
    out.update({key: value for key, value in optional.items() if value})
    out.update(
        {
            "start": iso_utc(booking.start_time),
            "end": iso_utc(booking.end_time),
            "duration": duration,
            "eventTypeId": booking.event_type_id,
            "eventType": {"id": event_type.id, "slug": event_type.slug} if event_type is not None else None,
            "meetingUrl": video_call_url or booking.location,
            "location": video_call_url or booking.location,
            "absentHost": booking.absent_host,
            "createdAt": iso_utc(booking.created_at),
            "updatedAt": iso_utc(booking.updated_at),
            "metadata": user_metadata(booking.metadata_),
        }
    )
    if booking.rating is not None:
        out["rating"] = booking.rating
    if booking.ics_uid:
        out["icsUid"] = booking.ics_uid
    attendees = [attendee for attendee in booking.attendees if not attendee.is_host or not seated]
    if seated:
        out["attendees"] = (
            [_seated_attendee(a, context.seats.get(a.id)) for a in attendees if not a.is_host] if show_attendees else []
        )
        if seat_uid is not None:
            out["seatUid"] = seat_uid
    else:
        out["attendees"] = [_attendee(attendee) for attendee in attendees]
        guests = (booking.responses or {}).get("guests")
        if isinstance(guests, list):
            out["guests"] = list(guests)
        out["bookingFieldsResponses"] = _responses(booking.responses or {})
    if booking.recurring_booking_uid:
        out["recurringBookingUid"] = booking.recurring_booking_uid
    return out
