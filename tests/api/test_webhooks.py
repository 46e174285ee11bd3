"""`/v2/webhooks`: the caller's own webhooks (BEHAVIOR.md §5.1, §5.2)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from opencal.core.db import Database
from opencal.core.security import SecretBox
from opencal.models import User, Webhook
from support import TestUser as Caller
from support import create_user, data, error

HOOK = "https://hooks.example.com/cal"
TRIGGERS = ["BOOKING_CREATED", "BOOKING_RESCHEDULED", "BOOKING_CANCELLED"]


def webhook_body(**overrides: Any) -> dict[str, Any]:
    return {"subscriberUrl": HOOK, "triggers": TRIGGERS, "active": True, **overrides}


async def rows(db: Database) -> list[Webhook]:
    async with db.read() as session:
        return list(await session.scalars(select(Webhook).order_by(Webhook.created_at, Webhook.id)))


async def create(client: httpx.AsyncClient, user: Caller, **overrides: Any) -> dict[str, Any]:
    created: dict[str, Any] = data(
        await client.post("/v2/webhooks", json=webhook_body(**overrides), headers=user.headers), 201
    )
    return created


async def test_create_returns_the_webhook_and_stores_the_secret_encrypted(
    client: httpx.AsyncClient, db: Database
) -> None:
    user = await create_user(db)
    body = webhook_body(payloadTemplate='{"title":"{{title}}"}', secret="s3cret", version="2021-10-20")
    created = data(await client.post("/v2/webhooks", json=body, headers=user.headers), 201)
    assert created == {
        "payloadTemplate": '{"title":"{{title}}"}',
        "userId": user.id,
        "id": created["id"],
        "triggers": TRIGGERS,
        "subscriberUrl": HOOK,
        "active": True,
        "secret": "s3cret",
    }
    assert str(uuid.UUID(created["id"])) == created["id"]
    [row] = await rows(db)
    assert (row.user_id, row.event_type_id, row.team_id, row.oauth_client_id) == (user.id, None, None, None)
    assert row.version == "2021-10-20"
    assert row.secret is not None and row.secret != "s3cret"
    assert SecretBox("test-secret-key").decrypt(row.secret) == "s3cret"


async def test_create_with_only_the_required_fields(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    created = await create(client, user, active=False, triggers=[])
    assert created["payloadTemplate"] is None
    assert created["secret"] is None
    assert created["active"] is False
    assert created["triggers"] == []
    [row] = await rows(db)
    assert (row.secret, row.payload_template, row.version) == (None, None, "2021-10-20")


async def test_same_url_twice_for_one_user_is_a_conflict(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    await create(client, alice)
    err = error(await client.post("/v2/webhooks", json=webhook_body(), headers=alice.headers), 409)
    assert err["code"] == "ConflictException"
    assert err["message"] == "Webhook with this subscriber url already exists for this user"
    assert len(await rows(db)) == 1
    # Another user may subscribe the same URL.
    assert (await create(client, bob))["userId"] == bob.id
    assert len(await rows(db)) == 2


@pytest.mark.parametrize("trigger", ["BOOKING_CONFIRMED", "BOOKING_COMPLETED", "booking_created", "NOPE"])
async def test_unknown_trigger_is_rejected_by_name(client: httpx.AsyncClient, db: Database, trigger: str) -> None:
    user = await create_user(db)
    body = webhook_body(triggers=["BOOKING_CREATED", trigger])
    err = error(await client.post("/v2/webhooks", json=body, headers=user.headers), 400)
    assert err["code"] == "BadRequestException"
    assert err["message"].startswith(
        f"triggers: unknown trigger {trigger}; each trigger must be one of BOOKING_CREATED"
    )
    assert await rows(db) == []


async def test_every_documented_trigger_is_accepted(client: httpx.AsyncClient, db: Database) -> None:
    from opencal.webhooks.triggers import TRIGGERS as ALL

    user = await create_user(db)
    allowed = [t for t in ALL if t != "DELEGATION_CREDENTIAL_ERROR"]
    assert (await create(client, user, triggers=allowed))["triggers"] == allowed
    assert "INSTANT_MEETING_ACCEPTED" in allowed and "CALENDAR_ENTRY_REJECTED" in allowed


async def test_organization_only_trigger_is_refused_for_a_user(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    body = webhook_body(triggers=["DELEGATION_CREDENTIAL_ERROR"])
    err = error(await client.post("/v2/webhooks", json=body, headers=user.headers), 400)
    assert err["message"] == "DELEGATION_CREDENTIAL_ERROR trigger is only available for organization webhooks"
    assert await rows(db) == []


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"triggers": TRIGGERS, "active": True}, "subscriberUrl", "Field required"),
        ({"subscriberUrl": HOOK, "active": True}, "triggers", "Field required"),
        ({"subscriberUrl": HOOK, "triggers": TRIGGERS}, "active", "Field required"),
        (webhook_body(active="true"), "active", "Input should be a valid boolean"),
        (webhook_body(triggers="BOOKING_CREATED"), "triggers", "Input should be a valid list"),
        (webhook_body(subscriberUrl="not a url"), "subscriberUrl", "must be an absolute http or https URL"),
        (webhook_body(subscriberUrl="ftp://example.com/x"), "subscriberUrl", "must be an absolute http or https URL"),
        (webhook_body(subscriberUrl="http://[::1/x"), "subscriberUrl", "must be an absolute http or https URL"),
        (
            webhook_body(subscriberUrl="http://a.example:99999/"),
            "subscriberUrl",
            "must be an absolute http or https URL",
        ),
        (webhook_body(subscriberUrl="http://exa mple.com/"), "subscriberUrl", "must be an absolute http or https URL"),
        (
            webhook_body(subscriberUrl="https://x.example/" + "a" * 2048),
            "subscriberUrl",
            "must be at most 2048 bytes long",
        ),
        (webhook_body(version="2024-01-01"), "version", "Input should be '2021-10-20'"),
        (webhook_body(secret=12), "secret", "Input should be a valid string"),
        (webhook_body(payloadTemplate=["x"]), "payloadTemplate", "Input should be a valid string"),
    ],
)
async def test_bad_create_bodies_name_the_field_and_write_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], field: str, message: str
) -> None:
    user = await create_user(db)
    err = error(await client.post("/v2/webhooks", json=body, headers=user.headers), 400)
    assert err["message"] == f"{field}: {message}"
    assert await rows(db) == []


async def test_list_shows_only_my_webhooks_in_creation_order_with_skip_and_take(
    client: httpx.AsyncClient, db: Database
) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    mine = [await create(client, alice, subscriberUrl=f"{HOOK}/{n}") for n in range(3)]
    await create(client, bob)
    listed = data(await client.get("/v2/webhooks", headers=alice.headers))
    assert listed == mine
    page = data(await client.get("/v2/webhooks", params={"skip": 1, "take": 1}, headers=alice.headers))
    assert page == [mine[1]]
    assert data(await client.get("/v2/webhooks", headers=bob.headers))[0]["userId"] == bob.id
    err = error(await client.get("/v2/webhooks", params={"take": 0}, headers=alice.headers), 400)
    assert err["message"].startswith("take:")


async def test_get_mine_another_users_and_an_unknown_webhook(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    created = await create(client, alice, secret="x")
    assert data(await client.get(f"/v2/webhooks/{created['id']}", headers=alice.headers)) == created
    err = error(await client.get(f"/v2/webhooks/{created['id']}", headers=bob.headers), 403)
    assert (err["code"], err["message"]) == ("ForbiddenException", "Forbidden resource")
    err = error(await client.get("/v2/webhooks/90284", headers=alice.headers), 404)
    assert (err["code"], err["message"]) == ("NotFoundException", "Webhook (90284) not found")


async def test_a_system_admin_may_read_another_users_webhook(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    admin = await create_user(db, email="admin@example.com")
    async with db.write() as session:
        await session.execute(update(User).where(User.id == admin.id).values(is_system_admin=True))
    created = await create(client, alice)
    assert data(await client.get(f"/v2/webhooks/{created['id']}", headers=admin.headers)) == created


async def test_update_changes_only_what_is_sent(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    created = await create(client, user, payloadTemplate="{{title}}", secret="old")
    url = f"/v2/webhooks/{created['id']}"
    updated = data(await client.patch(url, json={"active": False}, headers=user.headers))
    assert updated == {**created, "active": False}
    updated = data(
        await client.patch(
            url,
            json={
                "triggers": ["MEETING_ENDED"],
                "subscriberUrl": f"{HOOK}/2",
                "secret": "new",
                "payloadTemplate": None,
            },
            headers=user.headers,
        )
    )
    assert updated == {
        **created,
        "active": False,
        "triggers": ["MEETING_ENDED"],
        "subscriberUrl": f"{HOOK}/2",
        "secret": "new",
        "payloadTemplate": None,
    }
    assert data(await client.patch(url, json={"secret": None}, headers=user.headers))["secret"] is None
    assert data(await client.get(url, headers=user.headers)) == {**updated, "secret": None}


async def test_bad_updates_change_nothing(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    first = await create(client, alice)
    second = await create(client, alice, subscriberUrl=f"{HOOK}/2")
    before = await rows(db)
    url = f"/v2/webhooks/{second['id']}"
    err = error(await client.patch(url, json={"subscriberUrl": first["subscriberUrl"]}, headers=alice.headers), 409)
    assert err["message"] == "Webhook with this subscriber url already exists for this user"
    err = error(
        await client.patch(url, json={"triggers": ["BOOKING_NO_SHOW"], "active": False}, headers=alice.headers), 400
    )
    assert err["message"].startswith("triggers: unknown trigger BOOKING_NO_SHOW;")
    err = error(await client.patch(url, json={"active": None}, headers=alice.headers), 400)
    assert err["message"] == "active: must not be null"
    err = error(await client.patch(url, json={"triggers": ["DELEGATION_CREDENTIAL_ERROR"]}, headers=alice.headers), 400)
    assert err["message"] == "DELEGATION_CREDENTIAL_ERROR trigger is only available for organization webhooks"
    error(await client.patch(url, json={"active": False}, headers=bob.headers), 403)
    error(await client.patch("/v2/webhooks/nope", json={"active": False}, headers=alice.headers), 404)
    after = await rows(db)
    assert [(w.id, w.subscriber_url, w.triggers, w.active) for w in after] == [
        (w.id, w.subscriber_url, w.triggers, w.active) for w in before
    ]
    # Keeping its own URL is not a conflict.
    assert (
        data(await client.patch(url, json={"subscriberUrl": second["subscriberUrl"]}, headers=alice.headers)) == second
    )


async def test_delete_returns_the_deleted_webhook(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    created = await create(client, alice, secret="x")
    others = await create(client, bob)
    err = error(await client.delete(f"/v2/webhooks/{others['id']}", headers=alice.headers), 403)
    assert err["message"] == "Forbidden resource"
    assert data(await client.delete(f"/v2/webhooks/{created['id']}", headers=alice.headers)) == created
    error(await client.get(f"/v2/webhooks/{created['id']}", headers=alice.headers), 404)
    error(await client.delete(f"/v2/webhooks/{created['id']}", headers=alice.headers), 404)
    assert [w.id for w in await rows(db)] == [others["id"]]


async def test_webhooks_need_credentials(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    created = await create(client, user)
    error(await client.get("/v2/webhooks"), 401)
    error(await client.post("/v2/webhooks", json=webhook_body(subscriberUrl=f"{HOOK}/2")), 401)
    error(await client.delete(f"/v2/webhooks/{created['id']}"), 401)
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Webhook)) == 1


async def test_concurrent_creates_of_one_url_make_one_webhook(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    responses = await asyncio.gather(
        *(client.post("/v2/webhooks", json=webhook_body(), headers=user.headers) for _ in range(4))
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409]
    for response in responses:
        if response.status_code == 409:
            assert error(response, 409)["message"] == "Webhook with this subscriber url already exists for this user"
    assert len(await rows(db)) == 1
