"""`/v2/organizations/{orgId}/organizations`: organizations managed by a platform organization."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select

from opencal.core import clock
from opencal.core.db import Database
from opencal.models import ApiKey, ManagedOrganization, Membership, Team
from support import OrgWorld, create_org_world, data, error


async def _platform_world(db: Database) -> OrgWorld:
    world = await create_org_world(db)
    async with db.write() as session:
        org = await session.get(Team, world.org.id)
        assert org is not None
        org.is_platform = True
    return world


def _url(world: OrgWorld) -> str:
    return f"/v2/organizations/{world.org.id}/organizations"


async def _teams_count(db: Database) -> int:
    async with db.read() as session:
        return await session.scalar(select(func.count()).select_from(Team)) or 0


async def test_only_a_platform_organization_manages_organizations(client: httpx.AsyncClient, db: Database) -> None:
    world = await create_org_world(db)
    before = await _teams_count(db)
    failure = error(await client.post(_url(world), json={"name": "Child"}, headers=world.org.admin.headers), 403)
    assert failure["message"] == (
        "Manager organization must be a platform organization. Normal organizations can't create managed "
        "organizations yet."
    )
    assert await _teams_count(db) == before


async def test_create_managed_organization_with_an_api_key(client: httpx.AsyncClient, db: Database) -> None:
    world = await _platform_world(db)
    clock.set_clock(lambda: datetime(2030, 1, 8, 13, 0, tzinfo=UTC))
    try:
        body = {"name": "Cal Tel", "metadata": {"plan": "gold"}}
        created = data(await client.post(_url(world), json=body, headers=world.org.admin.headers), 201)
    finally:
        clock.set_clock(None)
    assert set(created) == {"id", "name", "slug", "metadata", "apiKey"}
    assert (created["name"], created["slug"], created["metadata"]) == ("Cal Tel", "cal-tel", {"plan": "gold"})
    assert created["apiKey"].startswith("cal_")
    async with db.read() as session:
        org = await session.get(Team, created["id"])
        link = await session.get(ManagedOrganization, created["id"])
        owner = await session.scalar(
            select(Membership).where(Membership.team_id == created["id"], Membership.user_id == world.org.admin.id)
        )
        key = await session.scalar(select(ApiKey).where(ApiKey.team_id == created["id"]))
    assert org is not None and (org.is_organization, org.is_platform, org.parent_id) == (True, True, None)
    assert link is not None and link.manager_organization_id == world.org.id
    assert owner is not None and (owner.role, owner.accepted) == ("OWNER", True)
    assert key is not None and key.expires_at == datetime(2030, 1, 8, tzinfo=UTC) + timedelta(days=30)
    # The key acts as its creator, OWNER of the managed organization.
    headers = {"Authorization": f"Bearer {created['apiKey']}"}
    assert data(await client.get(f"/v2/organizations/{created['id']}/teams", headers=headers)) == []


async def test_a_managed_organization_key_may_never_expire(client: httpx.AsyncClient, db: Database) -> None:
    world = await _platform_world(db)
    body = {"name": "Forever", "slug": "Forever Org", "apiKeyNeverExpires": True}
    created = data(await client.post(_url(world), json=body, headers=world.org.owner.headers), 201)
    assert created["slug"] == "forever-org"
    async with db.read() as session:
        key = await session.scalar(select(ApiKey).where(ApiKey.team_id == created["id"]))
    assert key is not None and key.expires_at is None


async def test_create_managed_organization_rejects_bad_input(client: httpx.AsyncClient, db: Database) -> None:
    world = await _platform_world(db)
    before = await _teams_count(db)
    for body, status in (
        ({}, 400),
        ({"name": ""}, 400),
        ({"name": "x", "apiKeyDaysValid": 0}, 400),
        ({"name": "x", "metadata": {"k" * 41: "v"}}, 400),
        ({"name": "Acme Child"}, 409),
        ({"name": "Other", "slug": "beta"}, 409),
    ):
        error(await client.post(_url(world), json=body, headers=world.org.admin.headers), status)
    assert await _teams_count(db) == before


async def test_list_managed_organizations_with_pagination_and_filters(client: httpx.AsyncClient, db: Database) -> None:
    world = await _platform_world(db)
    headers = world.org.admin.headers
    first = data(await client.post(_url(world), json={"name": "One", "metadata": {"tier": "a"}}, headers=headers), 201)
    second = data(await client.post(_url(world), json={"name": "Two", "metadata": {"tier": "b"}}, headers=headers), 201)
    child = {"id": world.managed_org_id, "name": "Acme Child", "slug": "acme-child", "metadata": {}}
    one = {key: first[key] for key in ("id", "name", "slug", "metadata")}
    two = {key: second[key] for key in ("id", "name", "slug", "metadata")}

    response = await client.get(_url(world), params={"take": 2, "skip": 1}, headers=headers)
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "data": [one, two],
        "pagination": {
            "totalItems": 3,
            "remainingItems": 0,
            "returnedItems": 2,
            "itemsPerPage": 2,
            "currentPage": 1,
            "totalPages": 2,
            "hasNextPage": False,
            "hasPreviousPage": True,
        },
    }
    assert data(await client.get(_url(world), headers=headers)) == [child, one, two]
    assert data(await client.get(_url(world), params={"slug": "two"}, headers=headers)) == [two]
    by_metadata = {"metadataKey": "tier", "metadataValue": "a"}
    assert data(await client.get(_url(world), params=by_metadata, headers=headers)) == [one]
    error(await client.get(_url(world), params={"metadataKey": "tier"}, headers=headers), 400)


async def test_get_update_delete_managed_organization(client: httpx.AsyncClient, db: Database) -> None:
    world = await _platform_world(db)
    url = f"{_url(world)}/{world.managed_org_id}"
    headers = world.org.admin.headers
    child = {"id": world.managed_org_id, "name": "Acme Child", "slug": "acme-child", "metadata": {}}
    assert data(await client.get(url, headers=headers)) == child
    updated = data(await client.patch(url, json={"name": "Renamed", "metadata": {"a": 1}}, headers=headers))
    assert updated == {**child, "name": "Renamed", "metadata": {"a": 1}}
    error(await client.patch(url, json={"name": ""}, headers=headers), 400)
    assert data(await client.get(url, headers=headers)) == updated
    assert data(await client.delete(url, headers=headers)) == updated
    async with db.read() as session:
        assert await session.get(Team, world.managed_org_id) is None
    error(await client.get(url, headers=headers), 404)


async def test_an_organization_not_managed_by_this_one_is_not_found(client: httpx.AsyncClient, db: Database) -> None:
    world = await _platform_world(db)
    for managed_id in (world.other.id, world.team_id, 999999):
        url = f"{_url(world)}/{managed_id}"
        failure = error(await client.get(url, headers=world.org.owner.headers), 404)
        assert failure["message"] == (
            f"Managed organization with id={managed_id} within manager organization with id={world.org.id} not found."
        )
        error(await client.patch(url, json={"name": "Mine"}, headers=world.org.owner.headers), 404)
        error(await client.delete(url, headers=world.org.owner.headers), 404)
    async with db.read() as session:
        other = await session.get(Team, world.other.id)
    assert other is not None and other.name == "Beta"
