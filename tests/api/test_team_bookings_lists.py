"""The bookings of a team, of an organization, of an organization's member, and a team booking's references."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from opencal.core import clock
from opencal.core.db import Database
from support import OrgWorld, TestUser, book, create_event_type, create_org_world, data, error

NOW = datetime(2050, 9, 1, 10, 0, tzinfo=UTC)
NINE = "2050-09-05T08:00:00Z"
TEN = "2050-09-05T09:00:00Z"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    clock.set_clock(lambda: NOW)
    yield
    clock.set_clock(None)


class Booked:
    """Organization `acme` with a booking of its team `crew`, one of a member's own event type, and one
    of the team of organization `beta`."""

    def __init__(self, world: OrgWorld, team_uid: str, member_uid: str, other_uid: str) -> None:
        self.world, self.team_uid, self.member_uid, self.other_uid = world, team_uid, member_uid, other_uid


async def team_event_type(client: httpx.AsyncClient, org_id: int, team_id: int, admin: TestUser, host: int) -> int:
    body = {
        "title": "Demo",
        "slug": "demo",
        "lengthInMinutes": 60,
        "minimumBookingNotice": 0,
        "schedulingType": "collective",
        "hosts": [{"userId": host}],
    }
    url = f"/v2/organizations/{org_id}/teams/{team_id}/event-types"
    event_type_id: int = data(await client.post(url, json=body, headers=admin.headers), 201)["id"]
    return event_type_id


@pytest.fixture
async def booked(client: httpx.AsyncClient, db: Database) -> Booked:
    world = await create_org_world(db)
    crew_event = await team_event_type(client, world.org.id, world.team_id, world.team_admin, world.team_member.id)
    team_uid = data(await book(client, crew_event, NINE), 201)["uid"]
    personal = await create_event_type(client, world.org.member, slug="personal", length=60, minimumBookingNotice=0)
    member_uid = data(await book(client, personal["id"], TEN, email="client@example.com"), 201)["uid"]
    other_event = await team_event_type(
        client, world.other.id, world.other_team_id, world.other.owner, world.other.member.id
    )
    other_uid = data(await book(client, other_event, NINE), 201)["uid"]
    return Booked(world, team_uid, member_uid, other_uid)


def uids(response: httpx.Response) -> list[str]:
    return [booking["uid"] for booking in data(response)]


async def test_team_bookings(client: httpx.AsyncClient, booked: Booked) -> None:
    world = booked.world
    for url in (
        f"/v2/teams/{world.team_id}/bookings",
        f"/v2/organizations/{world.org.id}/teams/{world.team_id}/bookings",
    ):
        response = await client.get(url, headers=world.team_admin.headers)
        assert uids(response) == [booked.team_uid]
        assert response.json()["pagination"]["totalItems"] == 1
        assert uids(await client.get(url, params={"status": "past"}, headers=world.org.admin.headers)) == []
        assert uids(
            await client.get(url, params={"attendeeEmail": "bea@example.com"}, headers=world.team_admin.headers)
        ) == [booked.team_uid]
        assert error(await client.get(url, headers=world.team_member.headers), 403)["code"] == "ForbiddenException"


async def test_organization_bookings(client: httpx.AsyncClient, booked: Booked) -> None:
    world = booked.world
    url = f"/v2/organizations/{world.org.id}/bookings"
    everything = await client.get(url, params={"sortStart": "asc"}, headers=world.org.admin.headers)
    assert uids(everything) == [booked.team_uid, booked.member_uid]
    only_member = await client.get(url, params={"userIds": str(world.org.member.id)}, headers=world.org.admin.headers)
    assert uids(only_member) == [booked.member_uid]
    by_team = await client.get(url, params={"teamId": str(world.team_id)}, headers=world.org.admin.headers)
    assert uids(by_team) == [booked.team_uid]
    err = error(await client.get(url, params={"userIds": "x"}, headers=world.org.admin.headers), 400)
    assert err["message"] == "userIds must be a comma separated list of numbers, got 'x'"
    assert error(await client.get(url, headers=world.org.member.headers), 403)["code"] == "ForbiddenException"


async def test_organization_member_bookings(client: httpx.AsyncClient, booked: Booked) -> None:
    world = booked.world

    def url(user_id: int) -> str:
        return f"/v2/organizations/{world.org.id}/users/{user_id}/bookings"

    assert uids(await client.get(url(world.org.member.id), headers=world.org.admin.headers)) == [booked.member_uid]
    assert uids(await client.get(url(world.team_member.id), headers=world.org.admin.headers)) == [booked.team_uid]
    err = error(await client.get(url(world.other.member.id), headers=world.org.admin.headers), 404)
    assert err["message"] == (
        f"User with id={world.other.member.id} is not part of the organization with id={world.org.id}"
    )


async def test_team_booking_references(client: httpx.AsyncClient, booked: Booked) -> None:
    world = booked.world

    def url(uid: str) -> str:
        return f"/v2/organizations/{world.org.id}/teams/{world.team_id}/bookings/{uid}/references"

    assert data(await client.get(url(booked.team_uid), headers=world.team_admin.headers)) == []
    params: dict[str, Any] = {"type": "google_calendar"}
    assert data(await client.get(url(booked.team_uid), params=params, headers=world.team_admin.headers)) == []
    err = error(await client.get(url(booked.member_uid), headers=world.team_admin.headers), 404)
    assert err["message"] == f"Booking with uid {booked.member_uid} not found"
