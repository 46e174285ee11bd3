"""No double booking under concurrency: 50 bookers race for one slot.

On one app (both backends) the requests go through the ASGI transport at once; on PostgreSQL they
are also split between two real `opencal serve` processes sharing the database, so the guarantee
cannot come from anything held in one process. Three slots are raced: a personal event (exactly one
booking), a seated event with N seats (exactly N seats taken) and a collective team event (exactly
one booking occupying both hosts).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from itertools import cycle

import httpx
import pytest
from sqlalchemy import func, select

from opencal.app import create_app
from opencal.config import Settings
from opencal.core.db import Database
from opencal.models import Attendee, Booking, BookingHost, BookingSeat, Team
from opencal.models.bookings import ACCEPTED
from support import (
    BOOKINGS_VERSION,
    add_membership,
    create_event_type,
    create_user,
    insert_team_event_type,
    opencal_cli,
    opencal_server,
)

REQUESTS = 50
SEATS = 5
START = "2050-09-05T08:00:00Z"  # Monday 09:00 in London
UNAVAILABLE = "User either already has booking at this time or is not available"
TEAM_UNAVAILABLE = "One of the hosts either already has booking at this time or is not available"
SEATS_FULL = "No more seats left at this seated booking."


@dataclass(frozen=True)
class Race:
    name: str
    event_type_id: int
    winners: int
    loser_status: int
    loser_message: str


async def prepare(client: httpx.AsyncClient, db: Database) -> list[Race]:
    """A personal, a seated and a collective event type, each with its own hosts."""
    solo = await create_user(db, email="solo@example.com", username="solo", name="Solo")
    host = await create_user(db, email="host@example.com", username="host", name="Host")
    ada = await create_user(db, email="ada@example.com", username="ada", name="Ada")
    bob = await create_user(db, email="bob@example.com", username="bob", name="Bob")
    common = {"length": 60, "minimumBookingNotice": 0}
    personal = await create_event_type(client, solo, slug="personal", **common)
    seats = {"seatsPerTimeSlot": SEATS, "showAttendeeInfo": True, "showAvailabilityCount": True}
    seated = await create_event_type(client, host, slug="seated", seats=seats, **common)
    async with db.write() as session:
        team = Team(name="Duo", slug="duo")
        session.add(team)
        await session.flush()
        team_id = team.id
    for user in (ada, bob):
        await add_membership(db, team_id, user.id)
    collective = await insert_team_event_type(
        db, team_id, "duo", [{"user_id": ada.id, "is_fixed": True}, {"user_id": bob.id, "is_fixed": True}]
    )
    return [
        Race("personal", personal["id"], 1, 400, UNAVAILABLE),
        Race("seated", seated["id"], SEATS, 409, SEATS_FULL),
        Race("collective", collective, 1, 400, TEAM_UNAVAILABLE),
    ]


async def run(clients: list[httpx.AsyncClient], race: Race) -> list[httpx.Response]:
    async def attempt(index: int, client: httpx.AsyncClient) -> httpx.Response:
        body = {
            "start": START,
            "eventTypeId": race.event_type_id,
            "attendee": {"name": f"Booker {index}", "email": f"booker{index}@example.com", "timeZone": "UTC"},
        }
        return await client.post("/v2/bookings", json=body, headers=BOOKINGS_VERSION)

    return await asyncio.gather(*(attempt(i, c) for i, c in zip(range(REQUESTS), cycle(clients), strict=False)))


async def check(db: Database, race: Race, responses: list[httpx.Response]) -> None:
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] * race.winners + [race.loser_status] * (REQUESTS - race.winners), race.name
    for response in responses:
        if response.status_code != 201:
            assert response.json()["error"]["message"] == race.loser_message
    async with db.read() as session:
        accepted = (
            await session.scalars(
                select(Booking).where(Booking.event_type_id == race.event_type_id, Booking.status == ACCEPTED)
            )
        ).all()
        assert len(accepted) == 1, race.name
        [booking] = accepted
        bookers = await session.scalar(
            select(func.count()).where(Attendee.booking_id == booking.id, Attendee.is_host.is_(False))
        )
        seats = await session.scalar(select(func.count()).where(BookingSeat.booking_id == booking.id))
        hosts = await session.scalar(select(func.count()).where(BookingHost.booking_id == booking.id))
    assert bookers == race.winners
    assert seats == (race.winners if race.name == "seated" else 0)
    assert hosts == (2 if race.name == "collective" else 1)
    winners = {r.json()["data"]["uid"] for r in responses if r.status_code == 201}
    assert winners == {booking.uid}


@pytest.fixture
async def unlimited(settings: Settings, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    """An ASGI client of an app without rate limits: 150 anonymous requests in a minute are the point."""
    app = create_app(settings.model_copy(update={"rate_limit_enabled": False}), database=db)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield client


async def test_one_app_fifty_concurrent_bookers(unlimited: httpx.AsyncClient, db: Database) -> None:
    for race in await prepare(unlimited, db):
        await check(db, race, await run([unlimited], race))


async def test_two_servers_on_postgresql(backend: str, database_url: str, db: Database) -> None:
    if backend != "postgresql":
        pytest.skip("several server processes share a database only on PostgreSQL")
    assert opencal_cli(database_url, "migrate")["migrated"] is True
    env = {"OPENCAL_RATE_LIMIT_ENABLED": "false", "OPENCAL_RUN_DISPATCHER": "false", "OPENCAL_SECRET_KEY": "race"}
    with opencal_server(database_url, **env) as first_url, opencal_server(database_url, **env) as second_url:
        limits = httpx.Limits(max_connections=REQUESTS)
        async with (
            httpx.AsyncClient(base_url=first_url, timeout=60, limits=limits) as first,
            httpx.AsyncClient(base_url=second_url, timeout=60, limits=limits) as second,
        ):
            for race in await prepare(first, db):
                await check(db, race, await run([first, second], race))
