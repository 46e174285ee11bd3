"""`POST /v2/bookings` for team event types: who a round-robin booking goes to over a series of
bookings, a collective booking occupying every host, and no double booking under concurrency."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from opencal.core import clock
from opencal.core.db import Database
from opencal.models import Booking, BookingHost
from support import TestUser, book, create_team, create_user, data, error, row_counts

NOW = datetime(2050, 9, 1, 10, 0, tzinfo=UTC)  # a Thursday
MONDAY = datetime(2050, 9, 5, 8, 0, tzinfo=UTC)  # 09:00 in London
TABLES = ("bookings", "attendees", "booking_hosts")
TEAM_UNAVAILABLE = "One of the hosts either already has booking at this time or is not available"


@pytest.fixture(autouse=True)
def now() -> Iterator[list[datetime]]:
    """The frozen time of the test; `now[0]` moves it."""
    moment = [NOW]
    clock.set_clock(lambda: moment[0])
    yield moment
    clock.set_clock(None)


class Team:
    def __init__(self, team_id: int, admin: TestUser, hosts: list[TestUser]) -> None:
        self.id, self.admin, self.hosts = team_id, admin, hosts

    async def event_type(
        self, client: httpx.AsyncClient, scheduling_type: str, hosts: list[dict[str, Any]], slug: str = "demo"
    ) -> int:
        body = {
            "title": "Demo",
            "slug": slug,
            "lengthInMinutes": 60,
            "minimumBookingNotice": 0,
            "schedulingType": scheduling_type,
            "hosts": hosts,
        }
        url = f"/v2/teams/{self.id}/event-types"
        created = data(await client.post(url, json=body, headers=self.admin.headers), 201)
        event_type_id: int = created["id"]
        return event_type_id


@pytest.fixture
async def team(db: Database) -> Team:
    admin = await create_user(db, "admin@example.com")
    hosts = [await create_user(db, f"{name}@example.com", name=name.title()) for name in ("ann", "bob", "cid")]
    team_id = await create_team(db, "crew", {admin.id: "ADMIN", **{host.id: "MEMBER" for host in hosts}})
    return Team(team_id, admin, hosts)


def at(hours: int) -> str:
    return (MONDAY + timedelta(hours=hours)).isoformat().replace("+00:00", "Z")


async def book_series(client: httpx.AsyncClient, now: list[datetime], event_type_id: int, count: int) -> list[int]:
    """`count` bookings at different hours, each made a minute after the previous; their organizers."""
    organizers = []
    for index in range(count):
        now[0] = NOW + timedelta(minutes=index)
        booking = data(await book(client, event_type_id, at(index), email=f"guest{index}@example.com"), 201)
        organizers.append(booking["hosts"][0]["id"])
    return organizers


async def test_round_robin_follows_the_weights(client: httpx.AsyncClient, now: list[datetime], team: Team) -> None:
    ann, bob, _ = team.hosts
    rota = await team.event_type(
        client, "roundRobin", [{"userId": ann.id, "weight": 200}, {"userId": bob.id, "weight": 100}]
    )
    # Ann's share is two bookings in three; at a tie the heavier host goes first.
    assert await book_series(client, now, rota, 6) == [ann.id, bob.id, ann.id, ann.id, bob.id, ann.id]


async def test_round_robin_prefers_the_highest_priority(
    client: httpx.AsyncClient, now: list[datetime], team: Team
) -> None:
    ann, bob, cid = team.hosts
    hosts: list[dict[str, Any]] = [
        {"userId": ann.id, "priority": "low"},
        {"userId": bob.id, "priority": "high"},
        {"userId": cid.id},
    ]
    rota = await team.event_type(client, "roundRobin", hosts)
    assert await book_series(client, now, rota, 3) == [bob.id, bob.id, bob.id]
    # Bob is taken at 09:00: the next priority (Cid, medium) gets it, then Ann.
    assert data(await book(client, rota, at(0), email="x@example.com"), 201)["hosts"][0]["id"] == cid.id
    assert data(await book(client, rota, at(0), email="y@example.com"), 201)["hosts"][0]["id"] == ann.id
    assert error(await book(client, rota, at(0), email="z@example.com"), 400)["message"] == TEAM_UNAVAILABLE


async def test_round_robin_goes_to_the_least_recently_booked(
    client: httpx.AsyncClient, now: list[datetime], team: Team
) -> None:
    ann, bob, cid = team.hosts
    rota = await team.event_type(client, "roundRobin", [{"userId": u.id} for u in (cid, bob, ann)])
    # Never booked first (lowest id among them), then the one whose last booking is the oldest.
    assert await book_series(client, now, rota, 6) == [ann.id, bob.id, cid.id, ann.id, bob.id, cid.id]


async def test_round_robin_with_a_mandatory_host(
    client: httpx.AsyncClient, db: Database, now: list[datetime], team: Team
) -> None:
    ann, bob, cid = team.hosts
    rota = await team.event_type(
        client, "roundRobin", [{"userId": ann.id, "mandatory": True}, {"userId": bob.id}, {"userId": cid.id}]
    )
    booking = data(await book(client, rota, at(0)), 201)
    # The mandatory host organizes; the round-robin host attends with the booker.
    assert booking["hosts"][0]["id"] == ann.id
    assert [a["email"] for a in booking["attendees"]] == ["bea@example.com", bob.email]
    async with db.read() as session:
        occupied = (await session.scalars(select(BookingHost.user_id).order_by(BookingHost.user_id))).all()
    assert list(occupied) == [ann.id, bob.id]


async def test_collective_booking_occupies_every_host(client: httpx.AsyncClient, db: Database, team: Team) -> None:
    ann, bob, cid = team.hosts
    together = await team.event_type(client, "collective", [{"userId": u.id} for u in (ann, bob, cid)])
    booking = data(await book(client, together, at(1)), 201)
    assert (booking["title"], booking["hosts"][0]["id"]) == ("Demo between Crew and Bea Booker", ann.id)
    assert [(a["name"], a["email"]) for a in booking["attendees"]] == [
        ("Bea Booker", "bea@example.com"),
        ("Bob", bob.email),
        ("Cid", cid.email),
    ]
    async with db.read() as session:
        occupied = (await session.execute(select(BookingHost.user_id, BookingHost.start_time))).all()
    assert sorted(occupied) == [(user.id, MONDAY + timedelta(hours=1)) for user in (ann, bob, cid)]
    # Each host is now busy then, for this event and any other.
    before = await row_counts(db, *TABLES)
    assert error(await book(client, together, at(1), email="x@example.com"), 400)["message"] == TEAM_UNAVAILABLE
    cid_alone = await team.event_type(client, "collective", [{"userId": cid.id}], slug="cid-alone")
    assert error(await book(client, cid_alone, at(1), email="x@example.com"), 400)["message"] == TEAM_UNAVAILABLE
    assert await row_counts(db, *TABLES) == before


async def test_concurrent_collective_bookings_make_exactly_one(
    client: httpx.AsyncClient, db: Database, team: Team
) -> None:
    ann, bob, cid = team.hosts
    together = await team.event_type(client, "collective", [{"userId": u.id} for u in (ann, bob, cid)])
    # Another collective event shares Bob: its bookings race for him too.
    pair = await team.event_type(client, "collective", [{"userId": bob.id}, {"userId": cid.id}], slug="pair")
    requests = [
        book(client, together if index % 2 else pair, at(2), email=f"racer{index}@example.com") for index in range(20)
    ]
    responses = await asyncio.gather(*requests)
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [400] * 19
    for response in responses:
        if response.status_code == 400:
            assert error(response, 400)["message"] == TEAM_UNAVAILABLE
    async with db.read() as session:
        bookings = (await session.scalars(select(Booking))).all()
        occupied = (await session.scalars(select(BookingHost.user_id))).all()
    assert len(bookings) == 1
    expected = [ann.id, bob.id, cid.id] if bookings[0].event_type_id == together else [bob.id, cid.id]
    assert sorted(occupied) == expected


async def test_team_event_type_without_hosts_cannot_be_booked(
    client: httpx.AsyncClient, db: Database, team: Team
) -> None:
    empty = await team.event_type(client, "roundRobin", [])
    before = await row_counts(db, *TABLES)
    err = error(await book(client, empty, at(0)), 422)
    assert err["message"] == (
        f"Can't book this team event type because it has no hosts. Please, add at least 1 host to event type with "
        f"id={empty} belonging to team with id={team.id} and try again."
    )
    assert await row_counts(db, *TABLES) == before
