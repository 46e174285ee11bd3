"""'Add to calendar' links and the references integrations keep to a booking.

The links are built from the booking itself: Google Calendar and Outlook (Microsoft 365 and
Outlook.com) compose pages with the title, times, description and location filled in, and an ICS
file (written with `icalendar`) as a `data:` URL. References list the calendar events and video
meetings integrations created for the booking: none until a calendar or video integration writes
them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from icalendar import Calendar, Event, vCalAddress, vText
from sqlalchemy import select

from opencal.bookings.access import can_manage
from opencal.bookings.output import display_email
from opencal.bookings.service import booking_by_uid
from opencal.core.auth import Principal
from opencal.core.db import Database
from opencal.core.errors import BadRequest, Forbidden, NotFound
from opencal.event_types.mapping import recurrence_output
from opencal.models import Booking, BookingReference, User
from opencal.models.bookings import CANCELLED, PENDING, REJECTED
from opencal.models.event_types import EventType

GOOGLE = "https://calendar.google.com/calendar/r/eventedit"
OFFICE = "https://outlook.office.com/calendar/0/deeplink/compose"
OUTLOOK = "https://outlook.live.com/calendar/0/deeplink/compose"
_ICS_STATUS = {PENDING: "TENTATIVE", CANCELLED: "CANCELLED", REJECTED: "CANCELLED"}
_RRULE_FREQUENCY = {"weekly": "WEEKLY", "monthly": "MONTHLY", "yearly": "YEARLY"}


def _compact(moment: Any) -> str:
    return str(moment.strftime("%Y%m%dT%H%M%SZ"))


def _iso(moment: Any) -> str:
    return str(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _url(base: str, params: dict[str, str]) -> str:
    return f"{base}?{urlencode(params, quote_via=quote)}"


def _recurrence_rule(event_type: EventType, booking: Booking) -> dict[str, Any] | None:
    recurrence = recurrence_output(event_type.recurring_event) if booking.recurring_booking_uid else None
    if recurrence is None:
        return None
    return {
        "FREQ": _RRULE_FREQUENCY[recurrence["frequency"]],
        "INTERVAL": recurrence["interval"],
        "COUNT": recurrence["occurrences"],
    }


def ics_file(booking: Booking, event_type: EventType, organizer: User | None) -> str:
    """The booking as one VEVENT of an iCalendar file."""
    calendar = Calendar()
    calendar.add("prodid", "-//opencal//bookings//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", booking.ics_uid or f"{booking.uid}@opencal")
    event.add("dtstamp", booking.created_at)
    event.add("dtstart", booking.start_time)
    event.add("dtend", booking.end_time)
    event.add("summary", booking.title)
    if booking.description or event_type.description:
        event.add("description", booking.description or event_type.description)
    if booking.location:
        event.add("location", booking.location)
    event.add("status", _ICS_STATUS.get(booking.status, "CONFIRMED"))
    rule = _recurrence_rule(event_type, booking)
    if rule is not None:
        event.add("rrule", rule)
    if organizer is not None:
        address = vCalAddress(f"mailto:{display_email(organizer.email)}")
        address.params["cn"] = vText(organizer.name or organizer.username)
        event.add("organizer", address)
    for attendee in booking.attendees:
        address = vCalAddress(f"mailto:{display_email(attendee.email)}")
        address.params["cn"] = vText(attendee.name or attendee.email)
        event.add("attendee", address)
    calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics.decode()


def calendar_links(booking: Booking, event_type: EventType, organizer: User | None) -> list[dict[str, str]]:
    title = booking.title
    details = booking.description or event_type.description or ""
    location = booking.location or ""
    google = {"dates": f"{_compact(booking.start_time)}/{_compact(booking.end_time)}", "text": title}
    if details:
        google["details"] = details
    if location:
        google["location"] = location
    rule = _recurrence_rule(event_type, booking)
    if rule is not None:
        google["recur"] = "RRULE:" + ";".join(f"{key}={value}" for key, value in rule.items())
    compose = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "startdt": _iso(booking.start_time),
        "enddt": _iso(booking.end_time),
        "subject": title,
        "body": details,
        "location": location,
    }
    return [
        {"label": "Google Calendar", "link": _url(GOOGLE, google)},
        {"label": "Microsoft Office", "link": _url(OFFICE, compose)},
        {"label": "Microsoft Outlook", "link": _url(OUTLOOK, compose)},
        {"label": "ICS", "link": "data:text/calendar," + quote(ics_file(booking, event_type, organizer))},
    ]


async def get_calendar_links(db: Database, uid: str) -> list[dict[str, str]]:
    async with db.read() as session:
        booking = await booking_by_uid(session, uid)
        if booking is None:
            raise NotFound(f"Booking with uid {uid} not found")
        event_type = await session.get(EventType, booking.event_type_id) if booking.event_type_id else None
        if event_type is None:
            raise BadRequest(f"Booking with uid {uid} has no event type")
        organizer = await session.get(User, booking.user_id) if booking.user_id is not None else None
        return calendar_links(booking, event_type, organizer)


async def get_references(db: Database, uid: str, principal: Principal, kind: str | None) -> list[dict[str, Any]]:
    async with db.read() as session:
        booking = await booking_by_uid(session, uid)
        if booking is None:
            raise NotFound(f"Booking with uid {uid} not found")
        event_type = await session.get(EventType, booking.event_type_id) if booking.event_type_id else None
        if not await can_manage(session, principal, booking, event_type):
            raise Forbidden(f"User with id={principal.user_id} is not allowed to read the references of booking {uid}")
        query = select(BookingReference).where(BookingReference.booking_id == booking.id)
        if kind is not None:
            query = query.where(BookingReference.type == kind)
        references = (await session.scalars(query.order_by(BookingReference.id))).all()
        return [
            {
                "type": reference.type,
                "eventUid": reference.uid,
                "destinationCalendarId": reference.external_calendar_id,
                "id": reference.id,
            }
            for reference in references
        ]
