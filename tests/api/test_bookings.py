"""`POST /v2/bookings` and `GET /v2/bookings/{uid}` (2024-08-13): outputs, rules and refusals."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from opencal.bookings.schemas import (
    BookingOutput_2024_08_13,
    CreateSeatedBookingOutput_2024_08_13,
    GetSeatedBookingOutput_2024_08_13,
    RecurringBookingOutput_2024_08_13,
)
from opencal.core.db import Database
from opencal.core.envelope import CalModel
from opencal.models import Attendee, Booking, BookingHost, BookingSeat, EventType, Host, SlotReservation, Team, User
from support import (
    BOOKINGS_VERSION,
    TestUser,
    add_membership,
    add_webhook,
    book,
    create_event_type,
    create_user,
    data,
    error,
    frozen_clock,
    insert_team_event_type,
    row_counts,
)

NOW = datetime(2050, 9, 1, 10, 0, tzinfo=UTC)  # a Thursday
MONDAY_9AM = "2050-09-05T08:00:00Z"  # 09:00 in London (BST)
TABLES = ("bookings", "attendees", "booking_hosts", "booking_seats", "webhook_events")
UNAVAILABLE = "User either already has booking at this time or is not available"
TEAM_UNAVAILABLE = "One of the hosts either already has booking at this time or is not available"
OUT_OF_BOUNDS = (
    "The event type can't be booked at the \"start\" time provided. This could be because it's too soon (violating "
    "the minimum booking notice) or too far in the future (outside the event's scheduling window). Try fetching "
    'available slots first using the GET /v2/slots endpoint and then make a booking with "start" time equal to one '
    "of the available slots: https://cal.com/docs/api-reference/v2/slots"
)


@pytest.fixture(autouse=True)
def now() -> Iterator[list[datetime]]:
    """The frozen time of the test; replace `now[0]` to move it."""
    with frozen_clock(NOW) as moment:
        yield moment


@pytest.fixture
async def olga(db: Database) -> TestUser:
    return await create_user(db, email="olga@example.com", username="olga", name="Olga Organizer")


async def event_type(client: httpx.AsyncClient, owner: TestUser, slug: str = "intro", **fields: Any) -> dict[str, Any]:
    return await create_event_type(client, owner, slug=slug, length=60, minimumBookingNotice=0, **fields)


def assert_shape(output: dict[str, Any], model: type[CalModel]) -> None:
    """Every key is a field of the official output class and every required field is there."""
    fields = model.model_fields
    assert set(output) <= set(fields), set(output) - set(fields)
    assert {name for name, f in fields.items() if f.is_required()} <= set(output)


async def test_create_returns_the_booking(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    intro = await event_type(client, olga)
    booking = data(await book(client, intro["id"], MONDAY_9AM, bookingFieldsResponses={"notes": "Agenda"}), 201)
    uid = booking["uid"]
    assert re.fullmatch(r"[A-Za-z0-9]{22}", uid)
    assert booking == {
        "id": booking["id"],
        "uid": uid,
        "title": "Intro between Olga Organizer and Bea Booker",
        "description": "Agenda",
        "hosts": [
            {
                "id": olga.id,
                "name": "Olga Organizer",
                "email": "olga@example.com",
                "displayEmail": "olga@example.com",
                "username": "olga",
                "timeZone": "Europe/London",
            }
        ],
        "status": "accepted",
        "start": "2050-09-05T08:00:00.000Z",
        "end": "2050-09-05T09:00:00.000Z",
        "duration": 60,
        "eventTypeId": intro["id"],
        "eventType": {"id": intro["id"], "slug": "intro"},
        "meetingUrl": "integrations:daily",
        "location": "integrations:daily",
        "absentHost": False,
        "createdAt": "2050-09-01T10:00:00.000Z",
        "updatedAt": "2050-09-01T10:00:00.000Z",
        "metadata": {},
        "icsUid": f"{uid}@opencal",
        "attendees": [
            {
                "name": "Bea Booker",
                "email": "bea@example.com",
                "displayEmail": "bea@example.com",
                "timeZone": "Europe/London",
                "language": "en",
                "absent": False,
            }
        ],
        "bookingFieldsResponses": {
            "notes": "Agenda",
            "name": "Bea Booker",
            "email": "bea@example.com",
            "displayEmail": "bea@example.com",
            "location": {"value": "integrations:daily", "optionValue": ""},
        },
    }
    assert_shape(booking, BookingOutput_2024_08_13)
    assert data(await client.get(f"/v2/bookings/{uid}", headers=BOOKINGS_VERSION)) == booking
    async with db.read() as session:
        hosts = (await session.execute(select(BookingHost.user_id, BookingHost.start_time))).all()
    assert hosts == [(olga.id, datetime(2050, 9, 5, 8, 0, tzinfo=UTC))]
    assert await row_counts(db, "bookings", "attendees", "booking_hosts") == {
        "bookings": 1,
        "attendees": 1,
        "booking_hosts": 1,
    }


async def test_identification_by_slug_username_organization_and_team(
    client: httpx.AsyncClient, db: Database, olga: TestUser
) -> None:
    await event_type(client, olga, slug="chat")
    body = {"start": MONDAY_9AM, "attendee": {"name": "Bea", "email": "bea@example.com", "timeZone": "UTC"}}
    by_slug = data(
        await client.post(
            "/v2/bookings", json={**body, "eventTypeSlug": "chat", "username": "olga"}, headers=BOOKINGS_VERSION
        ),
        201,
    )
    assert by_slug["eventType"]["slug"] == "chat"

    async with db.write() as session:
        org = Team(name="Acme", slug="acme", is_organization=True)
        team = Team(name="Crew", slug="crew")
        session.add_all([org, team])
        await session.flush()
        team.parent_id = org.id
        (await session.get(User, olga.id)).organization_id = org.id  # type: ignore[union-attr]
        org_id, team_id = org.id, team.id
    in_org = data(
        await client.post(
            "/v2/bookings",
            json={
                **body,
                "start": "2050-09-05T10:00:00Z",
                "eventTypeSlug": "chat",
                "username": "olga",
                "organizationSlug": "acme",
            },
            headers=BOOKINGS_VERSION,
        ),
        201,
    )
    assert in_org["hosts"][0]["id"] == olga.id
    team_event = await insert_team_event_type(db, team_id, "standup", [{"user_id": olga.id, "is_fixed": True}])
    by_team = data(
        await client.post(
            "/v2/bookings",
            json={
                **body,
                "start": "2050-09-05T12:00:00Z",
                "eventTypeSlug": "standup",
                "teamSlug": "crew",
                "organizationSlug": "acme",
            },
            headers=BOOKINGS_VERSION,
        ),
        201,
    )
    assert by_team["eventType"] == {"id": team_event, "slug": "standup"}
    assert org_id != team_id


@pytest.mark.parametrize(
    ("identification", "status", "message"),
    [
        ({}, 400, "Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug must be provided"),
        ({"eventTypeId": 999}, 404, "Event type with id 999 not found."),
        ({"eventTypeSlug": "chat", "username": "nobody"}, 404, "User with username nobody not found"),
        (
            {"eventTypeSlug": "missing", "username": "olga"},
            404,
            "Event type with slug missing belonging to user olga not found.",
        ),
        ({"eventTypeSlug": "chat", "teamSlug": "nope"}, 404, "Team with slug nope not found"),
        (
            {"eventTypeSlug": "chat", "username": "olga", "organizationSlug": "nope"},
            404,
            "Organization with slug nope not found",
        ),
    ],
)
async def test_event_type_not_found(
    client: httpx.AsyncClient, db: Database, olga: TestUser, identification: dict[str, Any], status: int, message: str
) -> None:
    await event_type(client, olga, slug="chat")
    body = {"start": MONDAY_9AM, "attendee": {"name": "Bea", "email": "bea@example.com", "timeZone": "UTC"}}
    before = await row_counts(db, *TABLES)
    err = error(await client.post("/v2/bookings", json={**body, **identification}, headers=BOOKINGS_VERSION), status)
    assert err["message"] == message
    assert await row_counts(db, *TABLES) == before


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (
            {"attendee": {"name": "Bea", "timeZone": "UTC"}},
            "Attendee must have at least one contact method (email or phone number)",
        ),
        ({"attendee": {"name": "Bea", "email": "not-an-email", "timeZone": "UTC"}}, "attendee.email must be an email"),
        (
            {"attendee": {"name": "Bea", "email": "bea@example.com", "timeZone": "Mars/Base"}},
            "attendee.timeZone must be a valid IANA time zone",
        ),
        (
            {"attendee": {"name": "Bea", "email": "bea@example.com", "timeZone": "UTC", "phoneNumber": "12"}},
            "attendee.phoneNumber must be a phone number",
        ),
        (
            {"attendee": {"email": "bea@example.com", "timeZone": "UTC"}},
            "CreateBookingInput_2024_08_13.attendee.name: Field required",
        ),
        ({"start": "next monday"}, "start must be a valid ISO 8601 date string"),
        ({"start": "2050-08-01T08:00:00Z"}, "Attempting to book a meeting in the past."),
        ({"guests": ["ok@example.com", "nope"]}, "guests must be an email"),
        ({"metadata": {f"k{i}": "v" for i in range(51)}}, "metadata must have at most 50 keys"),
        ({"metadata": {"k": "v" * 501}}, "metadata values must be at most 500 characters"),
        (
            {"lengthInMinutes": 30},
            "Can't specify 'lengthInMinutes' because event type does not have multiple possible lengths.",
        ),
        ({"location": {"type": "address"}}, "Booking location with type address not valid for event type with id="),
        (
            {"location": {"type": "integration", "integration": "zoom"}},
            "Booking location with integration zoom not valid for event type with id=",
        ),
        ({"location": {"type": "teleport"}}, "CreateBookingInput_2024_08_13.location"),
        (
            {"instant": True},
            "Instant bookings are only supported for team event types, not individual user event types.",
        ),
        ({"start": "2050-09-05T06:00:00Z"}, UNAVAILABLE),
        ({"start": "9999-12-31T23:30:00Z"}, "start must be a date-time before the year 9001"),
        ({"eventTypeId": 2**40}, "CreateBookingInput_2024_08_13.eventTypeId: Input should be less than or equal to"),
        (
            {"attendee": {"name": "x" * 256, "email": "bea@example.com", "timeZone": "UTC"}},
            "CreateBookingInput_2024_08_13.attendee.name: String should have at most 255 characters",
        ),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, db: Database, olga: TestUser, change: dict[str, Any], fragment: str
) -> None:
    intro = await event_type(client, olga)
    body = {
        "start": MONDAY_9AM,
        "eventTypeId": intro["id"],
        "attendee": {"name": "Bea", "email": "bea@example.com", "timeZone": "UTC"},
        **change,
    }
    before = await row_counts(db, *TABLES)
    err = error(await client.post("/v2/bookings", json=body, headers=BOOKINGS_VERSION), 400)
    assert fragment in err["message"]
    assert err["code"] == "BadRequestException"
    assert await row_counts(db, *TABLES) == before


@pytest.mark.parametrize("body", [b"{not json", b"[1]", b'"text"', b"null"])
async def test_malformed_bodies_are_400(client: httpx.AsyncClient, db: Database, body: bytes) -> None:
    before = await row_counts(db, *TABLES)
    for path in ("/v2/bookings", "/v2/bookings/any/cancel", "/v2/bookings/any/reschedule"):
        response = await client.post(
            path, content=body, headers={**BOOKINGS_VERSION, "content-type": "application/json"}
        )
        assert error(response, 400)["code"] == "BadRequestException"
    assert await row_counts(db, *TABLES) == before


async def test_version_header_selects_the_operation(client: httpx.AsyncClient, olga: TestUser) -> None:
    intro = await event_type(client, olga)
    body = {
        "start": MONDAY_9AM,
        "eventTypeId": intro["id"],
        "attendee": {"name": "B", "email": "b@example.com", "timeZone": "UTC"},
    }
    assert error(await client.post("/v2/bookings", json=body), 404)["message"] == "Cannot POST /v2/bookings"


async def test_the_booked_time_is_taken(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    intro = await event_type(client, olga)
    other = await event_type(client, olga, slug="other")
    data(await book(client, intro["id"], MONDAY_9AM), 201)
    before = await row_counts(db, *TABLES)
    for start, event in ((MONDAY_9AM, intro), ("2050-09-05T08:30:00Z", other)):
        assert error(await book(client, event["id"], start, email="zed@example.com"), 400)["message"] == UNAVAILABLE
    assert await row_counts(db, *TABLES) == before
    # Right after it is free.
    data(await book(client, other["id"], "2050-09-05T09:00:00Z"), 201)


async def test_buffers_and_attendee_busy_time(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    buffered = await event_type(client, olga, slug="buffered", afterEventBuffer=30)
    data(await book(client, buffered["id"], MONDAY_9AM), 201)
    assert error(await book(client, buffered["id"], "2050-09-05T09:00:00Z"), 400)["message"] == UNAVAILABLE
    data(await book(client, buffered["id"], "2050-09-05T09:30:00Z"), 201)
    # Olga attending someone else's meeting is busy too.
    zoe = await create_user(db, email="zoe@example.com", name="Zoe")
    zoes = await event_type(client, zoe, slug="zoes")
    data(await book(client, zoes["id"], "2050-09-05T13:00:00Z", email="olga@example.com"), 201)
    assert error(await book(client, buffered["id"], "2050-09-05T13:00:00Z"), 400)["message"] == UNAVAILABLE


async def test_minimum_notice_and_booking_window(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    notice = await create_event_type(client, olga, slug="notice", length=60, minimumBookingNotice=60 * 24 * 5)
    window = await event_type(
        client, olga, slug="window", bookingWindow={"type": "calendarDays", "value": 2, "rolling": False}
    )
    before = await row_counts(db, *TABLES)
    assert error(await book(client, notice["id"], MONDAY_9AM), 400)["message"] == OUT_OF_BOUNDS
    assert error(await book(client, window["id"], MONDAY_9AM), 400)["message"] == OUT_OF_BOUNDS
    assert await row_counts(db, *TABLES) == before
    data(await book(client, window["id"], "2050-09-02T08:00:00Z"), 201)


async def test_variable_length(client: httpx.AsyncClient, olga: TestUser) -> None:
    flexible = await event_type(client, olga, slug="flex", lengthInMinutesOptions=[30, 60, 90])
    short = data(await book(client, flexible["id"], MONDAY_9AM, lengthInMinutes=30), 201)
    assert (short["duration"], short["end"]) == (30, "2050-09-05T08:30:00.000Z")
    err = error(await book(client, flexible["id"], "2050-09-05T10:00:00Z", lengthInMinutes=45), 400)
    assert err["message"] == (
        "Provided 'lengthInMinutes' is not one of the possible lengths for the event type. The possible lengths are: "
        "30, 60, 90"
    )


async def test_booking_fields(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    fields = [
        {"type": "text", "slug": "company", "label": "Company", "required": True},
        {"type": "select", "slug": "size", "label": "Size", "required": False, "options": ["S", "M"]},
        {"type": "number", "slug": "seats", "label": "Seats", "required": False},
        {"type": "multiselect", "slug": "topics", "label": "Topics", "required": False, "options": ["a", "b"]},
        {"type": "phone", "slug": "attendeePhoneNumber", "label": "Phone", "required": True},
    ]
    form = await event_type(client, olga, slug="form", bookingFields=fields)
    phone = {"name": "Bea", "email": "bea@example.com", "timeZone": "UTC", "phoneNumber": "+447700900123"}
    cases: list[tuple[dict[str, Any], dict[str, Any], str]] = [
        (
            {},
            {"attendee": phone},
            "Missing required booking field response: company - it is required by the event "
            "type booking fields, but missing in the bookingFieldsResponses. You can fetch the event type with ID "
            f"{form['id']} to see the required fields.",
        ),
        (
            {"company": "Acme"},
            {},
            "Missing attendee phone number - it is required by the event type. Pass it as "
            '"attendee.phoneNumber" string in the request.',
        ),
        (
            {"company": 7},
            {"attendee": phone},
            "Invalid type for booking field 'company'. Expected type string "
            "(compatible with field type 'text'), but received number.",
        ),
        (
            {"company": "Acme", "seats": "two"},
            {"attendee": phone},
            "Invalid type for booking field 'seats'. Expected "
            "type number (compatible with field type 'number'), but received string.",
        ),
        (
            {"company": "Acme", "size": "XL"},
            {"attendee": phone},
            "Invalid option 'XL' for booking field 'size'. Allowed options are: S, M.",
        ),
        (
            {"company": "Acme", "topics": ["a", "z"]},
            {"attendee": phone},
            "One or more invalid options for booking field 'topics'. Allowed options are: a, b.",
        ),
    ]
    before = await row_counts(db, *TABLES)
    for answers, extra, message in cases:
        response = await book(client, form["id"], MONDAY_9AM, bookingFieldsResponses=answers, **extra)
        assert error(response, 400)["message"] == message
    assert await row_counts(db, *TABLES) == before
    booking = data(
        await book(
            client,
            form["id"],
            MONDAY_9AM,
            attendee=phone,
            bookingFieldsResponses={"company": "Acme", "size": "M", "seats": 3, "extra": True},
        ),
        201,
    )
    assert booking["bookingFieldsResponses"] == {
        "company": "Acme",
        "size": "M",
        "seats": 3,
        "extra": True,
        "name": "Bea",
        "email": "bea@example.com",
        "displayEmail": "bea@example.com",
        "attendeePhoneNumber": "+447700900123",
        "location": {"value": "integrations:daily", "optionValue": ""},
    }
    assert booking["attendees"][0]["phoneNumber"] == "+447700900123"


async def test_locations(client: httpx.AsyncClient, olga: TestUser) -> None:
    places = await event_type(
        client,
        olga,
        slug="places",
        locations=[
            {"type": "address", "address": "1 Main St", "public": True},
            {"type": "attendeePhone"},
            {"type": "link", "link": "https://meet.example.com/olga", "public": True},
        ],
    )
    at_office = data(await book(client, places["id"], MONDAY_9AM, location={"type": "address"}), 201)
    assert (at_office["location"], at_office["bookingFieldsResponses"]["location"]) == (
        "1 Main St",
        {"value": "inPerson", "optionValue": ""},
    )
    by_phone = data(
        await book(
            client, places["id"], "2050-09-05T10:00:00Z", location={"type": "attendeePhone", "phone": "+3712099"}
        ),
        201,
    )
    assert (by_phone["location"], by_phone["meetingUrl"]) == ("+3712099", "+3712099")
    legacy = data(
        await book(client, places["id"], "2050-09-05T12:00:00Z", meetingUrl="https://zoom.example.com/j/1"), 201
    )
    assert legacy["bookingFieldsResponses"]["location"] == {
        "value": "link",
        "optionValue": "https://zoom.example.com/j/1",
    }
    default = data(await book(client, places["id"], "2050-09-05T14:00:00Z"), 201)
    assert default["location"] == "1 Main St"


async def test_metadata_is_kept(client: httpx.AsyncClient, olga: TestUser) -> None:
    intro = await event_type(client, olga)
    booking = data(await book(client, intro["id"], MONDAY_9AM, metadata={"crm": "42", "source": "ads"}), 201)
    assert booking["metadata"] == {"crm": "42", "source": "ads"}


async def test_guests_are_attendees(client: httpx.AsyncClient, olga: TestUser) -> None:
    intro = await event_type(client, olga)
    booking = data(await book(client, intro["id"], MONDAY_9AM, guests=["gus@example.com", "gus@example.com"]), 201)
    assert booking["guests"] == ["gus@example.com"]
    assert [(a["name"], a["email"]) for a in booking["attendees"]] == [
        ("Bea Booker", "bea@example.com"),
        ("", "gus@example.com"),
    ]
    assert booking["bookingFieldsResponses"]["displayGuests"] == ["gus@example.com"]


async def test_booking_requires_authentication(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    private = await event_type(client, olga, slug="private", bookingRequiresAuthentication=True)
    stranger = await create_user(db, email="stranger@example.com")
    before = await row_counts(db, *TABLES)
    assert error(await book(client, private["id"], MONDAY_9AM), 401)["message"].startswith(
        "checkBookingRequiresAuthentication - request must be authenticated"
    )
    assert error(await book(client, private["id"], MONDAY_9AM, headers=stranger.headers), 403)["message"].startswith(
        "checkBookingRequiresAuthentication - user is not authorized to access this event type."
    )
    assert await row_counts(db, *TABLES) == before
    data(await book(client, private["id"], MONDAY_9AM, headers=olga.headers), 201)


async def test_confirmation_policy(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    await add_webhook(db, "https://hooks.example.com/x", ["BOOKING_CREATED", "BOOKING_REQUESTED"], user_id=olga.id)
    always = await event_type(
        client, olga, slug="always", confirmationPolicy={"type": "always", "blockUnconfirmedBookingsInBooker": False}
    )
    pending = data(await book(client, always["id"], MONDAY_9AM), 201)
    assert pending["status"] == "pending"
    # An unconfirmed booking does not block its slot.
    data(await book(client, always["id"], MONDAY_9AM, email="second@example.com"), 201)
    soon = await event_type(
        client,
        olga,
        slug="soon",
        confirmationPolicy={
            "type": "time",
            "noticeThreshold": {"unit": "hours", "count": 48},
            "blockUnconfirmedBookingsInBooker": True,
        },
    )
    assert data(await book(client, soon["id"], "2050-09-02T08:00:00Z"), 201)["status"] == "pending"
    assert data(await book(client, soon["id"], "2050-09-06T08:00:00Z"), 201)["status"] == "accepted"
    # A pending booking of an event that blocks slots does block.
    assert (
        error(await book(client, soon["id"], "2050-09-02T08:00:00Z", email="x@example.com"), 400)["message"]
        == UNAVAILABLE
    )
    async with db.read() as session:
        from opencal.models import WebhookEvent

        triggers = (await session.scalars(select(WebhookEvent.trigger).order_by(WebhookEvent.id))).all()
    assert triggers == ["BOOKING_REQUESTED", "BOOKING_REQUESTED", "BOOKING_REQUESTED", "BOOKING_CREATED"]


async def test_seated_bookings(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    seated = await event_type(
        client,
        olga,
        slug="class",
        seats={"seatsPerTimeSlot": 2, "showAttendeeInfo": False, "showAvailabilityCount": True},
    )
    first = data(await book(client, seated["id"], MONDAY_9AM, email="ann@example.com", name="Ann"), 201)
    second = data(await book(client, seated["id"], MONDAY_9AM, email="ben@example.com", name="Ben"), 201)
    assert first["uid"] == second["uid"]
    assert first["seatUid"] != second["seatUid"]
    assert first["attendees"] == [] and second["attendees"] == []  # attendees are hidden from anonymous bookers
    assert_shape(first, CreateSeatedBookingOutput_2024_08_13)
    before = await row_counts(db, *TABLES)
    assert error(await book(client, seated["id"], MONDAY_9AM, email="cat@example.com"), 409)["message"] == (
        "No more seats left at this seated booking."
    )
    assert await row_counts(db, *TABLES) == before
    owner_view = data(await client.get(f"/v2/bookings/{first['uid']}", headers={**BOOKINGS_VERSION, **olga.headers}))
    assert_shape(owner_view, GetSeatedBookingOutput_2024_08_13)
    assert [(a["email"], a["seatUid"], a["bookingFieldsResponses"]) for a in owner_view["attendees"]] == [
        (
            "ann@example.com",
            first["seatUid"],
            {"name": "Ann", "location": {"value": "integrations:daily", "optionValue": ""}},
        ),
        (
            "ben@example.com",
            second["seatUid"],
            {"name": "Ben", "location": {"value": "integrations:daily", "optionValue": ""}},
        ),
    ]
    assert await row_counts(db, "bookings", "booking_seats", "booking_hosts") == {
        "bookings": 1,
        "booking_seats": 2,
        "booking_hosts": 1,
    }


async def test_a_seat_cannot_be_taken_twice_by_one_attendee(client: httpx.AsyncClient, olga: TestUser) -> None:
    seated = await event_type(
        client,
        olga,
        slug="class",
        seats={"seatsPerTimeSlot": 5, "showAttendeeInfo": True, "showAvailabilityCount": True},
    )
    booked = data(await book(client, seated["id"], MONDAY_9AM), 201)
    assert [a["email"] for a in booked["attendees"]] == ["bea@example.com"]
    assert error(await book(client, seated["id"], MONDAY_9AM), 409)["message"] == "Already signed up for this booking."


async def test_recurring_bookings_follow_the_attendee_wall_clock(
    client: httpx.AsyncClient, db: Database, olga: TestUser
) -> None:
    weekly = await event_type(
        client, olga, slug="weekly", recurrence={"frequency": "weekly", "interval": 1, "occurrences": 3}
    )
    # Monday 24 October 2050 09:00 in London; British Summer Time ends on the 30th.
    created = data(await book(client, weekly["id"], "2050-10-24T08:00:00Z", recurrenceCount=2), 201)
    assert [b["start"] for b in created] == ["2050-10-24T08:00:00.000Z", "2050-10-31T09:00:00.000Z"]
    series_uid = created[0]["recurringBookingUid"]
    assert {b["recurringBookingUid"] for b in created} == {series_uid}
    for occurrence in created:
        assert_shape(occurrence, RecurringBookingOutput_2024_08_13)
    full = data(await book(client, weekly["id"], "2050-11-07T09:00:00Z", email="x@example.com"), 201)
    assert len(full) == 3
    assert data(await client.get(f"/v2/bookings/{series_uid}", headers=BOOKINGS_VERSION)) == created
    assert data(await client.get(f"/v2/bookings/{created[1]['uid']}", headers=BOOKINGS_VERSION)) == created[1]
    before = await row_counts(db, *TABLES)
    err = error(await book(client, weekly["id"], "2050-12-05T09:00:00Z", recurrenceCount=4), 400)
    assert err["message"] == "Provided recurrence count is higher than the event type's recurring event count."
    # One taken occurrence refuses the whole series.
    assert (
        error(await book(client, weekly["id"], "2050-10-17T08:00:00Z", email="y@example.com"), 400)["message"]
        == UNAVAILABLE
    )
    assert await row_counts(db, *TABLES) == before


async def test_get_unknown_booking(client: httpx.AsyncClient) -> None:
    err = error(await client.get("/v2/bookings/nope", headers=BOOKINGS_VERSION), 404)
    assert err["message"] == "Booking with uid=nope was not found in the database"


async def test_holds_of_other_bookers_block_the_slot(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    intro = await event_type(client, olga)
    held = data(
        await client.post(
            "/v2/slots/reservations",
            json={"eventTypeId": intro["id"], "slotStart": "2050-09-05T08:00:00.000Z"},
            headers={"cal-api-version": "2024-09-04"},
        ),
        201,
    )
    before = await row_counts(db, *TABLES, "slot_reservations")
    assert error(await book(client, intro["id"], MONDAY_9AM), 400)["message"] == UNAVAILABLE
    assert await row_counts(db, *TABLES, "slot_reservations") == before
    # The booker holding it (the reservation's `uid` cookie) books it, and the hold is used up.
    client.cookies.set("uid", held["reservationUid"])
    data(await book(client, intro["id"], MONDAY_9AM), 201)
    client.cookies.clear()
    async with db.read() as session:
        assert (await session.scalars(select(SlotReservation))).all() == []


async def test_booking_limits(client: httpx.AsyncClient, olga: TestUser) -> None:
    limited = await event_type(client, olga, slug="limited", bookingLimitsCount={"day": 1})
    data(await book(client, limited["id"], MONDAY_9AM), 201)
    assert (
        error(await book(client, limited["id"], "2050-09-05T12:00:00Z", email="x@example.com"), 400)["message"]
        == UNAVAILABLE
    )
    data(await book(client, limited["id"], "2050-09-06T12:00:00Z", email="x@example.com"), 201)
    minutes = await event_type(client, olga, slug="minutes", bookingLimitsDuration={"day": 60})
    data(await book(client, minutes["id"], "2050-09-07T08:00:00Z"), 201)
    assert error(await book(client, minutes["id"], "2050-09-07T12:00:00Z"), 400)["message"] == UNAVAILABLE


async def test_booker_active_bookings_limit(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    capped = await event_type(client, olga, slug="capped", bookerActiveBookingsLimit={"maximumActiveBookings": 1})
    data(await book(client, capped["id"], MONDAY_9AM), 201)
    message = "Attendee with this email can't book because the maximum number of active bookings has been reached."
    assert error(await book(client, capped["id"], "2050-09-06T08:00:00Z"), 400)["message"] == message
    offer = await event_type(
        client, olga, slug="offer", bookerActiveBookingsLimit={"maximumActiveBookings": 1, "offerReschedule": True}
    )
    first = data(await book(client, offer["id"], "2050-09-07T08:00:00Z"), 201)
    err = error(await book(client, offer["id"], "2050-09-08T08:00:00Z"), 400)
    assert (
        err["message"]
        == f"{message} You can reschedule your existing booking ({first['uid']}) to a new timeslot instead."
    )
    data(await book(client, offer["id"], "2050-09-08T08:00:00Z", email="other@example.com"), 201)


async def test_managed_parent_and_team_without_hosts(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    async with db.write() as session:
        team = Team(name="Crew", slug="crew")
        session.add(team)
        await session.flush()
        team_id = team.id
    managed = await insert_team_event_type(db, team_id, "managed", [], scheduling_type="MANAGED")
    empty = await insert_team_event_type(db, team_id, "empty", [], scheduling_type="ROUND_ROBIN")
    before = await row_counts(db, *TABLES)
    err = error(await book(client, managed, MONDAY_9AM), 400)
    assert err["message"] == (
        f"Event type with id={managed} is the parent managed event type that can't be booked. You have to provide the "
        "child event type id aka id of event type that has been assigned to one of the users."
    )
    err = error(await book(client, empty, MONDAY_9AM), 422)
    assert err["message"] == (
        f"Can't book this team event type because it has no hosts. Please, add at least 1 host to event type with "
        f"id={empty} belonging to team with id={team_id} and try again."
    )
    assert error(await book(client, empty, MONDAY_9AM, instant=True), 422)["code"] == "UnprocessableEntityException"
    assert await row_counts(db, *TABLES) == before


async def team_with(db: Database, *users: TestUser) -> int:
    async with db.write() as session:
        team = Team(name="Crew", slug="crew")
        session.add(team)
        await session.flush()
        team_id = team.id
    for user in users:
        await add_membership(db, team_id, user.id, "MEMBER")
    return team_id


async def test_collective_event_books_every_host(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    pia = await create_user(db, email="pia@example.com", username="pia", name="Pia Partner")
    team_id = await team_with(db, olga, pia)
    hosts = [{"user_id": olga.id, "is_fixed": True}, {"user_id": pia.id, "is_fixed": True}]
    together = await insert_team_event_type(db, team_id, "together", hosts)
    booking = data(await book(client, together, MONDAY_9AM), 201)
    assert booking["title"] == "Together between Crew and Bea Booker"
    assert booking["hosts"][0]["id"] == olga.id
    assert [(a["email"], a["name"]) for a in booking["attendees"]] == [
        ("bea@example.com", "Bea Booker"),
        ("pia@example.com", "Pia Partner"),
    ]
    async with db.read() as session:
        occupied = (await session.scalars(select(BookingHost.user_id).order_by(BookingHost.user_id))).all()
    assert list(occupied) == sorted([olga.id, pia.id])
    # Pia is busy elsewhere at 11:00: nobody can book the team then.
    pias = await event_type(client, pia, slug="pias")
    data(await book(client, pias["id"], "2050-09-05T10:00:00Z", email="z@example.com"), 201)
    before = await row_counts(db, *TABLES)
    assert error(await book(client, together, "2050-09-05T10:00:00Z"), 400)["message"] == TEAM_UNAVAILABLE
    assert await row_counts(db, *TABLES) == before


async def test_round_robin_picks_a_free_host(
    client: httpx.AsyncClient, db: Database, olga: TestUser, now: list[datetime]
) -> None:
    pia = await create_user(db, email="pia@example.com", username="pia", name="Pia Partner")
    team_id = await team_with(db, olga, pia)
    hosts = [
        {"user_id": olga.id, "is_fixed": False, "priority": 2},
        {"user_id": pia.id, "is_fixed": False, "priority": 3},
    ]
    rota = await insert_team_event_type(db, team_id, "rota", hosts, scheduling_type="ROUND_ROBIN")
    # Highest priority first.
    assert data(await book(client, rota, MONDAY_9AM), 201)["hosts"][0]["id"] == pia.id
    # Pia is taken at 09:00, Olga is free.
    now[0] = NOW + timedelta(minutes=1)
    assert data(await book(client, rota, MONDAY_9AM, email="c@example.com"), 201)["hosts"][0]["id"] == olga.id
    assert error(await book(client, rota, MONDAY_9AM, email="d@example.com"), 400)["message"] == TEAM_UNAVAILABLE
    async with db.write() as session:
        await session.execute(update(Host).where(Host.event_type_id == rota).values(priority=2))
    # Equal priority: the least recently booked (Olga's booking is the later one).
    assert data(await book(client, rota, "2050-09-05T12:00:00Z"), 201)["hosts"][0]["id"] == pia.id


async def test_phone_only_attendee(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    team_id = await team_with(db, olga)
    calls = await insert_team_event_type(db, team_id, "calls", [{"user_id": olga.id, "is_fixed": True}])
    async with db.write() as session:
        stored = await session.get(EventType, calls)
        assert stored is not None
        stored.booking_fields = [{**f, "required": False} if f["name"] == "email" else f for f in stored.booking_fields]
    booking = data(await book(client, calls, MONDAY_9AM, email=None, attendee={"phoneNumber": "+919876543210"}), 201)
    assert booking["attendees"][0]["email"] == "919876543210@sms.cal.com"
    assert booking["attendees"][0]["phoneNumber"] == "+919876543210"
    # A user's event type needs an email.
    personal = await event_type(client, olga, slug="personal")
    err = error(
        await book(client, personal["id"], MONDAY_9AM, email=None, attendee={"phoneNumber": "+919876543210"}), 400
    )
    assert err["message"] == (
        'Missing attendee email - it is required by the event type. Pass it as "attendee.email" string in the request.'
    )


async def test_rows_written_for_a_booking(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    seated = await event_type(
        client,
        olga,
        slug="class",
        seats={"seatsPerTimeSlot": 3, "showAttendeeInfo": True, "showAvailabilityCount": True},
    )
    booked = data(await book(client, seated["id"], MONDAY_9AM, metadata={"k": "v"}), 201)
    async with db.read() as session:
        seat = (await session.scalars(select(BookingSeat))).one()
        attendee = (await session.scalars(select(Attendee))).one()
        booking = (await session.scalars(select(Booking))).one()
    assert (seat.uid, seat.attendee_id, seat.booking_id) == (booked["seatUid"], attendee.id, booking.id)
    assert seat.metadata_ == {"k": "v"}
    assert seat.data["responses"]["email"] == "bea@example.com"
