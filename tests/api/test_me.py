from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from opencal.core.db import Database
from opencal.models import Schedule, User
from support import create_user, data, error


async def _user_row(db: Database, user_id: int) -> dict[str, Any]:
    async with db.read() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return {c.key: getattr(user, c.key) for c in User.__mapper__.column_attrs if c.key != "updated_at"}


async def test_get_me_has_every_official_field(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db, email="ann@example.com", username="ann", time_zone="Europe/Rome", name="Ann")
    me = data(await client.get("/v2/me", headers=user.headers))
    async with db.read() as session:
        schedule_id = await session.scalar(select(Schedule.id).where(Schedule.user_id == user.id))
    assert me == {
        "id": user.id,
        "username": "ann",
        "email": "ann@example.com",
        "name": "Ann",
        "avatarUrl": None,
        "bio": None,
        "timeFormat": 12,
        "defaultScheduleId": schedule_id,
        "weekStart": "Sunday",
        "timeZone": "Europe/Rome",
        "organizationId": None,
    }


async def test_patch_me_updates_and_returns_profile(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    body = {
        "name": "Alice B",
        "timeZone": "America/New_York",
        "timeFormat": 24,
        "weekStart": "Monday",
        "bio": "hi",
        "locale": "de",
        "metadata": {"k": "v"},
    }
    me = data(await client.patch("/v2/me", json=body, headers=user.headers))
    assert (me["name"], me["timeZone"], me["timeFormat"], me["weekStart"], me["bio"]) == (
        "Alice B",
        "America/New_York",
        24,
        "Monday",
        "hi",
    )
    assert data(await client.get("/v2/me", headers=user.headers)) == me


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"timeZone": "Mars/Olympus"}, 400, "timeZone"),
        ({"timeFormat": 13}, 400, "timeFormat"),
        ({"weekStart": "Funday"}, 400, "weekStart"),
        ({"locale": "xx"}, 400, "locale"),
        ({"metadata": {f"k{i}": "v" for i in range(51)}}, 400, "metadata"),
        ({"metadata": {"k": "v" * 501}}, 400, "metadata"),
        ({"defaultScheduleId": 999999}, 403, "schedule"),
        ({"email": "taken@example.com"}, 409, "already exists"),
    ],
)
async def test_bad_patch_changes_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], status: int, fragment: str
) -> None:
    user = await create_user(db)
    await create_user(db, email="taken@example.com")
    before = await _user_row(db, user.id)
    err = error(await client.patch("/v2/me", json={"name": "changed", **body}, headers=user.headers), status)
    assert fragment in err["message"]
    assert await _user_row(db, user.id) == before


async def test_cannot_take_someone_elses_schedule(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    bobs_schedule = data(await client.get("/v2/me", headers=bob.headers))["defaultScheduleId"]
    error(await client.patch("/v2/me", json={"defaultScheduleId": bobs_schedule}, headers=alice.headers), 403)
