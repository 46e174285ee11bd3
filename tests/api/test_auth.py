"""Every 401 case of BEHAVIOR.md §2.1–2.2, and what a valid key makes of the caller."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from opencal.core import clock
from opencal.core.db import Database
from opencal.models import User
from opencal.users import bootstrap
from support import create_user, data, error


async def test_no_credentials(client: httpx.AsyncClient) -> None:
    err = error(await client.get("/v2/me"), 401)
    assert err["code"] == "UnauthorizedException"
    assert err["message"].startswith("ApiAuthStrategy - No authentication method provided.")


async def test_unknown_api_key(client: httpx.AsyncClient, db: Database) -> None:
    await create_user(db)
    err = error(await client.get("/v2/me", headers={"Authorization": "Bearer cal_" + "0" * 32}), 401)
    assert err["message"] == "ApiAuthStrategy - api key - Your api key is not valid"


async def test_unknown_access_token(client: httpx.AsyncClient) -> None:
    err = error(await client.get("/v2/me", headers={"Authorization": "Bearer not-a-key"}), 401)
    assert err["code"] == "UnauthorizedException"


async def test_only_client_id_or_only_secret(client: httpx.AsyncClient) -> None:
    assert (
        "Only 'x-cal-client-id'" in error(await client.get("/v2/me", headers={"x-cal-client-id": "c"}), 401)["message"]
    )
    assert (
        "Only 'x-cal-secret-key'"
        in error(await client.get("/v2/me", headers={"x-cal-secret-key": "s"}), 401)["message"]
    )


@pytest.mark.parametrize("scheme", ["Bearer ", "bearer ", ""])
async def test_key_with_or_without_bearer(client: httpx.AsyncClient, db: Database, scheme: str) -> None:
    user = await create_user(db)
    me = data(await client.get("/v2/me", headers={"Authorization": scheme + user.api_key}))
    assert me["id"] == user.id


async def test_expired_key_is_refused_the_day_after_expiry(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    today = clock.now().date()
    async with db.write() as session:
        owner = await session.get(User, user.id)
        assert owner is not None
        expired = await bootstrap.create_key(
            session, user=owner, prefix="cal_", expires_on=today - timedelta(days=1), team_id=None
        )
        last_day = await bootstrap.create_key(session, user=owner, prefix="cal_", expires_on=today, team_id=None)
    err = error(await client.get("/v2/me", headers={"Authorization": f"Bearer {expired}"}), 401)
    assert err["message"] == "ApiAuthStrategy - api key - Your api key is expired"
    # Expiry is by calendar day: a key expiring today still works today.
    assert data(await client.get("/v2/me", headers={"Authorization": f"Bearer {last_day}"}))["id"] == user.id


async def test_key_bound_to_an_organization_sets_current_org(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    async with db.write() as session:
        owner = await session.get(User, user.id)
        assert owner is not None
        org = await bootstrap.create_organization(session, name="Acme", slug="acme", owner=owner)
        key = await bootstrap.create_key(
            session, user=owner, prefix="cal_", expires_on=date(2100, 1, 1), team_id=org.id
        )
    me = data(await client.get("/v2/me", headers={"Authorization": f"Bearer {key}"}))
    assert me["organizationId"] == org.id
    assert me["organization"] == {"isPlatform": False, "id": org.id}
