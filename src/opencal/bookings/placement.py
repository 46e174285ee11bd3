"""Placing a booking: no double booking, guaranteed by the database (ARCHITECTURE.md, BEHAVIOR.md §4.1).

`place` runs inside the caller's one write transaction and does, in order:

1. lock the users the booking involves: its hosts (and, on reschedule, the booking's organizer) and
   the users whose email attends, in id order so that concurrent bookings cannot deadlock
   (`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite the transaction began with BEGIN IMMEDIATE, so
   writers are already serialized);
2. load the hosts' schedules, busy time, holds, seats and limit bookings through the slots engine
   (`load_scheduling`), so what is accepted here is exactly what `GET /v2/slots` offers;
3. check the booking window and the booker's active-bookings limit, then exactly [start, end] of
   each occurrence: holds of other bookers, seats, every fixed host free (`free_hosts`: hours,
   bookings with buffers, limits), a free round-robin host per group
   (`hosts.choose_round_robin_host`), and the event's and the team's limits counting the occurrences being booked;
4. insert the bookings, their attendees and seats, one `booking_hosts` row per occupied host, and
   remove the booker's own hold.

A concurrent booking of the same host waits on the lock of step 1 and then sees this one, so it is
refused with Cal.com's "not available" message. Step 4 leaves webhooks to the caller, which knows
the trigger.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal import availability as avail
from opencal.availability.seats import seat_tallies
from opencal.bookings.hosts import choose_round_robin_host
from opencal.bookings.inputs import BookingFields, Location, Person, booking_title
from opencal.core.errors import BadRequest, Conflict
from opencal.core.security import new_uid
from opencal.models import Attendee, Booking, BookingHost, BookingSeat, SlotReservation, Team, User
from opencal.models.bookings import ACCEPTED, PENDING
from opencal.models.event_types import COLLECTIVE, EventType
from opencal.slots.engine import HostRef, Scheduling, event_hosts, load_scheduling

UNAVAILABLE_USER = "User either already has booking at this time or is not available"
UNAVAILABLE_TEAM = "One of the hosts either already has booking at this time or is not available"
OUT_OF_BOUNDS = (
    "The event type can't be booked at the \"start\" time provided. This could be because it's too soon (violating "
    "the minimum booking notice) or too far in the future (outside the event's scheduling window). Try fetching "
    'available slots first using the GET /v2/slots endpoint and then make a booking with "start" time equal to one '
    "of the available slots: https://cal.com/docs/api-reference/v2/slots"
)
IN_THE_PAST = "Attempting to book a meeting in the past."
SEATS_FULL = "No more seats left at this seated booking."
ALREADY_SEATED = "Already signed up for this booking."
ACTIVE_LIMIT = "Attendee with this email can't book because the maximum number of active bookings has been reached."


def unavailable(event_type: EventType) -> BadRequest:
    return BadRequest(UNAVAILABLE_TEAM if event_type.team_id is not None else UNAVAILABLE_USER)


@dataclass(frozen=True)
class Rescheduling:
    """The booking being moved: its time is free for the new one, its round-robin host may be kept."""

    booking_uid: str
    organizer_id: int | None
    keep_organizer: bool = False
    reason: str | None = None
    by_email: str | None = None


@dataclass(frozen=True)
class Draft:
    """A checked booking request, ready to be placed."""

    event_type_id: int
    starts: Sequence[datetime]
    length: int
    booker: Person
    fields: BookingFields
    location: Location
    status: str = ACCEPTED
    guests: Sequence[Person] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    description: str | None = None
    recurring_uid: str | None = None
    own_hold_uid: str | None = None
    rescheduling: Rescheduling | None = None
    # A seat moved by a reschedule keeps its uid.
    seat_uid: str | None = None
    # Active-bookings limits do not apply to moving an existing booking.
    check_active_limit: bool = True


@dataclass
class Placed:
    """The bookings made or joined, in start order, and the seat taken in each (seated events)."""

    bookings: list[Booking]
    seat_uids: dict[int, str] = field(default_factory=dict)
    created: set[int] = field(default_factory=set)
    # The users the new bookings occupy, kept referenced so the session does not have to load them again.
    hosts: list[User] = field(default_factory=list)


async def lock_users(session: AsyncSession, user_ids: set[int], emails: Sequence[str]) -> None:
    """Row locks on the users a booking involves, in id order (PostgreSQL; SQLite is serialized)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    involved = or_(User.id.in_(user_ids), func.lower(User.email).in_([email.lower() for email in emails]))
    await session.execute(select(User.id).where(involved).order_by(User.id).with_for_update())


async def place(session: AsyncSession, event_type: EventType, draft: Draft, now: datetime) -> Placed:
    hosts = event_hosts(event_type)
    locked = {host.user_id for host in hosts}
    if draft.rescheduling is not None and draft.rescheduling.organizer_id is not None:
        locked.add(draft.rescheduling.organizer_id)
    await lock_users(session, locked, [draft.booker.email, *(guest.email for guest in draft.guests)])
    length = timedelta(minutes=draft.length)
    scheduling = await session.run_sync(
        load_scheduling,
        event_type,
        hosts,
        draft.starts[0],
        draft.starts[-1] + length,
        now=now,
        exclude_reservation_uid=draft.own_hold_uid,
        lock_hosts=True,
        reschedule_uid=draft.rescheduling.booking_uid if draft.rescheduling else None,
    )
    for start in draft.starts:
        if avail.outside_booking_window(scheduling.rules, start, now, draft.booker.time_zone):
            raise BadRequest(OUT_OF_BOUNDS)

    joined: dict[datetime, Booking] = {}
    if event_type.seats_per_time_slot:
        joined = await _seated_bookings_at(session, event_type, draft.starts)
    if draft.check_active_limit:
        await _check_active_bookings(session, event_type, draft.booker.email, now)
    to_create = [start for start in draft.starts if start not in joined]
    organizer_id: int | None = None
    co_hosts: list[int] = []
    if to_create:
        organizer_id, co_hosts = await _assign_hosts(session, event_type, hosts, scheduling, to_create, draft, now)

    users = (
        {u.id: u for u in (await session.scalars(select(User).where(User.id.in_(co_hosts)))).all()} if co_hosts else {}
    )
    organizer = await session.get(User, organizer_id) if organizer_id is not None else None
    co_host_users = [users[user_id] for user_id in co_hosts if user_id in users]
    host_label = await _host_label(session, event_type, organizer)
    placed = Placed(bookings=[], hosts=[u for u in [organizer, *co_host_users] if u is not None])
    for start in draft.starts:
        booking = joined.get(start)
        if booking is None:
            booking = _new_booking(event_type, draft, start, start + length, organizer, co_host_users, host_label, now)
            session.add(booking)
            await session.flush()
            session.add_all(
                BookingHost(booking_id=booking.id, user_id=user.id, start_time=start, end_time=start + length)
                for user in [u for u in [organizer, *co_host_users] if u is not None]
            )
            placed.created.add(booking.id)
        elif _already_seated(booking, draft.booker.email):
            raise Conflict(ALREADY_SEATED)
        else:
            _check_seat_free(event_type, scheduling, booking)
            booking.attendees.append(_attendee(draft.booker))
            booking.updated_at = now
            await session.flush()
        if event_type.seats_per_time_slot:
            placed.seat_uids[booking.id] = await _take_seat(session, booking, draft)
        placed.bookings.append(booking)
    if draft.own_hold_uid:
        await session.execute(delete(SlotReservation).where(SlotReservation.uid == draft.own_hold_uid))
    await session.flush()
    return placed


# -- checks ---------------------------------------------------------------------------------------


def _held_by_others(scheduling: Scheduling, start: datetime, end: datetime, seated_starts: set[datetime]) -> bool:
    """A hold of another booker overlapping [start, end), as the slots engine hides it (§3.4)."""
    if start in seated_starts:
        return False
    return any(not hold.is_seat and hold.start < end and hold.end > start for hold in scheduling.reservations)


async def _assign_hosts(
    session: AsyncSession,
    event_type: EventType,
    hosts: Sequence[HostRef],
    scheduling: Scheduling,
    starts: Sequence[datetime],
    draft: Draft,
    now: datetime,
) -> tuple[int, list[int]]:
    """The organizer and the other hosts the booking occupies, all free at every start."""
    rescheduling = draft.rescheduling
    reschedule_uid = rescheduling.booking_uid if rescheduling else None
    seated_starts = {booking.start for booking in scheduling.seated_bookings}
    free: set[int] | None = None
    for start in starts:
        end = start + timedelta(minutes=draft.length)
        if _held_by_others(scheduling, start, end, seated_starts):
            raise unavailable(event_type)
        free_now = set(
            avail.free_hosts(
                scheduling.rules,
                scheduling.hosts,
                start,
                duration=draft.length,
                reschedule_uid=reschedule_uid,
                seated_bookings=scheduling.seated_bookings,
                limit_bookings=scheduling.limit_bookings,
            )
        )
        free = free_now if free is None else free & free_now
    assert free is not None
    fixed = [host for host in hosts if host.is_fixed]
    if not hosts or any(host.user_id not in free for host in fixed):
        raise unavailable(event_type)
    chosen = await pick_round_robin_hosts(session, event_type, hosts, free, rescheduling, now)
    occupied = [host.user_id for host in fixed] + [host.user_id for host in chosen]
    organizer_id, co_hosts = occupied[0], occupied[1:]
    _check_limits(event_type, scheduling, starts, draft, organizer_id)
    _check_team_limits(event_type, scheduling, starts, draft, occupied)
    return organizer_id, co_hosts


async def pick_round_robin_hosts(
    session: AsyncSession,
    event_type: EventType,
    hosts: Sequence[HostRef],
    free: set[int],
    rescheduling: Rescheduling | None,
    now: datetime,
) -> list[HostRef]:
    """One free round-robin host per host group (none when the event has no round-robin hosts).

    A reschedule of an event that keeps its round-robin host must find that host free.
    """
    groups: dict[str | None, list[HostRef]] = {}
    for host in hosts:
        if not host.is_fixed:
            groups.setdefault(host.group_id, []).append(host)
    chosen: list[HostRef] = []
    for members in groups.values():
        candidates = [host for host in members if host.user_id in free]
        kept = rescheduling.organizer_id if rescheduling is not None and rescheduling.keep_organizer else None
        if kept is not None and any(host.user_id == kept for host in members):
            candidates = [host for host in candidates if host.user_id == kept]
        if not candidates:
            raise unavailable(event_type)
        chosen.append(await choose_round_robin_host(session, event_type, candidates, now))
    return chosen


def _check_limits(
    event_type: EventType, scheduling: Scheduling, starts: Sequence[datetime], draft: Draft, organizer_id: int
) -> None:
    """Booking and duration limits, counting the other occurrences of this very request (§3.7)."""
    rules = scheduling.rules
    if rules.booking_limits is None and rules.duration_limits is None:
        return
    counted = list(scheduling.limit_bookings)
    reschedule_uid = draft.rescheduling.booking_uid if draft.rescheduling else None
    for start in starts:
        end = start + timedelta(minutes=draft.length)
        violation = avail.booking_limit_violation(
            rules, start, counted, duration=draft.length, host_id=organizer_id, reschedule_uid=reschedule_uid
        )
        if violation is not None:
            raise unavailable(event_type)
        counted.append(avail.LimitBooking(start=start, end=end, host_id=organizer_id))


def _check_team_limits(
    event_type: EventType, scheduling: Scheduling, starts: Sequence[datetime], draft: Draft, occupied: Sequence[int]
) -> None:
    """The team's booking limits for every host the booking occupies, counting its other occurrences (§3.7)."""
    team_limits = scheduling.team_limits
    if team_limits is None:
        return
    reschedule_uid = draft.rescheduling.booking_uid if draft.rescheduling else None
    length = timedelta(minutes=draft.length)
    for host_id in occupied:
        earlier: list[avail.TimeSpan] = []
        for start in starts:
            if team_limits.violation(host_id, start, draft.length, reschedule_uid=reschedule_uid, also=earlier):
                raise unavailable(event_type)
            earlier.append(avail.TimeSpan(start=start, end=start + length))


async def _check_active_bookings(session: AsyncSession, event_type: EventType, email: str, now: datetime) -> None:
    """`bookerActiveBookingsLimit`: upcoming bookings of this event type by the same booker email."""
    maximum = event_type.max_active_bookings_per_booker
    if maximum is None:
        return
    active = (
        await session.scalars(
            select(Booking)
            .join(Attendee, Attendee.booking_id == Booking.id)
            .where(
                Booking.event_type_id == event_type.id,
                Booking.status.in_((ACCEPTED, PENDING)),
                Booking.start_time >= now,
                func.lower(Attendee.email) == email.lower(),
            )
            .order_by(Booking.start_time)
        )
    ).all()
    if len(active) < maximum:
        return
    message = ACTIVE_LIMIT
    if event_type.max_active_booking_per_booker_offer_reschedule:
        message += f" You can reschedule your existing booking ({active[-1].uid}) to a new timeslot instead."
    raise BadRequest(message)


# -- seats ----------------------------------------------------------------------------------------


async def _seated_bookings_at(
    session: AsyncSession, event_type: EventType, starts: Sequence[datetime]
) -> dict[datetime, Booking]:
    """The event's open seated booking at each start, if any (the smallest uid, as the slots show)."""
    rows = await session.scalars(
        select(Booking)
        .where(Booking.event_type_id == event_type.id, Booking.status == ACCEPTED, Booking.start_time.in_(starts))
        .order_by(Booking.uid)
    )
    found: dict[datetime, Booking] = {}
    for booking in rows.all():
        found.setdefault(booking.start_time, booking)
    return found


def _already_seated(booking: Booking, email: str) -> bool:
    return any(attendee.email.lower() == email.lower() for attendee in booking.attendees if not attendee.is_host)


def _check_seat_free(event_type: EventType, scheduling: Scheduling, booking: Booking) -> None:
    """Seats taken (attendees, plus other bookers' seat holds) must leave one for this booker."""
    tally = seat_tallies(event_type.id, scheduling.seated_bookings, scheduling.reservations).get(
        int(booking.start_time.timestamp())
    )
    taken = tally.attendees if tally else sum(1 for a in booking.attendees if not a.is_host)
    if taken >= (event_type.seats_per_time_slot or 0):
        raise Conflict(SEATS_FULL)


async def _take_seat(session: AsyncSession, booking: Booking, draft: Draft) -> str:
    attendee = next(a for a in reversed(booking.attendees) if a.email.lower() == draft.booker.email.lower())
    seat = BookingSeat(
        uid=draft.seat_uid or str(uuid.uuid4()),
        booking_id=booking.id,
        attendee_id=attendee.id,
        data={"responses": dict(draft.fields.responses)},
        metadata_=dict(draft.metadata),
    )
    session.add(seat)
    await session.flush()
    return seat.uid


# -- rows -----------------------------------------------------------------------------------------


def _attendee(person: Person, *, is_host: bool = False) -> Attendee:
    return Attendee(
        email=person.email,
        name=person.name,
        time_zone=person.time_zone,
        locale=person.locale,
        phone_number=person.phone_number,
        absent=False,
        is_host=is_host,
    )


async def _host_label(session: AsyncSession, event_type: EventType, organizer: User | None) -> str | None:
    """Who the title says the meeting is with: the team for a collective event, else the organizer."""
    if event_type.scheduling_type == COLLECTIVE and event_type.team_id is not None:
        team = await session.get(Team, event_type.team_id)
        if team is not None:
            return team.name
    return organizer.name if organizer is not None else None


def _new_booking(
    event_type: EventType,
    draft: Draft,
    start: datetime,
    end: datetime,
    organizer: User | None,
    co_hosts: Sequence[User],
    host_label: str | None,
    now: datetime,
) -> Booking:
    uid = new_uid()
    rescheduling = draft.rescheduling
    booking = Booking(
        uid=uid,
        event_type_id=event_type.id,
        user_id=organizer.id if organizer else None,
        title=booking_title(event_type, host_label, draft.booker, draft.location.value, draft.length),
        description=draft.description,
        start_time=start,
        end_time=end,
        status=draft.status,
        location=draft.location.value,
        responses=dict(draft.fields.responses),
        metadata_=dict(draft.metadata),
        recurring_booking_uid=draft.recurring_uid,
        from_reschedule=rescheduling.booking_uid if rescheduling else None,
        rescheduling_reason=rescheduling.reason if rescheduling else None,
        rescheduled_by_email=rescheduling.by_email if rescheduling else None,
        rescheduled=False,
        absent_host=False,
        ics_uid=f"{uid}@opencal",
        created_at=now,
        updated_at=now,
    )
    booking.attendees.append(_attendee(draft.booker))
    if not event_type.seats_per_time_slot:
        booking.attendees.extend(_attendee(guest) for guest in draft.guests)
    booking.attendees.extend(
        _attendee(Person(user.name or user.username, user.email, user.time_zone, user.locale or "en"), is_host=True)
        for user in co_hosts
    )
    return booking
