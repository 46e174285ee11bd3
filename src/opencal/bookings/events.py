"""Booking webhooks, written to the outbox in the transaction of the change (BEHAVIOR.md §5).

Every event goes to the webhooks of the organizer, of the event type (and its managed parent), of
the event type's team and organization (or the organizer's organization), and of the OAuth client
that manages the organizer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from opencal.bookings.output import BookingContext, user_metadata
from opencal.models import Attendee, Booking, Team
from opencal.webhooks.outbox import enqueue_event
from opencal.webhooks.payloads import (
    BookingFacts,
    Person,
    RescheduleFacts,
    booking_payload,
    no_show_updated_payload,
)


def booking_facts(
    booking: Booking, context: BookingContext, attendees: Sequence[Attendee] | None = None
) -> BookingFacts:
    organizer = context.organizer
    event_type = context.event_type
    responses = booking.responses or {}
    custom = {
        str(field.get("name"))
        for field in (event_type.booking_fields if event_type is not None else None) or []
        if not str(field.get("editable") or "").startswith("system")
    }
    people = attendees if attendees is not None else [a for a in booking.attendees if not a.is_host]
    return BookingFacts(
        booking_id=booking.id,
        uid=booking.uid,
        title=booking.title,
        start=booking.start_time,
        end=booking.end_time,
        organizer=Person(
            email=organizer.email if organizer else "",
            name=organizer.name if organizer else None,
            time_zone=organizer.time_zone if organizer else "UTC",
            locale=organizer.locale if organizer else None,
            id=organizer.id if organizer else None,
            username=organizer.username if organizer else None,
            time_format=organizer.time_format if organizer else None,
        ),
        attendees=[
            Person(
                email=a.email,
                name=a.name,
                time_zone=a.time_zone,
                locale=a.locale,
                phone_number=a.phone_number,
            )
            for a in people
        ],
        status=booking.status,
        event_type_id=booking.event_type_id,
        event_type_slug=event_type.slug if event_type else None,
        event_title=event_type.title if event_type else None,
        event_description=event_type.description if event_type else None,
        length=int((booking.end_time - booking.start_time).total_seconds() // 60),
        description=booking.description,
        additional_notes=responses.get("notes") if isinstance(responses.get("notes"), str) else None,
        location=booking.location,
        responses=responses,
        user_fields_responses={key: value for key, value in responses.items() if key in custom},
        metadata=user_metadata(booking.metadata_),
        requires_confirmation=bool(event_type and event_type.requires_confirmation),
        price=event_type.price if event_type else 0,
        currency=event_type.currency if event_type else "usd",
        sms_reminder_number=responses.get("smsReminderNumber"),
        ical_uid=booking.ics_uid,
    )


async def _send(session: AsyncSession, trigger: str, payload: dict[str, Any], context: BookingContext) -> None:
    organizer = context.organizer
    event_type = context.event_type
    team_ids: list[int | None] = []
    if event_type is not None and event_type.team_id is not None:
        team = await session.get(Team, event_type.team_id)
        team_ids = [event_type.team_id, team.parent_id if team else None]
    elif organizer is not None:
        team_ids = [organizer.organization_id]
    await enqueue_event(
        session,
        trigger,
        payload,
        user_id=organizer.id if organizer else None,
        event_type_id=event_type.id if event_type else None,
        parent_event_type_id=event_type.parent_id if event_type else None,
        team_ids=team_ids,
        oauth_client_id=organizer.oauth_client_id if organizer else None,
    )


async def booking_event(
    session: AsyncSession,
    trigger: str,
    booking: Booking,
    context: BookingContext,
    *,
    attendees: Sequence[Attendee] | None = None,
    cancelled_by: str | None = None,
    cancellation_reason: str | None = None,
    rejection_reason: str | None = None,
    rescheduled_from: Booking | None = None,
) -> None:
    """BOOKING_CREATED / REQUESTED / RESCHEDULED / CANCELLED / REJECTED for `booking`."""
    reschedule = (
        RescheduleFacts(
            booking_id=rescheduled_from.id,
            uid=rescheduled_from.uid,
            start=rescheduled_from.start_time,
            end=rescheduled_from.end_time,
            rescheduled_by=booking.rescheduled_by_email,
        )
        if rescheduled_from is not None
        else None
    )
    payload = booking_payload(
        trigger,
        booking_facts(booking, context, attendees),
        cancelled_by=cancelled_by,
        cancellation_reason=cancellation_reason or booking.cancellation_reason,
        rejection_reason=rejection_reason,
        reschedule=reschedule,
    )
    await _send(session, trigger, payload, context)


async def no_show_event(
    session: AsyncSession, booking: Booking, context: BookingContext, changes: Sequence[tuple[str, bool]], message: str
) -> None:
    payload = no_show_updated_payload(
        booking_uid=booking.uid, booking_id=booking.id, attendees=changes, message=message
    )
    await _send(session, "BOOKING_NO_SHOW_UPDATED", payload, context)
