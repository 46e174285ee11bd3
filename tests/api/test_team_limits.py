"""Team-level booking limits (BEHAVIOR.md §3.7): a host's accepted bookings of all the team's event
types (and of its managed copies when the team includes them) block that host's period in
`GET /v2/slots` and at booking time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from opencal.core import clock
from opencal.core.db import Database
from support import BOOKINGS_VERSION, TestUser, book, create_team, create_user, data, error, row_counts

NOW = datetime(2050, 9, 1, 10, 0, tzinfo=UTC)
MONDAY, TUESDAY = "2050-09-05", "2050-09-06"  # London is UTC+1: 09:00-17:00 is 08:00-16:00 UTC
SLOTS = {"cal-api-version": "2024-09-04"}
TABLES = ("bookings", "attendees", "booking_hosts")
TEAM_UNAVAILABLE = "One of the hosts either already has booking at this time or is not available"
USER_UNAVAILABLE = "User either already has booking at this time or is not available"


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    clock.set_clock(lambda: NOW)
    yield
    clock.set_clock(None)


class Crew:
    def __init__(self, team_id: int, owner: TestUser, ann: TestUser, bob: TestUser) -> None:
        self.id, self.owner, self.ann, self.bob = team_id, owner, ann, bob

    async def limit(self, client: httpx.AsyncClient, **fields: Any) -> None:
        data(await client.patch(f"/v2/teams/{self.id}", json=fields, headers=self.owner.headers))

    async def event_type(
        self, client: httpx.AsyncClient, slug: str, scheduling_type: str, hosts: list[TestUser], team_id: int = 0
    ) -> Any:
        body = {
            "title": slug.title(),
            "slug": slug,
            "lengthInMinutes": 60,
            "minimumBookingNotice": 0,
            "schedulingType": scheduling_type,
            "hosts": [{"userId": host.id} for host in hosts],
        }
        url = f"/v2/teams/{team_id or self.id}/event-types"
        return data(await client.post(url, json=body, headers=self.owner.headers), 201)


@pytest.fixture
async def crew(db: Database) -> Crew:
    owner = await create_user(db, "owner@example.com")
    ann = await create_user(db, "ann@example.com")
    bob = await create_user(db, "bob@example.com")
    team_id = await create_team(db, "crew", {owner.id: "OWNER", ann.id: "MEMBER", bob.id: "MEMBER"})
    return Crew(team_id, owner, ann, bob)


async def slot_hours(client: httpx.AsyncClient, event_type_id: int, day: str = MONDAY) -> list[int]:
    """UTC start hours offered on `day`."""
    params: dict[str, str | int] = {"eventTypeId": event_type_id, "start": day, "end": day}
    out = data(await client.get("/v2/slots", params=params, headers=SLOTS))
    return [int(slot["start"][11:13]) for slot in out.get(day, [])]


def utc(day: str, hour: int) -> str:
    return f"{day}T{hour:02d}:00:00Z"


async def test_a_day_limit_blocks_the_host_across_the_team_event_types(
    client: httpx.AsyncClient, db: Database, crew: Crew
) -> None:
    await crew.limit(client, bookingLimits='{"PER_DAY": 1}')
    rota = (await crew.event_type(client, "rota", "roundRobin", [crew.ann]))["id"]
    panel = (await crew.event_type(client, "panel", "collective", [crew.ann]))["id"]
    assert await slot_hours(client, panel) == [8, 9, 10, 11, 12, 13, 14, 15]

    booked = data(await book(client, rota, utc(MONDAY, 8)), 201)
    assert booked["hosts"][0]["id"] == crew.ann.id
    # Ann's Monday is gone for every event type of the team; Tuesday is untouched.
    assert await slot_hours(client, rota) == []
    assert await slot_hours(client, panel) == []
    assert await slot_hours(client, panel, TUESDAY) == [8, 9, 10, 11, 12, 13, 14, 15]

    before = await row_counts(db, *TABLES)
    for event_type_id in (rota, panel):
        refused = error(await book(client, event_type_id, utc(MONDAY, 12), email="cy@example.com"), 400)
        assert refused["message"] == TEAM_UNAVAILABLE
    assert await row_counts(db, *TABLES) == before
    data(await book(client, panel, utc(TUESDAY, 12), email="cy@example.com"), 201)


async def test_a_round_robin_moves_to_the_host_under_the_limit(client: httpx.AsyncClient, crew: Crew) -> None:
    await crew.limit(client, bookingLimits='{"PER_DAY": 1}')
    rota = (await crew.event_type(client, "rota", "roundRobin", [crew.ann, crew.bob]))["id"]
    first = data(await book(client, rota, utc(MONDAY, 8)), 201)["hosts"][0]["id"]
    second = data(await book(client, rota, utc(MONDAY, 10), email="cy@example.com"), 201)["hosts"][0]["id"]
    assert {first, second} == {crew.ann.id, crew.bob.id}
    assert await slot_hours(client, rota) == []
    refused = error(await book(client, rota, utc(MONDAY, 12), email="di@example.com"), 400)
    assert refused["message"] == TEAM_UNAVAILABLE


async def test_bookings_outside_the_team_do_not_count(client: httpx.AsyncClient, db: Database, crew: Crew) -> None:
    other_team = await create_team(db, "others", {crew.owner.id: "OWNER", crew.ann.id: "MEMBER"})
    await crew.limit(client, bookingLimits='{"PER_DAY": 1}')
    panel = (await crew.event_type(client, "panel", "collective", [crew.ann]))["id"]
    elsewhere = (await crew.event_type(client, "elsewhere", "collective", [crew.ann], team_id=other_team))["id"]

    data(await book(client, elsewhere, utc(MONDAY, 8)), 201)
    # Only the booked hour is taken: the other team's booking is not counted by this team's limit.
    assert await slot_hours(client, panel) == [9, 10, 11, 12, 13, 14, 15]
    data(await book(client, panel, utc(MONDAY, 12), email="cy@example.com"), 201)
    assert await slot_hours(client, panel) == []


async def test_a_reschedule_does_not_count_the_booking_it_moves(client: httpx.AsyncClient, crew: Crew) -> None:
    await crew.limit(client, bookingLimits='{"PER_DAY": 1}')
    panel = (await crew.event_type(client, "panel", "collective", [crew.ann]))["id"]
    old = data(await book(client, panel, utc(MONDAY, 8)), 201)
    moved = data(
        await client.post(
            f"/v2/bookings/{old['uid']}/reschedule", json={"start": utc(MONDAY, 13)}, headers=BOOKINGS_VERSION
        ),
        201,
    )
    assert (moved["start"], moved["status"]) == ("2050-09-05T13:00:00.000Z", "accepted")
    assert await slot_hours(client, panel) == []


async def test_managed_copies_count_only_when_the_team_includes_them(
    client: httpx.AsyncClient, db: Database, crew: Crew
) -> None:
    await crew.limit(client, bookingLimits='{"PER_DAY": 1}')
    panel = (await crew.event_type(client, "panel", "collective", [crew.ann]))["id"]
    managed = await crew.event_type(client, "onboarding", "managed", [crew.ann])
    ann_copy = next(copy["id"] for copy in managed if copy["ownerId"] == crew.ann.id)

    data(await book(client, ann_copy, utc(MONDAY, 8)), 201)
    assert await slot_hours(client, panel) == [9, 10, 11, 12, 13, 14, 15]
    assert await slot_hours(client, ann_copy) == [9, 10, 11, 12, 13, 14, 15]

    await crew.limit(client, includeManagedEventsInLimits=True)
    assert await slot_hours(client, panel) == []
    assert await slot_hours(client, ann_copy) == []
    before = await row_counts(db, *TABLES)
    refused = error(await book(client, ann_copy, utc(MONDAY, 12), email="cy@example.com"), 400)
    assert refused["message"] == USER_UNAVAILABLE
    refused = error(await book(client, panel, utc(MONDAY, 12), email="cy@example.com"), 400)
    assert refused["message"] == TEAM_UNAVAILABLE
    assert await row_counts(db, *TABLES) == before


async def test_a_recurring_booking_counts_its_own_occurrences(client: httpx.AsyncClient, crew: Crew) -> None:
    await crew.limit(client, bookingLimits='{"PER_MONTH": 1}')
    panel = (await crew.event_type(client, "panel", "collective", [crew.ann]))["id"]
    weekly = {"recurrence": {"interval": 1, "occurrences": 2, "frequency": "weekly"}}
    data(
        await client.patch(
            f"/v2/teams/{crew.id}/event-types/{panel}", json=weekly, headers={**SLOTS, **crew.owner.headers}
        )
    )
    refused = error(await book(client, panel, utc(MONDAY, 8), recurrenceCount=2), 400)
    assert refused["message"] == TEAM_UNAVAILABLE
    assert await slot_hours(client, panel) == [8, 9, 10, 11, 12, 13, 14, 15]
