"""Who may see and act on a booking (BEHAVIOR.md §2.5, §4.7).

"Event-type admin or owner": the event type's owner, one of its hosts, an ADMIN/OWNER of its team,
or an ADMIN/OWNER of the organization above that team (or of the owner's organization). A booking's
managers are those, plus its organizer and every host it occupies.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.auth import Principal
from opencal.models import Attendee, Booking, BookingHost, Membership, Team, User
from opencal.models.event_types import EventType

ADMIN_ROLES = ("ADMIN", "OWNER")


async def _admin_of(session: AsyncSession, user_id: int, team_ids: set[int]) -> bool:
    if not team_ids:
        return False
    found = await session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.user_id == user_id,
            Membership.team_id.in_(team_ids),
            Membership.accepted.is_(True),
            Membership.role.in_(ADMIN_ROLES),
        )
    )
    return bool(found)


async def _governing_teams(session: AsyncSession, event_type: EventType) -> set[int]:
    """The event's team and its organization, or the owner's organization."""
    teams: set[int] = set()
    if event_type.team_id is not None:
        teams.add(event_type.team_id)
        team = await session.get(Team, event_type.team_id)
        if team is not None and team.parent_id is not None:
            teams.add(team.parent_id)
    if event_type.owner_id is not None:
        owner = await session.get(User, event_type.owner_id)
        if owner is not None and owner.organization_id is not None:
            teams.add(owner.organization_id)
    return teams


async def is_event_type_admin(session: AsyncSession, principal: Principal | None, event_type: EventType) -> bool:
    if principal is None:
        return False
    if principal.is_system_admin or principal.user_id == event_type.owner_id:
        return True
    if any(host.user_id == principal.user_id for host in event_type.hosts):
        return True
    return await _admin_of(session, principal.user_id, await _governing_teams(session, event_type))


async def can_manage(
    session: AsyncSession, principal: Principal | None, booking: Booking, event_type: EventType | None
) -> bool:
    """The organizer, a host the booking occupies, an event-type admin, or an admin of the organizer's org."""
    if principal is None:
        return False
    if principal.is_system_admin or principal.user_id == booking.user_id:
        return True
    hosted = await session.scalar(
        select(func.count())
        .select_from(BookingHost)
        .where(BookingHost.booking_id == booking.id, BookingHost.user_id == principal.user_id)
    )
    if hosted:
        return True
    if event_type is not None and await is_event_type_admin(session, principal, event_type):
        return True
    organizer = await session.get(User, booking.user_id) if booking.user_id is not None else None
    organization = organizer.organization_id if organizer is not None else None
    return organization is not None and await _admin_of(session, principal.user_id, {organization})


async def is_attendee(session: AsyncSession, principal: Principal | None, booking: Booking) -> bool:
    if principal is None:
        return False
    user = await session.get(User, principal.user_id)
    if user is None:
        return False
    found = await session.scalar(
        select(func.count())
        .select_from(Attendee)
        .where(Attendee.booking_id == booking.id, func.lower(Attendee.email) == user.email.lower())
    )
    return bool(found)
