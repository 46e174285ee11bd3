"""Who belongs to an organization, for the routes that name a user inside one.

A user belongs to an organization when it is their organization (`users.organization_id`, Cal.com's
profile) or when they hold a membership of the organization row.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.errors import Forbidden
from opencal.models import Membership, User


async def org_membership(session: AsyncSession, org_id: int, user_id: int) -> Membership | None:
    """The user's membership of the organization row, accepted or not."""
    membership: Membership | None = await session.scalar(
        select(Membership).where(Membership.team_id == org_id, Membership.user_id == user_id)
    )
    return membership


def org_user_clause(org_id: int) -> ColumnElement[bool]:
    """A WHERE clause over `User` keeping the users of organization `org_id`."""
    return or_(
        User.organization_id == org_id,
        exists().where(Membership.team_id == org_id, Membership.user_id == User.id),
    )


async def is_org_user(session: AsyncSession, org_id: int, user_id: int) -> bool:
    found = await session.scalar(select(User.id).where(User.id == user_id, org_user_clause(org_id)))
    return found is not None


async def require_org_user(session: AsyncSession, org_id: int, user_id: int) -> User:
    """The user `user_id` of organization `org_id`; 403 otherwise, as Cal.com's IsUserInOrg guard."""
    user: User | None = await session.scalar(select(User).where(User.id == user_id, org_user_clause(org_id)))
    if user is None:
        raise Forbidden(f"User with id={user_id} is not part of the organization with id={org_id}")
    return user
