"""Payloads of the booking triggers (BEHAVIOR.md §5.3, webhook version 2021-10-20).

Built from plain data, so the booking service fills `BookingFacts` from its own models and passes
the result to `opencal.webhooks.outbox.enqueue_event` in the same transaction:

    payload = booking_payload("BOOKING_CANCELLED", facts, cancelled_by=email, cancellation_reason=reason)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The `status` a trigger reports; other triggers report the booking's own status.
_STATUS_BY_TRIGGER = {
    "BOOKING_CREATED": "ACCEPTED",
    "BOOKING_RESCHEDULED": "ACCEPTED",
    "BOOKING_PAID": "ACCEPTED",
    "BOOKING_REQUESTED": "PENDING",
    "BOOKING_CANCELLED": "CANCELLED",
    "BOOKING_REJECTED": "REJECTED",
}


@dataclass(frozen=True, slots=True)
class Person:
    """The organizer or an attendee; `id`, `username` and `time_format` only concern the organizer."""

    email: str
    name: str | None
    time_zone: str
    locale: str | None = None
    id: int | None = None
    username: str | None = None
    time_format: int | None = None
    phone_number: str | None = None


@dataclass(frozen=True, slots=True)
class BookingFacts:
    booking_id: int
    uid: str
    title: str
    start: datetime
    end: datetime
    organizer: Person
    attendees: Sequence[Person]
    status: str = "ACCEPTED"
    event_type_id: int | None = None
    event_type_slug: str | None = None
    event_title: str | None = None
    event_description: str | None = None
    length: int | None = None
    description: str | None = None
    additional_notes: str | None = None
    location: str | None = None
    responses: Mapping[str, Any] = field(default_factory=dict)
    user_fields_responses: Mapping[str, Any] = field(default_factory=dict)
    custom_inputs: Mapping[str, Any] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)
    requires_confirmation: bool = False
    price: int = 0
    currency: str = "usd"
    sms_reminder_number: str | None = None
    ical_uid: str | None = None


@dataclass(frozen=True, slots=True)
class RescheduleFacts:
    """The booking a reschedule replaced."""

    booking_id: int
    uid: str
    start: datetime
    end: datetime
    rescheduled_by: str | None = None


@dataclass(frozen=True, slots=True)
class PaymentFacts:
    payment_id: int
    data: Mapping[str, Any] = field(default_factory=dict)


def booking_payload(
    trigger: str,
    booking: BookingFacts,
    *,
    cancelled_by: str | None = None,
    cancellation_reason: str | None = None,
    request_reschedule: bool = False,
    rejection_reason: str | None = None,
    reschedule: RescheduleFacts | None = None,
    payment: PaymentFacts | None = None,
) -> dict[str, Any]:
    """The `payload` of a BOOKING_* trigger other than BOOKING_NO_SHOW_UPDATED."""
    payload: dict[str, Any] = {
        "type": booking.event_type_slug,
        "title": booking.title,
        # Cal.com falls back to the attendee's notes when the booking has no description.
        "description": booking.description or booking.additional_notes,
        "additionalNotes": booking.additional_notes,
        "customInputs": dict(booking.custom_inputs),
        "startTime": _calendar_time(booking.start),
        "endTime": _calendar_time(booking.end),
        "organizer": _person(booking.organizer, booking.start, organizer=True),
        "responses": dict(booking.responses),
        "userFieldsResponses": dict(booking.user_fields_responses),
        "attendees": [_person(attendee, booking.start, organizer=False) for attendee in booking.attendees],
        "location": booking.location,
        "uid": booking.uid,
        "iCalUID": booking.ical_uid,
        "eventTypeId": booking.event_type_id,
        "bookingId": booking.booking_id,
        "status": _STATUS_BY_TRIGGER.get(trigger, booking.status),
        "eventTitle": booking.event_title,
        "eventDescription": booking.event_description,
        "requiresConfirmation": booking.requires_confirmation,
        "price": booking.price,
        "currency": booking.currency,
        "length": booking.length,
        "smsReminderNumber": booking.sms_reminder_number,
        "metadata": dict(booking.metadata),
    }
    if trigger == "BOOKING_CANCELLED":
        payload.update(
            cancelledBy=cancelled_by, cancellationReason=cancellation_reason, requestReschedule=request_reschedule
        )
    if trigger == "BOOKING_REJECTED":
        payload["rejectionReason"] = rejection_reason
    if reschedule is not None:
        payload.update(
            rescheduleId=reschedule.booking_id,
            rescheduleUid=reschedule.uid,
            rescheduleStartTime=_calendar_time(reschedule.start),
            rescheduleEndTime=_calendar_time(reschedule.end),
            rescheduledBy=reschedule.rescheduled_by,
        )
    if payment is not None:
        payload.update(paymentId=payment.payment_id, paymentData=dict(payment.data))
    return payload


def no_show_updated_payload(
    *, booking_uid: str, booking_id: int | None, attendees: Sequence[tuple[str, bool]], message: str
) -> dict[str, Any]:
    """The `payload` of BOOKING_NO_SHOW_UPDATED: `attendees` are (email, no-show) pairs."""
    return {
        "bookingUid": booking_uid,
        "bookingId": booking_id,
        "attendees": [{"email": email, "noShow": no_show} for email, no_show in attendees],
        "message": message,
    }


def _person(person: Person, at: datetime, *, organizer: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"name": person.name, "email": person.email}
    if organizer:
        out.update(id=person.id, username=person.username)
        if person.time_format is not None:
            out["timeFormat"] = "HH:mm" if person.time_format == 24 else "h:mma"
    else:
        first, _, last = (person.name or "").partition(" ")
        out.update(firstName=first, lastName=last, phoneNumber=person.phone_number)
    out.update(
        timeZone=person.time_zone,
        language={"locale": person.locale or "en"},
        utcOffset=_utc_offset_minutes(person.time_zone, at),
    )
    return out


def _calendar_time(value: datetime) -> str:
    """Booking instants as the calendar event carries them: `2030-01-08T13:00:00Z`."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc_offset_minutes(time_zone: str, at: datetime) -> int | None:
    try:
        offset = at.astimezone(ZoneInfo(time_zone)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return int(offset.total_seconds() // 60) if offset is not None else None
