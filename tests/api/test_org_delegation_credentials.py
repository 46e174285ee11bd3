"""Delegation credentials of an organization (`Orgs / Delegation Credentials`)."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from opencal.core.db import Database
from opencal.core.security import SecretBox
from opencal.models import DelegationCredential
from support import TestOrg, create_custom_role, create_org_with_members, data, error, give_custom_role

GOOGLE_KEY = {
    "type": "service_account",
    "private_key": "-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----\n",
    "client_email": "calendar@project.iam.gserviceaccount.com",
    "client_id": "1234567890",
}
MICROSOFT_KEY = {"private_key": "ms-secret", "tenant_id": "tenant-1", "client_id": "app-1"}
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def _path(org: TestOrg, credential_id: str | None = None) -> str:
    base = f"/v2/organizations/{org.id}/delegation-credentials"
    return base if credential_id is None else f"{base}/{credential_id}"


async def _create(
    client: httpx.AsyncClient, org: TestOrg, domain: str = "acme.com", platform: str = "google", key: Any = None
) -> httpx.Response:
    body = {"workspacePlatformSlug": platform, "domain": domain, "serviceAccountKey": key or GOOGLE_KEY}
    return await client.post(_path(org), json=body, headers=org.admin.headers)


async def _rows(db: Database) -> list[tuple[Any, ...]]:
    async with db.read() as session:
        result = await session.execute(
            select(
                DelegationCredential.id,
                DelegationCredential.organization_id,
                DelegationCredential.domain,
                DelegationCredential.service_account_key,
                DelegationCredential.enabled,
            ).order_by(DelegationCredential.created_at)
        )
        return [tuple(row) for row in result.all()]


async def test_create_keeps_the_key_encrypted_and_never_returns_it(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    created = data(await _create(client, org), 201)
    assert ISO_UTC.match(created["createdAt"]) and ISO_UTC.match(created["updatedAt"])
    assert created == {
        "id": created["id"],
        "enabled": False,
        "domain": "acme.com",
        "organizationId": org.id,
        "workspacePlatform": {"name": "Google Workspace", "slug": "google"},
        "createdAt": created["createdAt"],
        "updatedAt": created["updatedAt"],
    }
    ((_, _, _, sealed, _),) = await _rows(db)
    assert "secret" not in sealed and "calendar@" not in sealed
    assert json.loads(SecretBox("test-secret-key").decrypt(sealed)) == GOOGLE_KEY


async def test_microsoft_key_for_office365(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    created = data(await _create(client, org, platform="office365", key=MICROSOFT_KEY), 201)
    assert created["workspacePlatform"] == {"name": "Microsoft 365", "slug": "office365"}
    ((_, _, _, sealed, _),) = await _rows(db)
    assert json.loads(SecretBox("test-secret-key").decrypt(sealed)) == MICROSOFT_KEY


@pytest.mark.parametrize(
    ("platform", "key", "status", "message"),
    [
        ("zoho", GOOGLE_KEY, 404, "Workspace platform zoho not found"),
        ("google", {"private_key": "k", "client_id": "c"}, 400, "serviceAccountKey: Service account key must be"),
        ("google", {**GOOGLE_KEY, "client_id": ""}, 400, "serviceAccountKey: client_id:"),
        ("google", MICROSOFT_KEY, 400, "serviceAccountKey: a Google Workspace credential needs a key with"),
        ("office365", GOOGLE_KEY, 400, "serviceAccountKey: a Microsoft 365 credential needs a key with"),
    ],
)
async def test_bad_create_changes_nothing(
    client: httpx.AsyncClient, db: Database, platform: str, key: dict[str, Any], status: int, message: str
) -> None:
    org = await create_org_with_members(db)
    err = error(await _create(client, org, platform=platform, key=key), status)
    assert err["message"].startswith(message), err
    assert await _rows(db) == []


async def test_domain_rules(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    other = await create_org_with_members(db, "other")
    data(await _create(client, org), 201)
    before = await _rows(db)
    err = error(await _create(client, org, domain="ACME.com"), 400)
    assert err["message"] == "Your organization already has delegation credential for acme.com"
    assert await _rows(db) == before
    # Another organization may register the domain while nobody has it enabled...
    theirs = data(await _create(client, other), 201)
    mine = before[0][0]
    data(await client.patch(_path(other, theirs["id"]), json={"enabled": True}, headers=other.admin.headers))
    # ...but not enable it once someone has, nor register it again.
    snapshot = await _rows(db)
    err = error(await client.patch(_path(org, mine), json={"enabled": True}, headers=org.admin.headers), 400)
    assert err["message"] == "Domain acme.com already has delegation credential enabled in another organization"
    third = await create_org_with_members(db, "third")
    error(await _create(client, third), 400)
    assert await _rows(db) == snapshot


async def test_update_enables_and_replacing_the_key_disables(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    created = data(await _create(client, org), 201)
    path = _path(org, created["id"])
    enabled = data(await client.patch(path, json={"enabled": True}, headers=org.admin.headers))
    assert {**enabled, "updatedAt": None} == {**created, "enabled": True, "updatedAt": None}
    new_key = {**GOOGLE_KEY, "private_key": "rotated"}
    rotated = data(await client.patch(path, json={"serviceAccountKey": new_key}, headers=org.admin.headers))
    assert rotated["enabled"] is False
    ((_, _, _, sealed, _),) = await _rows(db)
    assert json.loads(SecretBox("test-secret-key").decrypt(sealed)) == new_key
    both = data(
        await client.patch(path, json={"serviceAccountKey": GOOGLE_KEY, "enabled": True}, headers=org.admin.headers)
    )
    assert both["enabled"] is True
    before = await _rows(db)
    err = error(await client.patch(path, json={"serviceAccountKey": MICROSOFT_KEY}, headers=org.admin.headers), 400)
    assert err["message"].startswith("serviceAccountKey: a Google Workspace credential needs a key with")
    assert await _rows(db) == before


async def test_guards_and_isolation(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    other = await create_org_with_members(db, "other")
    body = {"workspacePlatformSlug": "google", "domain": "acme.com", "serviceAccountKey": GOOGLE_KEY}
    error(await client.post(_path(org), json=body), 401)
    error(
        await client.post("/v2/organizations/999999/delegation-credentials", json=body, headers=org.admin.headers), 403
    )
    error(await client.post(_path(org), json=body, headers=org.member.headers), 403)
    error(await client.post(_path(org), json=body, headers=other.admin.headers), 403)
    assert await _rows(db) == []
    theirs = data(await _create(client, other, domain="other.com"), 201)
    before = await _rows(db)
    err = error(await client.patch(_path(org, theirs["id"]), json={"enabled": True}, headers=org.admin.headers), 404)
    assert err["message"] == f"DelegationCredential with id {theirs['id']} not found"
    error(await client.patch(_path(org, "missing"), json={"enabled": True}, headers=org.admin.headers), 404)
    error(await client.patch(_path(other, theirs["id"]), json={"enabled": True}, headers=other.member.headers), 403)
    assert await _rows(db) == before


async def test_access_before_the_body_and_custom_roles(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    other = await create_org_with_members(db, "other")
    for headers in (org.member.headers, other.admin.headers):
        err = error(await client.post(_path(org), json={"domain": 42}, headers=headers), 403)
        assert err["message"].startswith("RolesGuard")
        error(await client.patch(_path(org, "missing"), json={"enabled": "maybe"}, headers=headers), 403)
    assert await _rows(db) == []
    # Cal.com guards these routes with `organization.update`.
    role_id = await create_custom_role(db, org.id, "Org editor", ["organization.update"])
    await give_custom_role(db, org.id, org.member.id, role_id)
    body = {"workspacePlatformSlug": "google", "domain": "acme.com", "serviceAccountKey": GOOGLE_KEY}
    created = data(await client.post(_path(org), json=body, headers=org.member.headers), 201)
    assert created["domain"] == "acme.com"
    assert len(await _rows(db)) == 1
