"""The bookings of a team, of an organization and of an organization's member (BEHAVIOR.md §4.10).

The routes check the caller's role in the team or organization; each list is then the bookings
list of `opencal.bookings.listing` (same filters, sorting and paging) over one scope:

    team_scope(team_id)            bookings of the team's event types and of their managed copies
    organization_scope(org_id)     bookings of every team of the organization, and those organized
                                   or hosted by its members
    member_scope(user)             bookings the member organizes, hosts or attends
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from opencal.bookings import links
from opencal.bookings.listing import BookingFilters, list_bookings
from opencal.core.auth import Principal
from opencal.core.db import Database
from opencal.core.errors import NotFound
from opencal.models import Attendee, Booking, BookingHost, EventType, Membership, Team, User


def _event_types_of(team_ids: Select[Any]) -> ColumnElement[bool]:
    """Bookings of the teams' event types, managed copies included."""
    team_rows = select(EventType.id).where(EventType.team_id.in_(team_ids))
    copies = select(EventType.id).where(EventType.parent_id.in_(team_rows))
    return or_(Booking.event_type_id.in_(team_rows), Booking.event_type_id.in_(copies))


def _organized_or_hosted_by(user_ids: Select[Any] | Sequence[int]) -> ColumnElement[bool]:
    hosted = select(BookingHost.booking_id).where(BookingHost.user_id.in_(user_ids))
    return or_(Booking.user_id.in_(user_ids), Booking.id.in_(hosted))


def team_scope(team_id: int) -> ColumnElement[bool]:
    return _event_types_of(select(Team.id).where(Team.id == team_id))


def organization_scope(org_id: int, user_ids: Sequence[int] = ()) -> ColumnElement[bool]:
    """Everything of the organization; `user_ids` narrows it to bookings those members organize or host."""
    teams = select(Team.id).where(Team.parent_id == org_id, Team.is_organization.is_(False))
    members = select(Membership.user_id).where(Membership.team_id == org_id, Membership.accepted.is_(True))
    scope = or_(_event_types_of(teams), _organized_or_hosted_by(members))
    return and_(scope, _organized_or_hosted_by(user_ids)) if user_ids else scope


def member_scope(user: User) -> ColumnElement[bool]:
    attended = select(Attendee.booking_id).where(func.lower(Attendee.email) == user.email.lower())
    return or_(_organized_or_hosted_by([user.id]), Booking.id.in_(attended))


async def list_team_bookings(
    db: Database, principal: Principal, team_id: int, filters: BookingFilters, *, skip: int, take: int
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    return await list_bookings(db, principal, filters, skip=skip, take=take, scope=team_scope(team_id))


async def list_organization_bookings(
    db: Database,
    principal: Principal,
    org_id: int,
    filters: BookingFilters,
    *,
    user_ids: Sequence[int] = (),
    skip: int,
    take: int,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    scope = organization_scope(org_id, user_ids)
    return await list_bookings(db, principal, filters, skip=skip, take=take, scope=scope)


async def list_member_bookings(
    db: Database, principal: Principal, org_id: int, user_id: int, filters: BookingFilters, *, skip: int, take: int
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    async with db.read() as session:
        member = await session.scalar(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(User.id == user_id, Membership.team_id == org_id)
        )
    if member is None:
        raise NotFound(f"User with id={user_id} is not part of the organization with id={org_id}")
    return await list_bookings(db, principal, filters, skip=skip, take=take, scope=member_scope(member))


async def team_booking_references(
    db: Database, principal: Principal, team_id: int, uid: str, kind: str | None
) -> list[dict[str, Any]]:
    """The references of a booking of the team's event types (another booking is not found)."""
    async with db.read() as session:
        found = await session.scalar(select(Booking.id).where(Booking.uid == uid, team_scope(team_id)))
    if found is None:
        raise NotFound(f"Booking with uid {uid} not found")
    return await links.get_references(db, uid, principal, kind)
