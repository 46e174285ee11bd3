"""`GET /v2/bookings`: who sees what, every filter, sorting and the `pagination` summary."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from opencal.core.db import Database
from opencal.models import Team
from support import (
    BOOKINGS_VERSION,
    TestUser,
    add_membership,
    book,
    create_event_type,
    create_user,
    data,
    error,
    frozen_clock,
    insert_team_event_type,
)

NOW = datetime(2050, 9, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def now() -> Iterator[list[datetime]]:
    with frozen_clock(NOW) as moment:
        yield moment


@dataclass
class World:
    olga: TestUser
    bea: TestUser
    stranger: TestUser
    admin: TestUser
    intro: int
    weekly: int
    team_event: int
    team_id: int
    uids: dict[str, str]


@pytest.fixture
async def world(client: httpx.AsyncClient, db: Database, now: list[datetime]) -> World:
    """Olga's bookings, made one minute apart from 10:00: `early` (Mon 09:00), `late` (Tue 09:00),
    `cancelled` (Wed 09:00, cancelled at 10:40), `pending` (Thu 09:00), a weekly series of two (Fri
    09:00), and a booking of Olga's team (Mon 14:00) made by Bea, who has an account; the team admin
    sees the team booking."""
    olga = await create_user(db, email="olga@example.com", username="olga", name="Olga")
    bea = await create_user(db, email="bea@example.com", username="bea", name="Bea")
    stranger = await create_user(db, email="stranger@example.com", username="stranger")
    admin = await create_user(db, email="admin@example.com", username="admin")
    async with db.write() as session:
        team = Team(name="Crew", slug="crew")
        session.add(team)
        await session.flush()
        team_id = team.id
    await add_membership(db, team_id, olga.id, "MEMBER")
    await add_membership(db, team_id, admin.id, "ADMIN")
    common = {"length": 60, "minimumBookingNotice": 0}
    intro = (await create_event_type(client, olga, slug="intro", **common))["id"]
    careful = (
        await create_event_type(
            client,
            olga,
            slug="careful",
            confirmationPolicy={"type": "always", "blockUnconfirmedBookingsInBooker": False},
            **common,
        )
    )["id"]
    weekly = (
        await create_event_type(
            client, olga, slug="weekly", recurrence={"frequency": "weekly", "interval": 1, "occurrences": 2}, **common
        )
    )["id"]
    team_event = await insert_team_event_type(db, team_id, "standup", [{"user_id": olga.id, "is_fixed": True}])
    uids: dict[str, str] = {}
    plan: list[tuple[str, int, str, dict[str, Any]]] = [
        ("early", intro, "2050-09-05T08:00:00Z", {"email": "ann@example.com", "name": "Ann Early"}),
        ("late", intro, "2050-09-06T08:00:00Z", {"email": "late@example.com", "name": "Lou Late"}),
        ("cancelled", intro, "2050-09-07T08:00:00Z", {"email": "gone@example.com"}),
        ("pending", careful, "2050-09-08T08:00:00Z", {"email": "wait@example.com"}),
        ("series", weekly, "2050-09-09T08:00:00Z", {"email": "repeat@example.com"}),
        ("team", team_event, "2050-09-05T13:00:00Z", {"email": "bea@example.com"}),
    ]
    for minute, (key, event_type_id, start, who) in enumerate(plan):
        now[0] = NOW + timedelta(minutes=minute)
        created = data(await book(client, event_type_id, start, **who), 201)
        uids[key] = created[0]["uid"] if isinstance(created, list) else created["uid"]
        if isinstance(created, list):
            uids["series_second"] = created[1]["uid"]
            uids["series_uid"] = created[0]["recurringBookingUid"]
    now[0] = NOW + timedelta(minutes=40)
    cancel = await client.post(
        f"/v2/bookings/{uids['cancelled']}/cancel", json={"cancellationReason": "No"}, headers=BOOKINGS_VERSION
    )
    data(cancel)
    now[0] = NOW + timedelta(hours=1)
    return World(olga, bea, stranger, admin, intro, weekly, team_event, team_id, uids)


async def listed(client: httpx.AsyncClient, user: TestUser, **params: Any) -> tuple[list[str], dict[str, Any]]:
    response = await client.get("/v2/bookings", params=params, headers={**BOOKINGS_VERSION, **user.headers})
    body = data(response)
    return [booking["uid"] for booking in body], response.json()["pagination"]


def keys(world: World, *names: str) -> list[str]:
    return [world.uids[name] for name in names]


async def test_who_sees_what(client: httpx.AsyncClient, world: World) -> None:
    everything = keys(world, "early", "team", "late", "cancelled", "pending", "series", "series_second")
    assert (await listed(client, world.olga))[0] == everything
    assert (await listed(client, world.bea))[0] == keys(world, "team")
    assert (await listed(client, world.admin))[0] == keys(world, "team")
    uids, pagination = await listed(client, world.stranger)
    assert uids == []
    assert pagination == {
        "totalItems": 0,
        "remainingItems": 0,
        "returnedItems": 0,
        "itemsPerPage": 100,
        "currentPage": 0,
        "totalPages": 0,
        "hasNextPage": False,
        "hasPreviousPage": False,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "upcoming"}, ["early", "team", "late", "pending", "series", "series_second"]),
        ({"status": "unconfirmed"}, ["pending"]),
        ({"status": "recurring"}, ["series", "series_second"]),
        ({"status": "cancelled"}, ["cancelled"]),
        ({"status": "cancelled,unconfirmed"}, ["cancelled", "pending"]),
        ({"attendeeEmail": "LATE@example.com"}, ["late"]),
        ({"attendeeName": "ann"}, ["early"]),
        ({"eventTypeId": "{weekly}"}, ["series", "series_second"]),
        ({"eventTypeIds": "{weekly},{team_event}"}, ["team", "series", "series_second"]),
        ({"teamId": "{team_id}"}, ["team"]),
        ({"teamsIds": "{team_id},999"}, ["team"]),
        ({"afterStart": "2050-09-08T08:00:00Z"}, ["pending", "series", "series_second"]),
        ({"beforeEnd": "2050-09-05T14:00:00Z"}, ["early", "team"]),
        (
            {"afterCreatedAt": "2050-09-01T10:03:00Z", "beforeCreatedAt": "2050-09-01T10:04:00Z"},
            ["pending", "series", "series_second"],
        ),
        ({"afterUpdatedAt": "2050-09-01T10:30:00Z"}, ["cancelled"]),
        ({"beforeUpdatedAt": "2050-09-01T10:00:00Z"}, ["early"]),
        ({"sortStart": "desc", "status": "upcoming"}, ["series_second", "series", "pending", "late", "team", "early"]),
        ({"sortCreated": "desc", "eventTypeId": "{intro}"}, ["cancelled", "late", "early"]),
        (
            {"sortEnd": "asc", "afterStart": "2050-09-06T00:00:00Z"},
            ["late", "cancelled", "pending", "series", "series_second"],
        ),
    ],
)
async def test_filters_and_sorting(
    client: httpx.AsyncClient, world: World, params: dict[str, str], expected: list[str]
) -> None:
    ids = {"weekly": world.weekly, "team_event": world.team_event, "team_id": world.team_id, "intro": world.intro}
    query = {key: value.format(**ids) for key, value in params.items()}
    if "bookingUid" in params:
        query["bookingUid"] = world.uids[params["bookingUid"]]
    assert (await listed(client, world.olga, **query))[0] == keys(world, *expected)


async def test_booking_uid_filter_and_past(client: httpx.AsyncClient, world: World, now: list[datetime]) -> None:
    assert (await listed(client, world.olga, bookingUid=world.uids["late"]))[0] == keys(world, "late")
    now[0] = datetime(2050, 9, 6, 12, 0, tzinfo=UTC)
    # Past bookings come latest first.
    assert (await listed(client, world.olga, status="past"))[0] == keys(world, "late", "team", "early")
    assert (await listed(client, world.olga, status="past", sortStart="asc"))[0] == keys(world, "early", "team", "late")


async def test_pagination(client: httpx.AsyncClient, world: World) -> None:
    uids, pagination = await listed(client, world.olga, take=2, skip=3)
    assert uids == keys(world, "cancelled", "pending")
    assert pagination == {
        "totalItems": 7,
        "remainingItems": 2,
        "returnedItems": 2,
        "itemsPerPage": 2,
        "currentPage": 2,
        "totalPages": 4,
        "hasNextPage": True,
        "hasPreviousPage": True,
    }
    uids, pagination = await listed(client, world.olga, take=5, skip=10**30)
    assert (uids, pagination["returnedItems"], pagination["hasPreviousPage"]) == ([], 0, True)
    uids, pagination = await listed(client, world.olga, take=5, skip=5)
    assert (uids, pagination["returnedItems"], pagination["hasNextPage"]) == (
        keys(world, "series", "series_second"),
        2,
        False,
    )


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"status": "soon"}, "status"),
        ({"eventTypeIds": "1,x"}, "eventTypeIds must be a comma separated list of numbers, got '1,x'"),
        ({"teamId": "crew"}, "teamId must be a comma separated list of numbers, got 'crew'"),
        ({"eventTypeId": "99999999999999"}, "eventTypeId must be a comma separated list of numbers"),
        ({"afterStart": "yesterday"}, "afterStart must be a valid ISO 8601 date string, got 'yesterday'"),
        ({"take": "0"}, "take"),
        ({"take": "251"}, "take"),
        ({"skip": "-1"}, "skip"),
        ({"sortStart": "up"}, "sortStart"),
    ],
)
async def test_bad_queries(client: httpx.AsyncClient, world: World, params: dict[str, str], fragment: str) -> None:
    response = await client.get("/v2/bookings", params=params, headers={**BOOKINGS_VERSION, **world.olga.headers})
    assert fragment in error(response, 400)["message"]


async def test_authentication_is_required(client: httpx.AsyncClient) -> None:
    assert error(await client.get("/v2/bookings", headers=BOOKINGS_VERSION), 401)["code"] == "UnauthorizedException"
