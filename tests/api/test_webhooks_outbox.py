"""The outbox API other domains call inside their transactions (BEHAVIOR.md §5.1, §5.3)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from opencal.core.db import Database
from opencal.models import EventType, Team, WebhookDelivery, WebhookEvent
from opencal.webhooks.outbox import enqueue_event
from opencal.webhooks.payloads import (
    BookingFacts,
    PaymentFacts,
    Person,
    RescheduleFacts,
    booking_payload,
    no_show_updated_payload,
)
from support import add_webhook, create_platform, create_user

URL = "https://hooks.example.com/"


async def make_team(db: Database, slug: str) -> int:
    async with db.write() as session:
        team = Team(name=slug.title(), slug=slug)
        session.add(team)
        await session.flush()
        return team.id


async def make_event_type(db: Database, owner_id: int, slug: str, parent_id: int | None = None) -> int:
    async with db.write() as session:
        event_type = EventType(owner_id=owner_id, title=slug, slug=slug, length=30, parent_id=parent_id)
        session.add(event_type)
        await session.flush()
        return event_type.id


async def deliveries(db: Database) -> list[tuple[int, str]]:
    async with db.read() as session:
        found = await session.execute(
            select(WebhookDelivery.event_id, WebhookDelivery.webhook_id).order_by(WebhookDelivery.id)
        )
        return [(event_id, webhook_id) for event_id, webhook_id in found]


async def count(db: Database, model: type[WebhookEvent] | type[WebhookDelivery]) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_one_delivery_per_subscribed_webhook_of_every_concerned_owner(db: Database) -> None:
    platform = await create_platform(db)
    organizer = await create_user(db)
    stranger = await create_user(db, email="stranger@example.com")
    team_id = await make_team(db, "team")
    org_id = platform.organization_id
    parent_id = await make_event_type(db, organizer.id, "parent")
    child_id = await make_event_type(db, organizer.id, "child", parent_id=parent_id)
    created = ["BOOKING_CREATED"]
    concerned = [
        await add_webhook(db, URL + "user", created, user_id=organizer.id),
        await add_webhook(db, URL + "child", ["BOOKING_CREATED", "BOOKING_CANCELLED"], event_type_id=child_id),
        await add_webhook(db, URL + "parent", created, event_type_id=parent_id),
        await add_webhook(db, URL + "team", created, team_id=team_id),
        await add_webhook(db, URL + "org", created, team_id=org_id),
        await add_webhook(db, URL + "client", created, oauth_client_id=platform.client_id),
    ]
    # Not concerned: inactive, another trigger, another owner.
    await add_webhook(db, URL + "inactive", created, user_id=organizer.id, active=False)
    await add_webhook(db, URL + "other-trigger", ["BOOKING_CANCELLED"], user_id=organizer.id)
    await add_webhook(db, URL + "stranger", created, user_id=stranger.id)

    async with db.write() as session:
        event_id = await enqueue_event(
            session,
            "BOOKING_CREATED",
            {"uid": "b1"},
            user_id=organizer.id,
            event_type_id=child_id,
            parent_event_type_id=parent_id,
            team_ids=[team_id, org_id, None],
            oauth_client_id=platform.client_id,
            created_at=datetime(2030, 1, 8, 13, tzinfo=UTC),
        )
    assert event_id is not None
    assert sorted(await deliveries(db)) == sorted((event_id, webhook_id) for webhook_id in concerned)
    async with db.read() as session:
        event = await session.get(WebhookEvent, event_id)
        assert event is not None
        assert (event.trigger, event.payload, event.user_id) == ("BOOKING_CREATED", {"uid": "b1"}, organizer.id)
        assert event.created_at == datetime(2030, 1, 8, 13, tzinfo=UTC)
        assert event.event_type_ids == sorted([child_id, parent_id])
        assert event.team_ids == sorted([team_id, org_id])
        assert event.oauth_client_id == platform.client_id
        states = (await session.scalars(select(WebhookDelivery.state))).all()
    assert set(states) == {"pending"}


async def test_nothing_is_written_when_nobody_listens(db: Database) -> None:
    user = await create_user(db)
    await add_webhook(db, URL, ["BOOKING_CANCELLED"], user_id=user.id)
    async with db.write() as session:
        assert await enqueue_event(session, "BOOKING_CREATED", {}, user_id=user.id) is None
        assert await enqueue_event(session, "BOOKING_CREATED", {}) is None
    assert (await count(db, WebhookEvent), await count(db, WebhookDelivery)) == (0, 0)


async def test_the_event_rolls_back_with_the_change_that_reported_it(db: Database) -> None:
    user = await create_user(db)
    await add_webhook(db, URL, ["BOOKING_CREATED"], user_id=user.id)
    with pytest.raises(RuntimeError):
        async with db.write() as session:
            assert await enqueue_event(session, "BOOKING_CREATED", {"n": 1}, user_id=user.id) is not None
            raise RuntimeError("the booking failed")
    assert (await count(db, WebhookEvent), await count(db, WebhookDelivery)) == (0, 0)


async def test_an_unknown_trigger_is_a_programming_error(db: Database) -> None:
    user = await create_user(db)
    async with db.write() as session:
        with pytest.raises(ValueError, match="unknown webhook trigger 'BOOKING_CONFIRMED'"):
            await enqueue_event(session, "BOOKING_CONFIRMED", {}, user_id=user.id)


def facts(**overrides: Any) -> BookingFacts:
    base = BookingFacts(
        booking_id=91,
        uid="abc123",
        title="Intro between Olga and Bea",
        start=datetime(2030, 7, 8, 13, 0, tzinfo=UTC),
        end=datetime(2030, 7, 8, 13, 30, tzinfo=UTC),
        organizer=Person(
            email="olga@example.com", name="Olga", time_zone="Europe/Rome", id=5, username="olga", time_format=24
        ),
        attendees=[Person(email="bea@example.com", name="Bea Smith", time_zone="America/New_York", locale="fr")],
        event_type_id=7,
        event_type_slug="intro",
        event_title="Intro",
        length=30,
        additional_notes="See you",
        location="https://meet.example.com/x",
        responses={"name": "Bea Smith", "email": "bea@example.com"},
        metadata={"videoCallUrl": "https://meet.example.com/x"},
    )
    return dataclasses.replace(base, **overrides)


def test_booking_created_payload() -> None:
    payload = booking_payload("BOOKING_CREATED", facts())
    assert payload == {
        "type": "intro",
        "title": "Intro between Olga and Bea",
        "description": "See you",
        "additionalNotes": "See you",
        "customInputs": {},
        "startTime": "2030-07-08T13:00:00Z",
        "endTime": "2030-07-08T13:30:00Z",
        "organizer": {
            "name": "Olga",
            "email": "olga@example.com",
            "id": 5,
            "username": "olga",
            "timeFormat": "HH:mm",
            "timeZone": "Europe/Rome",
            "language": {"locale": "en"},
            "utcOffset": 120,
        },
        "responses": {"name": "Bea Smith", "email": "bea@example.com"},
        "userFieldsResponses": {},
        "attendees": [
            {
                "name": "Bea Smith",
                "email": "bea@example.com",
                "firstName": "Bea",
                "lastName": "Smith",
                "phoneNumber": None,
                "timeZone": "America/New_York",
                "language": {"locale": "fr"},
                "utcOffset": -240,
            }
        ],
        "location": "https://meet.example.com/x",
        "uid": "abc123",
        "iCalUID": None,
        "eventTypeId": 7,
        "bookingId": 91,
        "status": "ACCEPTED",
        "eventTitle": "Intro",
        "eventDescription": None,
        "requiresConfirmation": False,
        "price": 0,
        "currency": "usd",
        "length": 30,
        "smsReminderNumber": None,
        "metadata": {"videoCallUrl": "https://meet.example.com/x"},
    }


def test_status_and_extra_fields_per_trigger() -> None:
    assert booking_payload("BOOKING_REQUESTED", facts(status="PENDING"))["status"] == "PENDING"
    assert booking_payload("BOOKING_PAYMENT_INITIATED", facts(status="PENDING"))["status"] == "PENDING"
    cancelled = booking_payload(
        "BOOKING_CANCELLED", facts(), cancelled_by="olga@example.com", cancellation_reason="ill"
    )
    assert (cancelled["status"], cancelled["cancelledBy"], cancelled["cancellationReason"]) == (
        "CANCELLED",
        "olga@example.com",
        "ill",
    )
    assert cancelled["requestReschedule"] is False
    rejected = booking_payload("BOOKING_REJECTED", facts(), rejection_reason="busy")
    assert (rejected["status"], rejected["rejectionReason"]) == ("REJECTED", "busy")
    rescheduled = booking_payload(
        "BOOKING_RESCHEDULED",
        facts(),
        reschedule=RescheduleFacts(
            booking_id=90,
            uid="old",
            start=datetime(2030, 7, 7, 9, tzinfo=UTC),
            end=datetime(2030, 7, 7, 9, 30, tzinfo=UTC),
            rescheduled_by="bea@example.com",
        ),
    )
    assert {k: rescheduled[k] for k in rescheduled if k.startswith("reschedule")} == {
        "rescheduleId": 90,
        "rescheduleUid": "old",
        "rescheduleStartTime": "2030-07-07T09:00:00Z",
        "rescheduleEndTime": "2030-07-07T09:30:00Z",
        "rescheduledBy": "bea@example.com",
    }
    paid = booking_payload("BOOKING_PAID", facts(), payment=PaymentFacts(payment_id=3, data={"amount": 500}))
    assert (paid["status"], paid["paymentId"], paid["paymentData"]) == ("ACCEPTED", 3, {"amount": 500})
    assert "cancelledBy" not in paid and "rescheduleUid" not in paid


def test_no_show_payload() -> None:
    assert no_show_updated_payload(
        booking_uid="abc123", booking_id=91, attendees=[("bea@example.com", True)], message="x marked"
    ) == {
        "bookingUid": "abc123",
        "bookingId": 91,
        "attendees": [{"email": "bea@example.com", "noShow": True}],
        "message": "x marked",
    }
