"""`GET /v2/bookings`: the caller's bookings, filtered, sorted and paged (BEHAVIOR.md §4.10, §1.4).

The caller sees the bookings they organize, host or attend (by email), those of event types of the
teams they administer (and of those teams' organizations' teams), and those organized by members of
the organizations they administer. Every filter narrows that set; the `pagination` summary counts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.sql.elements import UnaryExpression

from opencal.bookings.access import ADMIN_ROLES
from opencal.bookings.schemas import MAX_ID
from opencal.bookings.service import outputs
from opencal.core import clock
from opencal.core.auth import Principal
from opencal.core.db import Database
from opencal.core.envelope import pagination_summary
from opencal.core.errors import BadRequest, NotFound
from opencal.models import Attendee, Booking, BookingHost, Membership, Team, User
from opencal.models.bookings import ACCEPTED, CANCELLED, PENDING, REJECTED
from opencal.models.event_types import EventType
from opencal.slots.query import parse_instant

ListStatus = Literal["upcoming", "recurring", "past", "cancelled", "unconfirmed"]
Direction = Literal["asc", "desc"]
_CLOSED = (CANCELLED, REJECTED)


@dataclass(frozen=True)
class BookingFilters:
    statuses: Sequence[ListStatus] = ()
    attendee_email: str | None = None
    attendee_name: str | None = None
    booking_uid: str | None = None
    event_type_ids: Sequence[int] = ()
    team_ids: Sequence[int] = ()
    after_start: str | None = None
    before_end: str | None = None
    after_created: str | None = None
    before_created: str | None = None
    after_updated: str | None = None
    before_updated: str | None = None
    sorts: Sequence[tuple[Literal["start", "end", "created", "updated"], Direction]] = field(default_factory=list)


def parse_ids(value: str | None, name: str) -> list[int]:
    """`1,2,3` -> [1, 2, 3]; anything else is a 400 naming the parameter."""
    if value is None or value.strip() == "":
        return []
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not all(part.isdigit() and int(part) <= MAX_ID for part in parts):
        raise BadRequest(f"{name} must be a comma separated list of numbers, got '{value}'")
    return [int(part) for part in parts]


def _visible(user: User) -> ColumnElement[bool]:
    administered = select(Membership.team_id).where(
        Membership.user_id == user.id, Membership.accepted.is_(True), Membership.role.in_(ADMIN_ROLES)
    )
    teams_below = select(Team.id).where(Team.parent_id.in_(administered))
    team_event_types = select(EventType.id).where(
        or_(EventType.team_id.in_(administered), EventType.team_id.in_(teams_below))
    )
    org_members = select(User.id).where(User.organization_id.in_(administered))
    return or_(
        Booking.user_id == user.id,
        Booking.id.in_(select(BookingHost.booking_id).where(BookingHost.user_id == user.id)),
        Booking.id.in_(select(Attendee.booking_id).where(func.lower(Attendee.email) == user.email.lower())),
        Booking.event_type_id.in_(team_event_types),
        Booking.user_id.in_(org_members),
    )


def _status(status: ListStatus, now: datetime) -> ColumnElement[bool]:
    open_ = Booking.status.not_in(_CLOSED)
    if status == "upcoming":
        # Occurrences of a series count as upcoming once accepted; single bookings when not closed.
        return and_(
            Booking.end_time >= now,
            or_(
                and_(Booking.recurring_booking_uid.is_not(None), Booking.status == ACCEPTED),
                and_(Booking.recurring_booking_uid.is_(None), open_),
            ),
        )
    if status == "recurring":
        return and_(Booking.end_time >= now, Booking.recurring_booking_uid.is_not(None), open_)
    if status == "past":
        return and_(Booking.end_time <= now, open_)
    if status == "cancelled":
        return Booking.status.in_(_CLOSED)
    return and_(Booking.end_time >= now, Booking.status == PENDING)


def _conditions(filters: BookingFilters, now: datetime) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.statuses:
        conditions.append(or_(*(_status(status, now) for status in dict.fromkeys(filters.statuses))))
    if filters.attendee_email:
        attended = select(Attendee.booking_id).where(func.lower(Attendee.email) == filters.attendee_email.lower())
        conditions.append(Booking.id.in_(attended))
    if filters.attendee_name:
        named = select(Attendee.booking_id).where(
            func.lower(Attendee.name).contains(filters.attendee_name.lower(), autoescape=True)
        )
        conditions.append(Booking.id.in_(named))
    if filters.booking_uid:
        conditions.append(Booking.uid == filters.booking_uid)
    if filters.event_type_ids:
        conditions.append(Booking.event_type_id.in_(filters.event_type_ids))
    if filters.team_ids:
        conditions.append(
            Booking.event_type_id.in_(select(EventType.id).where(EventType.team_id.in_(filters.team_ids)))
        )
    bounds = (
        (filters.after_start, "afterStart", Booking.start_time, True),
        (filters.before_end, "beforeEnd", Booking.end_time, False),
        (filters.after_created, "afterCreatedAt", Booking.created_at, True),
        (filters.before_created, "beforeCreatedAt", Booking.created_at, False),
        (filters.after_updated, "afterUpdatedAt", Booking.updated_at, True),
        (filters.before_updated, "beforeUpdatedAt", Booking.updated_at, False),
    )
    for value, name, column, lower_bound in bounds:
        if value:
            instant = parse_instant(value, name, is_end=False)
            conditions.append(column >= instant if lower_bound else column <= instant)
    return conditions


def _order(filters: BookingFilters) -> list[UnaryExpression[Any]]:
    columns = {
        "start": Booking.start_time,
        "end": Booking.end_time,
        "created": Booking.created_at,
        "updated": Booking.updated_at,
    }
    order = [columns[key].asc() if direction == "asc" else columns[key].desc() for key, direction in filters.sorts]
    if not order:
        # Looking back (past, cancelled) shows the latest first; anything else the soonest first.
        newest_first = bool(filters.statuses) and set(filters.statuses) <= {"past", "cancelled"}
        order = [Booking.start_time.desc() if newest_first else Booking.start_time.asc()]
    return [*order, Booking.id.asc()]


async def list_bookings(
    db: Database,
    principal: Principal,
    filters: BookingFilters,
    *,
    skip: int,
    take: int,
    scope: ColumnElement[bool] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """`scope` replaces "what the caller may see" for routes that list a team's or an organization's
    bookings once the caller's role in it was checked."""
    now = clock.now()
    async with db.read() as session:
        user = await session.get(User, principal.user_id)
        if user is None:
            raise NotFound(f"User with id={principal.user_id} not found")
        where = [_visible(user) if scope is None else scope, *_conditions(filters, now)]
        total = int(await session.scalar(select(func.count()).select_from(Booking).where(*where)) or 0)
        # Past the last row nothing is returned whatever the offset (and the database's integers stay small).
        offset = min(skip, total)
        page = (
            await session.scalars(select(Booking).where(*where).order_by(*_order(filters)).offset(offset).limit(take))
        ).all()
        data = await outputs(session, page, principal)
    return data, pagination_summary(total, skip, take)
