"""`GET /v2/event-types`: the 2024-06-14 filters and the legacy grouped list of older versions."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from opencal.core.db import Database
from opencal.models import EventType, Membership
from opencal.users import bootstrap
from opencal.users.service import get_user
from support import EVENT_TYPES_VERSION, TestUser, create_event_type, create_user, data, error


def headers(user: TestUser) -> dict[str, str]:
    return {**user.headers, **EVENT_TYPES_VERSION}


def ids(events: list[dict[str, Any]]) -> list[int]:
    return [event["id"] for event in events]


async def test_by_username_hides_hidden_event_types_from_others(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    public = await create_event_type(client, alice, slug="public")
    hidden = await create_event_type(client, alice, slug="secret", hidden=True)
    url = "/v2/event-types?username=alice"
    assert ids(data(await client.get(url, headers=headers(alice)))) == [public["id"], hidden["id"]]
    assert ids(data(await client.get(url, headers=headers(bob)))) == [public["id"]]
    assert ids(data(await client.get(url, headers=EVENT_TYPES_VERSION))) == [public["id"]]


async def test_list_output_drops_hidden_booking_fields(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    created = await create_event_type(client, alice)
    (listed,) = data(await client.get("/v2/event-types?username=alice", headers=EVENT_TYPES_VERSION))
    assert listed == {**created, "bookingFields": [f for f in created["bookingFields"] if f.get("hidden") is not True]}
    assert "title" not in [field["slug"] for field in listed["bookingFields"]]


async def test_by_username_and_event_slug(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    await create_event_type(client, alice, slug="one")
    two = await create_event_type(client, alice, slug="two")
    hidden = await create_event_type(client, alice, slug="three", hidden=True)
    url = "/v2/event-types?username=alice&eventSlug="
    assert ids(data(await client.get(url + "two", headers=EVENT_TYPES_VERSION))) == [two["id"]]
    assert data(await client.get(url + "three", headers=EVENT_TYPES_VERSION)) == []
    assert ids(data(await client.get(url + "three", headers=headers(alice)))) == [hidden["id"]]
    assert data(await client.get(url + "missing", headers=EVENT_TYPES_VERSION)) == []


async def test_unknown_username_is_an_empty_list(client: httpx.AsyncClient) -> None:
    assert data(await client.get("/v2/event-types?username=nobody", headers=EVENT_TYPES_VERSION)) == []


async def test_without_filters(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    mine = await create_event_type(client, alice, slug="mine", hidden=True)
    await create_event_type(client, bob, slug="theirs")
    assert ids(data(await client.get("/v2/event-types", headers=headers(alice)))) == [mine["id"]]
    assert data(await client.get("/v2/event-types", headers=EVENT_TYPES_VERSION)) == []


@pytest.mark.parametrize(("sort", "reverse"), [("asc", False), ("desc", True)])
async def test_sort_created_at(client: httpx.AsyncClient, db: Database, sort: str, reverse: bool) -> None:
    alice = await create_user(db)
    created = [(await create_event_type(client, alice, slug=f"e{index}"))["id"] for index in range(3)]
    listed = data(await client.get(f"/v2/event-types?username=alice&sortCreatedAt={sort}", headers=headers(alice)))
    assert ids(listed) == sorted(created, reverse=reverse)
    error(await client.get("/v2/event-types?sortCreatedAt=sideways", headers=headers(alice)), 400)


async def test_by_username_in_an_organization(client: httpx.AsyncClient, db: Database) -> None:
    owner = await create_user(db, email="owner@example.com")
    outside = await create_user(db, email="carol@example.com")
    async with db.write() as session:
        org = await bootstrap.create_organization(
            session, name="Acme", slug="acme", owner=await get_user(session, owner.id)
        )
        org_id = org.id
        created = await bootstrap.create_user(
            session, email="carol@acme.example", username="carol", organization_id=org.id, with_api_key=True
        )
        org_carol_id = created.user.id
        assert created.api_key is not None
        org_carol = TestUser(org_carol_id, "carol@acme.example", "carol", created.api_key)
    in_org = await create_event_type(client, org_carol, slug="acme-call")
    outside_event = await create_event_type(client, outside, slug="personal")
    by_slug = data(await client.get("/v2/event-types?username=carol&orgSlug=acme", headers=EVENT_TYPES_VERSION))
    by_id = data(await client.get(f"/v2/event-types?username=carol&orgId={org_id}", headers=EVENT_TYPES_VERSION))
    plain = data(await client.get("/v2/event-types?username=carol", headers=EVENT_TYPES_VERSION))
    assert (ids(by_slug), ids(by_id), ids(plain)) == ([in_org["id"]], [in_org["id"]], [outside_event["id"]])
    assert data(await client.get("/v2/event-types?username=carol&orgSlug=nope", headers=EVENT_TYPES_VERSION)) == []
    filtered = data(
        await client.get("/v2/event-types?username=carol&orgSlug=acme&eventSlug=acme-call", headers=EVENT_TYPES_VERSION)
    )
    assert ids(filtered) == [in_org["id"]]


async def test_dynamic_group_event(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db, name="Alice")
    bob = await create_user(db, email="bob@example.com", name="Bob")
    (event,) = data(await client.get("/v2/event-types?usernames=alice,bob,nobody", headers=EVENT_TYPES_VERSION))
    assert (event["id"], event["ownerId"], event["slug"], event["title"], event["lengthInMinutes"]) == (
        0,
        0,
        "dynamic",
        "Group Meeting",
        30,
    )
    assert event["lengthInMinutesOptions"] == [15, 30, 45, 60, 90]
    assert [user["id"] for user in event["users"]] == [alice.id, bob.id]
    assert event["bookingUrl"] == "http://127.0.0.1:8000/alice+bob/dynamic"
    assert event["customName"] == "Group Meeting"
    assert event["bookingFields"] == []


# -- the legacy list (no cal-api-version, 2024-04-15 or 2024-06-11) -------------------------------


async def test_legacy_list_groups_the_callers_event_types(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db, name="Alice")
    first = await create_event_type(client, alice, slug="first", description="Hello")
    second = await create_event_type(
        client,
        alice,
        slug="second",
        length=60,
        hidden=True,
        confirmationPolicy={"type": "always", "blockUnconfirmedBookingsInBooker": False},
        locations=[{"type": "address", "address": "1 Main St", "public": True}],
    )
    for version in ({}, {"cal-api-version": "2024-04-15"}, {"cal-api-version": "2024-06-11"}):
        body = data(await client.get("/v2/event-types", headers={**alice.headers, **version}))
        assert set(body) == {"eventTypeGroups", "profiles"}
        (group,) = body["eventTypeGroups"]
        assert group["teamId"] is None
        assert group["membershipRole"] is None
        assert group["profile"] == {"slug": "alice", "name": "Alice", "image": None}
        assert group["metadata"] == {"membershipCount": 1, "readOnly": False}
        assert body["profiles"] == [
            {
                "slug": "alice",
                "name": "Alice",
                "image": None,
                "membershipCount": 1,
                "readOnly": False,
                "teamId": None,
                "membershipRole": None,
            }
        ]
        events = {event["id"]: event for event in group["eventTypes"]}
        assert list(events) == [first["id"], second["id"]]
        one, two = events[first["id"]], events[second["id"]]
        assert {key: one[key] for key in ("title", "slug", "length", "hidden", "description", "userId", "teamId")} == {
            "title": "First",
            "slug": "first",
            "length": 30,
            "hidden": False,
            "description": "Hello",
            "userId": alice.id,
            "teamId": None,
        }
        assert one["locations"] == [{"type": "integrations:daily"}]
        assert (one["requiresConfirmation"], one["schedulingType"], one["userIds"]) == (False, None, [alice.id])
        assert (two["length"], two["hidden"], two["requiresConfirmation"]) == (60, True, True)
        assert two["locations"] == [{"type": "inPerson", "address": "1 Main St", "displayLocationPublicly": True}]


async def test_legacy_list_includes_team_groups(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    async with db.write() as session:
        team = await bootstrap.create_team(
            session, name="Sales", slug="sales", owner=await get_user(session, bob.id), organization_id=None
        )
        session.add(Membership(team_id=team.id, user_id=alice.id, role="MEMBER", accepted=True))
        team_id = team.id
        session.add_all(
            [
                EventType(team_id=team.id, title="Demo", slug="demo", length=30, scheduling_type="COLLECTIVE"),
                EventType(team_id=team.id, title="Managed", slug="managed", length=30, scheduling_type="MANAGED"),
            ]
        )
    body = data(await client.get("/v2/event-types", headers=alice.headers))
    personal, sales = body["eventTypeGroups"]
    assert personal["teamId"] is None
    assert (sales["teamId"], sales["membershipRole"], sales["parentId"]) == (team_id, "MEMBER", None)
    assert sales["profile"] == {"image": None, "name": "Sales", "slug": "team/sales"}
    assert sales["metadata"] == {"membershipCount": 2, "readOnly": False}
    # Members do not see managed event types; owners do.
    assert [(e["slug"], e["schedulingType"]) for e in sales["eventTypes"]] == [("demo", "COLLECTIVE")]
    bobs = data(await client.get("/v2/event-types", headers=bob.headers))
    assert [e["slug"] for e in bobs["eventTypeGroups"][1]["eventTypes"]] == ["demo", "managed"]
    assert [profile["teamId"] for profile in body["profiles"]] == [None, team_id]


async def test_legacy_list_needs_authentication(client: httpx.AsyncClient) -> None:
    error(await client.get("/v2/event-types"), 401)
