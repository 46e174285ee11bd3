"""OAuth client CRUD (`Deprecated: Platform OAuth Clients`): who may call it and what it returns."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from opencal.core.db import Database
from opencal.core.security import sha256_hex
from opencal.models import Membership, OAuthClient, Team, User
from opencal.platform.permissions import PERMISSION_NAMES
from opencal.users import bootstrap
from support import TestPlatform, TestUser, create_platform, create_user, data, error

CREATE_BODY: dict[str, Any] = {
    "name": "Booking app",
    "redirectUris": ["https://booking.example.com"],
    "permissions": ["BOOKING_READ", "PROFILE_WRITE"],
}


async def _member(db: Database, platform: TestPlatform, email: str, role: str) -> TestUser:
    user = await create_user(db, email=email)
    async with db.write() as session:
        session.add(Membership(team_id=platform.organization_id, user_id=user.id, role=role, accepted=True))
        row = await session.get(User, user.id)
        assert row is not None
        row.organization_id = platform.organization_id
    return user


async def _client_count(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(OAuthClient)) or 0)


async def test_admin_creates_reads_updates_and_deletes_a_client(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    admin = await _member(db, platform, "admin@platform.example", "ADMIN")

    created = data(await client.post("/v2/oauth-clients", json=CREATE_BODY, headers=admin.headers), 201)
    assert set(created) == {"clientId", "clientSecret"}
    assert created["clientId"].startswith("c") and len(created["clientId"]) == 25
    async with db.read() as session:
        stored = await session.get(OAuthClient, created["clientId"])
    assert stored is not None
    assert stored.permissions == 4 | 512
    assert stored.secret_hash == sha256_hex(created["clientSecret"]) != created["clientSecret"]

    listed = data(await client.get("/v2/oauth-clients", headers=admin.headers))
    assert [c["id"] for c in listed] == [platform.client_id, created["clientId"]]
    got = data(await client.get(f"/v2/oauth-clients/{created['clientId']}", headers=admin.headers))
    assert got == {
        "id": created["clientId"],
        "name": "Booking app",
        "permissions": ["BOOKING_READ", "PROFILE_WRITE"],
        "logo": None,
        "redirectUris": ["https://booking.example.com"],
        "organizationId": platform.organization_id,
        "createdAt": got["createdAt"],
        "areEmailsEnabled": False,
        "areDefaultEventTypesEnabled": False,
        "areCalendarEventsEnabled": True,
    }
    assert got["createdAt"].endswith("Z")
    assert listed[1] == got  # the secret is never shown again

    updated = data(
        await client.patch(
            f"/v2/oauth-clients/{created['clientId']}",
            json={"name": "Renamed", "bookingRedirectUri": "https://booking.example.com/done"},
            headers=admin.headers,
        )
    )
    assert (updated["name"], updated["bookingRedirectUri"]) == ("Renamed", "https://booking.example.com/done")
    assert updated["redirectUris"] == ["https://booking.example.com"]

    deleted = data(await client.delete(f"/v2/oauth-clients/{created['clientId']}", headers=admin.headers))
    assert deleted["id"] == created["clientId"] and deleted["name"] == "Renamed"
    err = error(await client.get(f"/v2/oauth-clients/{created['clientId']}", headers=admin.headers), 404)
    assert err["message"] == "OAuthClientGuard - OAuth client not found."


async def test_star_grants_every_permission(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    body = {**CREATE_BODY, "permissions": ["*"], "areDefaultEventTypesEnabled": True}
    created = data(await client.post("/v2/oauth-clients", json=body, headers=platform.owner.headers), 201)
    got = data(await client.get(f"/v2/oauth-clients/{created['clientId']}", headers=platform.owner.headers))
    assert got["permissions"] == list(PERMISSION_NAMES)
    assert got["areDefaultEventTypesEnabled"] is True


async def test_member_may_read_but_not_write(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    member = await _member(db, platform, "member@platform.example", "MEMBER")
    assert [c["id"] for c in data(await client.get("/v2/oauth-clients", headers=member.headers))] == [
        platform.client_id
    ]
    assert data(await client.get(f"/v2/oauth-clients/{platform.client_id}", headers=member.headers))["id"] == (
        platform.client_id
    )
    error(await client.get("/v2/oauth-clients/cunknown", headers=member.headers), 404)
    before = await _client_count(db)
    for response in (
        await client.post("/v2/oauth-clients", json=CREATE_BODY, headers=member.headers),
        await client.patch(f"/v2/oauth-clients/{platform.client_id}", json={"name": "x"}, headers=member.headers),
        await client.delete(f"/v2/oauth-clients/{platform.client_id}", headers=member.headers),
    ):
        err = error(response, 403)
        # The wording is core.permissions' (organization role checks); the role it names is ours.
        assert err["message"].startswith("RolesGuard - ") and "ORG_ADMIN" in err["message"]
    assert await _client_count(db) == before
    got = data(await client.get(f"/v2/oauth-clients/{platform.client_id}", headers=member.headers))
    assert got["name"] == "platform app"


async def test_callers_outside_a_platform_organization_are_forbidden(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    loner = await create_user(db, email="loner@example.com")
    err = error(await client.get("/v2/oauth-clients", headers=loner.headers), 403)
    assert err["message"] == "OrganizationRolesGuard - No organization associated with the user."

    plain_owner = await create_user(db, email="plain@example.com")
    async with db.write() as session:
        row = await session.get(User, plain_owner.id)
        assert row is not None
        await bootstrap.create_organization(session, name="Plain", slug="plain", owner=row)
    err = error(await client.get("/v2/oauth-clients", headers=plain_owner.headers), 403)
    assert err["message"] == "OrganizationRolesGuard - Organization is not a platform (SHP)."
    err = error(await client.post("/v2/oauth-clients", json=CREATE_BODY, headers=plain_owner.headers), 403)
    assert err["message"] == "OrganizationRolesGuard - Organization is not a platform (SHP)."

    other = await create_platform(db, owner_email="other@platform.example", slug="other")
    err = error(await client.get(f"/v2/oauth-clients/{platform.client_id}", headers=other.owner.headers), 403)
    assert err["message"] == (
        f"OAuthClientGuard - forbidden. oAuth client with id={platform.client_id} does not belong to the "
        f"organization with id={other.organization_id}."
    )
    error(await client.delete(f"/v2/oauth-clients/{platform.client_id}", headers=other.owner.headers), 403)
    async with db.read() as session:
        assert await session.get(OAuthClient, platform.client_id) is not None
        org = await session.get(Team, platform.organization_id)
    assert org is not None and org.is_platform


async def test_unauthenticated_calls_are_refused(client: httpx.AsyncClient) -> None:
    for response in (
        await client.get("/v2/oauth-clients"),
        await client.post("/v2/oauth-clients", json=CREATE_BODY),
        await client.get("/v2/oauth-clients/c123"),
        await client.patch("/v2/oauth-clients/c123", json={}),
        await client.delete("/v2/oauth-clients/c123"),
    ):
        assert error(response, 401)["code"] == "UnauthorizedException"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**CREATE_BODY, "permissions": ["BOOKING_READ", "NOPE"]}, "permissions.1"),
        ({"name": "x", "permissions": ["*"]}, "redirectUris"),
        ({**CREATE_BODY, "redirectUris": []}, None),
        ({**CREATE_BODY, "name": ""}, "name"),
    ],
)
async def test_bad_input_creates_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], field: str | None
) -> None:
    platform = await create_platform(db)
    before = await _client_count(db)
    err = error(await client.post("/v2/oauth-clients", json=body, headers=platform.owner.headers), 400)
    assert err["code"] == "BadRequestException"
    if field is None:
        assert err["message"] == "redirectUris must contain at least one URI"
    else:
        assert err["message"].startswith(f"{field}: ")
    assert await _client_count(db) == before


async def test_oauth_client_credentials_manage_their_organization(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    listed = data(await client.get("/v2/oauth-clients", headers=platform.client_headers))
    assert [c["id"] for c in listed] == [platform.client_id]
