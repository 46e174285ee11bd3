"""`GET /v2/slots` (2024-09-04), slot reservations and the legacy slot operations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import event, func, select

from opencal.core.db import Database
from opencal.core.security import new_uid
from opencal.models import Attendee, Booking, BookingHost, SlotReservation
from support import TestUser, create_user, data, error

SLOTS = {"cal-api-version": "2024-09-04"}
EVENT_TYPES = {"cal-api-version": "2024-06-14"}
# A Monday in September 2050 (Rome is UTC+2 then).
MONDAY = "2050-09-05"


async def create_event_type(client: httpx.AsyncClient, owner: TestUser, **fields: Any) -> dict[str, Any]:
    body = {
        "title": "Meeting",
        "slug": f"meeting-{new_uid(6).lower()}",
        "lengthInMinutes": 60,
        "minimumBookingNotice": 0,
        **fields,
    }
    created: dict[str, Any] = data(
        await client.post("/v2/event-types", json=body, headers={**owner.headers, **EVENT_TYPES}), 201
    )
    return created


async def slots(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    result: dict[str, Any] = data(await client.get("/v2/slots", params=params, headers=SLOTS))
    return result


@pytest.fixture
async def rome(db: Database) -> TestUser:
    return await create_user(db, email="rome@example.com", username="rome", time_zone="Europe/Rome")


async def test_rome_worked_example(client: httpx.AsyncClient, rome: TestUser) -> None:
    event_type = await create_event_type(client, rome)
    out = await slots(client, eventTypeId=event_type["id"], start=MONDAY, end="2050-09-11", timeZone="Europe/Rome")
    assert sorted(out) == ["2050-09-05", "2050-09-06", "2050-09-07", "2050-09-08", "2050-09-09"]
    assert out[MONDAY] == [{"start": f"{MONDAY}T{hour:02d}:00:00.000+02:00"} for hour in range(9, 17)]
    utc = await slots(client, eventTypeId=event_type["id"], start=MONDAY, end=MONDAY)
    assert [slot["start"] for slot in utc[MONDAY]] == [f"{MONDAY}T{h:02d}:00:00.000Z" for h in range(7, 15)]


async def test_range_format_and_slug_identification(client: httpx.AsyncClient, rome: TestUser) -> None:
    event_type = await create_event_type(client, rome, slug="intro", lengthInMinutes=30)
    out = await slots(
        client, eventTypeSlug="intro", username="rome", start=MONDAY, end=MONDAY, timeZone="Europe/Rome", format="range"
    )
    assert out[MONDAY][0] == {"start": f"{MONDAY}T09:00:00.000+02:00", "end": f"{MONDAY}T09:30:00.000+02:00"}
    assert len(out[MONDAY]) == 16
    assert event_type["slug"] == "intro"


async def test_variable_length_duration(client: httpx.AsyncClient, rome: TestUser) -> None:
    event_type = await create_event_type(client, rome, lengthInMinutes=15, lengthInMinutesOptions=[15, 30, 45, 60, 180])
    hourly = await slots(
        client, eventTypeId=event_type["id"], start=MONDAY, end=MONDAY, duration=60, timeZone="Europe/Rome"
    )
    assert [s["start"][11:16] for s in hourly[MONDAY]] == [f"{h:02d}:00" for h in range(9, 17)]
    err = error(
        await client.get(
            "/v2/slots",
            params={"eventTypeId": event_type["id"], "start": MONDAY, "end": MONDAY, "duration": 20},
            headers=SLOTS,
        ),
        400,
    )
    assert "not one of the possible lengths" in err["message"]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"start": MONDAY, "end": MONDAY, "color": "red"}, "color property is wrong"),
        ({"start": "2050-13-01", "end": MONDAY}, "start"),
        ({"start": MONDAY, "end": "tomorrow"}, "end"),
        ({"end": MONDAY}, "start"),
        ({"start": "2050-09-10", "end": MONDAY}, "Invalid time range given - check the 'start' and 'end' query"),
        ({"start": MONDAY, "end": MONDAY, "timeZone": "Mars/Base"}, "timeZone"),
        ({"start": MONDAY, "end": MONDAY, "format": "list"}, "slotFormat must be either 'range' or 'time'"),
    ],
)
async def test_bad_queries_are_400(
    client: httpx.AsyncClient, rome: TestUser, params: dict[str, Any], fragment: str
) -> None:
    event_type = await create_event_type(client, rome)
    err = error(await client.get("/v2/slots", params={"eventTypeId": event_type["id"], **params}, headers=SLOTS), 400)
    assert fragment in err["message"]


async def test_not_found_and_version(client: httpx.AsyncClient, rome: TestUser) -> None:
    assert (
        error(
            await client.get("/v2/slots", params={"eventTypeId": 999, "start": MONDAY, "end": MONDAY}, headers=SLOTS),
            404,
        )["message"]
        == "Event Type not found"
    )
    err = error(
        await client.get(
            "/v2/slots",
            params={"eventTypeSlug": "x", "username": "nobody", "start": MONDAY, "end": MONDAY},
            headers=SLOTS,
        ),
        404,
    )
    assert err["message"] == "User with username nobody not found"
    # GET /v2/slots exists only for 2024-09-04: without the header the same query is an unknown route.
    event_type = await create_event_type(client, rome)
    params = {"eventTypeId": event_type["id"], "start": MONDAY, "end": MONDAY}
    assert error(await client.get("/v2/slots", params=params), 404)["message"] == "Cannot GET /v2/slots"
    assert data(await client.get("/v2/slots", params=params, headers=SLOTS))[MONDAY]
    legacy = {"eventTypeId": event_type["id"], "startTime": MONDAY, "endTime": MONDAY}
    error(await client.get("/v2/slots/available", params=legacy, headers=SLOTS), 404)


async def _book(
    db: Database,
    user: TestUser,
    event_type_id: int,
    start: datetime,
    minutes: int = 60,
    status: str = "ACCEPTED",
    attendee_email: str = "guest@example.com",
) -> str:
    uid = new_uid()
    async with db.write() as session:
        booking = Booking(
            uid=uid,
            event_type_id=event_type_id,
            user_id=user.id,
            title="x",
            start_time=start,
            end_time=start + timedelta(minutes=minutes),
            status=status,
        )
        booking.attendees.append(Attendee(email=attendee_email, name="Guest", time_zone="UTC"))
        session.add(booking)
        await session.flush()
        session.add(
            BookingHost(
                booking_id=booking.id, user_id=user.id, start_time=booking.start_time, end_time=booking.end_time
            )
        )
    return uid


async def test_booking_made_a_moment_before_is_visible(client: httpx.AsyncClient, db: Database, rome: TestUser) -> None:
    event_type = await create_event_type(client, rome, afterEventBuffer=30)
    other = await create_event_type(client, rome, slug="other")
    await _book(db, rome, other["id"], datetime(2050, 9, 5, 8, 0, tzinfo=UTC))  # 10:00-11:00 Rome
    await _book(db, rome, other["id"], datetime(2050, 9, 5, 10, 0, tzinfo=UTC), status="CANCELLED")
    out = await slots(client, eventTypeId=event_type["id"], start=MONDAY, end=MONDAY, timeZone="Europe/Rome")
    # 09:00 would end at 10:00 but its 30-minute after-buffer reaches into the booking: crosswise buffers.
    assert [s["start"][11:16] for s in out[MONDAY]] == ["11:00", "12:00", "13:00", "14:00", "15:00", "16:00"]


async def test_attendee_booking_blocks_the_host(client: httpx.AsyncClient, db: Database, rome: TestUser) -> None:
    organizer = await create_user(db, email="org@example.com")
    event_type = await create_event_type(client, rome)
    foreign = await create_event_type(client, organizer)
    await _book(db, organizer, foreign["id"], datetime(2050, 9, 5, 7, 0, tzinfo=UTC), attendee_email=rome.email)
    out = await slots(client, eventTypeId=event_type["id"], start=MONDAY, end=MONDAY, timeZone="Europe/Rome")
    assert out[MONDAY][0]["start"][11:16] == "10:00"


async def test_query_count_is_constant(client: httpx.AsyncClient, db: Database, rome: TestUser) -> None:
    event_type = await create_event_type(client, rome, lengthInMinutes=30)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    async def measure(end: str) -> int:
        statements.clear()
        for engine in db.engines:
            event.listen(engine, "before_cursor_execute", count)
        try:
            await slots(client, eventTypeId=event_type["id"], start=MONDAY, end=end)
        finally:
            for engine in db.engines:
                event.remove(engine, "before_cursor_execute", count)
        assert statements
        return len(statements)

    short = await measure("2050-09-06")
    for day in range(40):
        await _book(
            db, rome, event_type["id"], datetime(2050, 9, 5, 9, 0, tzinfo=UTC) + timedelta(days=day), minutes=30
        )
    long = await measure("2050-11-30")
    assert short == long, statements


async def test_reservation_lifecycle(client: httpx.AsyncClient, rome: TestUser) -> None:
    event_type = await create_event_type(client, rome)
    start = "2050-09-05T07:00:00Z"
    held = data(
        await client.post(
            "/v2/slots/reservations", json={"eventTypeId": event_type["id"], "slotStart": start}, headers=SLOTS
        ),
        201,
    )
    assert held["slotStart"] == "2050-09-05T07:00:00.000Z"
    assert held["slotEnd"] == "2050-09-05T08:00:00.000Z"
    assert (held["slotDuration"], held["reservationDuration"]) == (60, 5)
    out = await slots(client, eventTypeId=event_type["id"], start=MONDAY, end=MONDAY)
    assert out[MONDAY][0]["start"] == "2050-09-05T08:00:00.000Z"

    again = await client.post(
        "/v2/slots/reservations", json={"eventTypeId": event_type["id"], "slotStart": start}, headers=SLOTS
    )
    assert error(again, 422)["message"] == (
        "This time slot is already reserved by another user. Please choose a different time."
    )
    got = data(await client.get(f"/v2/slots/reservations/{held['reservationUid']}", headers=SLOTS))
    assert got == {k: v for k, v in held.items() if k != "reservationDuration"}
    moved = data(
        await client.patch(
            f"/v2/slots/reservations/{held['reservationUid']}",
            json={"eventTypeId": event_type["id"], "slotStart": "2050-09-05T09:00:00Z"},
            headers=SLOTS,
        )
    )
    assert moved["slotStart"] == "2050-09-05T09:00:00.000Z"
    response = await client.delete(f"/v2/slots/reservations/{held['reservationUid']}", headers=SLOTS)
    assert response.status_code == 200 and response.json() == {"status": "success"}
    assert len((await slots(client, eventTypeId=event_type["id"], start=MONDAY, end=MONDAY))[MONDAY]) == 8
    assert data(await client.get(f"/v2/slots/reservations/{held['reservationUid']}", headers=SLOTS)) is None


async def test_reservation_errors_change_nothing(client: httpx.AsyncClient, db: Database, rome: TestUser) -> None:
    event_type = await create_event_type(client, rome)
    stranger = await create_user(db, email="stranger@example.com")
    body = {"eventTypeId": event_type["id"], "slotStart": "2050-09-05T07:00:00Z"}
    cases = [
        ({**body, "reservationDuration": 10}, {}, 401, "reservationDuration can only be used"),
        ({**body, "eventTypeId": 4242}, {}, 404, "Event Type with ID=4242 not found"),
        ({**body, "slotDuration": 30}, {}, 400, "not a variable length event type"),
        ({**body, "reservationDuration": 10}, stranger.headers, 403, "reservationDuration"),
        ({**body, "slotStart": "not a date"}, {}, 400, "slotStart"),
    ]
    for payload, headers, status, fragment in cases:
        err = error(await client.post("/v2/slots/reservations", json=payload, headers={**SLOTS, **headers}), status)
        assert fragment in err["message"], (payload, err)
    err = error(await client.patch("/v2/slots/reservations/missing", json=body, headers=SLOTS), 404)
    assert err["message"] == "Slot with uid=missing not found"
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(SlotReservation)) == 0
    owner_hold = data(
        await client.post(
            "/v2/slots/reservations", json={**body, "reservationDuration": 30}, headers={**SLOTS, **rome.headers}
        ),
        201,
    )
    assert owner_hold["reservationDuration"] == 30


async def test_booked_slot_cannot_be_reserved(client: httpx.AsyncClient, db: Database, rome: TestUser) -> None:
    event_type = await create_event_type(client, rome)
    await _book(db, rome, event_type["id"], datetime(2050, 9, 5, 7, 0, tzinfo=UTC))
    err = error(
        await client.post(
            "/v2/slots/reservations",
            headers=SLOTS,
            json={"eventTypeId": event_type["id"], "slotStart": "2050-09-05T07:30:00Z"},
        ),
        422,
    )
    assert err["message"] == "Can't reserve a slot if the event is already booked."
    # Half-open: touching the booking's end is fine.
    data(
        await client.post(
            "/v2/slots/reservations",
            headers=SLOTS,
            json={"eventTypeId": event_type["id"], "slotStart": "2050-09-05T08:00:00Z"},
        ),
        201,
    )


async def test_dynamic_group_intersects(client: httpx.AsyncClient, db: Database) -> None:
    await create_user(db, email="a@example.com", username="ann", time_zone="Europe/Rome")
    await create_user(db, email="b@example.com", username="ben", time_zone="America/New_York")
    out = await slots(client, usernames="ann,ben", start=MONDAY, end=MONDAY, duration=60)
    # Rome 09-17 (07-15 UTC) and New York 09-17 (13-21 UTC) overlap 13:00-15:00 UTC.
    assert [s["start"] for s in out[MONDAY]] == ["2050-09-05T13:00:00.000Z", "2050-09-05T14:00:00.000Z"]


async def test_legacy_available_and_reserve(client: httpx.AsyncClient, rome: TestUser) -> None:
    event_type = await create_event_type(client, rome)
    params = {"eventTypeId": event_type["id"], "startTime": MONDAY, "endTime": MONDAY, "timeZone": "Europe/Rome"}
    legacy = data(await client.get("/v2/slots/available", params=params))
    assert legacy["slots"][MONDAY][0] == {"time": "2050-09-05T07:00:00.000Z"}
    ranged = data(await client.get("/v2/slots/available", params={**params, "slotFormat": "range"}))
    assert ranged["slots"][MONDAY][0] == {
        "startTime": "2050-09-05T07:00:00.000Z",
        "endTime": "2050-09-05T08:00:00.000Z",
    }
    response = await client.post(
        "/v2/slots/reserve",
        json={
            "eventTypeId": event_type["id"],
            "slotUtcStartDate": "2050-09-05T07:00:00Z",
            "slotUtcEndDate": "2050-09-05T08:00:00Z",
        },
    )
    uid = data(response, 201)
    assert isinstance(uid, str) and response.cookies.get("uid") == uid
    # Another booker no longer sees the held slot; the holder (same cookie) still does.
    client.cookies.clear()
    assert data(await client.get("/v2/slots/available", params=params))["slots"][MONDAY][0]["time"].endswith(
        "08:00:00.000Z"
    )
    client.cookies.set("uid", uid)
    mine = await client.get("/v2/slots/available", params=params)
    client.cookies.clear()
    assert data(mine)["slots"][MONDAY][0]["time"] == "2050-09-05T07:00:00.000Z"
    assert (await client.delete("/v2/slots/selected-slot", params={"uid": uid})).json() == {"status": "success"}
    assert data(await client.get("/v2/slots/available", params=params))["slots"][MONDAY][0]["time"] == (
        "2050-09-05T07:00:00.000Z"
    )
