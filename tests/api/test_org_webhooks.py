"""An organization's own webhooks (`Orgs / Webhooks`)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from opencal.core.db import Database
from opencal.core.security import SecretBox
from opencal.models import Webhook
from support import (
    TestOrg,
    add_webhook,
    create_custom_role,
    create_org_with_members,
    create_user,
    data,
    error,
    give_custom_role,
)

HOOK = "https://hooks.example.com/org"


def _path(org: TestOrg, webhook_id: str | None = None) -> str:
    base = f"/v2/organizations/{org.id}/webhooks"
    return base if webhook_id is None else f"{base}/{webhook_id}"


async def _create(client: httpx.AsyncClient, org: TestOrg, **overrides: Any) -> dict[str, Any]:
    body = {"subscriberUrl": HOOK, "triggers": ["OOO_CREATED"], "active": True, **overrides}
    created: dict[str, Any] = data(await client.post(_path(org), json=body, headers=org.admin.headers), 201)
    return created


async def _rows(db: Database) -> list[tuple[Any, ...]]:
    async with db.read() as session:
        result = await session.execute(
            select(
                Webhook.id, Webhook.team_id, Webhook.user_id, Webhook.subscriber_url, Webhook.triggers, Webhook.active
            ).order_by(Webhook.created_at, Webhook.id)
        )
        return [tuple(r) for r in result.all()]


async def test_webhook_lifecycle(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    created = await _create(
        client, org, triggers=["OOO_CREATED", "DELEGATION_CREDENTIAL_ERROR"], secret="s3cret", payloadTemplate="{}"
    )
    assert str(uuid.UUID(created["id"])) == created["id"]
    assert created == {
        "payloadTemplate": "{}",
        "teamId": org.id,
        "id": created["id"],
        "triggers": ["OOO_CREATED", "DELEGATION_CREDENTIAL_ERROR"],
        "subscriberUrl": HOOK,
        "active": True,
        "secret": "s3cret",
    }
    async with db.read() as session:
        row = await session.get(Webhook, created["id"])
        assert row is not None and row.secret is not None
        assert SecretBox("test-secret-key").decrypt(row.secret) == "s3cret"
    path = _path(org, created["id"])
    assert data(await client.get(path, headers=org.owner.headers)) == created
    assert data(await client.get(_path(org), headers=org.admin.headers)) == [created]
    updated = data(
        await client.patch(path, json={"active": False, "triggers": ["BOOKING_CREATED"]}, headers=org.admin.headers)
    )
    assert updated == {**created, "active": False, "triggers": ["BOOKING_CREATED"]}
    assert data(await client.delete(path, headers=org.admin.headers)) == updated
    error(await client.get(path, headers=org.admin.headers), 404)
    assert await _rows(db) == []


async def test_listing_pages(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    made = [await _create(client, org, subscriberUrl=f"{HOOK}/{i}") for i in range(3)]
    assert data(await client.get(f"{_path(org)}?skip=1&take=1", headers=org.admin.headers)) == made[1:2]


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"subscriberUrl": HOOK, "triggers": ["OOO_CREATED"], "active": True}, 409, "already exists"),
        ({"subscriberUrl": "ftp://x", "triggers": ["OOO_CREATED"], "active": True}, 400, "subscriberUrl"),
        ({"subscriberUrl": HOOK + "/2", "triggers": ["BOOKING_CONFIRMED"], "active": True}, 400, "triggers"),
        ({"subscriberUrl": HOOK + "/2", "triggers": ["OOO_CREATED"]}, 400, "active"),
    ],
)
async def test_bad_create_changes_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], status: int, fragment: str
) -> None:
    org = await create_org_with_members(db)
    await _create(client, org)
    before = await _rows(db)
    err = error(await client.post(_path(org), json=body, headers=org.admin.headers), status)
    assert fragment in err["message"], err
    assert await _rows(db) == before


async def test_guards_and_isolation(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    other = await create_org_with_members(db, "other")
    outsider = await create_user(db, email="outsider@example.com")
    theirs = await _create(client, other)
    user_hook = await add_webhook(db, HOOK + "/user", ["BOOKING_CREATED"], user_id=org.admin.id)
    before = await _rows(db)
    body = {"subscriberUrl": HOOK, "triggers": ["OOO_CREATED"], "active": True}
    error(await client.post(_path(org), json=body), 401)
    error(await client.post("/v2/organizations/999999/webhooks", json=body, headers=org.admin.headers), 403)
    for headers in (org.member.headers, outsider.headers, other.admin.headers):
        error(await client.post(_path(org), json=body, headers=headers), 403)
        error(await client.get(_path(org), headers=headers), 403)
    # Webhooks of another organization, or of a user, are not the organization's.
    for webhook_id in (theirs["id"], user_hook):
        path = _path(org, webhook_id)
        assert error(await client.get(path, headers=org.admin.headers), 403)["message"] == "Forbidden resource"
        error(await client.patch(path, json={"active": False}, headers=org.admin.headers), 403)
        error(await client.delete(path, headers=org.admin.headers), 403)
    error(await client.delete(_path(org, str(uuid.uuid4())), headers=org.admin.headers), 404)
    assert data(await client.get(_path(org), headers=org.admin.headers)) == []
    assert await _rows(db) == before


async def test_access_before_the_body_and_custom_roles(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    other = await create_org_with_members(db, "other")
    created = await _create(client, org)
    before = await _rows(db)
    # Refused callers learn nothing about the body, not even that it is invalid.
    for headers in (org.member.headers, other.owner.headers):
        err = error(await client.post(_path(org), json={"triggers": "nope"}, headers=headers), 403)
        assert err["message"].startswith("RolesGuard")
    role_id = await create_custom_role(db, org.id, "Webhook reader", ["webhook.read"])
    await give_custom_role(db, org.id, org.member.id, role_id)
    listed = data(await client.get(_path(org), headers=org.member.headers))
    assert [w["id"] for w in listed] == [created["id"]]
    assert data(await client.get(_path(org, created["id"]), headers=org.member.headers))["id"] == created["id"]
    body = {"subscriberUrl": HOOK + "/2", "triggers": ["OOO_CREATED"], "active": True}
    error(await client.post(_path(org), json=body, headers=org.member.headers), 403)
    error(await client.patch(_path(org, created["id"]), json={"active": False}, headers=org.member.headers), 403)
    error(await client.delete(_path(org, created["id"]), headers=org.member.headers), 403)
    assert await _rows(db) == before
