from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from opencal.core import clock
from opencal.core.db import Database
from opencal.event_types import private_links
from opencal.models import EventTypePrivateLink
from support import TestUser, create_event_type, create_user, data, error


def links_url(event_type_id: int) -> str:
    return f"/v2/event-types/{event_type_id}/private-links"


async def _links(db: Database) -> list[tuple[Any, ...]]:
    async with db.read() as session:
        rows = await session.execute(
            select(
                EventTypePrivateLink.link,
                EventTypePrivateLink.event_type_id,
                EventTypePrivateLink.expires_at,
                EventTypePrivateLink.max_usage_count,
                EventTypePrivateLink.usage_count,
            ).order_by(EventTypePrivateLink.id)
        )
        return [tuple(row) for row in rows]


@pytest.fixture
def fixed_clock() -> Any:
    clock.set_clock(lambda: datetime(2030, 1, 1, 12, 0, tzinfo=UTC))
    yield
    clock.set_clock(None)


async def _event(client: httpx.AsyncClient, user: TestUser) -> dict[str, Any]:
    return await create_event_type(client, user, slug="secret-call")


async def test_usage_based_link_defaults_to_one_use(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    event = await _event(client, user)
    link = data(await client.post(links_url(event["id"]), json={}, headers=user.headers), 201)
    assert link == {
        "linkId": link["linkId"],
        "eventTypeId": event["id"],
        "isExpired": False,
        "bookingUrl": f"http://127.0.0.1:8000/d/{link['linkId']}/secret-call",
        "maxUsageCount": 1,
        "usageCount": 0,
    }
    assert len(link["linkId"]) >= 16
    five = data(await client.post(links_url(event["id"]), json={"maxUsageCount": 5}, headers=user.headers), 201)
    assert five["maxUsageCount"] == 5
    assert data(await client.get(links_url(event["id"]), headers=user.headers)) == [link, five]


async def test_time_based_link(client: httpx.AsyncClient, db: Database, fixed_clock: Any) -> None:
    user = await create_user(db)
    event = await _event(client, user)
    future = data(
        await client.post(links_url(event["id"]), json={"expiresAt": "2030-02-01T10:00:00Z"}, headers=user.headers),
        201,
    )
    assert {key: future[key] for key in ("expiresAt", "isExpired")} == {
        "expiresAt": "2030-02-01T10:00:00.000Z",
        "isExpired": False,
    }
    assert "maxUsageCount" not in future
    past = data(
        await client.post(
            links_url(event["id"]), json={"expiresAt": "2029-12-31T10:00:00+00:00"}, headers=user.headers
        ),
        201,
    )
    assert past["isExpired"] is True


async def test_update_and_delete(client: httpx.AsyncClient, db: Database, fixed_clock: Any) -> None:
    user = await create_user(db)
    event = await _event(client, user)
    link = data(await client.post(links_url(event["id"]), json={}, headers=user.headers), 201)
    url = f"{links_url(event['id'])}/{link['linkId']}"
    updated = data(await client.patch(url, json={"maxUsageCount": 3}, headers=user.headers))
    assert (updated["maxUsageCount"], updated["usageCount"], updated["linkId"]) == (3, 0, link["linkId"])
    timed = data(await client.patch(url, json={"expiresAt": "2030-03-01T00:00:00Z"}, headers=user.headers))
    assert timed["expiresAt"] == "2030-03-01T00:00:00.000Z"
    deleted = data(await client.delete(url, headers=user.headers))
    assert deleted == {"linkId": link["linkId"], "message": "Private link deleted successfully"}
    assert data(await client.get(links_url(event["id"]), headers=user.headers)) == []
    err = error(await client.delete(url, headers=user.headers), 404)
    assert err["message"] == f"Private link with ID {link['linkId']} not found for this event type"


async def test_booking_use_counts_and_expires_a_link(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    event = await _event(client, user)
    link = data(await client.post(links_url(event["id"]), json={}, headers=user.headers), 201)
    async with db.write() as session:
        usable = await private_links.find_usable_link(session, link["linkId"])
        assert usable is not None
        await private_links.consume_link(session, usable)
    async with db.read() as session:
        assert await private_links.find_usable_link(session, link["linkId"]) is None
    (listed,) = data(await client.get(links_url(event["id"]), headers=user.headers))
    assert (listed["usageCount"], listed["isExpired"]) == (1, True)


async def test_links_of_someone_elses_event_type(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    event = await _event(client, bob)
    link = data(await client.post(links_url(event["id"]), json={}, headers=bob.headers), 201)
    before = await _links(db)
    message = f"User with ID={alice.id} does not own event type with ID={event['id']}"
    assert error(await client.get(links_url(event["id"]), headers=alice.headers), 403)["message"] == message
    error(await client.post(links_url(event["id"]), json={}, headers=alice.headers), 403)
    error(
        await client.patch(
            f"{links_url(event['id'])}/{link['linkId']}", json={"maxUsageCount": 9}, headers=alice.headers
        ),
        403,
    )
    error(await client.delete(f"{links_url(event['id'])}/{link['linkId']}", headers=alice.headers), 403)
    assert await _links(db) == before


@pytest.mark.parametrize(
    ("method", "suffix", "body", "status", "fragment"),
    [
        ("POST", "", {"maxUsageCount": 0}, 400, "maxUsageCount"),
        ("POST", "", {"expiresAt": "next week"}, 400, "expiresAt must be a valid ISO 8601 date string"),
        ("PATCH", "/LINK", {}, 400, "expiresAt or maxUsageCount is required"),
        ("PATCH", "/unknown", {"maxUsageCount": 2}, 404, "Private link with ID unknown not found"),
    ],
)
async def test_bad_requests_change_nothing(
    client: httpx.AsyncClient, db: Database, method: str, suffix: str, body: dict[str, Any], status: int, fragment: str
) -> None:
    user = await create_user(db)
    event = await _event(client, user)
    link = data(await client.post(links_url(event["id"]), json={}, headers=user.headers), 201)
    before = await _links(db)
    url = links_url(event["id"]) + suffix.replace("LINK", link["linkId"])
    err = error(await client.request(method, url, json=body, headers=user.headers), status)
    assert fragment in err["message"]
    assert await _links(db) == before


async def test_unknown_event_type_and_authentication(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    assert error(await client.get(links_url(999), headers=user.headers), 404)["message"] == (
        "Event type with id 999 not found"
    )
    error(await client.get(links_url(1)), 401)
    error(await client.get("/v2/event-types/abc/private-links", headers=user.headers), 400)


async def test_links_go_with_their_event_type(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    event = await _event(client, user)
    await client.post(links_url(event["id"]), json={}, headers=user.headers)
    await client.delete(f"/v2/event-types/{event['id']}", headers={**user.headers, "cal-api-version": "2024-06-14"})
    assert await _links(db) == []
