"""What a create-booking body asks for, checked against its event type (BEHAVIOR.md §4.1, §4.2, §4.6).

Pure: no database, no clock. The booking service resolves the event type, then these functions
turn the body into plain values or raise `BadRequest` with Cal.com's message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from opencal.bookings.schemas import BookingInputLocation_2024_08_13, CreateBookingAttendee
from opencal.core.errors import BadRequest
from opencal.event_types.mapping import CAL_VIDEO_LOCATION, locations_output
from opencal.models.event_types import EventType
from opencal.slots.engine import length_options

PHONE_ONLY_DOMAIN = "sms.cal.com"
# Far enough for any calendar, near enough that adding occurrences never overflows a datetime.
LAST_BOOKABLE_YEAR = 9000
TITLE_MAX_LENGTH = 512
_URL = re.compile(r"^(https?://|www\.)\S+$|^[\w-]+(\.[\w-]+)+(/\S*)?$", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{6,20}$")
_ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?")
_CUSTOM_NAME_VARIABLE = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class Person:
    """Someone attending: the booker, a guest, or (for collective events) another host."""

    name: str
    email: str
    time_zone: str
    locale: str = "en"
    phone_number: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    """Where the booking happens: the stored string and the `responses.location` entry."""

    value: str | None
    response: dict[str, Any] | None = None


@dataclass(frozen=True)
class BookingFields:
    """The booker's answers: stored `responses`, and the custom fields alone (for webhooks)."""

    responses: dict[str, Any]
    user_fields: dict[str, Any] = field(default_factory=dict)


def parse_start(value: str, name: str = "start") -> datetime:
    """An ISO 8601 date-time; UTC when it carries no offset."""
    text = value.strip()
    if not _ISO_INSTANT.fullmatch(text):
        raise BadRequest(f"{name} must be a valid ISO 8601 date string, got '{value}'")
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(f"{name} must be a valid ISO 8601 date string, got '{value}'") from None
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    if parsed.year > LAST_BOOKABLE_YEAR:
        raise BadRequest(f"{name} must be a date-time before the year {LAST_BOOKABLE_YEAR + 1}, got '{value}'")
    return parsed


def booking_length(event_type: EventType, requested: int | None) -> int:
    """Minutes the booking lasts: `lengthInMinutes` when the event type offers several lengths."""
    if requested is None:
        return event_type.length
    options = length_options(event_type)
    if not options:
        raise BadRequest(
            "Can't specify 'lengthInMinutes' because event type does not have multiple possible lengths. Please, "
            "remove the 'lengthInMinutes' field from the request."
        )
    if requested not in options:
        raise BadRequest(
            "Provided 'lengthInMinutes' is not one of the possible lengths for the event type. The possible lengths "
            f"are: {', '.join(str(option) for option in options)}"
        )
    return requested


def booker(attendee: CreateBookingAttendee, event_type: EventType) -> Person:
    """The attendee as stored; a phone-only attendee gets `<digits>@sms.cal.com` as email."""
    if not attendee.email and not attendee.phoneNumber:
        raise BadRequest("Attendee must have at least one contact method (email or phone number)")
    if not attendee.email and _email_required(event_type):
        raise BadRequest(
            'Missing attendee email - it is required by the event type. Pass it as "attendee.email" string in the '
            "request."
        )
    email = attendee.email or f"{re.sub(r'[^0-9]', '', attendee.phoneNumber or '')}@{PHONE_ONLY_DOMAIN}"
    return Person(
        name=attendee.name,
        email=email,
        time_zone=attendee.timeZone,
        locale=attendee.language,
        phone_number=attendee.phoneNumber,
    )


def _email_required(event_type: EventType) -> bool:
    email = next((f for f in event_type.booking_fields or [] if f.get("name") == "email"), None)
    # Personal event types always need an email; team event types may ask for a phone instead.
    if email is None:
        return event_type.team_id is None
    return bool(email.get("required")) and not email.get("hidden")


# -- booking fields (§4.2) ------------------------------------------------------------------------

_EXPECTED_TYPES: dict[str, str] = {
    "phone": "string",
    "address": "string",
    "text": "string",
    "textarea": "string",
    "url": "string",
    "number": "number",
    "boolean": "boolean",
    "multiemail": "array",
    "multiselect": "array",
    "checkbox": "array",
    "select": "string or number",
    "radio": "string or number",
}
_PHONE_FIELDS = ("attendeePhoneNumber", "smsReminderNumber")


def js_type(value: Any) -> str:
    """The name JavaScript's `typeof` gives a JSON value (Cal.com's messages use it)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"


def _matches(value: Any, expected: str) -> bool:
    kind = js_type(value)
    if expected == "array":
        return isinstance(value, list)
    if expected == "string or number":
        return kind in ("string", "number")
    return kind == expected


def check_booking_fields(event_type: EventType, answers: Mapping[str, Any], phone: str | None) -> None:
    """Required custom fields present, each answer of its field's type and among its options."""
    given: dict[str, Any] = {**answers, "attendeePhoneNumber": phone, "smsReminderNumber": phone}
    for stored in event_type.booking_fields or []:
        name = str(stored.get("name") or "")
        system = str(stored.get("editable") or "").startswith("system")
        if not name or (system and name not in _PHONE_FIELDS):
            continue
        value = given.get(name)
        if value is None:
            if stored.get("required") and not (system and stored.get("hidden")):
                if name in _PHONE_FIELDS:
                    raise BadRequest(
                        "Missing attendee phone number - it is required by the event type. Pass it as "
                        '"attendee.phoneNumber" string in the request.'
                    )
                raise BadRequest(
                    f"Missing required booking field response: {name} - it is required by the event type booking "
                    "fields, but missing in the bookingFieldsResponses. You can fetch the event type with ID "
                    f"{event_type.id} to see the required fields."
                )
            continue
        _check_answer(name, str(stored.get("type") or ""), value, stored.get("options"))


def _check_answer(name: str, field_type: str, value: Any, options: Any) -> None:
    expected = _EXPECTED_TYPES.get(field_type)
    if expected is None:
        return
    if not _matches(value, expected):
        raise BadRequest(
            f"Invalid type for booking field '{name}'. Expected type {expected} (compatible with field type "
            f"'{field_type}'), but received {js_type(value)}."
        )
    allowed = [str(option.get("value")) for option in options or [] if isinstance(option, Mapping)]
    if not allowed:
        return
    if field_type in ("select", "radio") and _as_text(value) not in allowed:
        raise BadRequest(
            f"Invalid option '{_as_text(value)}' for booking field '{name}'. Allowed options are: {', '.join(allowed)}."
        )
    if field_type in ("multiselect", "checkbox") and any(_as_text(item) not in allowed for item in value):
        raise BadRequest(
            f"One or more invalid options for booking field '{name}'. Allowed options are: {', '.join(allowed)}."
        )


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def booking_fields(
    event_type: EventType,
    answers: Mapping[str, Any] | None,
    person: Person,
    guests: Sequence[str],
    location: Location,
) -> BookingFields:
    """The stored `responses`: the answers (checked with `check_booking_fields`), then name, email, phone,
    guests and location."""
    answers = dict(answers or {})
    responses: dict[str, Any] = {**answers, "name": person.name, "email": person.email}
    if person.phone_number:
        responses["attendeePhoneNumber"] = person.phone_number
    if guests:
        responses["guests"] = list(guests)
    if location.response is not None:
        responses["location"] = location.response
    custom = {
        str(f["name"])
        for f in event_type.booking_fields or []
        if f.get("name") and not str(f.get("editable") or "").startswith("system")
    }
    return BookingFields(responses=responses, user_fields={k: v for k, v in answers.items() if k in custom})


# -- locations (§4.6) -----------------------------------------------------------------------------

# Stored location type of each API type that the organizer defines (the value comes from the event).
_ORGANIZER_DEFINED = {
    "address": ("inPerson", "address"),
    "link": ("link", "link"),
    "phone": ("userPhone", "hostPhoneNumber"),
}
# Stored location type of each API type that the attendee fills in, and the input field carrying it.
_ATTENDEE_DEFINED = {
    "attendeeAddress": ("attendeeInPerson", "address"),
    "attendeePhone": ("phone", "phone"),
    "attendeeDefined": ("somewhereElse", "location"),
}


def resolve_location(
    event_type: EventType, requested: BookingInputLocation_2024_08_13 | str | None, meeting_url: str | None
) -> Location:
    """The booking's location: one of the event type's, a legacy string, or the event's first one."""
    stored = list(event_type.locations or [])
    given = requested if requested is not None else meeting_url
    if given is None:
        return _default_location(stored)
    if isinstance(given, str):
        return _legacy_location(given)
    api = locations_output(stored)
    allowed = [entry["type"] for entry in api]
    if given.type not in allowed:
        raise BadRequest(
            f"Booking location with type {given.type} not valid for event type with id={event_type.id}. The event "
            f"type has following location types: {', '.join(allowed)}, and only these types are allowed for booking "
            "location."
        )
    if given.type == "integration":
        integration = getattr(given, "integration", None)
        integrations = [entry.get("integration") for entry in api if entry["type"] == "integration"]
        if integration not in integrations:
            raise BadRequest(
                f"Booking location with integration {integration} not valid for event type with id={event_type.id}. "
                f"The event type has following integrations: {', '.join(str(i) for i in integrations)}, and only "
                "these integrations are allowed for booking location."
            )
        chosen = stored[_index_of(api, "integration", integration)]
        return Location(str(chosen["type"]), {"value": chosen["type"], "optionValue": ""})
    if given.type in _ATTENDEE_DEFINED:
        kind, attribute = _ATTENDEE_DEFINED[given.type]
        value = str(getattr(given, attribute))
        return Location(value, {"value": kind, "optionValue": value})
    if given.type == "organizersDefaultApp":
        # No default conferencing app can be configured: the organizer's default is Cal Video.
        return Location(CAL_VIDEO_LOCATION["type"], {"value": "conferencing", "optionValue": ""})
    kind, attribute = _ORGANIZER_DEFINED[given.type]
    chosen = stored[_index_of(api, given.type, None)]
    return Location(str(chosen.get(attribute) or ""), {"value": kind, "optionValue": ""})


def _index_of(api: Sequence[Mapping[str, Any]], kind: str, integration: str | None) -> int:
    for index, entry in enumerate(api):
        if entry["type"] == kind and (integration is None or entry.get("integration") == integration):
            return index
    raise ValueError(f"no {kind} location")  # unreachable: the caller checked the type is offered


def _default_location(stored: Sequence[Mapping[str, Any]]) -> Location:
    if not stored:
        return Location(None)
    first = stored[0]
    kind = str(first.get("type") or "")
    for stored_type, attribute in _ORGANIZER_DEFINED.values():
        if kind == stored_type and first.get(attribute):
            return Location(str(first[attribute]), {"value": kind, "optionValue": ""})
    if kind.startswith("integrations:"):
        return Location(kind, {"value": kind, "optionValue": ""})
    if kind == "conferencing":
        return Location(CAL_VIDEO_LOCATION["type"], {"value": kind, "optionValue": ""})
    return Location(None)


def _legacy_location(value: str) -> Location:
    """A location given as a string: a URL is a link, a phone number a phone, anything else free text."""
    if _URL.match(value):
        kind = "link"
    elif _PHONE.match(value):
        kind = "phone"
    else:
        kind = "somewhereElse"
    return Location(value, {"value": kind, "optionValue": value})


# -- title ----------------------------------------------------------------------------------------


def booking_title(
    event_type: EventType, organizer_name: str | None, attendee: Person, location: str | None, length: int
) -> str:
    """Cal.com's event name: `<event title> between <organizer> and <attendee>`, or the custom name with
    its variables filled in."""
    host = organizer_name or "Nameless"
    template = event_type.event_name
    if not template:
        return f"{event_type.title} between {host} and {attendee.name}"[:TITLE_MAX_LENGTH]
    first, _, last = attendee.name.partition(" ")
    values = {
        "event type title": event_type.title,
        "organiser": host,
        "organiser first name": host.split(" ")[0],
        "organiser given name": host.split(" ")[0],
        "host": host,
        "user": host,
        "scheduler": attendee.name,
        "attendee": attendee.name,
        "host/attendee": host,
        "scheduler first name": first,
        "scheduler last name": last,
        "location": location or "",
        "event duration": f"{length} mins",
    }

    def fill(match: re.Match[str]) -> str:
        return values.get(match.group(1).strip().lower(), match.group(0))

    return _CUSTOM_NAME_VARIABLE.sub(fill, template)[:TITLE_MAX_LENGTH]
