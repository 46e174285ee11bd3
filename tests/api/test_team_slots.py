"""`GET /v2/slots` for team event types: collective hosts intersected, round-robin hosts side by side
(per host group), fixed hosts always needed, out-of-office days removed (BEHAVIOR.md §3.5)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from opencal.core.db import Database
from opencal.core.security import new_uid
from opencal.models import Attendee, Booking, BookingHost, OutOfOffice
from support import TestUser, create_org_team, create_org_with_members, create_team, create_user, data, error

SLOTS = {"cal-api-version": "2024-09-04"}
MONDAY = "2050-09-05"  # London is UTC+1, New York UTC-4 then
TUESDAY = "2050-09-06"


class People:
    def __init__(self, admin: TestUser, london: TestUser, new_york: TestUser, tokyo: TestUser, team_id: int) -> None:
        self.admin, self.london, self.new_york, self.tokyo, self.team_id = admin, london, new_york, tokyo, team_id


@pytest.fixture
async def people(db: Database) -> People:
    """Three hosts working 09:00-17:00 in London, New York and Tokyo (default schedules)."""
    admin = await create_user(db, "admin@example.com")
    london = await create_user(db, "london@example.com", time_zone="Europe/London")
    new_york = await create_user(db, "newyork@example.com", time_zone="America/New_York")
    tokyo = await create_user(db, "tokyo@example.com", time_zone="Asia/Tokyo")
    members = {admin.id: "ADMIN", london.id: "MEMBER", new_york.id: "MEMBER", tokyo.id: "MEMBER"}
    team_id = await create_team(db, "crew", members)
    return People(admin, london, new_york, tokyo, team_id)


async def team_event_type(
    client: httpx.AsyncClient, people: People, scheduling_type: str, hosts: list[dict[str, Any]], slug: str = "demo"
) -> int:
    body = {
        "title": "Demo",
        "slug": slug,
        "lengthInMinutes": 60,
        "minimumBookingNotice": 0,
        "schedulingType": scheduling_type,
        "hosts": hosts,
    }
    created = data(
        await client.post(f"/v2/teams/{people.team_id}/event-types", json=body, headers=people.admin.headers), 201
    )
    event_type_id: int = created["id"]
    return event_type_id


async def utc_hours(client: httpx.AsyncClient, day: str = MONDAY, **params: Any) -> list[int]:
    """Start hours (UTC) of the slots on `day`."""
    out = data(await client.get("/v2/slots", params={"start": day, "end": day, **params}, headers=SLOTS))
    return [datetime.fromisoformat(slot["start"].replace("Z", "+00:00")).hour for slot in out.get(day, [])]


async def busy(db: Database, user: TestUser, start: datetime, hours: int = 1) -> None:
    """A booking of another event occupying `user`."""
    async with db.write() as session:
        booking = Booking(
            uid=new_uid(), title="Busy", user_id=user.id, start_time=start, end_time=start + timedelta(hours=hours)
        )
        booking.attendees.append(Attendee(email="guest@example.com", name="Guest", time_zone="UTC"))
        session.add(booking)
        await session.flush()
        session.add(BookingHost(booking_id=booking.id, user_id=user.id, start_time=start, end_time=booking.end_time))


async def away(db: Database, user: TestUser, day: str) -> None:
    """Out of office for one day, stored as Cal.com stores it (00:00 to 23:59:59.999 UTC)."""
    start = datetime.fromisoformat(day).replace(tzinfo=UTC)
    end = start + timedelta(days=1, milliseconds=-1)
    async with db.write() as session:
        session.add(OutOfOffice(uuid=str(uuid.uuid4()), user_id=user.id, start_time=start, end_time=end))


async def test_collective_slots_are_the_intersection(client: httpx.AsyncClient, people: People) -> None:
    # London 08:00-16:00 UTC, New York 13:00-21:00 UTC: together 13:00-16:00.
    event = await team_event_type(
        client, people, "collective", [{"userId": people.london.id}, {"userId": people.new_york.id}]
    )
    assert await utc_hours(client, eventTypeId=event) == [13, 14, 15]
    # Tokyo (00:00-08:00 UTC) shares no hour with London and New York: no slot at all.
    everyone = [{"userId": u.id} for u in (people.london, people.new_york, people.tokyo)]
    nobody = await team_event_type(client, people, "collective", everyone, slug="everyone")
    assert await utc_hours(client, eventTypeId=nobody) == []


async def test_round_robin_slots_are_the_union(client: httpx.AsyncClient, db: Database, people: People) -> None:
    event = await team_event_type(
        client, people, "roundRobin", [{"userId": people.london.id}, {"userId": people.new_york.id}]
    )
    assert await utc_hours(client, eventTypeId=event) == list(range(8, 21))
    # One host busy: the other still takes the hour. Both busy: the hour goes.
    await busy(db, people.london, datetime(2050, 9, 5, 14, tzinfo=UTC))
    assert await utc_hours(client, eventTypeId=event) == list(range(8, 21))
    await busy(db, people.new_york, datetime(2050, 9, 5, 14, tzinfo=UTC))
    assert await utc_hours(client, eventTypeId=event) == [h for h in range(8, 21) if h != 14]


async def test_fixed_hosts_are_always_needed(client: httpx.AsyncClient, db: Database, people: People) -> None:
    hosts = [
        {"userId": people.london.id, "mandatory": True},
        {"userId": people.new_york.id},
        {"userId": people.tokyo.id},
    ]
    event = await team_event_type(client, people, "roundRobin", hosts)
    # London must attend (08-16 UTC), with New York (13-21) or Tokyo (00-08).
    assert await utc_hours(client, eventTypeId=event) == [13, 14, 15]
    await busy(db, people.london, datetime(2050, 9, 5, 14, tzinfo=UTC))
    assert await utc_hours(client, eventTypeId=event) == [13, 15]


async def test_round_robin_groups_each_need_a_host(client: httpx.AsyncClient, people: People) -> None:
    hosts = [
        {"userId": people.london.id, "groupId": "europe"},
        {"userId": people.new_york.id, "groupId": "americas"},
        {"userId": people.tokyo.id, "groupId": "europe"},
    ]
    event = await team_event_type(client, people, "roundRobin", hosts)
    # (London or Tokyo) and New York.
    assert await utc_hours(client, eventTypeId=event) == [13, 14, 15]


async def test_out_of_office_days_are_removed(client: httpx.AsyncClient, db: Database, people: People) -> None:
    both = [{"userId": people.london.id}, {"userId": people.new_york.id}]
    collective = await team_event_type(client, people, "collective", both)
    rota = await team_event_type(client, people, "roundRobin", both, slug="rota")
    await away(db, people.london, MONDAY)
    assert await utc_hours(client, eventTypeId=collective) == []
    assert await utc_hours(client, eventTypeId=rota) == list(range(13, 21))
    # Other days are untouched.
    assert await utc_hours(client, TUESDAY, eventTypeId=collective) == [13, 14, 15]


async def test_team_slug_and_organization_slug(client: httpx.AsyncClient, db: Database, people: People) -> None:
    await team_event_type(client, people, "collective", [{"userId": people.london.id}])
    assert await utc_hours(client, eventTypeSlug="demo", teamSlug="crew") == list(range(8, 16))
    # An organization team with the same slug is told apart by its organization.
    org = await create_org_with_members(db, "acme")
    org_team = await create_org_team(db, org.id, "crew", {org.admin.id: "ADMIN", org.member.id: "MEMBER"})
    body = {
        "title": "Demo",
        "slug": "demo",
        "lengthInMinutes": 30,
        "minimumBookingNotice": 0,
        "schedulingType": "collective",
        "hosts": [{"userId": org.member.id}],
    }
    url = f"/v2/organizations/{org.id}/teams/{org_team}/event-types"
    data(await client.post(url, json=body, headers=org.admin.headers), 201)
    half_hours = await utc_hours(client, eventTypeSlug="demo", teamSlug="crew", organizationSlug="acme")
    assert half_hours == [h for h in range(8, 16) for _ in range(2)]
    err = error(
        await client.get(
            "/v2/slots",
            params={"eventTypeSlug": "demo", "teamSlug": "nope", "start": MONDAY, "end": MONDAY},
            headers=SLOTS,
        ),
        404,
    )
    assert err["message"] == "Team with slug nope not found"


async def test_team_event_type_without_hosts_has_no_slots(client: httpx.AsyncClient, people: People) -> None:
    event = await team_event_type(client, people, "roundRobin", [])
    assert await utc_hours(client, eventTypeId=event) == []
