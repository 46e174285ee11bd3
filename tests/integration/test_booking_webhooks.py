"""Booking webhooks end to end: each lifecycle step, delivered by a running dispatcher to a real HTTP
receiver, signed, with its trigger and payload."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from opencal.core.db import Database
from opencal.core.security import SecretBox
from opencal.models import Team, WebhookDelivery
from opencal.models.webhooks import DELIVERING, PENDING
from opencal.webhooks.dispatcher import Dispatcher, DispatchPolicy
from receivers import ReceivedRequest, Receiver
from support import (
    BOOKINGS_VERSION,
    EVENT_TYPES_VERSION,
    TestUser,
    add_membership,
    add_webhook,
    book,
    create_event_type,
    create_managed_user,
    create_platform,
    create_user,
    data,
    frozen_clock,
    insert_team_event_type,
)

SECRET = "whsec_bookings"
NOW = datetime(2050, 9, 1, 10, 0, tzinfo=UTC)
FAST = DispatchPolicy(max_attempts=3, retry_base_seconds=0.05, timeout_seconds=5, lease_seconds=30, poll_seconds=0.05)
TRIGGERS = [
    "BOOKING_CREATED",
    "BOOKING_REQUESTED",
    "BOOKING_RESCHEDULED",
    "BOOKING_CANCELLED",
    "BOOKING_REJECTED",
    "BOOKING_NO_SHOW_UPDATED",
]


@pytest.fixture
async def dispatcher(db: Database) -> AsyncIterator[None]:
    """The webhook dispatcher running in the background, as inside `opencal serve`."""
    stop = asyncio.Event()
    async with Dispatcher(db, SecretBox("test-secret-key"), FAST) as running:
        task = asyncio.create_task(running.run(stop))
        yield
        stop.set()
        await asyncio.wait_for(task, timeout=30)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with Receiver() as running:
        yield running


@pytest.fixture
async def olga(db: Database) -> TestUser:
    return await create_user(db, email="olga@example.com", username="olga", name="Olga Organizer")


def signed(request: ReceivedRequest) -> dict[str, Any]:
    """The body of a delivery, after checking its signature and headers."""
    expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["x-cal-signature-256"] == expected
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-cal-webhook-version"] == "2021-10-20"
    assert (request.method, request.path) == ("POST", "/hook")
    body: dict[str, Any] = request.json()
    return body


async def next_delivery(receiver: Receiver, count: int) -> dict[str, Any]:
    """The `count`-th delivery (1-based) once it arrived."""
    requests = await receiver.wait_for(count)
    return signed(requests[count - 1])


async def all_settled(db: Database) -> None:
    """Until no delivery is waiting or in flight."""
    async with asyncio.timeout(30):
        while True:
            async with db.read() as session:
                busy = await session.scalar(
                    select(func.count())
                    .select_from(WebhookDelivery)
                    .where(WebhookDelivery.state.in_((PENDING, DELIVERING)))
                )
            if not busy:
                return
            await asyncio.sleep(0.02)


def post(client: httpx.AsyncClient, path: str, body: Any, user: TestUser | None = None) -> Any:
    headers = {**BOOKINGS_VERSION, **(user.headers if user else {})}
    return client.post(f"/v2/bookings/{path}", json=body, headers=headers)


async def test_every_lifecycle_step_is_delivered(
    client: httpx.AsyncClient, db: Database, dispatcher: None, receiver: Receiver, olga: TestUser
) -> None:
    await add_webhook(db, receiver.url, TRIGGERS, user_id=olga.id, secret=SECRET)
    with frozen_clock(NOW) as now:
        common = {"length": 60, "minimumBookingNotice": 0}
        intro = await create_event_type(client, olga, slug="intro", **common)
        careful = await create_event_type(
            client,
            olga,
            slug="careful",
            confirmationPolicy={"type": "always", "blockUnconfirmedBookingsInBooker": False},
            **common,
        )

        created = data(
            await book(client, intro["id"], "2050-09-05T08:00:00Z", bookingFieldsResponses={"notes": "Hi"}), 201
        )
        delivery = await next_delivery(receiver, 1)
        assert (delivery["triggerEvent"], delivery["createdAt"]) == ("BOOKING_CREATED", "2050-09-01T10:00:00.000Z")
        payload = delivery["payload"]
        assert {
            key: payload[key] for key in ("uid", "bookingId", "status", "title", "startTime", "endTime", "type")
        } == {
            "uid": created["uid"],
            "bookingId": created["id"],
            "status": "ACCEPTED",
            "title": "Intro between Olga Organizer and Bea Booker",
            "startTime": "2050-09-05T08:00:00Z",
            "endTime": "2050-09-05T09:00:00Z",
            "type": "intro",
        }
        assert (payload["organizer"]["email"], payload["organizer"]["utcOffset"]) == ("olga@example.com", 60)
        assert [(a["email"], a["firstName"], a["lastName"]) for a in payload["attendees"]] == [
            ("bea@example.com", "Bea", "Booker")
        ]
        assert (payload["description"], payload["additionalNotes"], payload["location"]) == (
            "Hi",
            "Hi",
            "integrations:daily",
        )

        requested = data(await book(client, careful["id"], "2050-09-06T08:00:00Z"), 201)
        delivery = await next_delivery(receiver, 2)
        assert (delivery["triggerEvent"], delivery["payload"]["status"], delivery["payload"]["uid"]) == (
            "BOOKING_REQUESTED",
            "PENDING",
            requested["uid"],
        )

        moved = data(
            await post(
                client,
                f"{created['uid']}/reschedule",
                {"start": "2050-09-05T12:00:00Z", "rescheduledBy": "bea@example.com"},
            ),
            201,
        )
        delivery = await next_delivery(receiver, 3)
        payload = delivery["payload"]
        assert delivery["triggerEvent"] == "BOOKING_RESCHEDULED"
        assert {
            k: payload[k] for k in ("uid", "rescheduleUid", "rescheduleId", "rescheduleStartTime", "rescheduledBy")
        } == {
            "uid": moved["uid"],
            "rescheduleUid": created["uid"],
            "rescheduleId": created["id"],
            "rescheduleStartTime": "2050-09-05T08:00:00Z",
            "rescheduledBy": "bea@example.com",
        }

        data(await post(client, f"{moved['uid']}/cancel", {"cancellationReason": "Sick"}, olga))
        delivery = await next_delivery(receiver, 4)
        assert delivery["triggerEvent"] == "BOOKING_CANCELLED"
        assert {k: delivery["payload"][k] for k in ("uid", "status", "cancellationReason", "cancelledBy")} == {
            "uid": moved["uid"],
            "status": "CANCELLED",
            "cancellationReason": "Sick",
            "cancelledBy": "olga@example.com",
        }

        data(await post(client, f"{requested['uid']}/decline", {"reason": "Full"}, olga))
        delivery = await next_delivery(receiver, 5)
        assert (delivery["triggerEvent"], delivery["payload"]["status"], delivery["payload"]["rejectionReason"]) == (
            "BOOKING_REJECTED",
            "REJECTED",
            "Full",
        )

        pending = data(await book(client, careful["id"], "2050-09-07T08:00:00Z", email="cy@example.com"), 201)
        assert (await next_delivery(receiver, 6))["triggerEvent"] == "BOOKING_REQUESTED"
        data(await post(client, f"{pending['uid']}/confirm", {}, olga))
        delivery = await next_delivery(receiver, 7)
        assert (delivery["triggerEvent"], delivery["payload"]["status"], delivery["payload"]["uid"]) == (
            "BOOKING_CREATED",
            "ACCEPTED",
            pending["uid"],
        )

        # Jumping the clock past an unrecorded claim's lease would (rightly) re-deliver it.
        await all_settled(db)
        now[0] = datetime(2050, 9, 7, 9, 30, tzinfo=UTC)
        absent = {"attendees": [{"email": "cy@example.com", "absent": True}]}
        data(await post(client, f"{pending['uid']}/mark-absent", absent, olga))
        delivery = await next_delivery(receiver, 8)
        assert delivery["triggerEvent"] == "BOOKING_NO_SHOW_UPDATED"
        assert delivery["payload"] == {
            "bookingUid": pending["uid"],
            "bookingId": pending["id"],
            "attendees": [{"email": "cy@example.com", "noShow": True}],
            "message": "cy@example.com marked as no-show",
        }
        await asyncio.sleep(0.3)
    assert [r.json()["triggerEvent"] for r in receiver.requests] == [
        "BOOKING_CREATED",
        "BOOKING_REQUESTED",
        "BOOKING_RESCHEDULED",
        "BOOKING_CANCELLED",
        "BOOKING_REJECTED",
        "BOOKING_REQUESTED",
        "BOOKING_CREATED",
        "BOOKING_NO_SHOW_UPDATED",
    ]


async def test_team_and_organization_webhooks_hear_team_bookings(
    client: httpx.AsyncClient, db: Database, dispatcher: None, receiver: Receiver, olga: TestUser
) -> None:
    async with db.write() as session:
        org = Team(name="Acme", slug="acme", is_organization=True)
        session.add(org)
        await session.flush()
        team = Team(name="Crew", slug="crew", parent_id=org.id)
        session.add(team)
        await session.flush()
        org_id, team_id = org.id, team.id
    await add_membership(db, team_id, olga.id)
    standup = await insert_team_event_type(db, team_id, "standup", [{"user_id": olga.id, "is_fixed": True}])
    await add_webhook(db, receiver.url, ["BOOKING_CREATED"], team_id=team_id, secret=SECRET)
    await add_webhook(db, receiver.url, ["BOOKING_CREATED"], team_id=org_id, secret=SECRET)
    await add_webhook(db, receiver.url, ["BOOKING_CREATED"], event_type_id=standup, secret=SECRET)
    # Deliveries fall due at the (frozen) time of the booking: they are awaited before time moves on.
    with frozen_clock(NOW):
        booked = data(await book(client, standup, "2050-09-05T08:00:00Z"), 201)
        deliveries = [signed(request) for request in await receiver.wait_for(3)]
        await asyncio.sleep(0.3)
    assert {(d["triggerEvent"], d["payload"]["uid"]) for d in deliveries} == {("BOOKING_CREATED", booked["uid"])}
    assert len(receiver.requests) == 3


async def test_oauth_client_webhooks_hear_managed_users_bookings(
    client: httpx.AsyncClient, db: Database, dispatcher: None, receiver: Receiver
) -> None:
    platform = await create_platform(db)
    await add_webhook(db, receiver.url, ["BOOKING_CREATED"], oauth_client_id=platform.client_id, secret=SECRET)
    with frozen_clock(NOW):
        managed = await create_managed_user(client, platform, email="mia@example.com", timeZone="Europe/London")
        token = {"Authorization": f"Bearer {managed['accessToken']}", **EVENT_TYPES_VERSION}
        created = await client.post(
            "/v2/event-types",
            json={"title": "Chat", "slug": "chat", "lengthInMinutes": 30, "minimumBookingNotice": 0},
            headers=token,
        )
        booked = data(await book(client, data(created, 201)["id"], "2050-09-05T08:00:00Z"), 201)
        [request] = await receiver.wait_for(1)
        await asyncio.sleep(0.3)
    delivery = signed(request)
    assert (delivery["triggerEvent"], delivery["payload"]["uid"]) == ("BOOKING_CREATED", booked["uid"])
    assert delivery["payload"]["organizer"]["id"] == managed["user"]["id"]
    assert len(receiver.requests) == 1
