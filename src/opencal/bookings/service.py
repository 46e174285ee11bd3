"""Creating, reading and rescheduling bookings (BEHAVIOR.md §4.1–4.8, §4.10).

Every operation that occupies a host goes through `placement.place` inside one `booking_transaction`:
a read phase first checks the request (nothing is locked for a request that is refused on its face),
then one write transaction locks the hosts, checks their availability and inserts, with the webhook
event in the same transaction. A database error caused by a concurrent booking (lock timeout,
serialization failure, deadlock, unique violation) is answered as the slot being taken, never 500.

Reassigning a round-robin booking (`opencal.team_event_types.reassign`) works in the same frame:
a `booking_transaction`, the hosts locked with `placement.lock_users`, who is free computed by the
slots engine, the new host picked by `hosts.choose_round_robin_host`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from opencal import availability as avail
from opencal.bookings import inputs
from opencal.bookings.access import is_event_type_admin
from opencal.bookings.events import booking_event
from opencal.bookings.output import BookingContext, booking_output, load_contexts
from opencal.bookings.placement import (
    IN_THE_PAST,
    OUT_OF_BOUNDS,
    SEATS_FULL,
    UNAVAILABLE_TEAM,
    UNAVAILABLE_USER,
    Draft,
    Placed,
    Rescheduling,
    place,
)
from opencal.bookings.recurrence import occurrence_starts
from opencal.bookings.schemas import (
    CreateBookingInput_2024_08_13,
    CreateInstantBookingInput_2024_08_13,
    CreateRecurringBookingInput_2024_08_13,
    RescheduleBookingInput_2024_08_13,
    RescheduleSeatedBookingInput_2024_08_13,
)
from opencal.conferencing.rooms import CalVideo, show_rooms
from opencal.core import clock
from opencal.core.auth import Principal
from opencal.core.db import Database
from opencal.core.errors import BadRequest, Conflict, Forbidden, NotFound, Unauthorized, Unprocessable
from opencal.event_types.mapping import recurrence_output
from opencal.models import Attendee, Booking, BookingSeat, Team, User
from opencal.models.bookings import ACCEPTED, CANCELLED, PENDING
from opencal.models.event_types import COLLECTIVE, MANAGED, ROUND_ROBIN, EventType
from opencal.slots.engine import event_rules
from opencal.users.validation import check_metadata

log = logging.getLogger("opencal.bookings")

NO_IDENTIFIER = "Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug must be provided"
AUTH_REQUIRED = (
    "checkBookingRequiresAuthentication - request must be authenticated by passing credentials belonging to event "
    "type owner, host or team or org admin or owner."
)
AUTH_FORBIDDEN = (
    "checkBookingRequiresAuthentication - user is not authorized to access this event type. User has to be either "
    "event type owner, host, team admin or owner or org admin or owner."
)
INSTANT_FOR_TEAMS_ONLY = "Instant bookings are only supported for team event types, not individual user event types."
INSTANT_UNSUPPORTED = "Instant bookings are not supported by this server. Book a regular time slot instead."
VERIFICATION_UNSUPPORTED = (
    "This event type requires the booker's email to be verified, which this server cannot do: book it with the "
    "credentials of a user instead."
)
RECURRENCE_TOO_HIGH = "Provided recurrence count is higher than the event type's recurring event count."


# -- the write transaction ------------------------------------------------------------------------


@asynccontextmanager
async def booking_transaction(db: Database, *, team_event: bool) -> AsyncIterator[AsyncSession]:
    """`db.write()`, with database conflicts caused by a concurrent booking answered as "not available"."""
    try:
        async with db.write() as session:
            yield session
    except DBAPIError as exc:
        log.info("booking transaction lost a race: %s", exc.__class__.__name__)
        raise BadRequest(UNAVAILABLE_TEAM if team_event else UNAVAILABLE_USER) from exc


async def event_type_in(session: AsyncSession, event_type_id: int) -> EventType:
    event_type = await session.get(EventType, event_type_id)
    if event_type is None:
        raise NotFound(f"Event type with id={event_type_id} not found")
    return event_type


async def booking_by_uid(session: AsyncSession, uid: str, *, lock: bool = False) -> Booking | None:
    query = select(Booking).where(Booking.uid == uid)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    booking: Booking | None = await session.scalar(query)
    return booking


async def series(session: AsyncSession, recurring_uid: str) -> list[Booking]:
    return list(
        (
            await session.scalars(
                select(Booking).where(Booking.recurring_booking_uid == recurring_uid).order_by(Booking.start_time)
            )
        ).all()
    )


async def show_seated_attendees(
    session: AsyncSession, principal: Principal | None, event_type: EventType | None
) -> bool:
    if event_type is None or event_type.seats_show_attendees:
        return True
    return await is_event_type_admin(session, principal, event_type)


async def outputs(
    session: AsyncSession,
    bookings: Sequence[Booking],
    principal: Principal | None,
    *,
    seat_uids: dict[int, str] | None = None,
    seated_shape: bool = True,
    contexts: dict[int, BookingContext] | None = None,
) -> list[dict[str, Any]]:
    """The outputs of `bookings`; a seated event's attendees only for those allowed to see them."""
    contexts = contexts if contexts is not None else await load_contexts(session, bookings)
    visible: dict[int | None, bool] = {}
    result = []
    for booking in bookings:
        context = contexts[booking.id]
        if booking.event_type_id not in visible:
            visible[booking.event_type_id] = await show_seated_attendees(session, principal, context.event_type)
        result.append(
            booking_output(
                booking,
                context,
                show_attendees=visible[booking.event_type_id],
                seat_uid=(seat_uids or {}).get(booking.id),
                seated_shape=seated_shape,
            )
        )
    return result


async def single_output(
    session: AsyncSession, booking: Booking, principal: Principal | None, *, seated_shape: bool = True
) -> dict[str, Any]:
    [out] = await outputs(session, [booking], principal, seated_shape=seated_shape)
    return out


# -- create ---------------------------------------------------------------------------------------


async def create_booking(
    db: Database,
    body: CreateBookingInput_2024_08_13,
    principal: Principal | None,
    *,
    own_hold_uid: str | None,
    video: CalVideo | None = None,
) -> Any:
    """`POST /v2/bookings`: one booking, a recurring series (array), or a seat in a seated booking.
    With a video provider, new bookings at its location get their meeting once committed."""
    now = clock.now()
    async with db.read() as session:
        event_type = await _event_type_to_book(session, body)
        admin = await is_event_type_admin(session, principal, event_type)
        if event_type.booking_requires_authentication:
            if principal is None:
                raise Unauthorized(AUTH_REQUIRED)
            if not admin:
                raise Forbidden(AUTH_FORBIDDEN)
        _check_bookable(event_type, body, principal)
        draft = _create_draft(event_type, body, now, own_hold_uid)
    async with booking_transaction(db, team_event=event_type.team_id is not None) as session:
        event_type = await event_type_in(session, draft.event_type_id)
        placed = await place(session, event_type, draft, now)
        contexts = await load_contexts(session, placed.bookings)
        await _announce_new(session, placed, draft, contexts)
        created = await outputs(session, placed.bookings, principal, seat_uids=placed.seat_uids, contexts=contexts)
    if video is not None:
        show_rooms(created, await video.open_rooms(db, placed.created))
    return created if draft.recurring_uid else created[0]


async def _announce_new(
    session: AsyncSession, placed: Placed, draft: Draft, contexts: dict[int, BookingContext]
) -> None:
    for booking in placed.bookings:
        trigger = "BOOKING_REQUESTED" if booking.status == PENDING else "BOOKING_CREATED"
        # Joining a seated booking announces the new attendee only.
        attendees = None if booking.id in placed.created else _seat_holder(booking, draft.booker.email)
        await booking_event(session, trigger, booking, contexts[booking.id], attendees=attendees)


def _seat_holder(booking: Booking, email: str) -> list[Attendee]:
    return [next(a for a in reversed(booking.attendees) if a.email.lower() == email.lower())]


async def _organization(session: AsyncSession, slug: str | None) -> Team | None:
    if slug is None:
        return None
    org = await session.scalar(select(Team).where(Team.slug == slug, Team.is_organization.is_(True)))
    if org is None:
        raise NotFound(f"Organization with slug {slug} not found")
    return org


async def _event_type_to_book(session: AsyncSession, body: CreateBookingInput_2024_08_13) -> EventType:
    """By id, by slug + username (+ organization), or by slug + team slug (+ organization)."""
    if body.eventTypeId is not None:
        event_type = await session.get(EventType, body.eventTypeId)
        if event_type is None:
            raise NotFound(f"Event type with id {body.eventTypeId} not found.")
        return event_type
    slug, org_slug = body.eventTypeSlug, body.organizationSlug
    within = f" within organization {org_slug}" if org_slug else ""
    if slug and body.username:
        org = await _organization(session, org_slug)
        users = select(User).where(User.username == body.username)
        users = users.where(User.organization_id == org.id) if org else users
        owner = (await session.scalars(users.order_by(User.organization_id.is_not(None), User.id))).first()
        if owner is None:
            raise NotFound(f"User with username {body.username} not found")
        found = await session.scalar(select(EventType).where(EventType.owner_id == owner.id, EventType.slug == slug))
        if found is None:
            raise NotFound(f"Event type with slug {slug} belonging to user {body.username}{within} not found.")
        return found
    if slug and body.teamSlug:
        org = await _organization(session, org_slug)
        teams = select(Team).where(Team.slug == body.teamSlug, Team.is_organization.is_(False))
        teams = teams.where(Team.parent_id == org.id) if org else teams
        team = (await session.scalars(teams.order_by(Team.id))).first()
        if team is None:
            raise NotFound(f"Team with slug {body.teamSlug} not found")
        found = await session.scalar(select(EventType).where(EventType.team_id == team.id, EventType.slug == slug))
        if found is None:
            raise NotFound(f"Event type with slug {slug} belonging to team {body.teamSlug}{within} not found.")
        return found
    raise BadRequest(NO_IDENTIFIER)


def _check_bookable(event_type: EventType, body: CreateBookingInput_2024_08_13, principal: Principal | None) -> None:
    if event_type.scheduling_type == MANAGED:
        raise BadRequest(
            f"Event type with id={event_type.id} is the parent managed event type that can't be booked. You have to "
            "provide the child event type id aka id of event type that has been assigned to one of the users."
        )
    if event_type.scheduling_type in (COLLECTIVE, ROUND_ROBIN) and not event_type.hosts:
        raise Unprocessable(
            "Can't book this team event type because it has no hosts. Please, add at least 1 host to event type with "
            f"id={event_type.id} belonging to team with id={event_type.team_id} and try again."
        )
    if isinstance(body, CreateInstantBookingInput_2024_08_13) and body.instant:
        raise BadRequest(INSTANT_FOR_TEAMS_ONLY if event_type.team_id is None else INSTANT_UNSUPPORTED)
    if event_type.requires_booker_email_verification and principal is None:
        raise BadRequest(VERIFICATION_UNSUPPORTED)


def needs_confirmation(event_type: EventType, start: datetime, now: datetime) -> bool:
    """`confirmationPolicy`: always, or only when the booking starts within the notice threshold (§4.5)."""
    if not event_type.requires_confirmation:
        return False
    threshold = (event_type.metadata_ or {}).get("requiresConfirmationThreshold") or {}
    unit, amount = threshold.get("unit"), threshold.get("time")
    if unit in ("minutes", "hours") and isinstance(amount, int):
        return start - now < timedelta(minutes=amount * (60 if unit == "hours" else 1))
    return True


def check_start(event_type: EventType, start: datetime, now: datetime) -> None:
    """Past, then minimum notice; the booking window is checked with the event's zone when placing."""
    if avail.is_in_past(start, now):
        raise BadRequest(IN_THE_PAST)
    if avail.violates_minimum_notice(event_rules(event_type, "UTC"), start, now):
        raise BadRequest(OUT_OF_BOUNDS)


def _occurrences(
    event_type: EventType, body: CreateBookingInput_2024_08_13, start: datetime, time_zone: str
) -> tuple[list[datetime], str | None]:
    recurrence = recurrence_output(event_type.recurring_event)
    if recurrence is None:
        return [start], None
    count = body.recurrenceCount if isinstance(body, CreateRecurringBookingInput_2024_08_13) else None
    if count is not None and count > recurrence["occurrences"]:
        raise BadRequest(RECURRENCE_TOO_HIGH)
    starts = occurrence_starts(
        start, time_zone, recurrence["frequency"], recurrence["interval"], count or recurrence["occurrences"]
    )
    return starts, str(uuid.uuid4())


def _create_draft(
    event_type: EventType, body: CreateBookingInput_2024_08_13, now: datetime, own_hold_uid: str | None
) -> Draft:
    answers = body.bookingFieldsResponses or {}
    inputs.check_booking_fields(event_type, answers, body.attendee.phoneNumber)
    length = inputs.booking_length(event_type, body.lengthInMinutes)
    booker = inputs.booker(body.attendee, event_type)
    location = inputs.resolve_location(event_type, body.location, body.meetingUrl)
    metadata = check_metadata(body.metadata, "metadata") if body.metadata is not None else {}
    start = inputs.parse_start(body.start)
    guest_emails = list(dict.fromkeys(g for g in body.guests or [] if g.lower() != booker.email.lower()))
    fields = inputs.booking_fields(event_type, answers, booker, guest_emails, location)
    starts, recurring_uid = _occurrences(event_type, body, start, booker.time_zone)
    check_start(event_type, starts[0], now)
    notes = fields.responses.get("notes")
    return Draft(
        event_type_id=event_type.id,
        starts=starts,
        length=length,
        booker=booker,
        guests=[inputs.Person(name="", email=email, time_zone=booker.time_zone) for email in guest_emails],
        fields=fields,
        location=location,
        status=PENDING if needs_confirmation(event_type, starts[0], now) else ACCEPTED,
        metadata=metadata,
        description=notes if isinstance(notes, str) else None,
        recurring_uid=recurring_uid,
        own_hold_uid=own_hold_uid,
    )


# -- read -----------------------------------------------------------------------------------------


async def get_booking(db: Database, uid: str, principal: Principal | None) -> Any:
    """One booking by its uid, or every occurrence of a series by its recurring uid."""
    async with db.read() as session:
        booking = await booking_by_uid(session, uid)
        if booking is not None:
            return await single_output(session, booking, principal)
        occurrences = await series(session, uid)
        if not occurrences:
            raise NotFound(f"Booking with uid={uid} was not found in the database")
        return await outputs(session, occurrences, principal)


# -- reschedule -----------------------------------------------------------------------------------


async def reschedule_booking(
    db: Database,
    uid: str,
    body: RescheduleBookingInput_2024_08_13 | RescheduleSeatedBookingInput_2024_08_13,
    principal: Principal | None,
    *,
    own_hold_uid: str | None,
    video: CalVideo | None = None,
) -> Any:
    """`POST /v2/bookings/{uid}/reschedule`: a new booking at `start`, the old one cancelled (§4.10).

    A seat of a seated booking moves alone (`seatUid`); an event-type admin may move a whole seated
    booking with the plain body.
    """
    now = clock.now()
    seat_uid = body.seatUid if isinstance(body, RescheduleSeatedBookingInput_2024_08_13) else None
    async with db.read() as session:
        old = await _reschedulable(session, uid)
        if old.event_type_id is None:
            raise NotFound(f"Booking with uid={uid} is missing event type")
        event_type = await event_type_in(session, old.event_type_id)
        admin = await is_event_type_admin(session, principal, event_type)
        if event_type.seats_per_time_slot and seat_uid is None and not admin:
            raise BadRequest(
                f"Booking with uid={uid} is a seated booking which means you have to provide seatUid in the request "
                "body to specify which seat specifically you want to reschedule. First, fetch the booking using "
                "https://cal.com/docs/api-reference/v2/bookings/get-a-booking and then within the attendees array "
                "you will find the seatUid of the booking you want to reschedule. Second, provide the seatUid in the "
                "request body to specify which seat specifically you want to reschedule using the reschedule "
                "endpoint https://cal.com/docs/api-reference/v2/bookings/reschedule-a-booking#option-2"
            )
        seat = await _seat_of(session, old, seat_uid) if seat_uid is not None else None
        organizer = await session.get(User, old.user_id) if old.user_id is not None else None
        start = inputs.parse_start(body.start)
        check_start(event_type, start, now)
        draft = _reschedule_draft(event_type, old, body, seat, start, now, organizer, principal, own_hold_uid)
    async with booking_transaction(db, team_event=event_type.team_id is not None) as session:
        old = await _reschedulable(session, uid, lock=True)
        event_type = await event_type_in(session, draft.event_type_id)
        if seat is not None:
            placed = await _move_seat(session, event_type, old, draft, now)
        elif event_type.seats_per_time_slot:
            placed = await _move_seated_booking(session, event_type, old, draft, now)
        else:
            placed = await place(session, event_type, draft, now)
            _close_rescheduled(old, placed.bookings[0], draft, now)
        new = placed.bookings[0]
        await session.flush()
        context = (await load_contexts(session, [new]))[new.id]
        attendees = _seat_holder(new, draft.booker.email) if seat is not None else None
        await booking_event(session, "BOOKING_RESCHEDULED", new, context, attendees=attendees, rescheduled_from=old)
        [out] = await outputs(session, [new], principal, seat_uids=placed.seat_uids)
    if video is not None:
        # The new booking takes over the room of the one it replaces.
        moved_from = old.id if old.rescheduled_to_uid == new.uid else None
        show_rooms(out, await video.open_rooms(db, placed.created, moved_from=moved_from))
    return out


async def _reschedulable(session: AsyncSession, uid: str, *, lock: bool = False) -> Booking:
    booking = await booking_by_uid(session, uid, lock=lock)
    if booking is None:
        raise NotFound(f"Booking with uid={uid} not found")
    if booking.status == CANCELLED and not booking.rescheduled:
        raise BadRequest(
            f"Can't reschedule booking with uid={uid} because it has been cancelled. Please provide uid of a booking "
            "that is not cancelled."
        )
    if booking.status == CANCELLED:
        to = booking.rescheduled_to_uid
        raise BadRequest(
            f"Can't reschedule booking with uid={uid} because it has been cancelled and rescheduled already to "
            f"booking with uid={to}. You probably want to reschedule {to} instead by passing it within the request "
            "URL."
        )
    return booking


async def _seat_of(session: AsyncSession, booking: Booking, seat_uid: str) -> BookingSeat:
    seat = await session.scalar(select(BookingSeat).where(BookingSeat.uid == seat_uid))
    if seat is None:
        raise NotFound(f"Seat with uid={seat_uid} does not exist.")
    if seat.booking_id != booking.id:
        raise BadRequest("Invalid seatUid: this seat does not belong to this booking.")
    return seat


def _reschedule_draft(
    event_type: EventType,
    old: Booking,
    body: RescheduleBookingInput_2024_08_13 | RescheduleSeatedBookingInput_2024_08_13,
    seat: BookingSeat | None,
    start: datetime,
    now: datetime,
    organizer: User | None,
    principal: Principal | None,
    own_hold_uid: str | None,
) -> Draft:
    people = [a for a in old.attendees if not a.is_host]
    moved = next((a for a in people if seat is not None and a.id == seat.attendee_id), None)
    booker_row = moved or next((a for a in people if a.email == (old.responses or {}).get("email")), None)
    booker_row = booker_row or (people[0] if people else None)
    if booker_row is None:
        raise BadRequest(f"Booking with uid={old.uid} has no attendee to reschedule")
    booker = _person(booker_row)
    by_email = body.rescheduledBy
    by_organizer = organizer is not None and (
        (by_email is not None and by_email.lower() == organizer.email.lower())
        or (principal is not None and principal.user_id == organizer.id)
    )
    confirm = needs_confirmation(event_type, start, now) and not by_organizer
    responses = dict((seat.data or {}).get("responses") or {}) if seat else dict(old.responses or {})
    return Draft(
        event_type_id=event_type.id,
        starts=[start],
        length=int((old.end_time - old.start_time).total_seconds() // 60),
        booker=booker,
        guests=[_person(a) for a in people if a is not booker_row] if seat is None else [],
        fields=inputs.BookingFields(responses=responses),
        location=inputs.Location(old.location, (old.responses or {}).get("location")),
        status=PENDING if confirm else ACCEPTED,
        metadata=dict((seat.metadata_ if seat else old.metadata_) or {}),
        description=old.description,
        recurring_uid=old.recurring_booking_uid,
        own_hold_uid=own_hold_uid,
        rescheduling=Rescheduling(
            booking_uid=old.uid,
            organizer_id=old.user_id,
            keep_organizer=event_type.reschedule_with_same_round_robin_host,
            reason=body.reschedulingReason if isinstance(body, RescheduleBookingInput_2024_08_13) else None,
            by_email=by_email,
        ),
        seat_uid=seat.uid if seat else None,
        check_active_limit=False,
    )


def _person(attendee: Attendee) -> inputs.Person:
    return inputs.Person(
        name=attendee.name,
        email=attendee.email,
        time_zone=attendee.time_zone,
        locale=attendee.locale or "en",
        phone_number=attendee.phone_number,
    )


def _close_rescheduled(old: Booking, new: Booking, draft: Draft, now: datetime) -> None:
    old.status = CANCELLED
    old.rescheduled = True
    old.rescheduled_to_uid = new.uid
    if draft.rescheduling is not None and draft.rescheduling.by_email:
        old.rescheduled_by_email = draft.rescheduling.by_email
    old.updated_at = now


async def _move_seat(session: AsyncSession, event_type: EventType, old: Booking, draft: Draft, now: datetime) -> Placed:
    """One attendee's seat moves to the seated booking at the new time (created if none is there)."""
    moving = next(a for a in old.attendees if a.email.lower() == draft.booker.email.lower() and not a.is_host)
    await session.execute(delete(BookingSeat).where(BookingSeat.uid == draft.seat_uid))
    old.attendees.remove(moving)
    await session.flush()
    placed = await place(session, event_type, draft, now)
    if not any(not a.is_host for a in old.attendees):
        _close_rescheduled(old, placed.bookings[0], draft, now)
    else:
        old.updated_at = now
    return placed


async def _move_seated_booking(
    session: AsyncSession, event_type: EventType, old: Booking, draft: Draft, now: datetime
) -> Placed:
    """An admin moving a whole seated booking: the first seat is placed, every other seat follows it."""
    people = [a for a in old.attendees if not a.is_host]
    first = next(a for a in people if a.email.lower() == draft.booker.email.lower())
    first_seat = await session.scalar(select(BookingSeat).where(BookingSeat.attendee_id == first.id))
    if first_seat is not None:
        draft = replace(
            draft,
            seat_uid=first_seat.uid,
            fields=inputs.BookingFields(responses=dict((first_seat.data or {}).get("responses") or {})),
            metadata=dict(first_seat.metadata_ or {}),
        )
        await session.delete(first_seat)
        await session.flush()
    placed = await place(session, event_type, draft, now)
    new = placed.bookings[0]
    others = [a.id for a in people if a is not first]
    if sum(1 for a in new.attendees if not a.is_host) + len(others) > (event_type.seats_per_time_slot or 0):
        raise Conflict(SEATS_FULL)
    await session.execute(update(BookingSeat).where(BookingSeat.attendee_id.in_(others)).values(booking_id=new.id))
    await session.execute(update(Attendee).where(Attendee.id.in_(others)).values(booking_id=new.id))
    await session.flush()
    await session.refresh(new, ["attendees"])
    await session.refresh(old, ["attendees"])
    _close_rescheduled(old, new, draft, now)
    return placed
