"""What happens to a booking after it is made: cancel, confirm, decline, mark absent, add guests,
change its location (BEHAVIOR.md §4.5, §4.7, §4.10).

Each operation is one write transaction that also writes its webhook event. Confirming re-checks,
under the same host locks as a new booking, that no other booking took the time meanwhile: a
pending booking does not block its slot, so another one may have been accepted there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, time
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal import availability as avail
from opencal.bookings.access import can_manage, is_attendee
from opencal.bookings.events import booking_event, no_show_event
from opencal.bookings.output import load_context, load_contexts
from opencal.bookings.placement import lock_users, unavailable
from opencal.bookings.schemas import (
    AddGuestsInput_2024_08_13,
    CancelBookingInput_2024_08_13,
    CancelSeatedBookingInput_2024_08_13,
    MarkAbsentBookingInput_2024_08_13,
    UpdateBookingInputAttendeeAddressLocation_2024_08_13,
    UpdateBookingInputAttendeeDefinedLocation_2024_08_13,
    UpdateBookingInputAttendeePhoneLocation_2024_08_13,
    UpdateBookingInputLinkLocation_2024_08_13,
    UpdateBookingInputPhoneLocation_2024_08_13,
    UpdateBookingLocationInput_2024_08_13,
    UpdateInputAddressLocation_2024_08_13,
)
from opencal.bookings.service import booking_by_uid, booking_transaction, outputs, series, single_output
from opencal.conferencing.rooms import VIDEO_CALL_URL, CalVideo, show_rooms
from opencal.core import clock
from opencal.core.auth import Principal
from opencal.core.db import Database
from opencal.core.envelope import iso_utc
from opencal.core.errors import BadRequest, Forbidden, NotFound
from opencal.models import Attendee, Booking, BookingHost, BookingSeat, User
from opencal.models.bookings import ACCEPTED, CANCELLED, PENDING, REJECTED
from opencal.models.event_types import EventType
from opencal.slots.engine import HostRef, load_scheduling

HOST_NEEDS_REASON = "Cancellation reason is required when you are the host"
CANCELLING_DISABLED = "This event type does not allow cancellations"
MAX_GUESTS_PER_BOOKING = 30
# A host re-checked at confirmation may be busy, not outside hours: its hours may have changed since.
_ALWAYS = avail.Schedule(
    time_zone="UTC", weekly=(avail.WeeklyRule(days=frozenset(range(7)), start=time(0, 0), end=time(23, 59)),)
)
_CLOSED = (CANCELLED, REJECTED)


async def _booking(session: AsyncSession, uid: str, message: str) -> Booking:
    booking = await booking_by_uid(session, uid, lock=True)
    if booking is None:
        raise NotFound(message)
    return booking


async def _event_type(session: AsyncSession, booking: Booking) -> EventType | None:
    return await session.get(EventType, booking.event_type_id) if booking.event_type_id is not None else None


async def _email_of(session: AsyncSession, principal: Principal | None) -> str | None:
    user = await session.get(User, principal.user_id) if principal is not None else None
    return user.email if user is not None else None


async def _require_manager(
    session: AsyncSession, principal: Principal, booking: Booking, action: str
) -> EventType | None:
    event_type = await _event_type(session, booking)
    if not await can_manage(session, principal, booking, event_type):
        raise Forbidden(f"User with id={principal.user_id} is not allowed to {action} booking with uid={booking.uid}")
    return event_type


# -- cancel ---------------------------------------------------------------------------------------


async def cancel_booking(
    db: Database,
    uid: str,
    body: CancelBookingInput_2024_08_13 | CancelSeatedBookingInput_2024_08_13,
    principal: Principal | None,
) -> Any:
    """A booking, one seat of it, it and the later occurrences of its series, or a whole series."""
    now = clock.now()
    async with db.write() as session:
        if isinstance(body, CancelSeatedBookingInput_2024_08_13):
            seat = await session.scalar(select(BookingSeat).where(BookingSeat.uid == body.seatUid))
            if seat is None:
                raise BadRequest("Invalid seatUid: this seat does not exist or has already been cancelled.")
            seat_booking = await session.get(Booking, seat.booking_id)
            if seat_booking is None or seat_booking.uid != uid:
                raise BadRequest("Invalid seatUid: this seat does not belong to this booking.")
        booking = await booking_by_uid(session, uid, lock=True)
        if booking is None:
            return await _cancel_series(session, uid, body, principal, now)
        if booking.status == CANCELLED:
            raise BadRequest(
                f"Can't cancel booking with uid={uid} because it has been cancelled already. Please provide uid of a "
                "booking that is not cancelled."
            )
        reason = body.cancellationReason
        await _check_may_cancel(session, principal, booking, reason)
        cancelled_by = await _email_of(session, principal)
        if isinstance(body, CancelSeatedBookingInput_2024_08_13):
            await _cancel_seat(session, booking, body.seatUid, reason, cancelled_by, now)
            return await single_output(session, booking, principal)
        if body.cancelSubsequentBookings:
            if booking.recurring_booking_uid is None:
                raise BadRequest(f"Booking with bookingUid={uid} is not part of a recurring booking.")
            occurrences = await series(session, booking.recurring_booking_uid)
            later = [b for b in occurrences if b.start_time >= booking.start_time and b.status not in _CLOSED]
            await _cancel_all(session, later, reason, cancelled_by, now)
            return await outputs(session, occurrences, principal)
        await _cancel_all(session, [booking], reason, cancelled_by, now)
        return await single_output(session, booking, principal)


async def _cancel_series(
    session: AsyncSession,
    recurring_uid: str,
    body: CancelBookingInput_2024_08_13 | CancelSeatedBookingInput_2024_08_13,
    principal: Principal | None,
    now: datetime,
) -> list[dict[str, Any]]:
    """Cancelling by the series uid cancels every occurrence still to come."""
    occurrences = await series(session, recurring_uid)
    if not occurrences:
        raise NotFound(f"Booking with uid={recurring_uid} not found")
    if isinstance(body, CancelBookingInput_2024_08_13) and body.cancelSubsequentBookings:
        raise BadRequest(
            "Cannot cancel subsequent bookings for recurring event - you have to provide uid of one of the individual "
            "bookings of a recurring booking."
        )
    await _check_may_cancel(session, principal, occurrences[0], body.cancellationReason)
    remaining = [b for b in occurrences if b.status not in _CLOSED and b.end_time > now]
    await _cancel_all(session, remaining, body.cancellationReason, await _email_of(session, principal), now)
    return await outputs(session, occurrences, principal)


async def _check_may_cancel(
    session: AsyncSession, principal: Principal | None, booking: Booking, reason: str | None
) -> None:
    """A host must give a reason; only a host may cancel when the event type disables cancelling."""
    hosting = principal is not None and (
        principal.user_id == booking.user_id
        or bool(
            await session.scalar(
                select(func.count())
                .select_from(BookingHost)
                .where(BookingHost.booking_id == booking.id, BookingHost.user_id == principal.user_id)
            )
        )
    )
    if hosting and not (reason or "").strip():
        raise BadRequest(HOST_NEEDS_REASON, top_level_message=True)
    event_type = await _event_type(session, booking)
    if event_type is not None and event_type.disable_cancelling and not hosting:
        raise BadRequest(CANCELLING_DISABLED)


async def _cancel_all(
    session: AsyncSession, bookings: Sequence[Booking], reason: str | None, cancelled_by: str | None, now: datetime
) -> None:
    for booking in bookings:
        booking.status = CANCELLED
        booking.cancellation_reason = reason
        booking.cancelled_by_email = cancelled_by
        booking.updated_at = now
    # A seated booking cancelled as a whole gives up all its seats.
    await session.execute(delete(BookingSeat).where(BookingSeat.booking_id.in_([b.id for b in bookings])))
    await session.flush()
    contexts = await load_contexts(session, bookings)
    for booking in bookings:
        await booking_event(session, "BOOKING_CANCELLED", booking, contexts[booking.id], cancelled_by=cancelled_by)


async def _cancel_seat(
    session: AsyncSession, booking: Booking, seat_uid: str, reason: str | None, cancelled_by: str | None, now: datetime
) -> None:
    """The seat's attendee leaves; the booking is cancelled when nobody is left."""
    seat = await session.scalar(select(BookingSeat).where(BookingSeat.uid == seat_uid))
    assert seat is not None
    leaving = next(a for a in booking.attendees if a.id == seat.attendee_id)
    context = await load_context(session, booking)
    await session.delete(seat)
    booking.attendees.remove(leaving)
    booking.updated_at = now
    await session.flush()
    if not any(not a.is_host for a in booking.attendees):
        await _cancel_all(session, [booking], reason, cancelled_by, now)
        return
    await booking_event(
        session,
        "BOOKING_CANCELLED",
        booking,
        context,
        attendees=[leaving],
        cancelled_by=cancelled_by,
        cancellation_reason=reason,
    )


# -- confirm / decline ----------------------------------------------------------------------------


async def _pending_occurrences(session: AsyncSession, booking: Booking, *, confirming: bool) -> list[Booking]:
    """The booking, with the other pending occurrences of its series: all are confirmed or declined."""
    if booking.status == ACCEPTED and confirming:
        raise BadRequest("Booking already confirmed")
    if booking.status != PENDING:
        raise BadRequest(
            f"Booking with uid={booking.uid} can't be {'confirmed' if confirming else 'declined'} because its status "
            f"is {booking.status.lower()}: only pending bookings can."
        )
    if booking.recurring_booking_uid is None:
        return [booking]
    return [b for b in await series(session, booking.recurring_booking_uid) if b.status == PENDING]


async def confirm_booking(db: Database, uid: str, principal: Principal, *, video: CalVideo | None = None) -> Any:
    """The pending booking (every pending occurrence of its series) becomes accepted: BOOKING_CREATED.
    With a video provider, the accepted bookings at its location get their meeting once committed."""
    now = clock.now()
    async with db.read() as session:
        event_type = await _event_type(session, await _booking(session, uid, _missing(uid)))
    async with booking_transaction(db, team_event=event_type is not None and event_type.team_id is not None) as session:
        booking = await _booking(session, uid, _missing(uid))
        event_type = await _require_manager(session, principal, booking, "confirm")
        pending = await _pending_occurrences(session, booking, confirming=True)
        if event_type is not None:
            await _check_still_free(session, event_type, pending, now)
        for occurrence in pending:
            occurrence.status = ACCEPTED
            occurrence.updated_at = now
        await session.flush()
        contexts = await load_contexts(session, pending)
        for occurrence in pending:
            await booking_event(session, "BOOKING_CREATED", occurrence, contexts[occurrence.id])
        out = await single_output(session, booking, principal)
    if video is not None:
        show_rooms(out, await video.open_rooms(db, [occurrence.id for occurrence in pending]))
    return out


async def _check_still_free(
    session: AsyncSession, event_type: EventType, bookings: Sequence[Booking], now: datetime
) -> None:
    """Every host each booking occupies is still clear of other bookings (hours are not re-checked)."""
    occupied: dict[int, set[int]] = {b.id: set() for b in bookings}
    rows = await session.execute(
        select(BookingHost.booking_id, BookingHost.user_id).where(BookingHost.booking_id.in_(list(occupied)))
    )
    for booking_id, user_id in rows.all():
        occupied[booking_id].add(user_id)
    everyone = set().union(*occupied.values()) | {b.user_id for b in bookings if b.user_id is not None}
    hosts = [HostRef(user_id=user_id) for user_id in sorted(everyone)]
    if not hosts:
        return
    await lock_users(session, set(everyone), [])
    first, last = min(b.start_time for b in bookings), max(b.end_time for b in bookings)
    scheduling = await session.run_sync(load_scheduling, event_type, hosts, first, last, now=now, lock_hosts=True)
    anytime = [replace(host, schedule=_ALWAYS, out_of_office=frozenset()) for host in scheduling.hosts]
    for booking in bookings:
        needed = occupied[booking.id] | ({booking.user_id} if booking.user_id is not None else set())
        free = avail.free_hosts(
            scheduling.rules,
            anytime,
            booking.start_time,
            duration=int((booking.end_time - booking.start_time).total_seconds() // 60),
            reschedule_uid=booking.uid,
            seated_bookings=scheduling.seated_bookings,
            limit_bookings=scheduling.limit_bookings,
        )
        if not needed <= set(free):
            raise unavailable(event_type)


async def decline_booking(db: Database, uid: str, principal: Principal, reason: str | None) -> Any:
    """The pending booking (every pending occurrence of its series) is rejected: BOOKING_REJECTED."""
    now = clock.now()
    async with db.write() as session:
        booking = await _booking(session, uid, _missing(uid))
        await _require_manager(session, principal, booking, "decline")
        pending = await _pending_occurrences(session, booking, confirming=False)
        for occurrence in pending:
            occurrence.status = REJECTED
            occurrence.rejection_reason = reason
            occurrence.updated_at = now
        await session.flush()
        contexts = await load_contexts(session, pending)
        for occurrence in pending:
            await booking_event(
                session, "BOOKING_REJECTED", occurrence, contexts[occurrence.id], rejection_reason=reason
            )
        return await single_output(session, booking, principal)


def _missing(uid: str) -> str:
    return f"Booking with uid={uid} was not found in the database"


# -- mark absent ----------------------------------------------------------------------------------


async def mark_absent(db: Database, uid: str, principal: Principal, body: MarkAbsentBookingInput_2024_08_13) -> Any:
    """The host's and attendees' no-show flags, once the booking has started: BOOKING_NO_SHOW_UPDATED."""
    now = clock.now()
    async with db.write() as session:
        booking = await _booking(session, uid, f"Booking with uid={uid} not found.")
        await _require_manager(session, principal, booking, "mark absences of")
        if now < booking.start_time:
            raise BadRequest(
                "Bookings can only be marked as absent after their scheduled start time. Current time in UTC+0: "
                f"{iso_utc(now)}, Booking start time in UTC+0: {iso_utc(booking.start_time)}"
            )
        by_email = {a.email.lower(): a for a in booking.attendees}
        changes: list[tuple[str, bool]] = []
        for entry in body.attendees or []:
            attendee = by_email.get(entry.email.lower())
            if attendee is None:
                raise BadRequest(f"Attendee with email {entry.email} is not an attendee of booking with uid={uid}")
            attendee.absent = entry.absent
            changes.append((attendee.email, entry.absent))
        messages = [f"{email} {'marked' if absent else 'unmarked'} as no-show" for email, absent in changes]
        if body.host is not None:
            booking.absent_host = body.host
            messages.insert(0, f"Host {'marked' if body.host else 'unmarked'} as no-show")
        booking.updated_at = now
        await session.flush()
        if messages:
            await no_show_event(session, booking, await load_context(session, booking), changes, "; ".join(messages))
        return await single_output(session, booking, principal, seated_shape=False)


# -- guests ---------------------------------------------------------------------------------------


async def add_guests(db: Database, uid: str, principal: Principal, body: AddGuestsInput_2024_08_13) -> Any:
    """New attendees (at most 30 guests per booking); emails already attending are skipped."""
    now = clock.now()
    async with db.write() as session:
        booking = await _booking(session, uid, f"Booking with uid={uid} not found")
        event_type = await _event_type(session, booking)
        if not (
            await can_manage(session, principal, booking, event_type) or await is_attendee(session, principal, booking)
        ):
            raise Forbidden(f"User with id={principal.user_id} is not allowed to add guests to booking with uid={uid}")
        if booking.status in _CLOSED:
            raise BadRequest(f"Can't add guests to booking with uid={uid} because it is {booking.status.lower()}.")
        attending = {a.email.lower() for a in booking.attendees}
        new = list({g.email.lower(): g for g in body.guests if g.email.lower() not in attending}.values())
        if not new:
            raise BadRequest("Every guest given already attends this booking.")
        responses = dict(booking.responses or {})
        guests = list(responses.get("guests") or [])
        if len(guests) + len(new) > MAX_GUESTS_PER_BOOKING:
            raise BadRequest(f"A booking can have at most {MAX_GUESTS_PER_BOOKING} guests; it has {len(guests)}.")
        booker_zone = booking.attendees[0].time_zone if booking.attendees else "UTC"
        for guest in new:
            booking.attendees.append(
                Attendee(
                    email=guest.email,
                    name=guest.name or "",
                    time_zone=guest.timeZone or booker_zone,
                    locale=guest.language,
                    phone_number=guest.phoneNumber,
                    absent=False,
                    is_host=False,
                )
            )
        responses["guests"] = [*guests, *(guest.email for guest in new)]
        booking.responses = responses
        booking.updated_at = now
        await session.flush()
        return await single_output(session, booking, principal)


# -- location -------------------------------------------------------------------------------------


def _location_value(location: Any) -> tuple[str, dict[str, Any]]:
    """The stored string and `responses.location` entry of an update-location input."""
    if isinstance(location, UpdateInputAddressLocation_2024_08_13):
        return location.address, {"value": "inPerson", "optionValue": location.address}
    if isinstance(location, UpdateBookingInputLinkLocation_2024_08_13):
        return location.link, {"value": "link", "optionValue": location.link}
    if isinstance(location, UpdateBookingInputPhoneLocation_2024_08_13):
        return location.phone, {"value": "userPhone", "optionValue": location.phone}
    if isinstance(location, UpdateBookingInputAttendeeAddressLocation_2024_08_13):
        return location.address, {"value": "attendeeInPerson", "optionValue": location.address}
    if isinstance(location, UpdateBookingInputAttendeePhoneLocation_2024_08_13):
        return location.phone, {"value": "phone", "optionValue": location.phone}
    assert isinstance(location, UpdateBookingInputAttendeeDefinedLocation_2024_08_13)
    return location.location, {"value": "somewhereElse", "optionValue": location.location}


async def update_location(
    db: Database, uid: str, principal: Principal, body: UpdateBookingLocationInput_2024_08_13
) -> Any:
    if body.location is None:
        raise BadRequest("location: a location object is required")
    now = clock.now()
    async with db.write() as session:
        booking = await _booking(session, uid, f"Booking with uid={uid} not found")
        await _require_manager(session, principal, booking, "update the location of")
        if booking.status in _CLOSED:
            raise BadRequest(
                f"Can't update the location of booking with uid={uid} because it is {booking.status.lower()}."
            )
        value, response = _location_value(body.location)
        booking.location = value
        booking.responses = {**(booking.responses or {}), "location": response}
        # A video meeting made for the former location is no longer where the booking takes place.
        booking.metadata_ = {key: item for key, item in (booking.metadata_ or {}).items() if key != VIDEO_CALL_URL}
        booking.updated_at = now
        await session.flush()
        return await single_output(session, booking, principal)
