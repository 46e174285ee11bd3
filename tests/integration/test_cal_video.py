"""Cal Video end to end against a real HTTP server standing in for Daily's REST API: rooms for
bookings at a Cal Video location (made after the booking commits, never failing it), and a
booking's recordings, transcripts and meeting sessions with Cal.com's access rules."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from daily_server import ROOM_DOMAIN, DailyServer
from opencal.app import create_app
from opencal.config import Settings
from opencal.core.db import Database
from opencal.core.security import SecretBox
from opencal.models import Booking, BookingReference
from support import (
    BOOKINGS_VERSION,
    TestUser,
    add_membership,
    book,
    create_event_type,
    create_org_with_members,
    create_team,
    create_user,
    data,
    error,
    free_port,
    frozen_clock,
    insert_team_event_type,
)

API_KEY = "daily-test-key"
NOW = datetime(2050, 9, 1, 10, 0, tzinfo=UTC)
MONDAY_9AM = "2050-09-05T08:00:00Z"  # 09:00 in London; the event lasts an hour
# The room expires 14 days after the booking ends.
MONDAY_EXP = round(datetime(2050, 9, 19, 9, 0, tzinfo=UTC).timestamp())
OFFICE = {"type": "address", "address": "1 Main St", "public": True}
PLAIN_ROOM = {
    "privacy": "public",
    "properties": {
        "enable_prejoin_ui": True,
        "enable_knocking": True,
        "enable_screenshare": True,
        "enable_chat": True,
        "enable_pip_ui": True,
        "exp": MONDAY_EXP,
        "enable_transcription_storage": False,
    },
}


@pytest.fixture(autouse=True)
def now() -> Iterator[list[datetime]]:
    with frozen_clock(NOW) as moment:
        yield moment


@pytest.fixture
async def daily() -> AsyncIterator[DailyServer]:
    async with DailyServer(API_KEY) as server:
        yield server


@asynccontextmanager
async def serving(settings: Settings, db: Database, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An API client of an app built with `overrides` on top of the test's settings."""
    app = create_app(settings.model_copy(update=overrides), database=db)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def video(settings: Settings, db: Database, daily: DailyServer) -> AsyncIterator[httpx.AsyncClient]:
    """The API of a deployment whose Cal Video runs on the stand-in Daily."""
    async with serving(settings, db, daily_api_key=API_KEY, daily_api_url=daily.url) as http:
        yield http


@pytest.fixture
async def olga(db: Database) -> TestUser:
    return await create_user(db, email="olga@example.com", username="olga", name="Olga Organizer")


async def event_type(client: httpx.AsyncClient, owner: TestUser, slug: str = "intro", **fields: Any) -> dict[str, Any]:
    return await create_event_type(client, owner, slug=slug, length=60, minimumBookingNotice=0, **fields)


async def references(db: Database, uid: str) -> list[BookingReference]:
    async with db.read() as session:
        booking = await session.scalar(select(Booking).where(Booking.uid == uid))
        assert booking is not None
        rows = await session.scalars(
            select(BookingReference).where(BookingReference.booking_id == booking.id).order_by(BookingReference.id)
        )
        return list(rows.all())


def get(client: httpx.AsyncClient, path: str, user: TestUser | None) -> Any:
    return client.get(f"/v2/bookings/{path}", headers={**BOOKINGS_VERSION, **(user.headers if user else {})})


def assert_authenticated(daily: DailyServer) -> None:
    assert daily.requests
    assert {r.headers["authorization"] for r in daily.requests} == {f"Bearer {API_KEY}"}


# -- rooms for bookings ---------------------------------------------------------------------------


async def test_a_cal_video_booking_gets_a_daily_room(
    video: httpx.AsyncClient, db: Database, daily: DailyServer, olga: TestUser
) -> None:
    intro = await event_type(video, olga)
    booking = data(await book(video, intro["id"], MONDAY_9AM), 201)
    room_url = f"{ROOM_DOMAIN}/room0001"
    assert (booking["location"], booking["meetingUrl"], booking["metadata"]) == (room_url, room_url, {})

    [create_room] = daily.made("POST", "/v1/rooms")
    assert create_room.json() == PLAIN_ROOM
    assert create_room.headers["content-type"] == "application/json"
    [token] = daily.made("POST", "/v1/meeting-tokens")
    assert token.json() == {
        "properties": {"room_name": "room0001", "exp": MONDAY_EXP, "is_owner": True, "enable_recording_ui": False}
    }
    assert [(r.method, r.path) for r in daily.requests] == [("POST", "/v1/rooms"), ("POST", "/v1/meeting-tokens")]
    assert_authenticated(daily)

    [reference] = await references(db, booking["uid"])
    assert (reference.type, reference.uid, reference.meeting_id, reference.meeting_url) == (
        "daily_video",
        "room0001",
        "room0001",
        room_url,
    )
    assert reference.meeting_password is not None and reference.meeting_password != "owner-token-1"
    assert SecretBox("test-secret-key").decrypt(reference.meeting_password) == "owner-token-1"

    # The booking as read later, and its references, show the room.
    read = data(await get(video, booking["uid"], olga))
    assert (read["location"], read["meetingUrl"], read["metadata"]) == (room_url, room_url, {})
    listed = data(await get(video, f"{booking['uid']}/references", olga))
    assert listed == [
        {"type": "daily_video", "eventUid": "room0001", "destinationCalendarId": None, "id": reference.id}
    ]


async def test_team_organizers_get_transcription_and_recording_with_the_scale_plan(
    settings: Settings, db: Database, daily: DailyServer, olga: TestUser
) -> None:
    await create_team(db, "crew", {olga.id: "MEMBER"})
    async with serving(
        settings, db, daily_api_key=API_KEY, daily_api_url=daily.url, daily_scale_plan=True, daily_region="eu-west-2"
    ) as video:
        intro = await event_type(video, olga)
        data(await book(video, intro["id"], MONDAY_9AM), 201)
    [create_room] = daily.made("POST", "/v1/rooms")
    assert create_room.json() == {
        "privacy": "public",
        "properties": {
            "geo": "eu-west-2",
            **PLAIN_ROOM["properties"],  # type: ignore[dict-item]
            "enable_recording": "cloud",
            "enable_transcription_storage": True,
            "permissions": {"canAdmin": ["transcription"]},
        },
    }


async def test_no_room_for_other_locations(
    video: httpx.AsyncClient, db: Database, daily: DailyServer, olga: TestUser
) -> None:
    office = await event_type(video, olga, slug="office", locations=[OFFICE])
    booking = data(await book(video, office["id"], MONDAY_9AM), 201)
    assert booking["location"] == "1 Main St"
    assert daily.requests == []
    assert await references(db, booking["uid"]) == []


async def test_no_room_without_a_configured_provider(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    intro = await event_type(client, olga)
    booking = data(await book(client, intro["id"], MONDAY_9AM), 201)
    assert (booking["location"], booking["meetingUrl"]) == ("integrations:daily", "integrations:daily")
    assert await references(db, booking["uid"]) == []


async def test_an_unreachable_provider_does_not_break_the_booking(
    settings: Settings, db: Database, olga: TestUser
) -> None:
    closed = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    async with serving(settings, db, daily_api_key=API_KEY, daily_api_url=closed) as down:
        intro = await event_type(down, olga)
        booking = data(await book(down, intro["id"], MONDAY_9AM), 201)
        assert booking["location"] == "integrations:daily"
        assert data(await get(down, booking["uid"], olga))["status"] == "accepted"
    assert await references(db, booking["uid"]) == []


async def test_a_failing_provider_does_not_break_the_booking(
    video: httpx.AsyncClient, db: Database, daily: DailyServer, olga: TestUser
) -> None:
    intro = await event_type(video, olga)
    daily.fail("/meeting-tokens")
    booking = data(await book(video, intro["id"], MONDAY_9AM), 201)
    assert booking["location"] == "integrations:daily"
    assert [(r.method, r.path) for r in daily.requests] == [("POST", "/v1/rooms"), ("POST", "/v1/meeting-tokens")]
    assert await references(db, booking["uid"]) == []
    # Without a reference there is nothing to read.
    err = error(await get(video, f"{booking['uid']}/recordings", olga), 404)
    assert err["message"] == f"No Cal Video reference found with booking uid {booking['uid']}"


async def test_a_pending_booking_gets_its_room_when_confirmed(
    video: httpx.AsyncClient, db: Database, daily: DailyServer, olga: TestUser
) -> None:
    careful = await event_type(
        video, olga, slug="careful", confirmationPolicy={"type": "always", "blockUnconfirmedBookingsInBooker": False}
    )
    pending = data(await book(video, careful["id"], MONDAY_9AM), 201)
    assert (pending["status"], pending["location"]) == ("pending", "integrations:daily")
    assert daily.requests == []
    confirmed = data(
        await video.post(f"/v2/bookings/{pending['uid']}/confirm", headers={**BOOKINGS_VERSION, **olga.headers})
    )
    assert (confirmed["status"], confirmed["location"]) == ("accepted", f"{ROOM_DOMAIN}/room0001")
    assert [r.uid for r in await references(db, pending["uid"])] == ["room0001"]


async def test_a_rescheduled_booking_takes_its_room_along(
    video: httpx.AsyncClient, db: Database, daily: DailyServer, olga: TestUser
) -> None:
    intro = await event_type(video, olga)
    old = data(await book(video, intro["id"], MONDAY_9AM), 201)
    new = data(
        await video.post(
            f"/v2/bookings/{old['uid']}/reschedule",
            json={"start": "2050-09-06T08:00:00Z"},
            headers={**BOOKINGS_VERSION, **olga.headers},
        ),
        201,
    )
    room_url = f"{ROOM_DOMAIN}/room0001"
    assert new["location"] == room_url
    [move] = daily.made("POST", "/v1/rooms/room0001")
    tuesday_exp = round(datetime(2050, 9, 20, 9, 0, tzinfo=UTC).timestamp())
    assert move.json() == {"privacy": "public", "properties": {**PLAIN_ROOM["properties"], "exp": tuesday_exp}}  # type: ignore[dict-item]
    assert len(daily.made("POST", "/v1/rooms")) == 1  # no second room
    assert daily.room("room0001")["config"]["exp"] == tuesday_exp
    [reference] = await references(db, new["uid"])
    assert (reference.uid, reference.meeting_id, reference.meeting_url) == ("room0001", "room0001", room_url)
    assert SecretBox("test-secret-key").decrypt(reference.meeting_password or "") == "owner-token-2"
    # The old booking keeps its reference, the new one has its own.
    assert [r.uid for r in await references(db, old["uid"])] == ["room0001"]


async def test_a_new_location_drops_the_meeting_link(
    video: httpx.AsyncClient, daily: DailyServer, olga: TestUser
) -> None:
    intro = await event_type(video, olga)
    booking = data(await book(video, intro["id"], MONDAY_9AM), 201)
    moved = data(
        await video.patch(
            f"/v2/bookings/{booking['uid']}/location",
            json={"location": {"type": "address", "address": "2 Side St"}},
            headers={**BOOKINGS_VERSION, **olga.headers},
        )
    )
    assert (moved["location"], moved["meetingUrl"]) == ("2 Side St", "2 Side St")


async def test_every_occurrence_of_a_series_gets_a_room(
    video: httpx.AsyncClient, db: Database, daily: DailyServer, olga: TestUser
) -> None:
    weekly = await event_type(
        video, olga, slug="weekly", recurrence={"frequency": "weekly", "interval": 1, "occurrences": 3}
    )
    series = data(await book(video, weekly["id"], MONDAY_9AM), 201)
    assert len(daily.made("POST", "/v1/rooms")) == 3
    # Each occurrence has its own room, lasting until 14 days after that occurrence.
    rooms = [b["location"].removeprefix(f"{ROOM_DOMAIN}/") for b in series]
    assert sorted(rooms) == ["room0001", "room0002", "room0003"]
    assert [daily.room(room)["config"]["exp"] for room in rooms] == [
        MONDAY_EXP + week * 7 * 86_400 for week in range(3)
    ]
    assert [[r.uid for r in await references(db, b["uid"])] for b in series] == [[room] for room in rooms]


# -- recordings, transcripts, sessions ------------------------------------------------------------


@pytest.fixture
async def booked(video: httpx.AsyncClient, daily: DailyServer, olga: TestUser) -> str:
    """The uid of a Cal Video booking of Olga's, in room `room0001`."""
    intro = await event_type(video, olga)
    booking = data(await book(video, intro["id"], MONDAY_9AM), 201)
    daily.requests.clear()
    return str(booking["uid"])


async def test_recordings(video: httpx.AsyncClient, daily: DailyServer, olga: TestUser, booked: str) -> None:
    daily.add_recording("room0001", recording_id="rec-1", start_ts=1_700_000_000, duration=1234, share_token="s1")
    daily.add_recording("other-room", recording_id="rec-x")
    daily.add_recording("room0001", recording_id="rec-2", max_participants=None, status="in-progress", duration=0)
    daily.fail("/recordings/rec-2/")
    response = await get(video, f"{booked}/recordings", olga)
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "data": [
            {
                "id": "rec-1",
                "roomName": "room0001",
                "startTs": 1_700_000_000,
                "status": "finished",
                "maxParticipants": 2,
                "duration": 1234,
                "shareToken": "s1",
                "downloadLink": "https://download.example/rec-1.mp4",
            },
            {
                "id": "rec-2",
                "roomName": "room0001",
                "startTs": 1_700_000_000,
                "status": "in-progress",
                "duration": 0,
                "shareToken": "shareTok",
                "downloadLink": None,
                "error": "Something went wrong! Unable to get recording access link",
            },
        ],
    }
    [listing] = daily.made("GET", "/v1/recordings")
    assert listing.query == {"room_name": "room0001"}
    [link] = daily.made("GET", "/v1/recordings/rec-1/access-link")
    assert link.query == {"valid_for_secs": "43200"}
    assert_authenticated(daily)


async def test_no_recordings_is_an_empty_list(
    video: httpx.AsyncClient, daily: DailyServer, olga: TestUser, booked: str
) -> None:
    assert data(await get(video, f"{booked}/recordings", olga)) == []


async def test_transcripts(video: httpx.AsyncClient, daily: DailyServer, olga: TestUser, booked: str) -> None:
    ids = [f"tr-{n}" for n in range(1, 8)]  # more than one batch of access links
    for transcript_id in ids:
        daily.add_transcript("room0001", transcript_id)
    assert data(await get(video, f"{booked}/transcripts", olga)) == [
        f"https://download.example/{transcript_id}.vtt" for transcript_id in ids
    ]
    [room] = daily.made("GET", "/v1/rooms/room0001")
    [listing] = daily.made("GET", "/v1/transcript")
    assert listing.query == {"roomId": daily.room("room0001")["id"]}
    assert len([r for r in daily.requests if r.path.endswith("/access-link")]) == len(ids)
    assert room.headers["authorization"] == f"Bearer {API_KEY}"


async def test_conferencing_sessions(video: httpx.AsyncClient, daily: DailyServer, olga: TestUser, booked: str) -> None:
    daily.add_meeting(
        "room0001",
        "meeting-1",
        [
            {
                "user_id": "u-1",
                "participant_id": "p-1",
                "user_name": "Olga",
                "join_time": 1_700_000_110,
                "duration": 600,
            },
            {"user_id": None, "participant_id": "p-2", "user_name": None, "join_time": 1_700_000_200, "duration": 30},
        ],
        start_time=1_700_000_100,
        duration=900,
        ongoing=False,
        max_participants=2,
    )
    daily.add_meeting("room0001", "meeting-2", [], start_time=1_700_090_000, duration=5, ongoing=True)
    response = await get(video, f"{booked}/conferencing-sessions", olga)
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "data": [
            {
                "id": "meeting-1",
                "room": "room0001",
                "startTime": 1_700_000_100,
                "duration": 900,
                "ongoing": False,
                "maxParticipants": 2,
                "participants": [
                    {"userId": "u-1", "userName": "Olga", "joinTime": 1_700_000_110, "duration": 600},
                    {"userId": None, "userName": None, "joinTime": 1_700_000_200, "duration": 30},
                ],
            },
            {
                "id": "meeting-2",
                "room": "room0001",
                "startTime": 1_700_090_000,
                "duration": 5,
                "ongoing": True,
                "maxParticipants": 0,
                "participants": [],
            },
        ],
    }
    [listing] = daily.made("GET", "/v1/meetings")
    assert listing.query == {"room": "room0001"}


@pytest.mark.parametrize(
    ("endpoint", "prefix", "message"),
    [
        ("recordings", "/recordings", "Something went wrong! Unable to get recording"),
        ("transcripts", "/transcript", "Something went wrong! Unable to get transcription access link"),
        ("conferencing-sessions", "/meetings", "Something went wrong! Unable to get meeting information"),
    ],
)
async def test_a_failing_provider_is_a_bad_gateway(
    video: httpx.AsyncClient, daily: DailyServer, olga: TestUser, booked: str, endpoint: str, prefix: str, message: str
) -> None:
    daily.fail(prefix)
    err = error(await get(video, f"{booked}/{endpoint}", olga), 502)
    assert (err["code"], err["message"]) == ("BadGatewayException", message)


ENDPOINTS = ["recordings", "transcripts", "conferencing-sessions"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_without_a_cal_video_reference(
    video: httpx.AsyncClient, daily: DailyServer, olga: TestUser, endpoint: str
) -> None:
    office = await event_type(video, olga, slug="office", locations=[OFFICE])
    booking = data(await book(video, office["id"], MONDAY_9AM), 201)
    err = error(await get(video, f"{booking['uid']}/{endpoint}", olga), 404)
    assert (err["code"], err["message"]) == (
        "NotFoundException",
        f"No Cal Video reference found with booking uid {booking['uid']}",
    )
    assert daily.requests == []


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_a_provider_no_longer_configured_answers_empty_lists(
    settings: Settings, db: Database, video: httpx.AsyncClient, olga: TestUser, booked: str, endpoint: str
) -> None:
    async with serving(settings, db) as unconfigured:
        assert data(await get(unconfigured, f"{booked}/{endpoint}", olga)) == []


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_who_may_read_a_personal_booking(
    video: httpx.AsyncClient, db: Database, daily: DailyServer, endpoint: str
) -> None:
    acme = await create_org_with_members(db, "acme")
    outsider = await create_user(db, email="outsider@example.com")
    intro = await event_type(video, acme.member)
    uid = data(await book(video, intro["id"], MONDAY_9AM), 201)["uid"]

    for reader in (acme.member, acme.admin, acme.owner):
        assert data(await get(video, f"{uid}/{endpoint}", reader)) == [], reader
    err = error(await get(video, f"{uid}/{endpoint}", outsider), 403)
    assert (err["code"], err["message"]) == (
        "ForbiddenException",
        f"BookingPbacGuard - user with id={outsider.id} does not have access to booking with uid={uid}",
    )
    # An unknown uid is refused the same way (Cal.com's guard finds no booking the caller may read).
    err = error(await get(video, f"no-such-booking/{endpoint}", acme.member), 403)
    assert err["message"] == (
        f"BookingPbacGuard - user with id={acme.member.id} does not have access to booking with uid=no-such-booking"
    )
    error(await get(video, f"{uid}/{endpoint}", None), 401)
    wrong_version = await video.get(
        f"/v2/bookings/{uid}/{endpoint}", headers={"cal-api-version": "2024-04-15", **acme.member.headers}
    )
    assert wrong_version.status_code == 404


async def test_who_may_read_a_team_booking(video: httpx.AsyncClient, db: Database, daily: DailyServer) -> None:
    hana = await create_user(db, email="hana@example.com", name="Hana Host")
    boss = await create_user(db, email="boss@example.com")
    mate = await create_user(db, email="mate@example.com")
    crew = await create_team(db, "crew", {hana.id: "MEMBER", boss.id: "ADMIN", mate.id: "MEMBER"})
    standup = await insert_team_event_type(db, crew, "standup", [{"user_id": hana.id, "is_fixed": True}])
    booking = data(await book(video, standup, MONDAY_9AM), 201)
    uid = booking["uid"]
    assert booking["location"] == f"{ROOM_DOMAIN}/room0001"
    # A team organizer's room stores transcriptions.
    assert daily.made("POST", "/v1/rooms")[0].json()["properties"]["enable_transcription_storage"] is True

    for reader in (hana, boss):
        assert data(await get(video, f"{uid}/conferencing-sessions", reader)) == []
    error(await get(video, f"{uid}/conferencing-sessions", mate), 403)
    # Being an admin of another team does not help.
    await add_membership(db, await create_team(db, "other"), mate.id, "ADMIN")
    error(await get(video, f"{uid}/conferencing-sessions", mate), 403)
