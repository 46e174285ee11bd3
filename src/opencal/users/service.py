"""User reads and writes shared by `me`, the CLI and later the organization and platform domains."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.errors import Conflict, NotFound
from opencal.models import Team, User

_SLUG_STRIP = re.compile(r"[^a-z0-9-]+")


def slugify(value: str) -> str:
    slug = _SLUG_STRIP.sub("-", value.lower()).strip("-")
    return re.sub(r"-{2,}", "-", slug)


async def get_user(session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"User with id={user_id} not found")
    return user


async def find_user(session: AsyncSession, email_or_id: str) -> User | None:
    if email_or_id.isdigit():
        return await session.get(User, int(email_or_id))
    result = await session.scalars(select(User).where(func.lower(User.email) == email_or_id.lower()))
    return result.first()


async def ensure_email_free(session: AsyncSession, email: str, *, except_user_id: int | None = None) -> None:
    query = select(User.id).where(func.lower(User.email) == email.lower())
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    existing = await session.scalar(query)
    if existing is not None:
        raise Conflict(f"User with the provided e-mail already exists. Existing user ID={existing}")


async def ensure_username_free(session: AsyncSession, username: str, organization_id: int | None) -> None:
    query = select(User.id).where(User.username == username)
    query = query.where(
        User.organization_id.is_(None) if organization_id is None else User.organization_id == organization_id
    )
    if await session.scalar(query) is not None:
        raise Conflict(f"User with username {username} already exists")


def user_output(user: User, organization: Team | None) -> dict[str, Any]:
    """MeOutput / user fields as Cal.com returns them."""
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "name": user.name,
        "avatarUrl": user.avatar_url,
        "bio": user.bio,
        "timeFormat": user.time_format,
        "defaultScheduleId": user.default_schedule_id,
        "weekStart": user.week_start,
        "timeZone": user.time_zone,
        "organizationId": user.organization_id,
        **(
            {"organization": {"isPlatform": organization.is_platform, "id": organization.id}}
            if organization is not None
            else {}
        ),
    }
