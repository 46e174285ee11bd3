"""Reassigning a round-robin booking to another host (BEHAVIOR.md §4.9).

`POST /v2/bookings/{uid}/reassign` picks the new host like a new booking would (free for the whole
booking, then weights, priority, least recently booked); `.../reassign/{userId}` takes the given
round-robin host, who must be free too. Both run in one booking transaction: the hosts are locked
as for a new booking, so a reassignment can never double-book its new host.

The host that leaves is the booking's round-robin host of the new host's group (the organizer when
the event has no fixed host; otherwise a co-host listed among the attendees). Its place is taken in
the booking (organizer, or that attendee entry), in `booking_hosts`, and in the title.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from opencal import availability as avail
from opencal.bookings.access import is_event_type_admin
from opencal.bookings.hosts import choose_round_robin_host
from opencal.bookings.inputs import Person, booking_title
from opencal.bookings.output import display_email
from opencal.bookings.placement import lock_users
from opencal.bookings.service import booking_by_uid, booking_transaction
from opencal.core import clock
from opencal.core.auth import Principal
from opencal.core.db import Database
from opencal.core.errors import BadRequest, Forbidden, NotFound
from opencal.models import Booking, BookingHost, EventType, User
from opencal.models.bookings import CANCELLED, REJECTED
from opencal.models.event_types import ROUND_ROBIN
from opencal.slots.engine import HostRef, event_hosts, load_scheduling

FORBIDDEN = "You do not have permission to reassign this booking"
NO_OTHER_HOST = "Can't reassign the booking because no other host is available at that time."


def _missing(uid: str) -> NotFound:
    return NotFound(f"Booking with uid={uid} was not found in the database")


def _not_a_host(user_id: int) -> BadRequest:
    return BadRequest(
        f"User with id={user_id} is not a valid Round Robin host - the user to which you reassign this booking must "
        "be one of the booking hosts. Fetch the booking using following endpoint and select id of one of the hosts: "
        "https://cal.com/docs/api-reference/v2/bookings/get-a-booking"
    )


async def reassign_booking(
    db: Database, uid: str, principal: Principal, *, to_user_id: int | None = None, reason: str | None = None
) -> dict[str, Any]:
    """Move the booking to another round-robin host; `{bookingUid, reassignedTo}`.

    `reason` is accepted as Cal.com does; there is no notification to carry it yet.
    """
    del reason
    now = clock.now()
    async with db.read() as session:
        if await booking_by_uid(session, uid) is None:
            raise _missing(uid)
        if to_user_id is not None and await session.get(User, to_user_id) is None:
            raise NotFound(f"User with id={to_user_id} was not found in the database")
    async with booking_transaction(db, team_event=True) as session:
        booking = await booking_by_uid(session, uid, lock=True)
        if booking is None:
            raise _missing(uid)
        event_type = await session.get(EventType, booking.event_type_id) if booking.event_type_id else None
        if event_type is not None and not await is_event_type_admin(session, principal, event_type):
            raise Forbidden(FORBIDDEN)
        if event_type is None or event_type.scheduling_type != ROUND_ROBIN:
            raise BadRequest(
                f"Booking with uid={uid} is not a round robin booking: only round robin bookings can be reassigned."
            )
        if booking.status in (CANCELLED, REJECTED):
            raise BadRequest(f"Booking with uid={uid} is {booking.status.lower()} and can't be reassigned.")
        occupied = await _occupied(session, booking)
        leaving, candidates = _leaving_and_candidates(event_type, booking, occupied, to_user_id)
        await lock_users(session, {*occupied, *(host.user_id for host in candidates)}, [])
        free = await _free(session, event_type, booking, candidates, now)
        available = [host for host in candidates if host.user_id in free]
        if not available:
            if to_user_id is not None:
                raise BadRequest(f"User with id={to_user_id} is not available at the time of booking with uid={uid}.")
            raise BadRequest(NO_OTHER_HOST)
        chosen = await choose_round_robin_host(session, event_type, available, now)
        new_host = await session.get(User, chosen.user_id)
        assert new_host is not None
        await _hand_over(session, event_type, booking, leaving, new_host)
        booking.updated_at = now
        await session.flush()
        return {
            "bookingUid": booking.uid,
            "reassignedTo": {
                "id": new_host.id,
                "name": new_host.name,
                "email": new_host.email,
                "displayEmail": display_email(new_host.email),
            },
        }


async def _occupied(session: AsyncSession, booking: Booking) -> list[int]:
    """The users the booking occupies: its organizer, then its other hosts."""
    hosts = await session.scalars(
        select(BookingHost.user_id).where(BookingHost.booking_id == booking.id).order_by(BookingHost.user_id)
    )
    organizer = [booking.user_id] if booking.user_id is not None else []
    return list(dict.fromkeys([*organizer, *hosts.all()]))


def _leaving_and_candidates(
    event_type: EventType, booking: Booking, occupied: Sequence[int], to_user_id: int | None
) -> tuple[int, list[HostRef]]:
    """Who leaves the booking, and the round-robin hosts who could replace them."""
    hosts = event_hosts(event_type)
    round_robin = [host for host in hosts if not host.is_fixed]
    fixed = {host.user_id for host in hosts if host.is_fixed}
    current = {host.user_id: host for host in round_robin if host.user_id in occupied}
    if to_user_id is not None:
        target = next((host for host in round_robin if host.user_id == to_user_id), None)
        if target is None:
            raise _not_a_host(to_user_id)
        if to_user_id in occupied:
            raise BadRequest(f"User with id={to_user_id} already hosts booking with uid={booking.uid}.")
        group = target.group_id
    else:
        group = next(iter(current.values())).group_id if current else None
    same_group = [user_id for user_id, host in current.items() if host.group_id == group]
    # A host no longer on the event type still leaves in place of its group's host.
    others = [user_id for user_id in occupied if user_id not in fixed and user_id not in current]
    leaving = next(iter([*same_group, *others]), None)
    if leaving is None:
        raise BadRequest(f"Booking with uid={booking.uid} has no round robin host to reassign.")
    if to_user_id is not None:
        return leaving, [host for host in round_robin if host.user_id == to_user_id]
    return leaving, [host for host in round_robin if host.group_id == group and host.user_id not in occupied]


async def _free(
    session: AsyncSession, event_type: EventType, booking: Booking, candidates: Sequence[HostRef], now: Any
) -> set[int]:
    if not candidates:
        return set()
    scheduling = await session.run_sync(
        load_scheduling, event_type, candidates, booking.start_time, booking.end_time, now=now, lock_hosts=True
    )
    return set(
        avail.free_hosts(
            scheduling.rules,
            scheduling.hosts,
            booking.start_time,
            duration=int((booking.end_time - booking.start_time).total_seconds() // 60),
            reschedule_uid=booking.uid,
            seated_bookings=scheduling.seated_bookings,
            limit_bookings=scheduling.limit_bookings,
        )
    )


async def _hand_over(
    session: AsyncSession, event_type: EventType, booking: Booking, leaving: int, new_host: User
) -> None:
    old_host = await session.get(User, leaving)
    moved = await session.execute(
        update(BookingHost)
        .where(BookingHost.booking_id == booking.id, BookingHost.user_id == leaving)
        .values(user_id=new_host.id)
    )
    if not moved.rowcount:  # type: ignore[attr-defined]
        session.add(
            BookingHost(
                booking_id=booking.id, user_id=new_host.id, start_time=booking.start_time, end_time=booking.end_time
            )
        )
    if booking.user_id == leaving:
        booking.user_id = new_host.id
        booker = next((a for a in booking.attendees if not a.is_host), None)
        if booker is not None:
            booking.title = booking_title(
                event_type,
                new_host.name,
                Person(booker.name, booker.email, booker.time_zone),
                booking.location,
                int((booking.end_time - booking.start_time).total_seconds() // 60),
            )
        return
    for attendee in booking.attendees:
        if attendee.is_host and old_host is not None and attendee.email.lower() == old_host.email.lower():
            attendee.email = new_host.email
            attendee.name = new_host.name or new_host.username
            attendee.time_zone = new_host.time_zone
            attendee.locale = new_host.locale
