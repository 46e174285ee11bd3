"""API keys: creation (CLI, demo user) and refresh (`POST /v2/api-keys/refresh`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core import clock
from opencal.core.auth import Principal
from opencal.core.db import Database
from opencal.core.errors import Unauthorized
from opencal.core.security import hash_api_key, new_api_key
from opencal.models import ApiKey


async def create_api_key(
    session: AsyncSession,
    *,
    user_id: int,
    prefix: str,
    expires_on: date | None = None,
    team_id: int | None = None,
    note: str | None = None,
) -> str:
    """Store a new key's hash and return the plaintext, which is never stored."""
    plaintext = new_api_key(prefix)
    expires_at = datetime.combine(expires_on, time(0, 0), tzinfo=UTC) if expires_on else None
    session.add(
        ApiKey(
            user_id=user_id,
            hashed_key=hash_api_key(plaintext, prefix),
            team_id=team_id,
            expires_at=expires_at,
            note=note,
        )
    )
    await session.flush()
    return plaintext


async def refresh_api_key(
    db: Database, principal: Principal, presented_key: str, prefix: str, days_valid: int, never_expires: bool
) -> str:
    """Replace the presented key with a new one bound to the same user and team."""
    if principal.kind != "api_key":
        raise Unauthorized("ApiAuthStrategy - api key - Only API keys can be refreshed")
    async with db.write() as session:
        deleted = await session.execute(
            delete(ApiKey).where(ApiKey.hashed_key == hash_api_key(presented_key, prefix)).returning(ApiKey.id)
        )
        if deleted.first() is None:
            raise Unauthorized("ApiAuthStrategy - api key - Your api key is not valid")
        expires_on = None if never_expires else clock.now().date() + timedelta(days=days_valid)
        return await create_api_key(
            session, user_id=principal.user_id, prefix=prefix, expires_on=expires_on, team_id=principal.team_id
        )
