"""`POST /v2/bookings/{uid}/reassign` and `.../reassign/{userId}`: moving a round-robin booking."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from opencal.core import clock
from opencal.core.db import Database
from opencal.models import Booking, BookingHost
from support import BOOKINGS_VERSION, TestUser, book, create_team, create_user, data, error

NOW = datetime(2050, 9, 1, 10, 0, tzinfo=UTC)
NINE = "2050-09-05T08:00:00Z"  # Monday 09:00 in London
NO_OTHER_HOST = "Can't reassign the booking because no other host is available at that time."


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    clock.set_clock(lambda: NOW)
    yield
    clock.set_clock(None)


class World:
    def __init__(self, team_id: int, admin: TestUser, ann: TestUser, bob: TestUser, cid: TestUser) -> None:
        self.team_id, self.admin, self.ann, self.bob, self.cid = team_id, admin, ann, bob, cid

    async def event_type(
        self, client: httpx.AsyncClient, hosts: list[dict[str, Any]], scheduling_type: str = "roundRobin"
    ) -> int:
        body = {
            "title": "Call",
            "slug": f"call-{scheduling_type.lower()}-{len(hosts)}",
            "lengthInMinutes": 60,
            "minimumBookingNotice": 0,
            "schedulingType": scheduling_type,
            "hosts": hosts,
        }
        url = f"/v2/teams/{self.team_id}/event-types"
        event_type_id: int = data(await client.post(url, json=body, headers=self.admin.headers), 201)["id"]
        return event_type_id


@pytest.fixture
async def world(db: Database) -> World:
    admin = await create_user(db, "admin@example.com")
    ann = await create_user(db, "ann@example.com", name="Ann")
    bob = await create_user(db, "bob@example.com", name="Bob")
    cid = await create_user(db, "cid@example.com", name="Cid")
    team_id = await create_team(db, "crew", {admin.id: "ADMIN", ann.id: "MEMBER", bob.id: "MEMBER", cid.id: "MEMBER"})
    return World(team_id, admin, ann, bob, cid)


def reassign(client: httpx.AsyncClient, uid: str, user: TestUser | None, to: int | None = None) -> Any:
    path = f"/v2/bookings/{uid}/reassign" + (f"/{to}" if to is not None else "")
    headers = {**BOOKINGS_VERSION, **(user.headers if user else {})}
    return client.post(path, json={"reason": "Host is ill"} if to is not None else None, headers=headers)


async def state(db: Database, uid: str) -> tuple[int | None, str, list[int]]:
    async with db.read() as session:
        booking = await session.scalar(select(Booking).where(Booking.uid == uid))
        assert booking is not None
        hosts = await session.scalars(select(BookingHost.user_id).where(BookingHost.booking_id == booking.id))
        return booking.user_id, booking.title, sorted(hosts.all())


async def test_automatic_reassignment_picks_another_free_host(
    client: httpx.AsyncClient, db: Database, world: World
) -> None:
    rota = await world.event_type(client, [{"userId": u.id} for u in (world.ann, world.bob, world.cid)])
    booking = data(await book(client, rota, NINE), 201)
    assert booking["hosts"][0]["id"] == world.ann.id
    # Bob is busy then: Cid takes it.
    data(await book(client, rota, NINE, email="other@example.com"), 201)
    answer = data(await reassign(client, booking["uid"], world.admin))
    assert answer == {
        "bookingUid": booking["uid"],
        "reassignedTo": {"id": world.cid.id, "name": "Cid", "email": world.cid.email, "displayEmail": world.cid.email},
    }
    assert await state(db, booking["uid"]) == (world.cid.id, "Call between Cid and Bea Booker", [world.cid.id])
    fetched = data(await client.get(f"/v2/bookings/{booking['uid']}", headers=BOOKINGS_VERSION))
    assert fetched["hosts"][0]["id"] == world.cid.id
    # Now only Ann is free at 09:00 besides the hosts already busy.
    second = data(await reassign(client, booking["uid"], world.cid))
    assert second["reassignedTo"]["id"] == world.ann.id
    # Everyone else is busy at that time: nothing to move to, nothing changes.
    data(await book(client, rota, NINE, email="third@example.com"), 201)
    assert error(await reassign(client, booking["uid"], world.admin), 400)["message"] == NO_OTHER_HOST
    assert await state(db, booking["uid"]) == (world.ann.id, "Call between Ann and Bea Booker", [world.ann.id])


async def test_reassignment_to_a_given_host(client: httpx.AsyncClient, db: Database, world: World) -> None:
    rota = await world.event_type(client, [{"userId": u.id} for u in (world.ann, world.bob)])
    booking = data(await book(client, rota, NINE), 201)
    uid = booking["uid"]
    answer = data(await reassign(client, uid, world.admin, to=world.bob.id))
    assert answer["reassignedTo"]["id"] == world.bob.id
    assert await state(db, uid) == (world.bob.id, "Call between Bob and Bea Booker", [world.bob.id])

    before = await state(db, uid)
    err = error(await reassign(client, uid, world.admin, to=world.cid.id), 400)
    assert err["message"] == (
        f"User with id={world.cid.id} is not a valid Round Robin host - the user to which you reassign this booking "
        "must be one of the booking hosts. Fetch the booking using following endpoint and select id of one of the "
        "hosts: https://cal.com/docs/api-reference/v2/bookings/get-a-booking"
    )
    err = error(await reassign(client, uid, world.admin, to=world.bob.id), 400)
    assert err["message"] == f"User with id={world.bob.id} already hosts booking with uid={uid}."
    assert error(await reassign(client, uid, world.admin, to=99999), 404)["message"] == (
        "User with id=99999 was not found in the database"
    )
    # Ann is busy at that time now.
    data(await book(client, rota, NINE, email="other@example.com"), 201)
    err = error(await reassign(client, uid, world.admin, to=world.ann.id), 400)
    assert err["message"] == f"User with id={world.ann.id} is not available at the time of booking with uid={uid}."
    assert await state(db, uid) == before


async def test_reassigning_the_round_robin_co_host(client: httpx.AsyncClient, db: Database, world: World) -> None:
    hosts = [{"userId": world.ann.id, "mandatory": True}, {"userId": world.bob.id}, {"userId": world.cid.id}]
    rota = await world.event_type(client, hosts)
    booking = data(await book(client, rota, NINE), 201)
    assert [a["email"] for a in booking["attendees"]] == ["bea@example.com", world.bob.email]
    assert data(await reassign(client, booking["uid"], world.admin))["reassignedTo"]["id"] == world.cid.id
    # The mandatory host keeps organizing; the attendee entry of the round-robin host changes.
    fetched = data(await client.get(f"/v2/bookings/{booking['uid']}", headers=BOOKINGS_VERSION))
    assert fetched["hosts"][0]["id"] == world.ann.id
    assert [(a["email"], a["name"]) for a in fetched["attendees"]] == [
        ("bea@example.com", "Bea Booker"),
        (world.cid.email, "Cid"),
    ]
    assert (await state(db, booking["uid"]))[2] == sorted([world.ann.id, world.cid.id])


async def test_who_may_reassign_and_what(client: httpx.AsyncClient, db: Database, world: World) -> None:
    rota = await world.event_type(client, [{"userId": u.id} for u in (world.ann, world.bob)])
    booking = data(await book(client, rota, NINE), 201)
    uid = booking["uid"]
    before = await state(db, uid)
    assert error(await reassign(client, uid, None), 401)["code"] == "UnauthorizedException"
    stranger = await create_user(db, "stranger@example.com")
    assert (
        error(await reassign(client, uid, stranger), 403)["message"]
        == "You do not have permission to reassign this booking"
    )
    # A team member who hosts nothing of this event type may not either.
    assert error(await reassign(client, uid, world.cid), 403)["code"] == "ForbiddenException"
    assert error(await reassign(client, "nope", world.admin), 404)["message"] == (
        "Booking with uid=nope was not found in the database"
    )
    assert await state(db, uid) == before
    # Only round-robin bookings move.
    together = await world.event_type(client, [{"userId": world.ann.id}], scheduling_type="collective")
    collective = data(await book(client, together, "2050-09-05T10:00:00Z"), 201)
    err = error(await reassign(client, collective["uid"], world.admin), 400)
    assert err["message"] == (
        f"Booking with uid={collective['uid']} is not a round robin booking: only round robin bookings can be "
        "reassigned."
    )
    # A cancelled booking stays as it is.
    cancel = await client.post(
        f"/v2/bookings/{uid}/cancel",
        json={"cancellationReason": "No"},
        headers={**BOOKINGS_VERSION, **world.admin.headers},
    )
    data(cancel)
    assert error(await reassign(client, uid, world.admin), 400)["message"] == (
        f"Booking with uid={uid} is cancelled and can't be reassigned."
    )


async def test_the_old_host_is_free_again(client: httpx.AsyncClient, world: World) -> None:
    rota = await world.event_type(client, [{"userId": u.id} for u in (world.ann, world.bob)])
    booking = data(await book(client, rota, NINE), 201)
    data(await reassign(client, booking["uid"], world.admin, to=world.bob.id))
    # Ann can take another booking at 09:00; Bob cannot.
    assert data(await book(client, rota, NINE, email="next@example.com"), 201)["hosts"][0]["id"] == world.ann.id
    assert error(await book(client, rota, NINE, email="last@example.com"), 400)["code"] == "BadRequestException"
