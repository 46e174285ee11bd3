"""Cancel, reschedule, confirm, decline, mark absent, guests, location, calendar links and references."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from icalendar import Calendar
from sqlalchemy import select

from opencal.core.db import Database
from opencal.models import Booking, BookingReference, BookingSeat, WebhookEvent
from support import (
    BOOKINGS_VERSION,
    TestUser,
    add_webhook,
    book,
    create_event_type,
    create_user,
    data,
    error,
    frozen_clock,
    row_counts,
)

NOW = datetime(2050, 9, 1, 10, 0, tzinfo=UTC)
MONDAY_9AM = "2050-09-05T08:00:00Z"
TABLES = ("bookings", "attendees", "booking_hosts", "booking_seats", "webhook_events")
UNAVAILABLE = "User either already has booking at this time or is not available"
EVERY_TRIGGER = [
    "BOOKING_CREATED",
    "BOOKING_REQUESTED",
    "BOOKING_RESCHEDULED",
    "BOOKING_CANCELLED",
    "BOOKING_REJECTED",
    "BOOKING_NO_SHOW_UPDATED",
]
SEATS = {"seatsPerTimeSlot": 3, "showAttendeeInfo": False, "showAvailabilityCount": True}
CONFIRM = {"type": "always", "blockUnconfirmedBookingsInBooker": False}


@pytest.fixture(autouse=True)
def now() -> Iterator[list[datetime]]:
    with frozen_clock(NOW) as moment:
        yield moment


@pytest.fixture
async def olga(db: Database) -> TestUser:
    olga = await create_user(db, email="olga@example.com", username="olga", name="Olga Organizer")
    await add_webhook(db, "https://hooks.example.com/olga", EVERY_TRIGGER, user_id=olga.id)
    return olga


@pytest.fixture
async def stranger(db: Database) -> TestUser:
    return await create_user(db, email="stranger@example.com", username="stranger")


def headers(user: TestUser | None = None) -> dict[str, str]:
    return {**BOOKINGS_VERSION, **(user.headers if user else {})}


async def event_type(client: httpx.AsyncClient, owner: TestUser, slug: str = "intro", **fields: Any) -> dict[str, Any]:
    return await create_event_type(client, owner, slug=slug, length=60, minimumBookingNotice=0, **fields)


async def triggers(db: Database) -> list[str]:
    async with db.read() as session:
        return list((await session.scalars(select(WebhookEvent.trigger).order_by(WebhookEvent.id))).all())


async def post(client: httpx.AsyncClient, path: str, body: Any = None, user: TestUser | None = None) -> httpx.Response:
    return await client.post(f"/v2/bookings/{path}", json=body if body is not None else {}, headers=headers(user))


# -- cancel ---------------------------------------------------------------------------------------


async def test_cancel_frees_the_time(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    intro = await event_type(client, olga)
    booking = data(await book(client, intro["id"], MONDAY_9AM), 201)
    cancelled = data(await post(client, f"{booking['uid']}/cancel", {"cancellationReason": "Travel"}))
    assert (cancelled["status"], cancelled["cancellationReason"], cancelled["uid"]) == (
        "cancelled",
        "Travel",
        booking["uid"],
    )
    assert "cancelledByEmail" not in cancelled
    data(await book(client, intro["id"], MONDAY_9AM, email="next@example.com"), 201)
    assert await triggers(db) == ["BOOKING_CREATED", "BOOKING_CANCELLED", "BOOKING_CREATED"]
    before = await row_counts(db, *TABLES)
    err = error(await post(client, f"{booking['uid']}/cancel", {"cancellationReason": "Again"}), 400)
    assert err["message"] == (
        f"Can't cancel booking with uid={booking['uid']} because it has been cancelled already. Please provide uid of "
        "a booking that is not cancelled."
    )
    assert error(await post(client, "nope/cancel"), 404)["message"] == "Booking with uid=nope not found"
    assert await row_counts(db, *TABLES) == before


async def test_cancel_by_the_host(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    intro = await event_type(client, olga)
    booking = data(await book(client, intro["id"], MONDAY_9AM), 201)
    cancelled = data(await post(client, f"{booking['uid']}/cancel", {"cancellationReason": "Ill"}, olga))
    assert (cancelled["cancelledByEmail"], cancelled["cancellationReason"]) == ("olga@example.com", "Ill")


async def test_cancelling_disabled_leaves_it_to_the_host(
    client: httpx.AsyncClient, db: Database, olga: TestUser
) -> None:
    fixed = await event_type(client, olga, slug="fixed", disableCancelling={"disabled": True})
    booking = data(await book(client, fixed["id"], MONDAY_9AM), 201)
    before = await row_counts(db, *TABLES)
    err = error(await post(client, f"{booking['uid']}/cancel", {"cancellationReason": "Changed my mind"}), 400)
    assert err["message"] == "This event type does not allow cancellations"
    assert await row_counts(db, *TABLES) == before
    cancelled = data(await post(client, f"{booking['uid']}/cancel", {"cancellationReason": "Closed"}, olga))
    assert cancelled["status"] == "cancelled"


async def test_host_must_give_a_reason(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    intro = await event_type(client, olga)
    booking = data(await book(client, intro["id"], MONDAY_9AM), 201)
    before = await row_counts(db, *TABLES)
    response = await post(client, f"{booking['uid']}/cancel", {}, olga)
    assert error(response, 400)["message"] == "Cancellation reason is required when you are the host"
    assert response.json()["message"] == "Cancellation reason is required when you are the host"
    assert await row_counts(db, *TABLES) == before


async def test_cancel_recurring(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    weekly = await event_type(
        client, olga, slug="weekly", recurrence={"frequency": "weekly", "interval": 1, "occurrences": 3}
    )
    created = data(await book(client, weekly["id"], MONDAY_9AM), 201)
    series_uid = created[0]["recurringBookingUid"]
    later = data(await post(client, f"{created[1]['uid']}/cancel", {"cancelSubsequentBookings": True}))
    assert [b["status"] for b in later] == ["accepted", "cancelled", "cancelled"]
    err = error(await post(client, f"{series_uid}/cancel", {"cancelSubsequentBookings": True}), 400)
    assert err["message"] == (
        "Cannot cancel subsequent bookings for recurring event - you have to provide uid of one of the individual "
        "bookings of a recurring booking."
    )
    everything = data(await post(client, f"{series_uid}/cancel", {"cancellationReason": "Done"}))
    assert [b["status"] for b in everything] == ["cancelled", "cancelled", "cancelled"]
    assert everything[0]["cancellationReason"] == "Done"
    single = data(
        await book(client, (await event_type(client, olga, slug="single"))["id"], "2050-09-06T08:00:00Z"), 201
    )
    err = error(await post(client, f"{single['uid']}/cancel", {"cancelSubsequentBookings": True}), 400)
    assert err["message"] == f"Booking with bookingUid={single['uid']} is not part of a recurring booking."


async def test_cancel_seats(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    seated = await event_type(client, olga, slug="class", seats=SEATS)
    ann = data(await book(client, seated["id"], MONDAY_9AM, email="ann@example.com"), 201)
    ben = data(await book(client, seated["id"], MONDAY_9AM, email="ben@example.com"), 201)
    other = data(await book(client, seated["id"], "2050-09-05T10:00:00Z", email="cy@example.com"), 201)
    uid = ann["uid"]
    before = await row_counts(db, *TABLES)
    err = error(await post(client, f"{uid}/cancel", {"seatUid": "nope"}), 400)
    assert err["message"] == "Invalid seatUid: this seat does not exist or has already been cancelled."
    err = error(await post(client, f"{uid}/cancel", {"seatUid": other["seatUid"]}), 400)
    assert err["message"] == "Invalid seatUid: this seat does not belong to this booking."
    assert await row_counts(db, *TABLES) == before
    left = data(await post(client, f"{uid}/cancel", {"seatUid": ann["seatUid"]}))
    assert (left["status"], left["attendees"]) == ("accepted", [])  # attendees hidden from anonymous callers
    seen_by_owner = data(await client.get(f"/v2/bookings/{uid}", headers=headers(olga)))
    assert [a["email"] for a in seen_by_owner["attendees"]] == ["ben@example.com"]
    last = data(await post(client, f"{uid}/cancel", {"seatUid": ben["seatUid"]}))
    assert (last["status"], last["attendees"]) == ("cancelled", [])
    # The host cancels every seat at once.
    data(await book(client, seated["id"], "2050-09-05T10:00:00Z", email="dee@example.com"), 201)
    whole = data(await post(client, f"{other['uid']}/cancel", {"cancellationReason": "Closed"}, olga))
    assert whole["status"] == "cancelled"
    async with db.read() as session:
        assert (await session.scalars(select(BookingSeat))).all() == []


# -- reschedule -----------------------------------------------------------------------------------


async def test_reschedule_makes_a_new_booking(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    intro = await event_type(client, olga)
    old = data(await book(client, intro["id"], MONDAY_9AM, metadata={"k": "v"}, guests=["gus@example.com"]), 201)
    # The old time counts as free: moving by half an hour overlaps it.
    new = data(
        await post(
            client,
            f"{old['uid']}/reschedule",
            {"start": "2050-09-05T08:30:00Z", "reschedulingReason": "Clash", "rescheduledBy": "bea@example.com"},
        ),
        201,
    )
    assert new["uid"] != old["uid"]
    assert (new["start"], new["end"], new["status"]) == (
        "2050-09-05T08:30:00.000Z",
        "2050-09-05T09:30:00.000Z",
        "accepted",
    )
    assert (new["rescheduledFromUid"], new["reschedulingReason"], new["rescheduledByEmail"]) == (
        old["uid"],
        "Clash",
        "bea@example.com",
    )
    assert (new["metadata"], new["attendees"], new["guests"]) == (old["metadata"], old["attendees"], old["guests"])
    previous = data(await client.get(f"/v2/bookings/{old['uid']}", headers=headers()))
    assert (previous["status"], previous["rescheduledToUid"]) == ("cancelled", new["uid"])
    assert await triggers(db) == ["BOOKING_CREATED", "BOOKING_RESCHEDULED"]
    data(await book(client, intro["id"], MONDAY_9AM.replace("08:00", "10:00"), email="x@example.com"), 201)
    before = await row_counts(db, *TABLES)
    err = error(await post(client, f"{new['uid']}/reschedule", {"start": "2050-09-05T10:00:00Z"}), 400)
    assert err["message"] == UNAVAILABLE
    err = error(await post(client, f"{old['uid']}/reschedule", {"start": "2050-09-05T12:00:00Z"}), 400)
    assert err["message"] == (
        f"Can't reschedule booking with uid={old['uid']} because it has been cancelled and rescheduled already to "
        f"booking with uid={new['uid']}. You probably want to reschedule {new['uid']} instead by passing it within "
        "the request URL."
    )
    assert error(await post(client, "nope/reschedule", {"start": MONDAY_9AM}), 404)["message"] == (
        "Booking with uid=nope not found"
    )
    err = error(
        await post(client, f"{new['uid']}/reschedule", {"start": "2050-09-05T12:00:00Z", "rescheduledBy": "me"}), 400
    )
    assert err["message"] == "RescheduleBookingInput_2024_08_13.rescheduledBy: rescheduledBy must be an email, got 'me'"
    assert await row_counts(db, *TABLES) == before


async def test_reschedule_a_cancelled_booking(client: httpx.AsyncClient, olga: TestUser) -> None:
    intro = await event_type(client, olga)
    booking = data(await book(client, intro["id"], MONDAY_9AM), 201)
    data(await post(client, f"{booking['uid']}/cancel", {}))
    err = error(await post(client, f"{booking['uid']}/reschedule", {"start": "2050-09-05T12:00:00Z"}), 400)
    assert err["message"] == (
        f"Can't reschedule booking with uid={booking['uid']} because it has been cancelled. Please provide uid of a "
        "booking that is not cancelled."
    )


async def test_reschedule_needing_confirmation(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    careful = await event_type(client, olga, slug="careful", confirmationPolicy=CONFIRM)
    booking = data(await book(client, careful["id"], MONDAY_9AM), 201)
    by_attendee = data(await post(client, f"{booking['uid']}/reschedule", {"start": "2050-09-05T10:00:00Z"}), 201)
    assert by_attendee["status"] == "pending"
    by_owner = data(
        await post(
            client,
            f"{by_attendee['uid']}/reschedule",
            {"start": "2050-09-05T12:00:00Z", "rescheduledBy": "olga@example.com"},
        ),
        201,
    )
    assert by_owner["status"] == "accepted"
    assert await triggers(db) == ["BOOKING_REQUESTED", "BOOKING_RESCHEDULED", "BOOKING_RESCHEDULED"]


async def test_reschedule_a_seat(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    seated = await event_type(client, olga, slug="class", seats=SEATS)
    ann = data(await book(client, seated["id"], MONDAY_9AM, email="ann@example.com"), 201)
    ben = data(await book(client, seated["id"], MONDAY_9AM, email="ben@example.com"), 201)
    uid = ann["uid"]
    before = await row_counts(db, *TABLES)
    err = error(await post(client, f"{uid}/reschedule", {"start": "2050-09-05T10:00:00Z"}), 400)
    assert err["message"].startswith(
        f"Booking with uid={uid} is a seated booking which means you have to provide seatUid in the request body"
    )
    err = error(await post(client, f"{uid}/reschedule", {"start": "2050-09-05T10:00:00Z", "seatUid": "nope"}), 404)
    assert err["message"] == "Seat with uid=nope does not exist."
    assert await row_counts(db, *TABLES) == before
    moved = data(
        await post(client, f"{uid}/reschedule", {"start": "2050-09-05T10:00:00Z", "seatUid": ann["seatUid"]}), 201
    )
    assert (moved["seatUid"], moved["start"], moved["rescheduledFromUid"]) == (
        ann["seatUid"],
        "2050-09-05T10:00:00.000Z",
        uid,
    )
    staying = data(await client.get(f"/v2/bookings/{uid}", headers=headers(olga)))
    assert (staying["status"], [a["seatUid"] for a in staying["attendees"]]) == ("accepted", [ben["seatUid"]])
    # The owner moves the whole seated booking.
    whole = data(await post(client, f"{moved['uid']}/reschedule", {"start": "2050-09-05T12:00:00Z"}, olga), 201)
    assert [a["seatUid"] for a in whole["attendees"]] == [ann["seatUid"]]
    assert data(await client.get(f"/v2/bookings/{moved['uid']}", headers=headers()))["status"] == "cancelled"


# -- confirm / decline ----------------------------------------------------------------------------


async def test_confirm(client: httpx.AsyncClient, db: Database, olga: TestUser, stranger: TestUser) -> None:
    careful = await event_type(client, olga, slug="careful", confirmationPolicy=CONFIRM)
    booking = data(await book(client, careful["id"], MONDAY_9AM), 201)
    uid = booking["uid"]
    before = await row_counts(db, *TABLES)
    assert error(await post(client, f"{uid}/confirm"), 401)["code"] == "UnauthorizedException"
    err = error(await post(client, f"{uid}/confirm", user=stranger), 403)
    assert err["message"] == f"User with id={stranger.id} is not allowed to confirm booking with uid={uid}"
    assert error(await post(client, "nope/confirm", user=olga), 404)["message"] == (
        "Booking with uid=nope was not found in the database"
    )
    assert await row_counts(db, *TABLES) == before
    confirmed = data(await post(client, f"{uid}/confirm", user=olga))
    assert confirmed["status"] == "accepted"
    assert error(await post(client, f"{uid}/confirm", user=olga), 400)["message"] == "Booking already confirmed"
    assert await triggers(db) == ["BOOKING_REQUESTED", "BOOKING_CREATED"]


async def test_confirm_refuses_a_time_taken_meanwhile(client: httpx.AsyncClient, db: Database, olga: TestUser) -> None:
    careful = await event_type(client, olga, slug="careful", confirmationPolicy=CONFIRM)
    direct = await event_type(client, olga, slug="direct")
    pending = data(await book(client, careful["id"], MONDAY_9AM), 201)
    data(await book(client, direct["id"], "2050-09-05T08:30:00Z", email="fast@example.com"), 201)
    before = await row_counts(db, *TABLES)
    assert error(await post(client, f"{pending['uid']}/confirm", user=olga), 400)["message"] == UNAVAILABLE
    assert await row_counts(db, *TABLES) == before
    assert data(await client.get(f"/v2/bookings/{pending['uid']}", headers=headers()))["status"] == "pending"


async def test_confirm_a_series(client: httpx.AsyncClient, olga: TestUser) -> None:
    weekly = await event_type(
        client,
        olga,
        slug="weekly",
        confirmationPolicy=CONFIRM,
        recurrence={"frequency": "weekly", "interval": 1, "occurrences": 2},
    )
    created = data(await book(client, weekly["id"], MONDAY_9AM), 201)
    assert [b["status"] for b in created] == ["pending", "pending"]
    data(await post(client, f"{created[0]['uid']}/confirm", user=olga))
    series = data(await client.get(f"/v2/bookings/{created[0]['recurringBookingUid']}", headers=headers()))
    assert [b["status"] for b in series] == ["accepted", "accepted"]


async def test_decline(client: httpx.AsyncClient, db: Database, olga: TestUser, stranger: TestUser) -> None:
    careful = await event_type(client, olga, slug="careful", confirmationPolicy=CONFIRM)
    booking = data(await book(client, careful["id"], MONDAY_9AM), 201)
    uid = booking["uid"]
    assert error(await post(client, f"{uid}/decline", {}, stranger), 403)["code"] == "ForbiddenException"
    declined = data(await post(client, f"{uid}/decline", {"reason": "Busy"}, olga))
    assert declined["status"] == "rejected"
    async with db.read() as session:
        assert (await session.scalar(select(Booking.rejection_reason))) == "Busy"
    err = error(await post(client, f"{uid}/decline", {}, olga), 400)
    assert (
        err["message"]
        == f"Booking with uid={uid} can't be declined because its status is rejected: only pending bookings can."
    )
    assert await triggers(db) == ["BOOKING_REQUESTED", "BOOKING_REJECTED"]


# -- mark absent ----------------------------------------------------------------------------------


async def test_mark_absent(
    client: httpx.AsyncClient, db: Database, olga: TestUser, stranger: TestUser, now: list[datetime]
) -> None:
    intro = await event_type(client, olga)
    booking = data(await book(client, intro["id"], MONDAY_9AM, guests=["gus@example.com"]), 201)
    uid = booking["uid"]
    body = {"host": True, "attendees": [{"email": "bea@example.com", "absent": True}]}
    before = await row_counts(db, *TABLES)
    err = error(await post(client, f"{uid}/mark-absent", body, olga), 400)
    assert err["message"] == (
        "Bookings can only be marked as absent after their scheduled start time. Current time in UTC+0: "
        "2050-09-01T10:00:00.000Z, Booking start time in UTC+0: 2050-09-05T08:00:00.000Z"
    )
    now[0] = datetime(2050, 9, 5, 9, 30, tzinfo=UTC)
    assert error(await post(client, f"{uid}/mark-absent", body, stranger), 403)["code"] == "ForbiddenException"
    err = error(
        await post(client, f"{uid}/mark-absent", {"attendees": [{"email": "x@example.com", "absent": True}]}, olga), 400
    )
    assert err["message"] == f"Attendee with email x@example.com is not an attendee of booking with uid={uid}"
    assert error(await post(client, f"{uid}/mark-absent", body), 401)["code"] == "UnauthorizedException"
    assert await row_counts(db, *TABLES) == before
    marked = data(await post(client, f"{uid}/mark-absent", body, olga))
    assert marked["absentHost"] is True
    assert [(a["email"], a["absent"]) for a in marked["attendees"]] == [
        ("bea@example.com", True),
        ("gus@example.com", False),
    ]
    assert await triggers(db) == ["BOOKING_CREATED", "BOOKING_NO_SHOW_UPDATED"]


# -- guests, location -----------------------------------------------------------------------------


async def test_add_guests(client: httpx.AsyncClient, db: Database, olga: TestUser, stranger: TestUser) -> None:
    intro = await event_type(client, olga)
    booking = data(await book(client, intro["id"], MONDAY_9AM), 201)
    uid = booking["uid"]
    guests = {"guests": [{"email": "gus@example.com", "name": "Gus"}, {"email": "bea@example.com"}]}
    added = data(await post(client, f"{uid}/guests", guests, olga))
    assert added["guests"] == ["gus@example.com"]
    assert [(a["name"], a["email"], a["timeZone"]) for a in added["attendees"]] == [
        ("Bea Booker", "bea@example.com", "Europe/London"),
        ("Gus", "gus@example.com", "Europe/London"),
    ]
    before = await row_counts(db, *TABLES)
    assert error(await post(client, f"{uid}/guests", guests, olga), 400)["message"] == (
        "Every guest given already attends this booking."
    )
    assert error(await post(client, f"{uid}/guests", guests, stranger), 403)["code"] == "ForbiddenException"
    many = {"guests": [{"email": f"g{i}@example.com"} for i in range(11)]}
    assert "guests" in error(await post(client, f"{uid}/guests", many, olga), 400)["message"]
    assert error(await client.post(f"/v2/bookings/{uid}/guests", json=guests, headers=olga.headers), 404)[
        "message"
    ] == (f"Cannot POST /v2/bookings/{uid}/guests")
    assert await row_counts(db, *TABLES) == before
    # An attendee with an account may invite guests too.
    bea = await create_user(db, email="bea@example.com", username="bea")
    assert data(await post(client, f"{uid}/guests", {"guests": [{"email": "hal@example.com"}]}, bea))["guests"] == [
        "gus@example.com",
        "hal@example.com",
    ]


async def test_update_location(client: httpx.AsyncClient, db: Database, olga: TestUser, stranger: TestUser) -> None:
    intro = await event_type(client, olga)
    booking = data(await book(client, intro["id"], MONDAY_9AM), 201)
    uid = booking["uid"]
    link = {"location": {"type": "link", "link": "https://meet.example.com/new"}}
    before = await row_counts(db, *TABLES)
    assert error(await client.patch(f"/v2/bookings/{uid}/location", json=link, headers=headers(stranger)), 403)
    assert error(await client.patch(f"/v2/bookings/{uid}/location", json={}, headers=headers(olga)), 400)[
        "message"
    ] == ("location: a location object is required")
    assert await row_counts(db, *TABLES) == before
    moved = data(await client.patch(f"/v2/bookings/{uid}/location", json=link, headers=headers(olga)))
    assert (moved["location"], moved["bookingFieldsResponses"]["location"]) == (
        "https://meet.example.com/new",
        {"value": "link", "optionValue": "https://meet.example.com/new"},
    )
    address = {"location": {"type": "address", "address": "2 High St"}}
    assert data(await client.patch(f"/v2/bookings/{uid}/location", json=address, headers=headers(olga)))[
        "location"
    ] == ("2 High St")


# -- calendar links, references -------------------------------------------------------------------


async def test_calendar_links(client: httpx.AsyncClient, olga: TestUser) -> None:
    intro = await event_type(client, olga, description="Say hi")
    booking = data(await book(client, intro["id"], MONDAY_9AM), 201)
    uid = booking["uid"]
    assert error(await client.get(f"/v2/bookings/{uid}/calendar-links", headers=headers()), 401)
    assert error(await client.get("/v2/bookings/nope/calendar-links", headers=headers(olga)), 404)["message"] == (
        "Booking with uid nope not found"
    )
    links = data(await client.get(f"/v2/bookings/{uid}/calendar-links", headers=headers(olga)))
    assert [link["label"] for link in links] == ["Google Calendar", "Microsoft Office", "Microsoft Outlook", "ICS"]
    assert links[0]["link"] == (
        "https://calendar.google.com/calendar/r/eventedit?dates=20500905T080000Z%2F20500905T090000Z"
        "&text=Intro%20between%20Olga%20Organizer%20and%20Bea%20Booker&details=Say%20hi&location=integrations%3Adaily"
    )
    assert links[1]["link"].startswith("https://outlook.office.com/calendar/0/deeplink/compose?")
    assert "startdt=2050-09-05T08%3A00%3A00Z&enddt=2050-09-05T09%3A00%3A00Z" in links[2]["link"]
    assert links[3]["link"].startswith("data:text/calendar,")
    [event] = Calendar.from_ical(unquote(links[3]["link"].removeprefix("data:text/calendar,"))).walk("VEVENT")
    assert str(event["summary"]) == booking["title"]
    assert str(event["uid"]) == booking["icsUid"]
    assert event.decoded("dtstart") == datetime(2050, 9, 5, 8, 0, tzinfo=UTC)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=1)
    assert (str(event["attendee"]), str(event["organizer"])) == ("mailto:bea@example.com", "mailto:olga@example.com")


async def test_references(client: httpx.AsyncClient, db: Database, olga: TestUser, stranger: TestUser) -> None:
    intro = await event_type(client, olga)
    booking = data(await book(client, intro["id"], MONDAY_9AM), 201)
    uid = booking["uid"]
    assert data(await client.get(f"/v2/bookings/{uid}/references", headers=headers(olga))) == []
    async with db.write() as session:
        booking_id = await session.scalar(select(Booking.id).where(Booking.uid == uid))
        assert booking_id is not None
        reference = BookingReference(
            booking_id=booking_id, type="google_calendar", uid="evt-1", external_calendar_id="primary"
        )
        session.add(reference)
        session.add(BookingReference(booking_id=booking_id, type="daily_video", uid="room-1"))
    listed = data(await client.get(f"/v2/bookings/{uid}/references", headers=headers(olga)))
    assert listed == [
        {"type": "google_calendar", "eventUid": "evt-1", "destinationCalendarId": "primary", "id": listed[0]["id"]},
        {"type": "daily_video", "eventUid": "room-1", "destinationCalendarId": None, "id": listed[1]["id"]},
    ]
    video = data(
        await client.get(f"/v2/bookings/{uid}/references", params={"type": "daily_video"}, headers=headers(olga))
    )
    assert [r["eventUid"] for r in video] == ["room-1"]
    assert error(await client.get(f"/v2/bookings/{uid}/references", params={"type": "fax"}, headers=headers(olga)), 400)
    assert error(await client.get(f"/v2/bookings/{uid}/references", headers=headers(stranger)), 403)
    assert error(await client.get("/v2/bookings/nope/references", headers=headers(olga)), 404)
