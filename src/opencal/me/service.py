"""Rules of the `Me` operations."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.auth import Principal
from opencal.core.db import Database
from opencal.core.errors import Forbidden
from opencal.me.schemas import UpdateManagedUserInput
from opencal.models import Schedule, Team, User
from opencal.users.service import ensure_email_free, get_user, user_output
from opencal.users.validation import check_metadata, check_time_zone


async def _output(session: AsyncSession, user: User) -> dict[str, Any]:
    organization = await session.get(Team, user.organization_id) if user.organization_id else None
    return user_output(user, organization)


async def get_me(db: Database, principal: Principal) -> dict[str, Any]:
    async with db.read() as session:
        return await _output(session, await get_user(session, principal.user_id))


async def update_me(db: Database, principal: Principal, body: UpdateManagedUserInput) -> dict[str, Any]:
    async with db.write() as session:
        user = await get_user(session, principal.user_id)
        await apply_profile_update(session, user, body)
        await session.flush()
        return await _output(session, user)


_COLUMNS = {
    "email": "email",
    "name": "name",
    "timeFormat": "time_format",
    "defaultScheduleId": "default_schedule_id",
    "weekStart": "week_start",
    "timeZone": "time_zone",
    "locale": "locale",
    "avatarUrl": "avatar_url",
    "bio": "bio",
    "metadata": "metadata_",
}


async def apply_profile_update(session: AsyncSession, user: User, body: UpdateManagedUserInput) -> None:
    """Check and apply an UpdateManagedUserInput to `user` inside the caller's write transaction
    (shared by `PATCH /v2/me` and the managed-user update)."""
    if body.timeZone is not None:
        check_time_zone(body.timeZone)
    if body.metadata is not None:
        check_metadata(body.metadata)
    if body.defaultScheduleId is not None:
        schedule = await session.get(Schedule, body.defaultScheduleId)
        if schedule is None or schedule.user_id != user.id:
            raise Forbidden(f"User with id={user.id} does not own schedule with id={body.defaultScheduleId}")
    if body.email is not None and body.email.lower() != user.email.lower():
        await ensure_email_free(session, body.email, except_user_id=user.id)
    for field, value in body.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(user, _COLUMNS[field], value)
