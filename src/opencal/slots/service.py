"""Available slots and slot reservations (BEHAVIOR.md §3.10–3.11)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, lazyload

from opencal import availability as avail
from opencal.core import clock
from opencal.core.auth import Principal
from opencal.core.db import Database
from opencal.core.envelope import iso_utc
from opencal.core.errors import BadRequest, Forbidden, NotFound, Unauthorized, Unprocessable
from opencal.core.permissions import membership_role
from opencal.event_types.mapping import dynamic_event_stored
from opencal.models import Attendee, Booking, Membership, SlotReservation, Team, User
from opencal.models.bookings import ACCEPTED, AWAITING_HOST, PENDING
from opencal.models.event_types import MANAGED, ROUND_ROBIN, EventType
from opencal.slots.engine import HostRef, Scheduling, event_hosts, length_options, load_scheduling
from opencal.slots.query import SlotsRequest
from opencal.slots.schemas import ReserveSlotInput_2024_04_15, utc_instant

DEFAULT_RESERVATION_MINUTES = 5
# Personal event types have no host rows: load them only for team event types.
_HOSTS_ON_DEMAND = lazyload(EventType.hosts)


@dataclass(frozen=True)
class Subject:
    """What slots are asked for: an event type and who hosts it (several users for a dynamic group)."""

    event_type: EventType
    hosts: list[HostRef]


# -- resolving the event type ----------------------------------------------------------------------


def _organization(session: Session, slug: str | None) -> Team | None:
    if slug is None:
        return None
    org = session.scalar(select(Team).where(Team.slug == slug, Team.is_organization.is_(True)))
    if org is None:
        raise NotFound(f"Organization with slug {slug} not found")
    return org


def _user_by_username(session: Session, username: str, org: Team | None) -> User:
    query = select(User).where(User.username == username)
    query = query.where(User.organization_id == org.id) if org else query
    user = session.scalars(query.order_by(User.organization_id.is_not(None), User.id)).first()
    if user is None:
        raise NotFound(f"User with username {username} not found")
    return user


def resolve_subject(session: Session, request: SlotsRequest) -> Subject:
    """The event type by id, by slug + username, by slug + team slug, or a dynamic group."""
    org = _organization(session, request.organization_slug)
    if request.event_type_id is not None:
        event_type = session.get(EventType, request.event_type_id, options=[_HOSTS_ON_DEMAND])
        if event_type is None:
            raise NotFound("Event Type not found")
    elif request.event_type_slug and request.username:
        owner = _user_by_username(session, request.username, org)
        event_type = session.scalar(
            select(EventType)
            .options(_HOSTS_ON_DEMAND)
            .where(EventType.owner_id == owner.id, EventType.slug == request.event_type_slug)
        )
        if event_type is None:
            raise NotFound("Event Type not found")
    elif request.event_type_slug and request.team_slug:
        team_query = select(Team).where(Team.slug == request.team_slug, Team.is_organization.is_(False))
        team_query = team_query.where(Team.parent_id == org.id) if org else team_query
        team = session.scalars(team_query).first()
        if team is None:
            raise NotFound(f"Team with slug {request.team_slug} not found")
        event_type = session.scalar(
            select(EventType).where(EventType.team_id == team.id, EventType.slug == request.event_type_slug)
        )
        if event_type is None:
            raise NotFound("Event Type not found")
    elif request.usernames:
        return _dynamic_group(session, request.usernames, org)
    else:
        raise BadRequest(
            "Either eventTypeId, or eventTypeSlug + username, or eventTypeSlug + teamSlug, or usernames "
            "must be provided"
        )
    if event_type.scheduling_type == MANAGED:
        raise BadRequest(
            f"Event type with id={event_type.id} is a managed event type: query the event type of one of its members"
        )
    if event_type.team_id is not None:
        session.refresh(event_type, ["hosts"])
    return Subject(event_type=event_type, hosts=event_hosts(event_type))


def _dynamic_group(session: Session, usernames: Sequence[str], org: Team | None) -> Subject:
    users = [_user_by_username(session, name, org) for name in usernames]
    refused = [user.username for user in users if not user.allow_dynamic_booking]
    if refused:
        raise Unauthorized(f"Some users in the group do not allow dynamic booking: {', '.join(refused)}")
    # A dynamic event has no row: every member is a fixed host of Cal.com's built-in group event.
    event_type = EventType(**dynamic_event_stored())
    return Subject(event_type=event_type, hosts=[HostRef(user_id=user.id) for user in users])


def check_duration(event_type: EventType, duration: int | None, *, field: str = "duration") -> int | None:
    if duration is None:
        return duration
    options = length_options(event_type)
    if not options:
        if duration == event_type.length:
            return None
        raise BadRequest(f"You passed '{field}' but this event type is not a variable length event type.")
    if duration not in options:
        possible = ", ".join(str(option) for option in options)
        raise BadRequest(
            f"Provided '{field}' is not one of the possible lengths for the event type. The possible lengths for "
            f"this variable length event type are: {possible}"
        )
    return duration


# -- slots -----------------------------------------------------------------------------------------


async def available_slots(
    db: Database, request: SlotsRequest, *, exclude_reservation_uid: str | None = None
) -> tuple[Subject, list[avail.Slot], int]:
    """The slots of the requested event over [start, end] and the length they were computed for."""
    now = clock.now()
    subject, duration, scheduling = await db.run_read(
        lambda session: _slots_inputs(session, request, now, exclude_reservation_uid)
    )
    if scheduling is None:
        return subject, [], duration or subject.event_type.length
    query = avail.SlotQuery(
        event=scheduling.rules,
        start=request.start,
        end=request.end,
        now=now,
        time_zone=request.time_zone,
        duration=duration,
        reschedule_uid=request.reschedule_uid,
        reservations=scheduling.reservations,
        seated_bookings=scheduling.seated_bookings,
        limit_bookings=scheduling.limit_bookings,
    )
    slots = avail.compute_slots(query, scheduling.hosts)
    return subject, slots, avail.event_length(scheduling.rules, duration)


def _slots_inputs(
    session: Session, request: SlotsRequest, now: datetime, exclude_reservation_uid: str | None
) -> tuple[Subject, int | None, Scheduling | None]:
    """The subject, the checked duration, and its scheduling data (None for a team event without hosts)."""
    subject = resolve_subject(session, request)
    duration = check_duration(subject.event_type, request.duration)
    if subject.event_type.team_id is not None and not subject.hosts:
        return subject, duration, None
    scheduling = load_scheduling(
        session,
        subject.event_type,
        subject.hosts,
        request.start,
        request.end,
        now=now,
        exclude_reservation_uid=exclude_reservation_uid,
        reschedule_uid=request.reschedule_uid,
    )
    return subject, duration, scheduling


def _zone(time_zone: str | None) -> ZoneInfo | None:
    """None for UTC (answered with `Z`), else the booker's zone."""
    return None if time_zone is None or time_zone in ("UTC", "Etc/UTC") else ZoneInfo(time_zone)


def _iso(value: datetime, zone: ZoneInfo | None) -> str:
    if zone is None:
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return value.astimezone(zone).isoformat(timespec="milliseconds")


def format_instant(value: datetime, time_zone: str | None) -> str:
    """ISO with milliseconds in the booker's zone (`+02:00`), or `Z` when the zone is UTC or absent."""
    return _iso(value, _zone(time_zone))


class _IsoInstants:
    """`format_instant` for many instants of one zone: offsets, dates and times of day memoised."""

    def __init__(self, time_zone: str | None) -> None:
        zone = _zone(time_zone)
        self._clock = avail.ZoneClock(zone or UTC)
        self._utc = zone is None
        self._days: dict[int, str] = {}
        self._times: dict[int, str] = {}
        self._offsets: dict[int, str] = {}

    def day_and_iso(self, seconds: int) -> tuple[str, str]:
        """The local date (`2050-09-05`) and `2050-09-05T10:00:00.000+02:00` (`Z` in UTC)."""
        offset = self._clock.offset(seconds)
        day, second_of_day = divmod(seconds + offset, 86400)
        date_text = self._days.get(day)
        if date_text is None:
            date_text = self._days[day] = (_EPOCH + timedelta(days=day)).isoformat()
        time_text = self._times.get(second_of_day)
        if time_text is None:
            hour, rest = divmod(second_of_day, 3600)
            time_text = self._times[second_of_day] = f"T{hour:02d}:{rest // 60:02d}:{rest % 60:02d}.000"
        suffix = self._offsets.get(offset)
        if suffix is None:
            suffix = self._offsets[offset] = "Z" if self._utc else _offset_text(offset)
        return date_text, date_text + time_text + suffix


_EPOCH = date(1970, 1, 1)


def _offset_text(offset: int) -> str:
    sign = "-" if offset < 0 else "+"
    hours, rest = divmod(abs(offset), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


def slots_output(slots: Sequence[avail.Slot], time_zone: str | None, range_format: bool) -> dict[str, Any]:
    """`{date: [{start, end?, seats...}]}`, dates in the booker's zone; slots arrive sorted by start."""
    instants = _IsoInstants(time_zone)
    out: dict[str, list[dict[str, Any]]] = {}
    for slot in slots:
        day, start = instants.day_and_iso(slot.start_epoch)
        entry: dict[str, Any] = {"start": start}
        if range_format:
            entry["end"] = instants.day_and_iso(slot.end_epoch)[1]
        if slot.seats is not None:
            entry.update(
                seatsBooked=slot.seats.booked, seatsRemaining=slot.seats.remaining, seatsTotal=slot.seats.total
            )
            if slot.seats.booking_uid:
                entry["bookingUid"] = slot.seats.booking_uid
        out.setdefault(day, []).append(entry)
    return out


def legacy_slots_output(slots: Sequence[avail.Slot], time_zone: str | None, range_format: bool) -> dict[str, Any]:
    """`/v2/slots/available`: `{date: [{time}]}` or `{date: [{startTime, endTime}]}`, times in UTC."""
    out: dict[str, Any] = {}
    for day, day_slots in avail.group_slots_by_date(slots, time_zone).items():
        if range_format:
            out[day.isoformat()] = [
                {"startTime": format_instant(s.start, None), "endTime": format_instant(s.end, None)} for s in day_slots
            ]
        else:
            out[day.isoformat()] = [{"time": format_instant(s.start, None)} for s in day_slots]
    return out


# -- reservations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReservationRequest:
    event_type_id: int
    slot_start: datetime
    slot_duration: int | None
    reservation_duration: int | None


def reservation_output(hold: SlotReservation, *, with_duration: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "eventTypeId": hold.event_type_id,
        "slotStart": iso_utc(hold.slot_start),
        "slotEnd": iso_utc(hold.slot_end),
        "slotDuration": int((hold.slot_end - hold.slot_start).total_seconds() // 60),
        "reservationUid": hold.uid,
        "reservationUntil": iso_utc(hold.release_at),
    }
    if with_duration:
        out["reservationDuration"] = max(0, round((hold.release_at - hold.created_at).total_seconds() / 60))
    return out


async def _may_set_reservation_duration(session: AsyncSession, principal: Principal, event_type: EventType) -> bool:
    """Owner, a teammate of the owner, or an accepted member of the event's team or its organization."""
    if principal.is_system_admin:
        return True
    if event_type.owner_id is not None and event_type.team_id is None:
        if principal.user_id == event_type.owner_id:
            return True
        mine = select(Membership.team_id).where(Membership.user_id == principal.user_id, Membership.accepted.is_(True))
        shared = await session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.user_id == event_type.owner_id, Membership.team_id.in_(mine))
        )
        return bool(shared)
    if event_type.team_id is None:
        return False
    if await membership_role(session, event_type.team_id, principal.user_id):
        return True
    team = await session.get(Team, event_type.team_id)
    return bool(team and team.parent_id and await membership_role(session, team.parent_id, principal.user_id))


async def _check_reservable(
    session: AsyncSession, event_type: EventType, start: datetime, end: datetime, now: datetime, own_uid: str | None
) -> list[HostRef]:
    """Cal.com's checks 6–8 of §3.11; returns the hosts the hold may be stored against."""
    hosts = event_hosts(event_type)
    if event_type.team_id is not None and not hosts:
        raise BadRequest("Cannot reserve a slot for a team event without any hosts")
    round_robin = event_type.scheduling_type == ROUND_ROBIN and any(not host.is_fixed for host in hosts)
    overlapping = (
        await session.execute(
            select(Booking.id, Booking.uid)
            .where(
                Booking.event_type_id == event_type.id,
                Booking.status.in_((ACCEPTED, PENDING, AWAITING_HOST)),
                Booking.start_time < end,
                Booking.end_time > start,
            )
            .limit(1)
        )
    ).first()
    if overlapping is not None and not round_robin:
        if event_type.seats_per_time_slot:
            taken = await session.scalar(
                select(func.count()).select_from(Attendee).where(Attendee.booking_id == overlapping.id)
            )
            if (taken or 0) >= event_type.seats_per_time_slot:
                raise Unprocessable(
                    f"Booking with id={event_type.id} at {start.strftime('%Y-%m-%dT%H:%M:%S.000Z')} has no more "
                    "seats left."
                )
        else:
            raise Unprocessable("Can't reserve a slot if the event is already booked.")
    if round_robin:
        scheduling = await session.run_sync(
            load_scheduling, event_type, hosts, start, end, now=now, exclude_reservation_uid=own_uid
        )
        free = set(
            avail.free_hosts(
                scheduling.rules, scheduling.hosts, start, duration=int((end - start).total_seconds() // 60)
            )
        )
        held = set(
            (
                await session.scalars(
                    select(SlotReservation.user_id).where(
                        SlotReservation.event_type_id == event_type.id,
                        SlotReservation.release_at > now,
                        SlotReservation.slot_start < end,
                        SlotReservation.slot_end > start,
                        SlotReservation.uid != (own_uid or ""),
                    )
                )
            ).all()
        )
        candidates = [host for host in hosts if not host.is_fixed and host.user_id in free - held]
        if not candidates:
            raise Unprocessable("None of the hosts is available at that time, so the slot can't be reserved.")
        return candidates
    if not event_type.seats_per_time_slot:
        held_by_other = await session.scalar(
            select(SlotReservation.uid).where(
                SlotReservation.event_type_id == event_type.id,
                SlotReservation.release_at > now,
                SlotReservation.slot_start < end,
                SlotReservation.slot_end > start,
                SlotReservation.uid != (own_uid or ""),
            )
        )
        if held_by_other is not None:
            raise Unprocessable("This time slot is already reserved by another user. Please choose a different time.")
    return hosts


async def _prepare(
    session: AsyncSession, request: ReservationRequest, principal: Principal | None, own_uid: str | None
) -> tuple[EventType, datetime, datetime, int, HostRef]:
    if request.reservation_duration is not None and principal is None:
        raise Unauthorized(
            "reservationDuration can only be used for authenticated requests - use access token, api key or "
            "OAuth credentials"
        )
    event_type = await session.get(EventType, request.event_type_id)
    if event_type is None:
        raise NotFound(f"Event Type with ID={request.event_type_id} not found")
    if (
        request.reservation_duration is not None
        and principal is not None
        and not await _may_set_reservation_duration(session, principal, event_type)
    ):
        raise Forbidden(
            "User is not authorized to set reservationDuration: only the event type owner, a host or an admin of "
            "its team or organization can."
        )
    length = check_duration(event_type, request.slot_duration, field="slotDuration") or event_type.length
    start = request.slot_start
    end = start + timedelta(minutes=length)
    now = clock.now()
    # Expired holds are ignored by every read; the write path tidies away those of this event type.
    await session.execute(
        delete(SlotReservation).where(SlotReservation.event_type_id == event_type.id, SlotReservation.release_at <= now)
    )
    hosts = await _check_reservable(session, event_type, start, end, now, own_uid)
    minutes = request.reservation_duration or DEFAULT_RESERVATION_MINUTES
    return event_type, start, end, minutes, hosts[0]


async def reserve(db: Database, request: ReservationRequest, principal: Principal | None) -> dict[str, Any]:
    async with db.write() as session:
        event_type, start, end, minutes, host = await _prepare(session, request, principal, None)
        now = clock.now()
        hold = SlotReservation(
            uid=str(uuid.uuid4()),
            event_type_id=event_type.id,
            user_id=host.user_id,
            slot_start=start,
            slot_end=end,
            release_at=now + timedelta(minutes=minutes),
            is_seat=bool(event_type.seats_per_time_slot),
            created_at=now,
        )
        session.add(hold)
        await session.flush()
        return reservation_output(hold, with_duration=True)


async def get_reservation(db: Database, uid: str) -> dict[str, Any] | None:
    async with db.read() as session:
        hold = await session.get(SlotReservation, uid)
        if hold is None or hold.release_at <= clock.now():
            return None
        return reservation_output(hold, with_duration=False)


async def update_reservation(
    db: Database, uid: str, request: ReservationRequest, principal: Principal | None
) -> dict[str, Any]:
    async with db.write() as session:
        hold = await session.get(SlotReservation, uid)
        if hold is None:
            raise NotFound(f"Slot with uid={uid} not found")
        event_type, start, end, minutes, host = await _prepare(session, request, principal, uid)
        now = clock.now()
        hold.event_type_id, hold.user_id = event_type.id, host.user_id
        hold.slot_start, hold.slot_end = start, end
        hold.created_at, hold.release_at = now, now + timedelta(minutes=minutes)
        hold.is_seat = bool(event_type.seats_per_time_slot)
        await session.flush()
        return reservation_output(hold, with_duration=True)


async def delete_reservation(db: Database, uid: str) -> None:
    async with db.write() as session:
        await session.execute(delete(SlotReservation).where(SlotReservation.uid == uid))


async def reserve_legacy(
    db: Database, body: ReserveSlotInput_2024_04_15, principal: Principal | None, cookie_uid: str | None
) -> str:
    """The 2024-04-15 hold: one per browser (`uid` cookie), moved when the booker picks another slot."""
    start, end = utc_instant(body.slotUtcStartDate), utc_instant(body.slotUtcEndDate)
    if end <= start:
        raise BadRequest("slotUtcEndDate must be after slotUtcStartDate")
    async with db.write() as session:
        event_type = await session.get(EventType, body.eventTypeId)
        if event_type is None:
            raise NotFound(f"Event Type with ID={body.eventTypeId} not found")
        hosts = event_hosts(event_type)
        if not hosts:
            raise BadRequest("Cannot reserve a slot for a team event without any hosts")
        now = clock.now()
        uid = cookie_uid or str(uuid.uuid4())
        hold = await session.get(SlotReservation, uid)
        if hold is None:
            hold = SlotReservation(uid=uid)
            session.add(hold)
        hold.event_type_id, hold.user_id = event_type.id, hosts[0].user_id
        hold.slot_start, hold.slot_end, hold.created_at = start, end, now
        hold.release_at = now + timedelta(minutes=DEFAULT_RESERVATION_MINUTES)
        hold.is_seat = bool(event_type.seats_per_time_slot)
    return uid
