"""Scheduling tasks for conversational (voice and chat) agents, on any Cal.com API v2 server.

Each task takes the loose arguments an agent collects in a conversation (a day in ISO form, the
caller's time zone, a name and a phone number), checks them all at once so the agent learns
everything that is missing in one answer, calls the real API operations, and answers with short
local times an agent can read out. The MCP task tools and `appointments/manage` both run these.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from opencal.agents.calapi import CalApi
from opencal.core.envelope import iso_utc

SLOTS_VERSION = "2024-09-04"
BOOKINGS_VERSION = "2024-08-13"
GET_SLOTS = "SlotsController_2024_09_04_getAvailableSlots"
CREATE_BOOKING = "BookingsController_2024_08_13_createBooking"
RESCHEDULE_BOOKING = "BookingsController_2024_08_13_rescheduleBooking"
CANCEL_BOOKING = "BookingsController_2024_08_13_cancelBooking"
LIST_BOOKINGS = "BookingsController_2024_08_13_getBookings"

MAX_RESULTS_LIMIT = 50
BOOKINGS_PAGE = 100
# Phone lookups scan the upcoming bookings page by page (the API filters by email only).
MAX_PHONE_SCAN_PAGES = 20

JsonSchema = dict[str, Any]


class TaskInputError(ValueError):
    """The arguments cannot make a request; the message lists everything to fix."""


@dataclass(frozen=True)
class Task:
    name: str
    description: str
    input_schema: JsonSchema
    # The API operations the task calls: it is offered only where all of them are served.
    operation_ids: tuple[str, ...]
    run: Callable[[CalApi, Mapping[str, Any]], Awaitable[dict[str, Any]]]


# -- reading arguments ---------------------------------------------------------------------------


class _Arguments:
    """Reads one call's arguments, collecting every problem before reporting them together."""

    def __init__(self, arguments: Mapping[str, Any], schema: JsonSchema) -> None:
        self._args = arguments
        self.problems: list[str] = []
        accepted = list(schema.get("properties", {}))
        unknown = sorted(set(arguments) - set(accepted))
        if unknown:
            self.problems.append(f"unknown argument(s) {', '.join(unknown)} (accepted: {', '.join(accepted)})")

    def present(self, name: str) -> bool:
        return self._args.get(name) not in (None, "")

    def text(self, name: str, *, missing: str | None = None) -> str | None:
        value = self._args.get(name)
        if value in (None, ""):
            if missing:
                self.problems.append(f"missing {name}: {missing}")
            return None
        if not isinstance(value, str):
            self.problems.append(f"{name} must be a string")
            return None
        return value.strip()

    def integer(self, name: str, *, minimum: int = 1, maximum: int | None = None) -> int | None:
        value = self._args.get(name)
        if value in (None, ""):
            return None
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.append(f"{name} must be a whole number")
            return None
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            self.problems.append(f"{name} must be {bound}")
            return None
        return value

    def strings(self, name: str) -> list[str] | None:
        value = self._args.get(name)
        if value in (None, ""):
            return None
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problems.append(f"{name} must be a list of strings")
            return None
        return list(value)

    def time_zone(self, *, required: bool) -> ZoneInfo | None:
        name = self.text(
            "time_zone",
            missing="the caller's IANA time zone, for example Europe/London or America/New_York" if required else None,
        )
        if name is None:
            return None if required else ZoneInfo("UTC")
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a directory or an overlong name
            self.problems.append(f"time_zone '{name}' is not an IANA time zone (for example Europe/London)")
            return None

    def instant(self, name: str, zone: ZoneInfo | None, *, missing: str | None = None) -> datetime | None:
        """An ISO date-time; without an offset it is a wall-clock time in `zone`."""
        text = self.text(name, missing=missing)
        if text is None:
            return None
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            self.problems.append(f"{name} '{text}' is not an ISO date-time such as 2030-01-08T09:00")
            return None
        if value.tzinfo is None:
            if zone is None:
                return None  # the time zone problem is reported already
            value = value.replace(tzinfo=zone)
        return value

    def raise_problems(self, task: str) -> None:
        if self.problems:
            raise TaskInputError(f"{task} cannot run: " + "; ".join(self.problems) + ".")


def _event_type_params(args: _Arguments) -> dict[str, Any]:
    """How the slots and bookings operations identify the event type."""
    event_type_id = args.integer("event_type_id")
    slug = args.text("event_type_slug")
    username = args.text("username")
    team_slug = args.text("team_slug")
    organization_slug = args.text("organization_slug")
    if event_type_id is not None:
        return {"eventTypeId": event_type_id}
    if slug and (username or team_slug):
        params: dict[str, Any] = {"eventTypeSlug": slug}
        params.update({"username": username} if username else {"teamSlug": team_slug})
        if organization_slug:
            params["organizationSlug"] = organization_slug
        return params
    if slug:
        args.problems.append("missing username (or team_slug): whose event type event_type_slug names")
    elif not args.present("event_type_id"):
        args.problems.append("missing event type: give event_type_id, or event_type_slug with username (or team_slug)")
    return {}


def _local_day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def _window(args: _Arguments, zone: ZoneInfo | None) -> tuple[datetime, datetime] | None:
    """The local period to search: `date` (a day or `first/last` days) or `start` [+ `end`]."""
    if zone is None:
        return None
    day_text = args.text("date")
    if day_text and (args.present("start") or args.present("end")):
        args.problems.append("give either date, or start and end, not both")
        return None
    if day_text:
        first_text, _, last_text = day_text.partition("/")
        try:
            first = date.fromisoformat(first_text.strip())
            last = date.fromisoformat(last_text.strip()) if last_text else first
        except ValueError:
            args.problems.append(f"date '{day_text}' is not an ISO day such as 2030-01-08 (or 2030-01-08/2030-01-10)")
            return None
        if last < first:
            args.problems.append("date: the last day comes before the first")
            return None
        return _local_day_start(first, zone), _local_day_start(last + timedelta(days=1), zone)
    start = _bound(args, "start", zone, end_of_day=False)
    if start is None:
        if not args.present("start"):
            args.problems.append("missing date: the day to search (2030-01-08), or start and end")
        return None
    end = _bound(args, "end", zone, end_of_day=True)
    if end is None and not args.present("end"):
        local = start.astimezone(zone)
        end = _local_day_start(local.date() + timedelta(days=1), zone)
    if end is None:
        return None
    if end <= start:
        args.problems.append("end must be after start")
        return None
    return start, end


def _bound(args: _Arguments, name: str, zone: ZoneInfo, *, end_of_day: bool) -> datetime | None:
    text = args.text(name)
    if text is None:
        return None
    if len(text) == 10:  # a bare day: its first instant, or the first instant after it
        try:
            day = date.fromisoformat(text)
        except ValueError:
            args.problems.append(f"{name} '{text}' is not an ISO day or date-time")
            return None
        return _local_day_start(day + timedelta(days=1) if end_of_day else day, zone)
    return args.instant(name, zone)


# -- answers ------------------------------------------------------------------------------------


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def spoken(moment: datetime) -> str:
    """`Tuesday, January 8 at 9:00 AM`: how an agent reads a time out (English, whatever the locale)."""
    hour = moment.hour % 12 or 12
    meridiem = "AM" if moment.hour < 12 else "PM"
    return f"{_WEEKDAYS[moment.weekday()]}, {_MONTHS[moment.month - 1]} {moment.day} at {hour}:{moment:%M} {meridiem}"


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds")


def _parse_instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _meeting(booking: Mapping[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    start, end = _parse_instant(booking.get("start")), _parse_instant(booking.get("end"))
    meeting: dict[str, Any] = {
        "booking_uid": booking.get("uid"),
        "title": booking.get("title"),
        "status": booking.get("status"),
        "start": _local(start, zone) if start else booking.get("start"),
        "end": _local(end, zone) if end else booking.get("end"),
        "spoken": spoken(start.astimezone(zone)) if start else None,
        "attendees": [a.get("name") for a in booking.get("attendees") or [] if isinstance(a, dict)],
    }
    for source, target in (("location", "location"), ("meetingUrl", "meeting_url")):
        if booking.get(source):
            meeting[target] = booking[source]
    return meeting


def _meetings_answer(data: Any, zone: ZoneInfo) -> dict[str, Any]:
    """A booking, or the occurrences of a recurring booking."""
    if isinstance(data, list):
        meetings = [_meeting(item, zone) for item in data if isinstance(item, dict)]
        return {"time_zone": zone.key, "meetings": meetings}
    booking = data if isinstance(data, dict) else {}
    return {"time_zone": zone.key, **_meeting(booking, zone)}


# -- tasks --------------------------------------------------------------------------------------

_EVENT_TYPE_PROPERTIES: JsonSchema = {
    "event_type_id": {"type": "integer", "description": "Id of the event type (meeting kind) to book."},
    "event_type_slug": {
        "type": "string",
        "description": "Slug of the event type, e.g. 'intro-call'; needs username or team_slug.",
    },
    "username": {"type": "string", "description": "Username of the host whose event_type_slug it is."},
    "team_slug": {"type": "string", "description": "Slug of the team whose event_type_slug it is."},
    "organization_slug": {"type": "string", "description": "Slug of the host's organization, if any."},
}
_TIME_ZONE = {
    "type": "string",
    "description": "The caller's IANA time zone, e.g. Europe/London. Times are read and answered in it.",
}


async def find_open_times(api: CalApi, arguments: Mapping[str, Any]) -> dict[str, Any]:
    args = _Arguments(arguments, FIND_OPEN_TIMES_SCHEMA)
    zone = args.time_zone(required=True)
    identity = _event_type_params(args)
    window = _window(args, zone)
    preferred = args.instant("preferred_time", zone)
    duration = args.integer("duration_minutes")
    limit = args.integer("max_results", maximum=MAX_RESULTS_LIMIT) or 10
    args.raise_problems("find_open_times")
    assert zone is not None and window is not None
    first, after_last = window
    params: dict[str, Any] = {
        **identity,
        "start": iso_utc(first),
        # One second before the window ends: an `end` at exactly midnight UTC would stretch to the
        # end of that next day.
        "end": iso_utc(after_last - timedelta(seconds=1)),
        "timeZone": zone.key,
    }
    if duration is not None:
        params["duration"] = duration
    data = await api.request("GET", "/v2/slots", version=SLOTS_VERSION, params=params)
    starts = sorted(
        moment
        for day in (data or {}).values()
        if isinstance(day, list)
        for slot in day
        if isinstance(slot, dict) and (moment := _parse_instant(slot.get("start"))) is not None
        if first <= moment < after_last
    )
    chosen = sorted(starts, key=lambda moment: abs(moment - preferred))[:limit] if preferred else starts[:limit]
    return {
        "time_zone": zone.key,
        "open_times": [{"start": _local(moment, zone), "spoken": spoken(moment.astimezone(zone))} for moment in chosen],
        "total_open_times": len(starts),
        "more_available": len(starts) > len(chosen),
    }


async def book_meeting(api: CalApi, arguments: Mapping[str, Any]) -> dict[str, Any]:
    args = _Arguments(arguments, BOOK_MEETING_SCHEMA)
    zone = args.time_zone(required=True)
    identity = _event_type_params(args)
    start = args.instant("start", zone, missing="the chosen time, e.g. a start from find_open_times")
    name = args.text("name", missing="the attendee's full name")
    email, phone = args.text("email"), args.text("phone")
    if not email and not phone:
        args.problems.append("missing email or phone: how to reach the attendee (at least one)")
    notes = args.text("notes")
    guests = args.strings("guests")
    duration = args.integer("duration_minutes")
    args.raise_problems("book_meeting")
    assert zone is not None and start is not None
    attendee: dict[str, Any] = {"name": name, "timeZone": zone.key}
    if email:
        attendee["email"] = email
    if phone:
        attendee["phoneNumber"] = phone
    body: dict[str, Any] = {"start": iso_utc(start), **identity, "attendee": attendee}
    if duration is not None:
        body["lengthInMinutes"] = duration
    if guests:
        body["guests"] = guests
    if notes:
        body["bookingFieldsResponses"] = {"notes": notes}
    data = await api.request("POST", "/v2/bookings", version=BOOKINGS_VERSION, json=body)
    return _meetings_answer(data, zone)


async def reschedule_meeting(api: CalApi, arguments: Mapping[str, Any]) -> dict[str, Any]:
    args = _Arguments(arguments, RESCHEDULE_MEETING_SCHEMA)
    uid = args.text("booking_uid", missing="the meeting to move (booking_uid from list_upcoming_meetings)")
    zone = args.time_zone(required=True)
    start = args.instant("start", zone, missing="the new time, e.g. a start from find_open_times")
    reason = args.text("reason")
    rescheduled_by = args.text("rescheduled_by")
    args.raise_problems("reschedule_meeting")
    assert uid is not None and zone is not None and start is not None
    body: dict[str, Any] = {"start": iso_utc(start)}
    if reason:
        body["reschedulingReason"] = reason
    if rescheduled_by:
        body["rescheduledBy"] = rescheduled_by
    data = await api.request("POST", f"/v2/bookings/{_segment(uid)}/reschedule", version=BOOKINGS_VERSION, json=body)
    return {**_meetings_answer(data, zone), "previous_booking_uid": uid}


async def cancel_meeting(api: CalApi, arguments: Mapping[str, Any]) -> dict[str, Any]:
    args = _Arguments(arguments, CANCEL_MEETING_SCHEMA)
    uid = args.text("booking_uid", missing="the meeting to cancel (booking_uid from list_upcoming_meetings)")
    reason = args.text("reason")
    zone = args.time_zone(required=False)
    args.raise_problems("cancel_meeting")
    assert uid is not None and zone is not None
    body = {"cancellationReason": reason} if reason else {}
    data = await api.request("POST", f"/v2/bookings/{_segment(uid)}/cancel", version=BOOKINGS_VERSION, json=body)
    return _meetings_answer(data, zone)


async def list_upcoming_meetings(api: CalApi, arguments: Mapping[str, Any]) -> dict[str, Any]:
    args = _Arguments(arguments, LIST_UPCOMING_SCHEMA)
    email, phone = args.text("email"), args.text("phone")
    if not email and not phone:
        args.problems.append("missing email or phone: the attendee whose meetings to list")
    zone = args.time_zone(required=False)
    limit = args.integer("max_results", maximum=MAX_RESULTS_LIMIT) or 10
    args.raise_problems("list_upcoming_meetings")
    assert zone is not None
    base = {"status": "upcoming", "sortStart": "asc"}
    if email:
        page = await api.envelope(
            "GET", "/v2/bookings", version=BOOKINGS_VERSION, params={**base, "attendeeEmail": email, "take": limit}
        )
        bookings = [b for b in page.get("data") or [] if isinstance(b, dict)]
    else:
        assert phone is not None
        bookings = await _bookings_with_phone(api, base, phone, limit)
    meetings = [_meeting(booking, zone) for booking in bookings[:limit]]
    return {"time_zone": zone.key, "meetings": meetings, "count": len(meetings)}


async def _bookings_with_phone(api: CalApi, base: dict[str, Any], phone: str, limit: int) -> list[dict[str, Any]]:
    wanted = _digits(phone)
    found: list[dict[str, Any]] = []
    for page_number in range(MAX_PHONE_SCAN_PAGES):
        page = await api.envelope(
            "GET",
            "/v2/bookings",
            version=BOOKINGS_VERSION,
            params={**base, "take": BOOKINGS_PAGE, "skip": page_number * BOOKINGS_PAGE},
        )
        found.extend(b for b in page.get("data") or [] if isinstance(b, dict) and _has_phone(b, wanted))
        pagination = page.get("pagination") or {}
        if len(found) >= limit or not pagination.get("hasNextPage"):
            break
    return found


def _has_phone(booking: Mapping[str, Any], digits: str) -> bool:
    numbers = [a.get("phoneNumber") for a in booking.get("attendees") or [] if isinstance(a, dict)]
    responses = booking.get("bookingFieldsResponses")
    if isinstance(responses, dict):
        numbers.append(responses.get("attendeePhoneNumber"))
    return any(isinstance(number, str) and _digits(number) == digits for number in numbers)


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


def _segment(uid: str) -> str:
    return quote(uid, safe="")


# -- schemas and the task list -----------------------------------------------------------------

FIND_OPEN_TIMES_SCHEMA: JsonSchema = {
    "type": "object",
    "properties": {
        **_EVENT_TYPE_PROPERTIES,
        "time_zone": _TIME_ZONE,
        "date": {
            "type": "string",
            "description": "The day to search, e.g. 2030-01-08, or a range of days such as 2030-01-08/2030-01-10.",
        },
        "start": {
            "type": "string",
            "description": "Instead of date: search from this day or local time (e.g. 2030-01-08T13:00).",
        },
        "end": {"type": "string", "description": "With start: search until this day (included) or local time."},
        "preferred_time": {
            "type": "string",
            "description": "The time the caller would like (e.g. 2030-01-08T15:00): answers the closest times first.",
        },
        "duration_minutes": {"type": "integer", "description": "Meeting length, for event types with several."},
        "max_results": {"type": "integer", "description": "How many times to answer (default 10, at most 50)."},
    },
    "required": ["time_zone"],
}
BOOK_MEETING_SCHEMA: JsonSchema = {
    "type": "object",
    "properties": {
        **_EVENT_TYPE_PROPERTIES,
        "start": {
            "type": "string",
            "description": "The chosen time: a start answered by find_open_times, or a local time such as "
            "2030-01-08T09:00 in time_zone.",
        },
        "time_zone": _TIME_ZONE,
        "name": {"type": "string", "description": "The attendee's full name."},
        "email": {"type": "string", "description": "The attendee's email (email or phone is required)."},
        "phone": {"type": "string", "description": "The attendee's phone number in international form, e.g. +4420..."},
        "notes": {"type": "string", "description": "Anything the host should know before the meeting."},
        "guests": {"type": "array", "items": {"type": "string"}, "description": "Emails of other people to invite."},
        "duration_minutes": {"type": "integer", "description": "Meeting length, for event types with several."},
    },
    "required": ["start", "time_zone", "name"],
}
RESCHEDULE_MEETING_SCHEMA: JsonSchema = {
    "type": "object",
    "properties": {
        "booking_uid": {"type": "string", "description": "The meeting to move, as answered by list_upcoming_meetings."},
        "start": {"type": "string", "description": "The new time, e.g. a start answered by find_open_times."},
        "time_zone": _TIME_ZONE,
        "reason": {"type": "string", "description": "Why the meeting moves, shared with the host."},
        "rescheduled_by": {"type": "string", "description": "Email of the person asking for the change."},
    },
    "required": ["booking_uid", "start", "time_zone"],
}
CANCEL_MEETING_SCHEMA: JsonSchema = {
    "type": "object",
    "properties": {
        "booking_uid": {
            "type": "string",
            "description": "The meeting to cancel, as answered by list_upcoming_meetings.",
        },
        "reason": {
            "type": "string",
            "description": "Why the meeting is cancelled; required by the server when the host cancels.",
        },
        "time_zone": {**_TIME_ZONE, "description": "Time zone of the answer's times (default UTC)."},
    },
    "required": ["booking_uid"],
}
LIST_UPCOMING_SCHEMA: JsonSchema = {
    "type": "object",
    "properties": {
        "email": {"type": "string", "description": "The attendee's email."},
        "phone": {"type": "string", "description": "The attendee's phone number (used when no email is given)."},
        "time_zone": {**_TIME_ZONE, "description": "Time zone of the answer's times (default UTC)."},
        "max_results": {"type": "integer", "description": "How many meetings to answer (default 10, at most 50)."},
    },
}

TASKS: dict[str, Task] = {
    task.name: task
    for task in (
        Task(
            "find_open_times",
            "Find open times to book a meeting. Give the event type (event_type_id, or event_type_slug with "
            "username), the day (date, e.g. 2030-01-08, or start and end) and the caller's time_zone. Answers a "
            "short list of local times; pass one of their `start` values to book_meeting.",
            FIND_OPEN_TIMES_SCHEMA,
            (GET_SLOTS,),
            find_open_times,
        ),
        Task(
            "book_meeting",
            "Book a meeting at an open time. Needs the event type, start (from find_open_times), the caller's "
            "time_zone, the attendee's name, and an email or phone number. Answers the booking_uid and the "
            "confirmed local time.",
            BOOK_MEETING_SCHEMA,
            (CREATE_BOOKING,),
            book_meeting,
        ),
        Task(
            "reschedule_meeting",
            "Move a booked meeting to a new time. Needs booking_uid (from list_upcoming_meetings), the new start "
            "(from find_open_times) and the caller's time_zone. Answers the new booking_uid and local time.",
            RESCHEDULE_MEETING_SCHEMA,
            (RESCHEDULE_BOOKING,),
            reschedule_meeting,
        ),
        Task(
            "cancel_meeting",
            "Cancel a booked meeting. Needs booking_uid (from list_upcoming_meetings); give a reason when you can.",
            CANCEL_MEETING_SCHEMA,
            (CANCEL_BOOKING,),
            cancel_meeting,
        ),
        Task(
            "list_upcoming_meetings",
            "List a caller's upcoming meetings, soonest first, by their email or phone number. Answers each "
            "meeting's booking_uid, title and local time.",
            LIST_UPCOMING_SCHEMA,
            (LIST_BOOKINGS,),
            list_upcoming_meetings,
        ),
    )
}
