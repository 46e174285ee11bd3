"""Loads what the availability core needs for one event type, in a fixed number of queries.

Slots (`GET /v2/slots`) and bookings (the availability check at booking time) both call
`load_scheduling`, so a slot that is offered is exactly a slot that can be booked. The number of
queries does not depend on the range length, the number of hosts or the number of bookings:
users, schedules (two, rows eagerly), busy bookings, holds, out-of-office entries, and, when the
event needs them, seated and limit bookings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, Select, and_, bindparam, func, or_, select, union
from sqlalchemy.orm import Session, aliased, joinedload

from opencal import availability as avail
from opencal.availability.limits import fetch_window
from opencal.models import Attendee, Booking, BookingHost, Schedule, SlotReservation, Team, User
from opencal.models.bookings import ACCEPTED, PENDING
from opencal.models.event_types import COLLECTIVE, RANGE, ROLLING, ROLLING_WINDOW, EventType
from opencal.organizations.ooo.service import out_of_office_days
from opencal.schedules.service import availability_schedule
from opencal.scheduling.team_limits import TeamLimits

# Bookings are fetched with this margin around the window so that buffers can reach into it.
BUSY_MARGIN = timedelta(days=1)
_LIMIT_KEYS = {"PER_DAY": "day", "PER_WEEK": "week", "PER_MONTH": "month", "PER_YEAR": "year"}

# Statements built once (building them costs more than running them on SQLite).
# The hosts with their default schedules (and its rows), in one query.
_USERS = (
    select(User)
    .options(joinedload(User.default_schedule).joinedload(Schedule.rows))
    .where(User.id.in_(bindparam("ids", expanding=True)))
    .order_by(User.id)
)
_USERS_LOCKED = _USERS.with_for_update(of=User)
_SCHEDULES = (
    select(Schedule).options(joinedload(Schedule.rows)).where(Schedule.id.in_(bindparam("ids", expanding=True)))
)
# Uids are never empty, so "" excludes nothing.
_HOLDS = select(
    SlotReservation.slot_start, SlotReservation.slot_end, SlotReservation.is_seat, SlotReservation.event_type_id
).where(
    SlotReservation.user_id.in_(bindparam("host_ids", expanding=True)),
    SlotReservation.release_at > bindparam("now", type_=SlotReservation.release_at.type),
    SlotReservation.uid != bindparam("exclude_uid"),
)


@dataclass(frozen=True, slots=True)
class HostRef:
    """A user who must (fixed) or may (round robin) attend, and the schedule that applies."""

    user_id: int
    is_fixed: bool = True
    group_id: str | None = None
    schedule_id: int | None = None
    priority: int | None = None
    weight: int | None = None


@dataclass(frozen=True)
class Scheduling:
    """Everything the core needs about one event type over one window."""

    rules: avail.EventRules
    hosts: list[avail.HostAvailability]
    users: dict[int, User]
    reservations: list[avail.Reservation] = field(default_factory=list)
    seated_bookings: list[avail.SeatedBooking] = field(default_factory=list)
    limit_bookings: list[avail.LimitBooking] = field(default_factory=list)
    team_limits: TeamLimits | None = None


def event_hosts(event_type: EventType) -> list[HostRef]:
    """Who is scheduled: the owner of a personal event, else the hosts of a team event."""
    if event_type.team_id is None or event_type.owner_id is not None:
        assert event_type.owner_id is not None
        return [HostRef(user_id=event_type.owner_id, schedule_id=event_type.schedule_id)]
    collective = event_type.scheduling_type == COLLECTIVE
    return [
        HostRef(
            user_id=host.user_id,
            is_fixed=collective or host.is_fixed,
            group_id=host.group_id,
            schedule_id=host.schedule_id or event_type.schedule_id,
            priority=host.priority,
            weight=host.weight,
        )
        for host in event_type.hosts
    ]


def _limits(stored: dict[str, Any] | None) -> avail.IntervalLimits | None:
    if not stored:
        return None
    values = {_LIMIT_KEYS[key]: int(value) for key, value in stored.items() if key in _LIMIT_KEYS and value}
    return avail.IntervalLimits(**values) if values else None


def booking_window(event_type: EventType) -> avail.BookingWindow:
    business = event_type.period_count_calendar_days is False
    if event_type.period_type == ROLLING and event_type.period_days is not None:
        return avail.RollingDays(days=event_type.period_days, business_days=business)
    if event_type.period_type == ROLLING_WINDOW and event_type.period_days is not None:
        return avail.RollingAvailableDays(days=event_type.period_days, business_days=business)
    if event_type.period_type == RANGE and event_type.period_start_date and event_type.period_end_date:
        return avail.DateRangeWindow(first=event_type.period_start_date, last=event_type.period_end_date)
    return avail.Unlimited()


def event_rules(event_type: EventType, time_zone: str) -> avail.EventRules:
    return avail.EventRules(
        id=event_type.id,
        length=event_type.length,
        slot_interval=event_type.slot_interval,
        before_buffer=event_type.before_event_buffer,
        after_buffer=event_type.after_event_buffer,
        minimum_notice=event_type.minimum_booking_notice,
        offset_start=event_type.offset_start,
        seats_per_slot=event_type.seats_per_time_slot,
        only_first_slot_per_day=event_type.only_show_first_available_slot,
        booking_window=booking_window(event_type),
        booking_limits=_limits(event_type.booking_limits),
        duration_limits=_limits(event_type.duration_limits),
        time_zone=time_zone,
    )


def length_options(event_type: EventType) -> list[int]:
    options = (event_type.metadata_ or {}).get("multipleDuration") or []
    return [int(option) for option in options]


def load_scheduling(
    session: Session,
    event_type: EventType,
    hosts: Sequence[HostRef],
    window_start: datetime,
    window_end: datetime,
    *,
    now: datetime,
    exclude_reservation_uid: str | None = None,
    lock_hosts: bool = False,
    reschedule_uid: str | None = None,
) -> Scheduling:
    """Load schedules, busy time, holds and limit data of `hosts` around [window_start, window_end].

    `lock_hosts` takes row locks on the hosts' user rows (in id order, so concurrent bookings of
    overlapping host sets cannot deadlock): the booking path calls this inside its write
    transaction, which is what makes check-then-insert atomic per host on PostgreSQL.
    `reschedule_uid` is left out of the team-level limit counts (§3.7).
    """
    host_ids = sorted({host.user_id for host in hosts})
    locking = lock_hosts and session.bind is not None and session.bind.dialect.name == "postgresql"
    found = session.scalars(_USERS_LOCKED if locking else _USERS, {"ids": host_ids}).unique()
    users = {user.id: user for user in found}
    schedules = {user.default_schedule.id: user.default_schedule for user in users.values() if user.default_schedule}
    # Schedules chosen per host or per event type, when they are not someone's default.
    other_ids = {host.schedule_id for host in hosts if host.schedule_id is not None} - set(schedules)
    if other_ids:
        schedules.update((s.id, s) for s in session.scalars(_SCHEDULES, {"ids": list(other_ids)}).unique())

    first_host = users.get(hosts[0].user_id) if hosts else None
    event_zone = _event_time_zone(event_type, schedules, first_host)
    rules = event_rules(event_type, event_zone)

    busy = _busy_bookings(session, event_type, users, window_start - BUSY_MARGIN, window_end + BUSY_MARGIN)
    ooo = out_of_office_days(session, host_ids, window_start - BUSY_MARGIN, window_end + BUSY_MARGIN)

    team_limits = _team_limits(session, event_type, host_ids, window_start, window_end, event_zone)
    host_data: list[avail.HostAvailability] = []
    for host in hosts:
        user = users.get(host.user_id)
        if user is None:
            continue
        schedule = schedules.get(host.schedule_id or user.default_schedule_id or -1)
        core_schedule = (
            availability_schedule(schedule, user.time_zone) if schedule else avail.Schedule(time_zone=user.time_zone)
        )
        host_data.append(
            avail.HostAvailability(
                host_id=user.id,
                schedule=core_schedule,
                bookings=busy.get(user.id, ()),
                out_of_office=ooo.get(user.id, frozenset()),
                is_fixed=host.is_fixed,
                group_id=host.group_id,
                extra_busy=team_limits.blocked(user.id, window_start, window_end, reschedule_uid=reschedule_uid)
                if team_limits
                else (),
            )
        )

    reservations = _reservations(session, host_ids, now, exclude_reservation_uid, event_type)
    seated = _seated_bookings(session, event_type, window_start, window_end, users)
    limit_bookings = _limit_bookings(session, rules, window_start, window_end)
    return Scheduling(
        rules=rules,
        hosts=host_data,
        users=users,
        reservations=reservations,
        seated_bookings=seated,
        limit_bookings=limit_bookings,
        team_limits=team_limits,
    )


def _event_time_zone(event_type: EventType, schedules: dict[int, Schedule], first_host: User | None) -> str:
    """The event's zone: its schedule's, else the first host's, else UTC (limits and RANGE use it)."""
    if event_type.schedule_id is not None:
        schedule = schedules.get(event_type.schedule_id)
        if schedule is not None and schedule.time_zone:
            return schedule.time_zone
    if first_host is not None:
        default = schedules.get(first_host.default_schedule_id or -1)
        return (default.time_zone if default else None) or first_host.time_zone
    return "UTC"


def _busy_statement() -> Select[Any]:
    """Blocking bookings of hosts `:host_ids` in [`:window_start`, `:window_end`), with the host.

    Built once: (booking, host) pairs found through indexes (booking_hosts and organizer by
    (user_id, start_time), attendees by lower(email)), so the cost follows the window and not the
    hosts' whole history.
    """
    host_ids: BindParameter[int] = bindparam("host_ids", expanding=True)
    start, end = (
        bindparam("window_start", type_=Booking.start_time.type),
        bindparam("window_end", type_=Booking.end_time.type),
    )
    booked_type = EventType
    blocking = or_(
        Booking.status == ACCEPTED,
        and_(Booking.status == PENDING, booked_type.requires_confirmation_will_block_slot.is_(True)),
    )
    pairs = union(
        select(BookingHost.booking_id, BookingHost.user_id).where(
            BookingHost.user_id.in_(host_ids), BookingHost.start_time < end, BookingHost.end_time > start
        ),
        select(Booking.id, Booking.user_id).where(
            Booking.user_id.in_(host_ids), Booking.start_time < end, Booking.end_time > start
        ),
        select(Attendee.booking_id, User.id)
        .join(User, func.lower(Attendee.email) == func.lower(User.email))
        .where(User.id.in_(host_ids)),
    ).subquery()
    return (
        select(
            Booking.uid,
            Booking.start_time,
            Booking.end_time,
            Booking.event_type_id,
            booked_type.before_event_buffer,
            booked_type.after_event_buffer,
            pairs.c.user_id,
        )
        .join_from(pairs, Booking, Booking.id == pairs.c.booking_id)
        .outerjoin(booked_type, booked_type.id == Booking.event_type_id)
        .where(Booking.start_time < end, Booking.end_time > start, blocking)
    )


_BUSY = _busy_statement()


def _busy_bookings(
    session: Session, event_type: EventType, users: dict[int, User], start: datetime, end: datetime
) -> dict[int, tuple[avail.BusyBooking, ...]]:
    """Blocking bookings of each host, as organizer, co-host or attendee, of any event type."""
    if not users:
        return {}
    # An open seated booking of this very event is handled by seat counting, not as busy time.
    seated_event = event_type.id if event_type.seats_per_time_slot else None
    busy: dict[int, dict[str, avail.BusyBooking]] = defaultdict(dict)
    rows = session.execute(_BUSY, {"host_ids": list(users), "window_start": start, "window_end": end})
    for uid, booking_start, booking_end, event_type_id, before, after, user_id in rows:
        if user_id is None or (seated_event is not None and event_type_id == seated_event):
            continue
        busy[user_id][uid] = avail.BusyBooking(
            start=booking_start,
            end=booking_end,
            uid=uid,
            event_type_id=event_type_id,
            before_buffer=before or 0,
            after_buffer=after or 0,
        )
    return {user_id: tuple(entries.values()) for user_id, entries in busy.items()}


def _reservations(
    session: Session,
    host_ids: Sequence[int],
    now: datetime,
    exclude_uid: str | None,
    event_type: EventType,
) -> list[avail.Reservation]:
    """Unexpired holds of any event type of the hosts (§3.4); the booker's own hold is left out."""
    rows = session.execute(_HOLDS, {"host_ids": list(host_ids), "now": now, "exclude_uid": exclude_uid or ""})
    return [
        avail.Reservation(
            start=slot_start,
            end=slot_end,
            is_seat=is_seat and event_type_id == event_type.id,
            event_type_id=event_type_id,
        )
        for slot_start, slot_end, is_seat, event_type_id in rows
    ]


def _seated_bookings(
    session: Session, event_type: EventType, start: datetime, end: datetime, users: dict[int, User]
) -> list[avail.SeatedBooking]:
    if not event_type.seats_per_time_slot:
        return []
    host_emails = [user.email for user in users.values()]
    rows = (
        session.execute(
            select(Booking.uid, Booking.start_time, Attendee.email)
            .join(Attendee, Attendee.booking_id == Booking.id)
            .where(
                Booking.event_type_id == event_type.id,
                Booking.status == ACCEPTED,
                Booking.start_time < end + BUSY_MARGIN,
                Booking.end_time > start - BUSY_MARGIN,
            )
        )
    ).all()
    counts: dict[tuple[str, datetime], int] = defaultdict(int)
    for uid, booking_start, email in rows:
        # Attendee counts of team events leave out the hosts' own emails (§3.9).
        counts[(uid, booking_start)] += 0 if email in host_emails else 1
    return [avail.SeatedBooking(uid=uid, start=start_at, attendees=n) for (uid, start_at), n in counts.items()]


def _limit_bookings(
    session: Session, rules: avail.EventRules, start: datetime, end: datetime
) -> list[avail.LimitBooking]:
    if rules.booking_limits is None and rules.duration_limits is None:
        return []
    window_from, window_to = fetch_window(
        (int(start.timestamp()), int(end.timestamp())),
        ZoneInfo(rules.time_zone),
        rules.booking_limits,
        rules.duration_limits,
    )
    rows = (
        session.execute(
            select(Booking.start_time, Booking.end_time, Booking.user_id, Booking.uid).where(
                Booking.event_type_id == rules.id,
                Booking.status == ACCEPTED,
                Booking.start_time < datetime.fromtimestamp(window_to, UTC),
                Booking.end_time > datetime.fromtimestamp(window_from, UTC),
            )
        )
    ).all()
    return [avail.LimitBooking(start=s, end=e, host_id=h, uid=u) for s, e, h, u in rows]


def _team_limits(
    session: Session,
    event_type: EventType,
    host_ids: Sequence[int],
    start: datetime,
    end: datetime,
    time_zone: str,
) -> TeamLimits | None:
    """The team-level booking limits over the hosts, with the bookings each host has counted (§3.7).

    They apply to the team's event types, and to the per-member copies of its managed event types
    when the team includes those. No query for a personal event type, and one query for the
    bookings when the team has limits (the team itself usually comes from the identity map).
    """
    team = _limiting_team(session, event_type)
    limits = _limits(team.booking_limits) if team is not None else None
    if team is None or limits is None or not host_ids:
        return None
    fetch_from, fetch_to = TeamLimits(limits, time_zone).fetch_window(start, end)
    parent = aliased(EventType)
    of_team = EventType.team_id == team.id
    if team.include_managed_events_in_limits:
        of_team = or_(of_team, parent.team_id == team.id)
    # (booking, host) pairs: the hosts as organizers or co-hosts, in the fetch window.
    pairs = union(
        select(BookingHost.booking_id, BookingHost.user_id).where(
            BookingHost.user_id.in_(host_ids), BookingHost.start_time < fetch_to, BookingHost.end_time > fetch_from
        ),
        select(Booking.id, Booking.user_id).where(
            Booking.user_id.in_(host_ids), Booking.start_time < fetch_to, Booking.end_time > fetch_from
        ),
    ).subquery()
    rows = (
        session.execute(
            select(Booking.uid, Booking.start_time, Booking.end_time, pairs.c.user_id)
            .join_from(pairs, Booking, Booking.id == pairs.c.booking_id)
            .join(EventType, EventType.id == Booking.event_type_id)
            .outerjoin(parent, parent.id == EventType.parent_id)
            .where(Booking.status == ACCEPTED, of_team)
        )
    ).all()
    by_host: dict[int, dict[str, avail.LimitBooking]] = defaultdict(dict)
    for uid, booking_start, booking_end, user_id in rows:
        by_host[user_id][uid] = avail.LimitBooking(start=booking_start, end=booking_end, host_id=user_id, uid=uid)
    return TeamLimits(limits, time_zone, {user_id: tuple(found.values()) for user_id, found in by_host.items()})


def _limiting_team(session: Session, event_type: EventType) -> Team | None:
    """The team whose limits bind the event type: its own, or its managed parent's when included."""
    if event_type.team_id is not None:
        return session.get(Team, event_type.team_id)
    if event_type.parent_id is None:
        return None
    return session.scalar(
        select(Team)
        .join(EventType, EventType.team_id == Team.id)
        .where(EventType.id == event_type.parent_id, Team.include_managed_events_in_limits.is_(True))
    )
