from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import func, select

from opencal.core import clock
from opencal.core.db import Database
from opencal.models import ApiKey
from support import create_user, data, error


async def test_refresh_replaces_the_key(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    new_key = data(await client.post("/v2/api-keys/refresh", json={"apiKeyDaysValid": 10}, headers=user.headers))[
        "apiKey"
    ]
    assert new_key.startswith("cal_") and len(new_key) == 36 and new_key != user.api_key
    error(await client.get("/v2/me", headers=user.headers), 401)
    assert data(await client.get("/v2/me", headers={"Authorization": f"Bearer {new_key}"}))["id"] == user.id
    async with db.read() as session:
        keys = (await session.scalars(select(ApiKey).where(ApiKey.user_id == user.id))).all()
    assert len(keys) == 1
    assert keys[0].expires_at is not None
    assert keys[0].expires_at.date() == clock.now().date() + timedelta(days=10)


async def test_refresh_never_expires_and_without_body(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    key = data(await client.post("/v2/api-keys/refresh", json={"apiKeyNeverExpires": True}, headers=user.headers))[
        "apiKey"
    ]
    async with db.read() as session:
        assert await session.scalar(select(ApiKey.expires_at).where(ApiKey.user_id == user.id)) is None
    again = data(await client.post("/v2/api-keys/refresh", headers={"Authorization": f"Bearer {key}"}))["apiKey"]
    async with db.read() as session:
        expires_at = await session.scalar(select(ApiKey.expires_at).where(ApiKey.user_id == user.id))
    assert again != key and expires_at is not None  # the default is 30 days


async def test_refresh_bad_input_keeps_the_key(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    err = error(await client.post("/v2/api-keys/refresh", json={"apiKeyDaysValid": 0}, headers=user.headers), 400)
    assert "apiKeyDaysValid" in err["message"]
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(ApiKey)) == 1
    assert data(await client.get("/v2/me", headers=user.headers))["id"] == user.id


async def test_refresh_needs_a_key(client: httpx.AsyncClient) -> None:
    error(await client.post("/v2/api-keys/refresh", json={}), 401)
