from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from opencal.core.db import Database
from opencal.models import EventType, Schedule
from support import EVENT_TYPES_VERSION, TestUser, create_event_type, create_user, data, error


def headers(user: TestUser) -> dict[str, str]:
    return {**user.headers, **EVENT_TYPES_VERSION}


def system_field(slug: str, **overrides: Any) -> dict[str, Any]:
    """A default booking field as Cal.com outputs it when not customized."""
    base: dict[str, dict[str, Any]] = {
        "name": {"isDefault": True, "type": "name", "slug": "name", "required": True, "disableOnPrefill": False},
        "email": {
            "isDefault": True,
            "type": "email",
            "slug": "email",
            "required": True,
            "hidden": False,
            "disableOnPrefill": False,
        },
        "location": {"isDefault": True, "type": "radioInput", "slug": "location", "required": False, "hidden": False},
        "title": {
            "isDefault": True,
            "type": "text",
            "slug": "title",
            "required": True,
            "hidden": True,
            "disableOnPrefill": False,
        },
        "notes": {
            "isDefault": True,
            "type": "textarea",
            "slug": "notes",
            "required": False,
            "hidden": False,
            "disableOnPrefill": False,
        },
        "guests": {
            "isDefault": True,
            "type": "multiemail",
            "slug": "guests",
            "required": False,
            "hidden": False,
            "disableOnPrefill": False,
        },
        "rescheduleReason": {
            "isDefault": True,
            "type": "textarea",
            "slug": "rescheduleReason",
            "required": False,
            "hidden": False,
            "disableOnPrefill": False,
        },
    }
    return {**base[slug], **overrides}


DEFAULT_FIELDS = [system_field(slug) for slug in ("name", "email", "title", "notes", "guests", "rescheduleReason")]


def user_summary(user: TestUser) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": None,
        "username": user.username,
        "avatarUrl": None,
        "brandColor": None,
        "darkBrandColor": None,
        "weekStart": "Sunday",
        "metadata": {},
    }


def default_output(user: TestUser, event_id: int, **overrides: Any) -> dict[str, Any]:
    """Every field of a new event type created with title, slug and length only."""
    output: dict[str, Any] = {
        "id": event_id,
        "ownerId": user.id,
        "lengthInMinutes": 30,
        "title": "Intro",
        "slug": "intro",
        "description": "",
        "locations": [{"type": "integration", "integration": "cal-video"}],
        "bookingFields": DEFAULT_FIELDS,
        "recurrence": None,
        "disableGuests": False,
        "slotInterval": None,
        "minimumBookingNotice": 120,
        "beforeEventBuffer": 0,
        "afterEventBuffer": 0,
        "metadata": {},
        "price": 0,
        "currency": "usd",
        "lockTimeZoneToggleOnBookingPage": False,
        "forwardParamsSuccessRedirect": True,
        "successRedirectUrl": None,
        "isInstantEvent": False,
        "users": [user_summary(user)],
        "scheduleId": None,
        "onlyShowFirstAvailableSlot": False,
        "offsetStart": 0,
        "bookingWindow": {"disabled": True},
        "confirmationPolicy": {"disabled": True},
        "requiresBookerEmailVerification": False,
        "hideCalendarNotes": False,
        "seats": {"disabled": True},
        "useDestinationCalendarEmail": False,
        "hideCalendarEventDetails": False,
        "hideOrganizerEmail": False,
        "calVideoSettings": {"sendTranscriptionEmails": True},
        "hidden": False,
        "bookingRequiresAuthentication": False,
        "bookerActiveBookingsLimit": {"disabled": True},
        "bookingUrl": f"http://127.0.0.1:8000/{user.username}/intro",
        "disableCancelling": {"disabled": False},
        "disableRescheduling": {"disabled": False},
        "interfaceLanguage": None,
        "allowReschedulingPastBookings": False,
        "allowReschedulingCancelledBookings": False,
        "showOptimizedSlots": False,
    }
    output.update(overrides)
    return output


async def second_schedule(client: httpx.AsyncClient, user: TestUser) -> int:
    response = await client.post(
        "/v2/schedules",
        json={"name": "Evenings", "timeZone": "Europe/Rome", "isDefault": False},
        headers={**user.headers, "cal-api-version": "2024-06-11"},
    )
    schedule_id: int = data(response, 201)["id"]
    return schedule_id


async def test_create_with_required_fields_echoes_every_default(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    created = await create_event_type(client, user)
    assert created == default_output(user, created["id"])
    assert data(await client.get(f"/v2/event-types/{created['id']}", headers=headers(user))) == created


def full_body(schedule_id: int) -> dict[str, Any]:
    return {
        "title": "Coding class",
        "slug": "coding-class",
        "description": "Let's learn how to code like a pro.",
        "lengthInMinutes": 60,
        "lengthInMinutesOptions": [30, 60, 90],
        "locations": [
            {"type": "integration", "integration": "cal-video"},
            {"type": "address", "address": "1 Main St, Rome", "public": True},
            {"type": "link", "link": "https://meet.example.com/room", "public": False},
            {"type": "phone", "phone": "+37120993151", "public": True},
            {"type": "attendeeAddress"},
            {"type": "attendeePhone"},
            {"type": "attendeeDefined"},
        ],
        "bookingFields": [
            {"type": "name", "label": "Your name", "placeholder": "John Doe", "disableOnPrefill": True},
            {"type": "email", "label": "Email", "placeholder": "you@example.com", "required": True, "hidden": False},
            {"slug": "location", "label": "Where?"},
            {"slug": "notes", "label": "Notes", "placeholder": "Anything?", "required": True, "hidden": False},
            {"slug": "guests", "required": False, "hidden": True},
            {
                "type": "phone",
                "slug": "attendeePhoneNumber",
                "label": "Phone",
                "required": False,
                "hidden": False,
                "placeholder": "+1",
            },
            {
                "type": "select",
                "slug": "language",
                "label": "Language",
                "required": True,
                "placeholder": "Pick one",
                "options": ["python", "go"],
                "hidden": False,
            },
            {"type": "text", "slug": "company", "label": "Company", "required": False, "placeholder": "ACME"},
            {"type": "address", "slug": "home", "label": "Home", "required": False, "placeholder": "Street"},
            {"type": "number", "slug": "age", "label": "Age", "required": False, "placeholder": "42"},
            {"type": "textarea", "slug": "bio", "label": "Bio", "required": False, "placeholder": "..."},
            {"type": "multiselect", "slug": "topics", "label": "Topics", "required": False, "options": ["a", "b"]},
            {"type": "multiemail", "slug": "cc", "label": "CC", "required": False, "placeholder": "emails"},
            {"type": "checkbox", "slug": "extras", "label": "Extras", "required": False, "options": ["x"]},
            {"type": "radio", "slug": "level", "label": "Level", "required": True, "options": ["low", "high"]},
            {"type": "boolean", "slug": "terms", "label": "Agree?", "required": True, "disableOnPrefill": True},
            {"type": "url", "slug": "site", "label": "Site", "required": False, "placeholder": "https://"},
        ],
        "disableGuests": True,
        "slotInterval": 15,
        "minimumBookingNotice": 60,
        "beforeEventBuffer": 5,
        "afterEventBuffer": 10,
        "scheduleId": schedule_id,
        "bookingLimitsCount": {"day": 2, "week": 5, "month": 10, "year": 100},
        "bookerActiveBookingsLimit": {"disabled": True},
        "onlyShowFirstAvailableSlot": True,
        "bookingLimitsDuration": {"day": 60, "week": 120},
        "bookingWindow": {"type": "calendarDays", "value": 30, "rolling": True},
        "offsetStart": 15,
        "bookerLayouts": {"defaultLayout": "month", "enabledLayouts": ["month", "week", "column"]},
        "confirmationPolicy": {
            "type": "time",
            "noticeThreshold": {"unit": "hours", "count": 24},
            "blockUnconfirmedBookingsInBooker": True,
        },
        "recurrence": {"frequency": "weekly", "interval": 2, "occurrences": 10},
        "requiresBookerEmailVerification": True,
        "hideCalendarNotes": True,
        "lockTimeZoneToggleOnBookingPage": True,
        "color": {"lightThemeHex": "#fafafa", "darkThemeHex": "#292929"},
        "seats": {"disabled": True},
        "customName": "{Event type title} between {Organiser} and {Scheduler} about {language}",
        "useDestinationCalendarEmail": False,
        "hideCalendarEventDetails": True,
        "successRedirectUrl": "https://example.com/thanks",
        "hideOrganizerEmail": True,
        "calVideoSettings": {
            "disableRecordingForOrganizer": True,
            "disableRecordingForGuests": True,
            "redirectUrlOnExit": "https://example.com/bye",
            "enableAutomaticRecordingForOrganizer": True,
            "enableAutomaticTranscription": True,
            "disableTranscriptionForGuests": True,
            "disableTranscriptionForOrganizer": False,
            "sendTranscriptionEmails": False,
        },
        "hidden": True,
        "bookingRequiresAuthentication": True,
        "disableCancelling": {"disabled": True},
        "disableRescheduling": {"minutesBefore": 60},
        "interfaceLanguage": "de",
        "allowReschedulingPastBookings": True,
        "allowReschedulingCancelledBookings": True,
        "showOptimizedSlots": True,
    }


def custom(kind: str, slug: str, label: str, required: bool, **extra: Any) -> dict[str, Any]:
    return {
        "isDefault": False,
        "type": kind,
        "slug": slug,
        "label": label,
        "required": required,
        "hidden": False,
        "disableOnPrefill": False,
        **extra,
    }


def full_output(user: TestUser, event_id: int, schedule_id: int) -> dict[str, Any]:
    body = full_body(schedule_id)
    return default_output(
        user,
        event_id,
        title="Coding class",
        slug="coding-class",
        description="Let's learn how to code like a pro.",
        lengthInMinutes=60,
        lengthInMinutesOptions=[30, 60, 90],
        locations=[
            {"type": "integration", "integration": "cal-video"},
            {"type": "address", "address": "1 Main St, Rome", "public": True},
            {"type": "link", "link": "https://meet.example.com/room", "public": False},
            {"type": "phone", "phone": "+37120993151", "public": True},
            {"type": "attendeeAddress"},
            {"type": "attendeePhone"},
            {"type": "attendeeDefined"},
        ],
        bookingFields=[
            system_field("name", label="Your name", placeholder="John Doe", disableOnPrefill=True),
            system_field("email", label="Email", placeholder="you@example.com"),
            system_field("location", label="Where?"),
            system_field("title"),
            system_field("notes", label="Notes", placeholder="Anything?", required=True),
            system_field("guests", hidden=True),
            system_field("rescheduleReason"),
            custom("phone", "attendeePhoneNumber", "Phone", False, isDefault=True, placeholder="+1"),
            custom("select", "language", "Language", True, placeholder="Pick one", options=["python", "go"]),
            custom("text", "company", "Company", False, placeholder="ACME"),
            custom("address", "home", "Home", False, placeholder="Street"),
            custom("number", "age", "Age", False, placeholder="42"),
            custom("textarea", "bio", "Bio", False, placeholder="..."),
            custom("multiselect", "topics", "Topics", False, options=["a", "b"]),
            custom("multiemail", "cc", "CC", False, placeholder="emails"),
            custom("checkbox", "extras", "Extras", False, options=["x"]),
            custom("radio", "level", "Level", True, options=["low", "high"]),
            custom("boolean", "terms", "Agree?", True, disableOnPrefill=True),
            custom("url", "site", "Site", False, placeholder="https://"),
        ],
        disableGuests=True,
        slotInterval=15,
        minimumBookingNotice=60,
        beforeEventBuffer=5,
        afterEventBuffer=10,
        metadata={"multipleDuration": [30, 60, 90]},
        scheduleId=schedule_id,
        bookingLimitsCount={"day": 2, "week": 5, "month": 10, "year": 100},
        bookingLimitsDuration={"day": 60, "week": 120},
        onlyShowFirstAvailableSlot=True,
        bookingWindow={"type": "calendarDays", "value": 30, "rolling": True},
        offsetStart=15,
        bookerLayouts=body["bookerLayouts"],
        confirmationPolicy=body["confirmationPolicy"],
        recurrence=body["recurrence"],
        requiresBookerEmailVerification=True,
        hideCalendarNotes=True,
        lockTimeZoneToggleOnBookingPage=True,
        color=body["color"],
        customName=body["customName"],
        hideCalendarEventDetails=True,
        successRedirectUrl="https://example.com/thanks",
        hideOrganizerEmail=True,
        calVideoSettings=body["calVideoSettings"],
        hidden=True,
        bookingRequiresAuthentication=True,
        bookingUrl=f"http://127.0.0.1:8000/{user.username}/coding-class",
        disableCancelling={"disabled": True},
        disableRescheduling={"disabled": False, "minutesBefore": 60},
        interfaceLanguage="de",
        allowReschedulingPastBookings=True,
        allowReschedulingCancelledBookings=True,
        showOptimizedSlots=True,
    )


async def test_every_field_round_trips(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    schedule_id = await second_schedule(client, user)
    created = data(await client.post("/v2/event-types", json=full_body(schedule_id), headers=headers(user)), 201)
    expected = full_output(user, created["id"], schedule_id)
    assert created == expected
    assert data(await client.get(f"/v2/event-types/{created['id']}", headers=headers(user))) == expected

    # The list shows the owner's hidden event type, without the hidden booking fields.
    listed = data(await client.get(f"/v2/event-types?username={user.username}", headers=headers(user)))
    visible = [field for field in expected["bookingFields"] if field.get("hidden") is not True]
    assert listed == [{**expected, "bookingFields": visible}]


async def test_seats_active_limit_and_range_window_round_trip(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    body: dict[str, Any] = {
        "seats": {"seatsPerTimeSlot": 4, "showAttendeeInfo": True, "showAvailabilityCount": False},
        "bookerActiveBookingsLimit": {"maximumActiveBookings": 2, "offerReschedule": True},
        "bookingWindow": {"type": "range", "value": ["2030-09-05", "2030-09-09"]},
        "bookingLimitsCount": {"disabled": True},
        "confirmationPolicy": {"disabled": True},
        "recurrence": {"disabled": True},
    }
    created = await create_event_type(client, user, **body)
    assert created == default_output(
        user,
        created["id"],
        seats=body["seats"],
        bookerActiveBookingsLimit={"maximumActiveBookings": 2, "offerReschedule": True},
        bookingWindow={"type": "range", "value": ["2030-09-05", "2030-09-09"]},
        bookingLimitsCount={},
    )
    assert data(await client.get(f"/v2/event-types/{created['id']}", headers=headers(user))) == created


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ({"type": "businessDays", "value": 5}, {"type": "businessDays", "value": 5, "rolling": False}),
        ({"type": "businessDays", "value": 5, "rolling": True}, {"type": "businessDays", "value": 5, "rolling": True}),
        (
            {"type": "calendarDays", "value": 7, "rolling": False},
            {"type": "calendarDays", "value": 7, "rolling": False},
        ),
        ({"disabled": True}, {"disabled": True}),
    ],
)
async def test_booking_window_kinds(
    client: httpx.AsyncClient, db: Database, window: dict[str, Any], expected: dict[str, Any]
) -> None:
    user = await create_user(db)
    created = await create_event_type(client, user, bookingWindow=window)
    assert created["bookingWindow"] == expected


async def test_confirmation_always(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    policy = {"type": "always", "blockUnconfirmedBookingsInBooker": False}
    created = await create_event_type(client, user, confirmationPolicy=policy)
    assert created["confirmationPolicy"] == policy


async def test_disable_guests_hides_the_guests_field(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    created = await create_event_type(client, user, disableGuests=True)
    guests = next(field for field in created["bookingFields"] if field["slug"] == "guests")
    assert (created["disableGuests"], guests["hidden"]) == (True, True)
    updated = data(
        await client.patch(f"/v2/event-types/{created['id']}", json={"disableGuests": False}, headers=headers(user))
    )
    guests = next(field for field in updated["bookingFields"] if field["slug"] == "guests")
    assert (updated["disableGuests"], guests["hidden"]) == (False, False)


async def test_location_field_appears_with_several_locations(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    two = [{"type": "integration", "integration": "cal-video"}, {"type": "attendeePhone"}]
    created = await create_event_type(client, user, locations=two)
    assert [field["slug"] for field in created["bookingFields"]][:3] == ["name", "email", "location"]
    one = data(
        await client.patch(f"/v2/event-types/{created['id']}", json={"locations": two[:1]}, headers=headers(user))
    )
    assert "location" not in [field["slug"] for field in one["bookingFields"]]


async def test_slug_is_slugified(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    created = await create_event_type(client, user, slug="My Great Event!")
    assert created["slug"] == "my-great-event"


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Renamed"},
        {"slug": "renamed"},
        {"lengthInMinutes": 45},
        {"description": "Now with a description"},
        {"minimumBookingNotice": 0},
        {"slotInterval": 10},
        {"beforeEventBuffer": 15},
        {"afterEventBuffer": 20},
        {"offsetStart": 5},
        {"hidden": True},
        {"locations": [{"type": "link", "link": "https://example.com/x", "public": True}]},
        {"bookingLimitsCount": {"week": 3}},
        {"bookingLimitsDuration": {"day": 90}},
        {"bookingWindow": {"type": "calendarDays", "value": 14, "rolling": False}},
        {"confirmationPolicy": {"type": "always", "blockUnconfirmedBookingsInBooker": True}},
        {"recurrence": {"frequency": "monthly", "interval": 1, "occurrences": 3}},
        {"seats": {"seatsPerTimeSlot": 10, "showAttendeeInfo": False, "showAvailabilityCount": True}},
        {"color": {"lightThemeHex": "#ffffff", "darkThemeHex": "#000000"}},
        {"customName": "{Event type title} with {Scheduler}"},
        {"successRedirectUrl": "https://example.com/done"},
        {"bookerActiveBookingsLimit": {"maximumActiveBookings": 1}},
        {"interfaceLanguage": "fr"},
    ],
)
async def test_patch_of_one_field_keeps_the_others(
    client: httpx.AsyncClient, db: Database, change: dict[str, Any]
) -> None:
    user = await create_user(db)
    created = await create_event_type(client, user)
    updated = data(await client.patch(f"/v2/event-types/{created['id']}", json=change, headers=headers(user)))
    changed = {key: updated[key] for key in updated if updated[key] != created.get(key)}
    expected_keys = set(change) | ({"bookingUrl"} if "slug" in change else set())
    assert set(changed) == expected_keys, changed
    assert data(await client.get(f"/v2/event-types/{created['id']}", headers=headers(user))) == updated


async def test_patch_clears_with_null_and_disabled(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    schedule_id = await second_schedule(client, user)
    created = data(await client.post("/v2/event-types", json=full_body(schedule_id), headers=headers(user)), 201)
    cleared = data(
        await client.patch(
            f"/v2/event-types/{created['id']}",
            json={
                "scheduleId": None,
                "bookingWindow": {"disabled": True},
                "confirmationPolicy": {"disabled": True},
                "recurrence": {"disabled": True},
                "bookerLayouts": None,
                "color": None,
                "lengthInMinutesOptions": None,
            },
            headers=headers(user),
        )
    )
    assert cleared["scheduleId"] is None
    assert cleared["bookingWindow"] == {"disabled": True}
    assert cleared["confirmationPolicy"] == {"disabled": True}
    assert cleared["recurrence"] is None
    assert cleared["metadata"] == {}
    for absent in ("bookerLayouts", "color", "lengthInMinutesOptions"):
        assert absent not in cleared


async def test_patch_booking_fields_replaces_custom_fields(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    created = await create_event_type(
        client,
        user,
        bookingFields=[{"type": "text", "slug": "company", "label": "Company", "required": False}],
    )
    updated = data(
        await client.patch(
            f"/v2/event-types/{created['id']}",
            json={"bookingFields": [{"type": "boolean", "slug": "terms", "label": "Agree?", "required": True}]},
            headers=headers(user),
        )
    )
    assert [field["slug"] for field in updated["bookingFields"]] == [
        "name",
        "email",
        "title",
        "notes",
        "guests",
        "rescheduleReason",
        "terms",
    ]


async def test_delete(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    created = await create_event_type(client, user)
    deleted = data(await client.delete(f"/v2/event-types/{created['id']}", headers=headers(user)))
    assert deleted == {"id": created["id"], "lengthInMinutes": 30, "title": "Intro", "slug": "intro"}
    error(await client.get(f"/v2/event-types/{created['id']}", headers=headers(user)), 404)


async def test_unauthenticated_is_401(client: httpx.AsyncClient) -> None:
    for method, url in [
        ("GET", "/v2/event-types/100"),
        ("POST", "/v2/event-types"),
        ("PATCH", "/v2/event-types/100"),
        ("DELETE", "/v2/event-types/100"),
    ]:
        error(await client.request(method, url, headers=EVENT_TYPES_VERSION, json={}), 401)


async def test_unknown_event_type(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    assert error(await client.get("/v2/event-types/999", headers=headers(user)), 404)["message"] == (
        "Event type with id 999 not found"
    )
    error(await client.patch("/v2/event-types/999", json={"title": "x"}, headers=headers(user)), 404)
    assert error(await client.delete("/v2/event-types/999", headers=headers(user)), 404)["message"] == (
        "Event type with ID=999 does not exist."
    )
    error(await client.get("/v2/event-types/abc", headers=headers(user)), 400)


async def _rows(db: Database) -> list[dict[str, Any]]:
    async with db.read() as session:
        rows = (await session.scalars(select(EventType).order_by(EventType.id))).all()
        return [
            {c.key: getattr(row, c.key) for c in EventType.__mapper__.column_attrs if c.key != "updated_at"}
            for row in rows
        ]


async def test_someone_elses_event_type(client: httpx.AsyncClient, db: Database) -> None:
    alice = await create_user(db)
    bob = await create_user(db, email="bob@example.com")
    bobs = await create_event_type(client, bob)
    url = f"/v2/event-types/{bobs['id']}"
    before = await _rows(db)
    assert error(await client.get(url, headers=headers(alice)), 404)["message"] == (
        f"Event type with id {bobs['id']} not found"
    )
    error(await client.patch(url, json={"title": "mine"}, headers=headers(alice)), 404)
    assert error(await client.delete(url, headers=headers(alice)), 403)["message"] == (
        f"User with ID={alice.id} does not own event type with ID={bobs['id']}"
    )
    assert await _rows(db) == before


async def test_organization_admin_reads_a_members_event_type(client: httpx.AsyncClient, db: Database) -> None:
    from opencal.users import bootstrap
    from opencal.users.service import get_user

    admin = await create_user(db, email="admin@example.com")
    member = await create_user(db, email="member@example.com")
    async with db.write() as session:
        org = await bootstrap.create_organization(
            session, name="Acme", slug="acme", owner=await get_user(session, admin.id)
        )
        (await get_user(session, member.id)).organization_id = org.id
    event = await create_event_type(client, member)
    fetched = data(await client.get(f"/v2/event-types/{event['id']}", headers=headers(admin)))
    assert fetched == event


async def test_schedule_of_the_owner_is_accepted(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    async with db.read() as session:
        default_id = await session.scalar(select(Schedule.id).where(Schedule.user_id == user.id))
    created = await create_event_type(client, user, scheduleId=default_id)
    assert created["scheduleId"] == default_id


async def test_only_served_for_its_version(client: httpx.AsyncClient, db: Database) -> None:
    user = await create_user(db)
    created = await create_event_type(client, user)
    response = await client.get(f"/v2/event-types/{created['id']}", headers=user.headers)
    assert error(response, 404)["message"] == f"Cannot GET /v2/event-types/{created['id']}"
    response = await client.post(
        "/v2/event-types", json={"title": "x", "slug": "x", "length": 30}, headers=user.headers
    )
    error(response, 404)
