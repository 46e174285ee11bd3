"""Webhooks of an OAuth client (`Deprecated: Platform / Webhooks`) and the events they receive."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from opencal.core.db import Database
from opencal.models import Webhook, WebhookDelivery
from opencal.webhooks.outbox import enqueue_event
from support import TestPlatform, create_managed_user, create_platform, create_user, data, error

BODY: dict[str, Any] = {
    "subscriberUrl": "https://hooks.example.com/cal",
    "triggers": ["BOOKING_CREATED", "BOOKING_CANCELLED"],
    "active": True,
    "secret": "whsec",
}


def _path(platform: TestPlatform, suffix: str = "") -> str:
    return f"/v2/oauth-clients/{platform.client_id}/webhooks{suffix}"


async def _webhook_count(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Webhook)) or 0)


async def test_crud_with_client_credentials(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    headers = platform.secret_headers
    created = data(await client.post(_path(platform), json=BODY, headers=headers), 201)
    assert created == {
        "payloadTemplate": None,
        "oAuthClientId": platform.client_id,
        "id": created["id"],
        "triggers": ["BOOKING_CREATED", "BOOKING_CANCELLED"],
        "subscriberUrl": "https://hooks.example.com/cal",
        "active": True,
        "secret": "whsec",
    }
    assert data(await client.get(_path(platform), headers=headers)) == [created]
    assert data(await client.get(_path(platform, f"/{created['id']}"), headers=headers)) == created

    updated = data(await client.patch(_path(platform, f"/{created['id']}"), json={"active": False}, headers=headers))
    assert updated == {**created, "active": False}

    err = error(await client.post(_path(platform), json=BODY, headers=headers), 409)
    assert err["code"] == "ConflictException"

    assert data(await client.delete(_path(platform, f"/{created['id']}"), headers=headers)) == updated
    error(await client.get(_path(platform, f"/{created['id']}"), headers=headers), 404)

    for url in ("https://a.example.com", "https://b.example.com"):
        data(await client.post(_path(platform), json={**BODY, "subscriberUrl": url}, headers=headers), 201)
    assert data(await client.delete(_path(platform), headers=headers)) == "2 webhooks deleted"
    assert data(await client.get(_path(platform), headers=headers)) == []


async def test_webhooks_of_another_client_or_owner_are_refused(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    other = await create_platform(db, owner_email="o2@platform.example", slug="other")
    theirs = data(await client.post(_path(other), json=BODY, headers=other.secret_headers), 201)
    user = await create_user(db, email="someone@example.com")
    users_own = data(await client.post("/v2/webhooks", json=BODY, headers=user.headers), 201)

    before = await _webhook_count(db)
    for webhook_id in (theirs["id"], users_own["id"]):
        path = _path(platform, f"/{webhook_id}")
        for response in (
            await client.get(path, headers=platform.secret_headers),
            await client.patch(path, json={"active": False}, headers=platform.secret_headers),
            await client.delete(path, headers=platform.secret_headers),
        ):
            err = error(response, 403)
            assert err["message"] == "IsOAuthClientWebhookGuard - Webhook does not belong to this oAuthClient"
    err = error(await client.get(_path(other), headers=platform.owner.headers), 403)
    assert err["message"].startswith("OAuthClientGuard - forbidden.")
    assert data(await client.delete(_path(platform), headers=platform.secret_headers)) == "0 webhooks deleted"
    assert await _webhook_count(db) == before


async def test_bad_input_writes_nothing(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    for body in (
        {**BODY, "triggers": ["BOOKING_CONFIRMED"]},
        {**BODY, "subscriberUrl": "not a url"},
        {key: value for key, value in BODY.items() if key != "active"},
    ):
        assert error(await client.post(_path(platform), json=body, headers=platform.secret_headers), 400)
    err = error(await client.post(_path(platform), json=BODY, headers={"x-cal-secret-key": "wrong"}), 401)
    assert err["message"] == "ApiAuthStrategy - oAuth client - Invalid client secret"
    assert await _webhook_count(db) == 0


async def test_the_client_receives_events_of_its_managed_users(client: httpx.AsyncClient, db: Database) -> None:
    platform = await create_platform(db)
    webhook = data(await client.post(_path(platform), json=BODY, headers=platform.secret_headers), 201)
    managed = (await create_managed_user(client, platform))["user"]
    # What the booking service does for a booking whose organizer is a managed user.
    async with db.write() as session:
        event_id = await enqueue_event(
            session,
            "BOOKING_CREATED",
            {"uid": "b1"},
            user_id=managed["id"],
            oauth_client_id=platform.client_id,
        )
    async with db.read() as session:
        deliveries = (await session.execute(select(WebhookDelivery.event_id, WebhookDelivery.webhook_id))).all()
    assert event_id is not None
    assert [tuple(row) for row in deliveries] == [(event_id, webhook["id"])]
