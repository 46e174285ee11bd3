"""Every refused event type input: 400 (404/409) naming the problem, and nothing stored or changed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from opencal.core.db import Database
from opencal.models import EventType, Schedule
from support import EVENT_TYPES_VERSION, TestUser, create_event_type, create_user, error


def headers(user: TestUser) -> dict[str, str]:
    return {**user.headers, **EVENT_TYPES_VERSION}


async def _rows(db: Database) -> list[dict[str, Any]]:
    async with db.read() as session:
        rows = (await session.scalars(select(EventType).order_by(EventType.id))).all()
        return [
            {c.key: getattr(row, c.key) for c in EventType.__mapper__.column_attrs if c.key != "updated_at"}
            for row in rows
        ]


BASE = {"title": "Coding class", "slug": "coding-class", "lengthInMinutes": 60}
TWO_LOCATIONS = [
    {"type": "integration", "integration": "cal-video"},
    {"type": "phone", "phone": "+37120993151", "public": True},
]
SEATS = {"seatsPerTimeSlot": 4, "showAttendeeInfo": True, "showAvailabilityCount": True}
ALWAYS = {"type": "always", "blockUnconfirmedBookingsInBooker": False}
RECURRENCE = {"frequency": "weekly", "interval": 1, "occurrences": 4}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # A legacy (2024-04-15) body sent as 2024-06-14.
        ({"title": "x", "slug": "x", "length": 30}, "lengthInMinutes: Field required"),
        ({**BASE, "locations": ["integrations:daily"]}, "Each object in 'locations' must have a 'type' property."),
        (
            {**BASE, "locations": [{"type": "integrations:daily"}]},
            "Unsupported location type 'integrations:daily'. Valid types are address, link, integration, phone, "
            "attendeeAddress, attendeePhone, attendeeDefined.",
        ),
        (
            {**BASE, "locations": [{"type": "inPerson", "address": "x", "displayLocationPublicly": True}]},
            "Unsupported location type 'inPerson'",
        ),
        ({**BASE, "locations": []}, "'locations' must contain at least 1 location."),
        ({**BASE, "locations": [{"type": "address", "address": "x"}]}, "locations.0.address.public: Field required"),
        ({**BASE, "locations": [{"type": "link", "link": "not a url", "public": True}]}, "link must be a URL address"),
        ({**BASE, "locations": [{"type": "phone", "phone": "12", "public": True}]}, "phone must be a valid phone"),
        ({**BASE, "locations": [{"type": "integration", "integration": "skype"}]}, "locations.0.integration"),
        ({**BASE, "lengthInMinutes": 0}, "lengthInMinutes"),
        ({**BASE, "lengthInMinutes": "60"}, "lengthInMinutes"),
        ({**BASE, "title": None}, "title"),
        ({**BASE, "minimumBookingNotice": -1}, "minimumBookingNotice"),
        ({**BASE, "offsetStart": -5}, "offsetStart"),
        (
            {**BASE, "bookingLimitsCount": {"day": 5, "week": 2}},
            "bookingLimitsCount: Invalid bookingLimitsCount: The number of bookings for day cannot exceed the number "
            "of bookings for week.",
        ),
        (
            {**BASE, "bookingLimitsCount": {"week": 10, "year": 5}},
            "Invalid bookingLimitsCount: The number of bookings for week cannot exceed the number of bookings "
            "for year.",
        ),
        (
            {**BASE, "bookingLimitsDuration": {"day": 120, "month": 60}},
            "bookingLimitsDuration: Invalid booking durations: The duration of bookings for day cannot exceed the "
            "duration of bookings for month.",
        ),
        ({**BASE, "bookingLimitsDuration": {"day": 10}}, "bookingLimitsDuration"),
        ({**BASE, "bookingLimitsCount": {"day": 0}}, "bookingLimitsCount"),
        ({**BASE, "bookingWindow": {"type": "weeks", "value": 2}}, "bookingWindow: Invalid bookingWindow structure."),
        ({**BASE, "bookingWindow": {"type": "range", "value": ["2030-01-05"]}}, "bookingWindow: a range needs"),
        ({**BASE, "bookingWindow": {"type": "range", "value": ["2030-01-05", "2030-01-01"]}}, "bookingWindow"),
        ({**BASE, "bookingWindow": {"type": "calendarDays"}}, "bookingWindow"),
        (
            {**BASE, "confirmationPolicy": {"type": "time", "blockUnconfirmedBookingsInBooker": True}},
            "Invalid requiresConfirmation structure.",
        ),
        ({**BASE, "recurrence": {"frequency": "daily", "interval": 1, "occurrences": 2}}, "recurrence"),
        ({**BASE, "seats": {"seatsPerTimeSlot": 0, "showAttendeeInfo": True, "showAvailabilityCount": True}}, "seats"),
        ({**BASE, "bookerLayouts": {"defaultLayout": "week", "enabledLayouts": ["month"]}}, "bookerLayouts"),
        ({**BASE, "color": {"lightThemeHex": "white", "darkThemeHex": "#000000"}}, "color"),
        ({**BASE, "successRedirectUrl": "not a url"}, "successRedirectUrl must be a URL address"),
        ({**BASE, "interfaceLanguage": "klingon"}, "interfaceLanguage"),
        ({**BASE, "lengthInMinutesOptions": [30, 30]}, "lengthInMinutesOptions"),
        (
            {**BASE, "lengthInMinutesOptions": [15, 30]},
            "lengthInMinutesOptions must include lengthInMinutes (60)",
        ),
        (
            {**BASE, "bookerActiveBookingsLimit": {"maximumActiveBookings": 2}, "recurrence": RECURRENCE},
            "Can't have `recurrence` and `bookerActiveBookingsLimit` enabled at the same time",
        ),
        ({**BASE, "bookerActiveBookingsLimit": {}}, "bookerActiveBookingsLimit"),
        (
            {**BASE, "seats": SEATS, "locations": TWO_LOCATIONS},
            "Seats Validation failed: Seats are enabled but more than one location provided.",
        ),
        (
            {**BASE, "seats": SEATS, "confirmationPolicy": ALWAYS},
            "Seats Validation failed: Seats are enabled but requiresConfirmation is true.",
        ),
        ({**BASE, "customName": "{Event type title} with {Nobody}"}, "Invalid event name variables: {Nobody}"),
        (
            {**BASE, "locations": [{"type": "integration", "integration": "zoom"}]},
            "zoom not connected.",
        ),
        (
            {**BASE, "locations": [{"type": "integration", "integration": "office365-video"}]},
            "msteams not connected.",
        ),
        (
            {**BASE, "destinationCalendar": {"integration": "google_calendar", "externalId": "primary"}},
            "Invalid destinationCalendarId: Calendar does not exist",
        ),
        (
            {**BASE, "useDestinationCalendarEmail": True},
            "Validation failed: A primary connected calendar is required to set useDestinationCalendarEmail",
        ),
        (
            {
                **BASE,
                "bookingFields": [
                    {"type": "email", "label": "Email", "placeholder": "e", "required": False, "hidden": True},
                    {"type": "phone", "slug": "attendeePhoneNumber", "label": "Phone", "required": True},
                ],
            },
            "checkIsEmailUserAccessible - Email booking field must be required and visible",
        ),
        ({**BASE, "bookingFields": []}, "'bookingFields' must contain at least 1 booking field."),
        (
            {**BASE, "bookingFields": [{"type": "text", "label": "No slug", "required": True}]},
            "must have a 'slug' property",
        ),
        (
            {
                **BASE,
                "bookingFields": [
                    {"type": "text", "slug": "a", "label": "A", "required": True},
                    {"type": "url", "slug": "a", "label": "A again", "required": True},
                ],
            },
            "Duplicate bookingFields slug 'a' found. All bookingFields slugs must be unique.",
        ),
        (
            {**BASE, "bookingFields": [{"type": "date", "slug": "when", "label": "When", "required": True}]},
            "Unsupported booking field type 'date'.",
        ),
        ({**BASE, "bookingFields": [{"slug": "nothing", "label": "x"}]}, "must have a 'type' property"),
        (
            {**BASE, "bookingFields": [{"type": "select", "slug": "pick", "label": "Pick", "required": True}]},
            "bookingFields.0.select.options: Field required",
        ),
    ],
)
async def test_bad_create_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], message: str
) -> None:
    user = await create_user(db)
    await create_event_type(client, user, slug="existing")
    before = await _rows(db)
    err = error(await client.post("/v2/event-types", json=body, headers=headers(user)), 400)
    assert message in err["message"]
    assert await _rows(db) == before


async def test_duplicate_slug(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    await create_event_type(client, user, slug="intro")
    other = await create_event_type(client, user, slug="other")
    before = await _rows(db)
    err = error(await client.post("/v2/event-types", json={**BASE, "slug": "intro"}, headers=headers(user)), 400)
    assert err["message"] == "User already has an event type with this slug."
    err = error(
        await client.patch(f"/v2/event-types/{other['id']}", json={"slug": "intro"}, headers=headers(user)), 409
    )
    assert err["message"] == "User already has an event type with this slug."
    assert await _rows(db) == before
    # Another user may use the same slug.
    bob = await create_user(db, email="bob@example.com")
    assert (await create_event_type(client, bob, slug="intro"))["slug"] == "intro"


async def test_schedule_of_someone_else_is_404(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    async with db.read() as session:
        bobs_schedule = await session.scalar(select(Schedule.id).where(Schedule.user_id == bob.id))
    mine = await create_event_type(client, alice, slug="mine")
    before = await _rows(db)
    message = f"User with ID={alice.id} does not own schedule with ID={bobs_schedule}"
    err = error(
        await client.post("/v2/event-types", json={**BASE, "scheduleId": bobs_schedule}, headers=headers(alice)), 404
    )
    assert err["message"] == message
    err = error(
        await client.patch(f"/v2/event-types/{mine['id']}", json={"scheduleId": bobs_schedule}, headers=headers(alice)),
        404,
    )
    assert err["message"] == message
    err = error(
        await client.patch(f"/v2/event-types/{mine['id']}", json={"scheduleId": 999999}, headers=headers(alice)), 404
    )
    assert await _rows(db) == before


@pytest.mark.parametrize(
    ("created_with", "update", "message"),
    [
        (
            {"locations": TWO_LOCATIONS},
            {"seats": SEATS},
            "Seats Validation failed: Seats are enabled but more than one",
        ),
        ({"seats": SEATS}, {"locations": TWO_LOCATIONS}, "Locations Validation failed: Multiple locations but seats"),
        ({"confirmationPolicy": ALWAYS}, {"seats": SEATS}, "Seats Validation failed: Seats are enabled but requires"),
        (
            {"seats": SEATS},
            {"confirmationPolicy": ALWAYS},
            "RequiresConfirmation Validation failed: Seats are enabled but requiresConfirmation is true.",
        ),
        (
            {"recurrence": RECURRENCE},
            {"bookerActiveBookingsLimit": {"maximumActiveBookings": 1}},
            "Can't have `recurrence` and `bookerActiveBookingsLimit` enabled at the same time",
        ),
        (
            {"bookerActiveBookingsLimit": {"offerReschedule": True}},
            {"recurrence": RECURRENCE},
            "Can't have `recurrence` and `bookerActiveBookingsLimit` enabled at the same time",
        ),
        (
            {},
            {"lengthInMinutes": 20, "lengthInMinutesOptions": [30, 60]},
            "lengthInMinutesOptions must include lengthInMinutes (20)",
        ),
        ({}, {"bookingLimitsCount": {"month": 50, "year": 10}}, "Invalid bookingLimitsCount"),
        (
            {},
            {"bookingFields": [{"type": "email", "label": "E", "placeholder": "e", "required": False}]},
            "checkIsEmailUserAccessible",
        ),
        ({}, {"locations": [{"type": "integration", "integration": "google-meet"}]}, "google-meet not connected."),
        ({}, {"slug": "!!!"}, "slug: must contain at least one letter or digit"),
        ({}, {"customName": "{Wrong}"}, "Invalid event name variables: {Wrong}"),
    ],
)
async def test_bad_update_is_refused_and_changes_nothing(
    client: httpx.AsyncClient,
    db: Database,
    created_with: dict[str, Any],
    update: dict[str, Any],
    message: str,
) -> None:
    user = await create_user(db)
    created = await create_event_type(client, user, **created_with)
    before = await _rows(db)
    err = error(await client.patch(f"/v2/event-types/{created['id']}", json=update, headers=headers(user)), 400)
    assert message in err["message"]
    assert await _rows(db) == before


async def test_disabling_seats_allows_several_locations(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    created = await create_event_type(client, user, seats=SEATS)
    response = await client.patch(
        f"/v2/event-types/{created['id']}",
        json={"seats": {"disabled": True}, "locations": TWO_LOCATIONS},
        headers=headers(user),
    )
    assert response.status_code == 200, response.text
