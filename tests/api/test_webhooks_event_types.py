"""`/v2/event-types/{eventTypeId}/webhooks`: webhooks of an event type, for its owner only."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from opencal.core.db import Database
from opencal.models import EventType, Webhook
from support import create_user, data, error

HOOK = "https://hooks.example.com/event-type"
TRIGGERS = ["BOOKING_CREATED", "BOOKING_CANCELLED"]
GUARD = "IsUserEventTypeWebhookGuard"


async def create_event_type(db: Database, owner_id: int, slug: str = "intro") -> int:
    async with db.write() as session:
        event_type = EventType(owner_id=owner_id, title=slug.title(), slug=slug, length=30)
        session.add(event_type)
        await session.flush()
        return event_type.id


def body(**overrides: Any) -> dict[str, Any]:
    return {"subscriberUrl": HOOK, "triggers": TRIGGERS, "active": True, **overrides}


async def snapshot(db: Database) -> list[tuple[str, int | None, int | None, str, bool]]:
    async with db.read() as session:
        webhooks = await session.scalars(select(Webhook).order_by(Webhook.id))
        return [(w.id, w.user_id, w.event_type_id, w.subscriber_url, w.active) for w in webhooks]


async def test_event_type_webhook_lifecycle(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    event_type_id = await create_event_type(db, user.id)
    base = f"/v2/event-types/{event_type_id}/webhooks"
    created = data(await client.post(base, json=body(payloadTemplate="string"), headers=user.headers), 201)
    assert created == {
        "payloadTemplate": "string",
        "eventTypeId": event_type_id,
        "id": created["id"],
        "triggers": TRIGGERS,
        "subscriberUrl": HOOK,
        "active": True,
        "secret": None,
    }
    assert data(await client.get(base, headers=user.headers)) == [created]
    assert data(await client.get(f"{base}/{created['id']}", headers=user.headers)) == created
    patched = data(await client.patch(f"{base}/{created['id']}", json={"active": False}, headers=user.headers))
    assert patched == {**created, "active": False}
    assert data(await client.delete(f"{base}/{created['id']}", headers=user.headers)) == patched
    assert data(await client.get(base, headers=user.headers)) == []
    # The caller's own webhooks are a different list.
    assert data(await client.get("/v2/webhooks", headers=user.headers)) == []


async def test_delete_all_counts_what_it_deleted(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    first = await create_event_type(db, user.id, "first")
    second = await create_event_type(db, user.id, "second")
    for n in range(2):
        data(
            await client.post(
                f"/v2/event-types/{first}/webhooks", json=body(subscriberUrl=f"{HOOK}/{n}"), headers=user.headers
            ),
            201,
        )
    kept = data(await client.post(f"/v2/event-types/{second}/webhooks", json=body(), headers=user.headers), 201)
    assert data(await client.delete(f"/v2/event-types/{first}/webhooks", headers=user.headers)) == "2 webhooks deleted"
    assert data(await client.delete(f"/v2/event-types/{first}/webhooks", headers=user.headers)) == "0 webhooks deleted"
    assert [row[0] for row in await snapshot(db)] == [kept["id"]]


async def test_same_url_twice_on_one_event_type_is_a_conflict(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    first = await create_event_type(db, user.id, "first")
    second = await create_event_type(db, user.id, "second")
    data(await client.post(f"/v2/event-types/{first}/webhooks", json=body(), headers=user.headers), 201)
    err = error(await client.post(f"/v2/event-types/{first}/webhooks", json=body(), headers=user.headers), 409)
    assert err["message"] == "Webhook with this subscriber url already exists for this event type"
    # The same URL on another event type, or as a user webhook, is another subscription.
    data(await client.post(f"/v2/event-types/{second}/webhooks", json=body(), headers=user.headers), 201)
    data(await client.post("/v2/webhooks", json=body(), headers=user.headers), 201)
    assert len(await snapshot(db)) == 3


async def test_only_the_owner_of_the_event_type_may_act(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    alices = await create_event_type(db, alice.id, "alice")
    base = f"/v2/event-types/{alices}/webhooks"
    created = data(await client.post(base, json=body(), headers=alice.headers), 201)
    before = await snapshot(db)
    forbidden = f"{GUARD} - User ({bob.id}) is not the owner of event type ({alices})"
    for response in (
        await client.post(base, json=body(subscriberUrl=f"{HOOK}/bob"), headers=bob.headers),
        await client.get(base, headers=bob.headers),
        await client.delete(base, headers=bob.headers),
        await client.get(f"{base}/{created['id']}", headers=bob.headers),
        await client.patch(f"{base}/{created['id']}", json={"active": False}, headers=bob.headers),
        await client.delete(f"{base}/{created['id']}", headers=bob.headers),
    ):
        assert error(response, 403)["message"] == forbidden
    assert await snapshot(db) == before


async def test_unknown_event_type_and_webhooks_of_other_owners(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    mine = await create_event_type(db, user.id, "mine")
    other = await create_event_type(db, user.id, "other")
    on_other = data(await client.post(f"/v2/event-types/{other}/webhooks", json=body(), headers=user.headers), 201)
    personal = data(await client.post("/v2/webhooks", json=body(), headers=user.headers), 201)
    before = await snapshot(db)

    err = error(await client.get("/v2/event-types/999999/webhooks", headers=user.headers), 404)
    assert err["message"] == f"{GUARD} - Event type (999999) not found"
    err = error(await client.get(f"/v2/event-types/{mine}/webhooks/nope", headers=user.headers), 404)
    assert err["message"] == "Webhook (nope) not found"
    err = error(await client.get(f"/v2/event-types/{mine}/webhooks/{on_other['id']}", headers=user.headers), 403)
    assert err["message"] == f"{GUARD} - Webhook ({on_other['id']}) is not associated with event type ({mine})"
    err = error(await client.delete(f"/v2/event-types/{mine}/webhooks/{personal['id']}", headers=user.headers), 400)
    assert err["message"] == f"{GUARD} - Webhook ({personal['id']}) is not associated with an event type"
    err = error(await client.get("/v2/event-types/1.5/webhooks", headers=user.headers), 400)
    assert err["message"].startswith("eventTypeId:")
    assert await snapshot(db) == before


async def test_bad_body_on_an_event_type_writes_nothing(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    event_type_id = await create_event_type(db, user.id)
    base = f"/v2/event-types/{event_type_id}/webhooks"
    err = error(await client.post(base, json=body(triggers=["BOOKING_REOPENED"]), headers=user.headers), 400)
    assert err["message"].startswith("triggers: unknown trigger BOOKING_REOPENED;")
    err = error(await client.post(base, json=body(triggers=["DELEGATION_CREDENTIAL_ERROR"]), headers=user.headers), 400)
    assert err["message"] == "DELEGATION_CREDENTIAL_ERROR trigger is only available for organization webhooks"
    assert await snapshot(db) == []
